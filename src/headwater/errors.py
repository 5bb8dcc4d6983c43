"""Every error headwater raises on purpose.

The tree (catch the root, ``HeadwaterError``, not ``Exception``)::

    HeadwaterError
    ├── InvalidConfigError (ValueError)           run config failed validation; ``.problems``
    ├── InvalidConfigDefinitionError (TypeError)  a config *schema* is malformed
    ├── InvalidDefinitionError (ValueError)       an op/graph/job/resource is wired wrongly
    ├── InvariantViolationError (RuntimeError)    an API was used in a state it does not allow
    ├── InvalidInvocationError (TypeError)        a definition was called with wrong arguments
    ├── UnknownResourceError (AttributeError)     ``context.resources.x`` where x is absent
    ├── UserCodeExecutionError                    user code raised; ``__cause__`` is the original
    │   ├── ResourceFunctionError                 ... while initializing a resource
    │   └── StepExecutionError                    ... while computing a step
    │       └── PipesExecutionError               an external process run through Pipes failed
    ├── RunNotFoundError (LookupError)            no run with that id in the instance
    ├── AliasConflictError (ImportError)          the Dagster alias would shadow a real ``dagster``
    ├── CodeLoadError (LookupError)               code or a file named by the user would not load
    ├── MissingValueError (LookupError)           an IO manager holds no value for an input yet
    ├── InvalidMetadataError (TypeError)          a metadata value of a type that cannot be recorded
    ├── InstanceError                             the instance's home or headwater.yaml is unusable
    │   └── StorageError                          its database is unreachable, corrupt, foreign,
    │                                             or at another schema version
    ├── Failure                                   raised *by* user code: fail the step on purpose
    └── RetryRequested                            raised *by* user code: retry the step

The Dagster spellings (``DagsterInvalidConfigError`` ...) live in ``headwater.compat``.
This module imports nothing else from headwater: every other layer may import it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CodeLoadError",
    "ConfigProblem",
    "Failure",
    "HeadwaterError",
    "InstanceError",
    "StorageError",
    "InvalidConfigDefinitionError",
    "InvalidConfigError",
    "InvalidDefinitionError",
    "InvalidInvocationError",
    "InvariantViolationError",
    "InvalidMetadataError",
    "MissingValueError",
    "PipesExecutionError",
    "AliasConflictError",
    "ResourceFunctionError",
    "RetryRequested",
    "RunNotFoundError",
    "StepExecutionError",
    "UnknownResourceError",
    "UserCodeExecutionError",
]


class HeadwaterError(Exception):
    """Base of every error headwater raises on purpose; catch this, not Exception."""


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One problem found while validating config.

    Attributes:
        path: dotted path from the run-config root (``resources.db.config.port``); ``""``
            for the root itself.
        message: what is wrong and, where possible, how to fix it.
        code: a stable machine-readable kind (``wrong_type``, ``missing_field``,
            ``unknown_field``, ``selector_choice``, ``env_unset``, ``invalid_value``).
    """

    path: str
    message: str
    code: str = "invalid_value"

    def __str__(self) -> str:
        return f"{self.path or '<root>'}: {self.message}"


class InvalidConfigError(HeadwaterError, ValueError):
    """Config failed validation. ``.problems`` holds every problem, not only the first."""

    def __init__(self, problems: Sequence[ConfigProblem], *, subject: str = "run config") -> None:
        self.problems = tuple(problems)
        self.subject = subject
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in {subject}:\n{lines}")


class InvalidConfigDefinitionError(HeadwaterError, TypeError):
    """A config schema itself is malformed (not the values given for it)."""


class InvalidDefinitionError(HeadwaterError, ValueError):
    """An op, graph, job or resource is wired wrongly; raised when definitions are built."""


class InvariantViolationError(HeadwaterError, RuntimeError):
    """An API was used in a way or at a moment it does not allow."""


class InvalidInvocationError(HeadwaterError, TypeError):
    """A definition (op, resource, ...) was invoked directly with arguments it cannot take."""


class UnknownResourceError(HeadwaterError, AttributeError):
    """Code asked for a resource key that is not available where it runs.

    Derives from ``AttributeError`` so that ``hasattr(context.resources, "x")`` works.
    """


class UserCodeExecutionError(HeadwaterError):
    """User code raised; ``__cause__`` (and ``.user_exception``) is the original exception."""

    def __init__(self, message: str, *, user_exception: BaseException | None = None) -> None:
        super().__init__(message)
        self.user_exception = user_exception


class ResourceFunctionError(UserCodeExecutionError):
    """A resource's initialization (or teardown) code raised."""


class StepExecutionError(UserCodeExecutionError):
    """An op's compute function raised."""


class PipesExecutionError(StepExecutionError):
    """An external process launched through Pipes exited non-zero or could not start."""


class RunNotFoundError(HeadwaterError, LookupError):
    """No run with the given id exists in the instance."""


class CodeLoadError(HeadwaterError, LookupError):
    """Code or a file named by the user could not be loaded.

    A missing file or module, user code that raised while being imported (``__cause__`` is
    the original exception), a job name that the code does not define, or a run-config file
    that is not valid YAML.
    """


class MissingValueError(HeadwaterError, LookupError):
    """An IO manager was asked to load a value it does not hold (not materialized yet).

    The message names the asset (and partition) or the step output, where the manager
    looked, and the manager.
    """


class InvalidMetadataError(HeadwaterError, TypeError):
    """A metadata value has a type that cannot be recorded; the message names its key."""


class Failure(HeadwaterError):
    """Raise from an op to fail its step on purpose, with a description and metadata.

    Args:
        description: why the step failed; shown in the failure event.
        metadata: extra facts recorded on the failure event.
        allow_retries: whether a ``RetryPolicy`` may retry this failure.

    Example:
        ``raise Failure("upstream table is empty", metadata={"rows": 0})``
    """

    def __init__(
        self,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        allow_retries: bool = True,
    ) -> None:
        super().__init__(description or "")
        self.description = description
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.allow_retries = allow_retries


class RetryRequested(HeadwaterError):
    """Raise from an op to ask for the step to run again.

    Args:
        max_retries: how many retries this request allows in total.
        seconds_to_wait: delay before the next attempt.
    """

    def __init__(self, max_retries: int = 1, seconds_to_wait: float = 0) -> None:
        super().__init__(f"retry requested (max_retries={max_retries})")
        self.max_retries = max_retries
        self.seconds_to_wait = seconds_to_wait


class InstanceError(HeadwaterError):
    """The instance cannot be opened as configured: its home folder or ``headwater.yaml``."""


class StorageError(InstanceError):
    """The instance's database cannot be used: unreachable, corrupt, not headwater's, or at a
    schema version this headwater does not run (``headwater instance migrate`` fixes the last).
    """


class AliasConflictError(HeadwaterError, ImportError):
    """The Dagster alias was asked for where the real ``dagster`` package is importable."""
