"""Errors reading what lives outside the process: the instance and its database, stored
runs and their events, values an IO manager holds, and code or files the user named."""

from __future__ import annotations

from typing import Any

from headwater.errors._base import HeadwaterError, rebuilt_by_calling

__all__ = [
    "CodeLoadError",
    "EventLogInvalidForRunError",
    "InstanceError",
    "MissingValueError",
    "RunNotFoundError",
    "StorageError",
]


class InstanceError(HeadwaterError):
    """The instance cannot be opened as configured: its home folder or ``headwater.yaml``."""


class StorageError(InstanceError):
    """The instance's database cannot be used: unreachable, corrupt, not headwater's, or at a
    schema version this headwater does not run (``headwater instance migrate`` fixes the last).
    """


class RunNotFoundError(HeadwaterError, LookupError):
    """No run with the given id exists in the instance.

    Attributes:
        invalid_run_id: the id that was asked for.
    """

    reference_name = "DagsterRunNotFoundError"

    def __init__(self, *args: object, invalid_run_id: str) -> None:
        super().__init__(*args)
        self.invalid_run_id = invalid_run_id

    def __reduce__(self) -> tuple[Any, ...]:
        # The id is keyword-only: the default rebuild, from the message, would lack it.
        return rebuilt_by_calling(self, *self.args, invalid_run_id=self.invalid_run_id)


class EventLogInvalidForRunError(HeadwaterError):
    """The stored events of a past run are malformed, so the run cannot be read back.

    Attributes:
        run_id: the run.
    """

    reference_name = "DagsterEventLogInvalidForRun"

    def __init__(self, run_id: str) -> None:
        super().__init__(f"Event logs invalid for run id {run_id}")
        self.run_id = run_id

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from the id: the default rebuild would take the message for it.
        return rebuilt_by_calling(self, self.run_id)


class MissingValueError(HeadwaterError, KeyError, FileNotFoundError):
    """An IO manager was asked to load a value it does not hold (not materialized yet).

    The message names the asset (and partition) or the step output, where the manager
    looked, and the manager. It is a ``KeyError`` (what the reference's in-memory IO manager
    lets out) and a ``FileNotFoundError`` (what its filesystem one lets out), so code that
    catches either catches it.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        # The default rebuild, but said here: tblib (which Dask installs for every exception)
        # rebuilds a class with a constructor and no __reduce__ of its own through
        # a base class's __new__ (KeyError's), which refuses this class's OSError layout.
        return rebuilt_by_calling(self, *self.args)

    def __str__(self) -> str:
        # KeyError's own str() shows a lone argument as its repr, in quotes: keep the
        # message as written.
        return BaseException.__str__(self)


class CodeLoadError(HeadwaterError, LookupError):
    """Code or a file named by the user could not be loaded.

    A missing file or module, user code that raised while being imported (``__cause__`` is
    the original exception), a job name that the code does not define, or a run-config file
    that is not valid YAML.
    """
