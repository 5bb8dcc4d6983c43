"""``RepositoryData``: what a ``RepositoryDefinition`` holds, and the ways to make one.

A repository's contents are normally a ``Definitions`` (``DefinitionsData``). Code written
against the reference may subclass ``RepositoryData`` instead, answering for its jobs,
schedules, sensors, assets and resources; the repository turns those answers into a
``Definitions`` once, so that everything else reads one kind of object.
"""

from __future__ import annotations

import abc
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.errors import InvariantViolationError

if TYPE_CHECKING:
    from headwater.jobs.job import JobDefinition
    from headwater.location.definitions import Definitions
    from headwater.location.repo import RepositoryDefinition

__all__ = [
    "BindResourcesToJobs",
    "DefinitionsData",
    "RepositoryData",
    "create_repository_using_definitions_args",
]


class RepositoryData(abc.ABC):
    """The contents of a repository, answered by methods; subclass it to build them
    yourself (``RepositoryDefinition(name, repository_data=MyData())``).

    Three methods are required: ``get_all_jobs``, ``get_top_level_resources`` and
    ``get_env_vars_by_top_level_resource``; the others default to "none".
    """

    @abc.abstractmethod
    def get_top_level_resources(self) -> Mapping[str, Any]:
        """The resources bound at the top level, by key."""

    @abc.abstractmethod
    def get_env_vars_by_top_level_resource(self) -> Mapping[str, set[str]]:
        """The environment variables each top-level resource reads, by key."""

    @abc.abstractmethod
    def get_all_jobs(self) -> Sequence[JobDefinition]:
        """Every job of the repository."""

    def get_job_names(self) -> list[str]:
        """Every job's name."""
        return [job.name for job in self.get_all_jobs()]

    def has_job(self, job_name: str) -> bool:
        """Whether there is a job called ``job_name``."""
        return job_name in self.get_job_names()

    def get_job(self, job_name: str) -> JobDefinition:
        """The job called ``job_name``.

        Raises:
            InvariantViolationError: no such job (the message lists the jobs).
        """
        job: JobDefinition = _named(self.get_all_jobs(), job_name, "job")
        return job

    def get_all_schedules(self) -> Sequence[Any]:
        """Every schedule (none by default)."""
        return []

    def get_schedule_names(self) -> list[str]:
        """Every schedule's name."""
        return [s.name for s in self.get_all_schedules()]

    def get_schedule(self, schedule_name: str) -> Any:
        """The schedule called ``schedule_name``.

        Raises:
            InvariantViolationError: no such schedule.
        """
        return _named(self.get_all_schedules(), schedule_name, "schedule")

    def has_schedule(self, schedule_name: str) -> bool:
        """Whether there is a schedule called ``schedule_name``."""
        return schedule_name in self.get_schedule_names()

    def get_all_sensors(self) -> Sequence[Any]:
        """Every sensor (none by default)."""
        return []

    def get_sensor_names(self) -> list[str]:
        """Every sensor's name."""
        return [s.name for s in self.get_all_sensors()]

    def get_sensor(self, sensor_name: str) -> Any:
        """The sensor called ``sensor_name``.

        Raises:
            InvariantViolationError: no such sensor.
        """
        return _named(self.get_all_sensors(), sensor_name, "sensor")

    def has_sensor(self, sensor_name: str) -> bool:
        """Whether there is a sensor called ``sensor_name``."""
        return sensor_name in self.get_sensor_names()

    def get_source_assets_by_key(self) -> Mapping[Any, Any]:
        """External assets, by key (none by default)."""
        return {}

    def get_assets_defs_by_key(self) -> Mapping[Any, Any]:
        """Asset definitions, by key (none by default)."""
        return {}

    def get_asset_checks_defs_by_key(self) -> Mapping[Any, Any]:
        """Asset check definitions, by check key (none by default)."""
        return {}

    def load_all_definitions(self) -> None:
        """Resolve every definition now (they are values here: nothing to do)."""
        self.get_all_jobs()
        self.get_all_schedules()
        self.get_all_sensors()

    def to_definitions(self) -> Definitions:
        """These contents as one ``Definitions``."""
        from headwater.location.definitions import Definitions

        assets = _unique([*self.get_assets_defs_by_key().values()])
        assets += _unique([*self.get_source_assets_by_key().values()])
        return Definitions(
            assets=assets,
            asset_checks=_unique([*self.get_asset_checks_defs_by_key().values()]),
            jobs=list(self.get_all_jobs()),
            schedules=list(self.get_all_schedules()),
            sensors=list(self.get_all_sensors()),
            resources=dict(self.get_top_level_resources()),
        )


