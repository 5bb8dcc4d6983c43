"""Who may do what: three roles, each allowed everything the one below it is.

- ``viewer`` reads: every query and subscription;
- ``launcher`` also launches, re-executes and terminates runs;
- ``admin`` also starts, stops and resets schedules and sensors, deletes runs, reloads code
  locations and the workspace, and shuts code locations down.

A mutation missing from ``MUTATION_ROLES`` needs ``admin``: a new mutation is closed until
someone decides who may run it.
"""

from __future__ import annotations

import enum

from headwater._dataclass import dataclass

__all__ = ["MUTATION_ROLES", "Role", "User", "required_role"]


class Role(enum.IntEnum):
    """A user's role; a larger value may do everything a smaller one may."""

    VIEWER = 1
    LAUNCHER = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, name: object, *, where: str = "") -> Role:
        """The role called ``name`` (``viewer``, ``launcher`` or ``admin``)."""
        try:
            return cls[str(name).upper()]
        except KeyError:
            place = f" in {where}" if where else ""
            raise ValueError(
                f"unknown role {name!r}{place}: use viewer, launcher or admin"
            ) from None


@dataclass(frozen=True, slots=True)
class User:
    """The caller of a request: a name (for messages and logs) and a role."""

    name: str
    role: Role


_LAUNCH = ("launchRun", "launchPipelineExecution", "launchRunReexecution")
_TERMINATE = ("terminateRun", "terminatePipelineExecution", "terminateRuns")
_ADMIN = (
    "startSchedule",
    "stopRunningSchedule",
    "resetSchedule",
    "startSensor",
    "stopSensor",
    "resetSensor",
    "deleteRun",
    "deletePipelineRun",
    "reloadRepositoryLocation",
    "reloadWorkspace",
    "shutdownRepositoryLocation",
)

MUTATION_ROLES: dict[str, Role] = {
    **dict.fromkeys((*_LAUNCH, "launchPipelineReexecution", *_TERMINATE), Role.LAUNCHER),
    **dict.fromkeys(_ADMIN, Role.ADMIN),
}


def required_role(mutation: str) -> Role:
    """The least role that may run the root mutation field ``mutation``."""
    return MUTATION_ROLES.get(mutation, Role.ADMIN)