class DefinitionsData(RepositoryData):
    """The contents of a repository made from a ``Definitions``."""

    def __init__(self, definitions: Definitions) -> None:
        self.definitions = definitions

    def get_top_level_resources(self) -> Mapping[str, Any]:
        """The ``Definitions``' resources."""
        return dict(self.definitions.resources)

    def get_env_vars_by_top_level_resource(self) -> Mapping[str, set[str]]:
        """The ``EnvVar`` names each resource's set config reads."""
        return {key: _env_vars(value) for key, value in self.definitions.resources.items()}

    def get_all_jobs(self) -> Sequence[JobDefinition]:
        """Every job, the implicit asset job included when there are assets."""
        defs = self.definitions
        names = list(defs.job_names)
        if defs.has_implicit_global_asset_job_def() and "__ASSET_JOB" not in names:
            names.append("__ASSET_JOB")
        return [defs.get_job_def(n) for n in names]

    def get_all_schedules(self) -> Sequence[Any]:
        """The ``Definitions``' schedules."""
        return list(self.definitions.schedules)

    def get_all_sensors(self) -> Sequence[Any]:
        """The ``Definitions``' sensors."""
        return list(self.definitions.sensors)

    def get_assets_defs_by_key(self) -> Mapping[Any, Any]:
        """Every asset definition, by key."""
        return dict(self.definitions.asset_graph.def_by_key)

    def to_definitions(self) -> Definitions:
        """The ``Definitions`` itself."""
        return self.definitions


def _env_vars(resource: Any) -> set[str]:
    from headwater.config import EnvVar

    fields = getattr(resource, "__dict__", {})
    return {str(v.env_var_name) for v in fields.values() if isinstance(v, EnvVar)}


def _named(items: Iterable[Any], name: str, kind: str) -> Any:
    found = [item for item in items if item.name == name]
    if not found:
        known = sorted(item.name for item in items)
        raise InvariantViolationError(
            f"Could not find {kind} {name} in repository; its {kind}s are {known}"
        )
    return found[0]


def _unique(values: list[Any]) -> list[Any]:
    # A multi-asset appears once per key it makes; Definitions takes each object once.
    seen: dict[int, Any] = {}
    for value in values:
        seen.setdefault(id(value), value)
    return list(seen.values())


class BindResourcesToJobs(list):  # type: ignore[type-arg]  # a plain list of jobs
    """A list of jobs to bind top-level resources to: every job is bound already, so this
    marks nothing and warns that it can go (``jobs=BindResourcesToJobs([a])`` is ``[a]``).
    """

    def __init__(self, jobs: Iterable[Any] = ()) -> None:
        warnings.warn(
            "BindResourcesToJobs is no longer needed: top-level resources are bound to "
            "every job; pass the list of jobs itself",
            DeprecationWarning,
            stacklevel=2,
        )
        super().__init__(jobs)


def create_repository_using_definitions_args(
    name: str,
    assets: Iterable[Any] | None = None,
    schedules: Iterable[Any] | None = None,
    sensors: Iterable[Any] | None = None,
    jobs: Iterable[Any] | None = None,
    resources: Mapping[str, Any] | None = None,
    executor: Any = None,
    loggers: Mapping[str, Any] | None = None,
    asset_checks: Iterable[Any] | None = None,
) -> RepositoryDefinition:
    """A repository called ``name`` holding what ``Definitions(...)`` with the same
    arguments holds (for code that needs several named repositories in one location).

    Args:
        name: the repository's name.
        assets: as ``Definitions(assets=...)``.
        schedules: as ``Definitions(schedules=...)``.
        sensors: as ``Definitions(sensors=...)``.
        jobs: as ``Definitions(jobs=...)``.
        resources: as ``Definitions(resources=...)``.
        executor: as ``Definitions(executor=...)``.
        loggers: as ``Definitions(loggers=...)``.
        asset_checks: as ``Definitions(asset_checks=...)``.

    Returns:
        The repository.

    Raises:
        InvalidDefinitionError: as ``Definitions`` raises for the same arguments.
    """
    from headwater.location.definitions import Definitions
    from headwater.location.repo import RepositoryDefinition

    defs = Definitions(
        assets=assets,
        schedules=schedules,
        sensors=sensors,
        jobs=jobs,
        resources=resources,
        executor=executor,
        loggers=loggers,
        asset_checks=asset_checks,
    )
    return RepositoryDefinition(name, repository_data=DefinitionsData(defs))
