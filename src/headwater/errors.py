"""Every error headwater raises on purpose.

The tree (catch the root, ``HeadwaterError``, not ``Exception``)::

    HeadwaterError
    ├── InvalidConfigError (ValueError)           run config failed validation; ``.problems``
    ├── InvalidDefinitionError (ValueError)       an op/graph/job/resource is wired wrongly
    │   ├── InvalidConfigDefinitionError (TypeError)  a config *schema* is malformed
    │   └── InvalidSubsetError                    an op selection names no op of the job
    ├── InvariantViolationError (RuntimeError)    an API was used in a state it does not allow
    ├── InvalidInvocationError (TypeError)        a definition was called with wrong arguments
    ├── UnknownResourceError (AttributeError)     ``context.resources.x`` where x is absent
    ├── UserCodeExecutionError                    user code raised; ``__cause__`` is the original
    │   ├── ResourceFunctionError                 ... while initializing a resource
    │   ├── ConfigMappingFunctionError            ... while mapping config (``configured``)
    │   └── StepExecutionError                    ... while computing a step
    │       └── PipesExecutionError               an external process run through Pipes failed
    ├── RunNotFoundError (LookupError)            no run with that id in the instance
    ├── CodeLoadError (LookupError)               code or a file named by the user would not load
    ├── MissingValueError (KeyError,              an IO manager holds no value for an input yet
    │       FileNotFoundError)
    ├── InvalidMetadataError (TypeError)          a metadata value of a type that cannot be recorded
    ├── TypeCheckFailedError                      a value failed its input's or output's type check
    ├── AssetCheckFailedError                     a blocking asset check failed: its step fails
    ├── InstanceError                             the instance's home or headwater.yaml is unusable
    │   └── StorageError                          its database is unreachable, corrupt, foreign,
    │                                             or at another schema version
    ├── StepOutputNotFoundError                   an op did not produce a required output
    ├── StepNotFoundError                         step keys asked for are not in the plan
    ├── UnmetExecutorRequirementsError            the executor needs what the run lacks (an
    │                                             instance other processes reach)
    ├── SubprocessError                           child processes running steps failed
    ├── EventLogInvalidForRunError                a past run's stored events are malformed
    ├── UnsupportedFeatureError (NotImplementedError)  a Dagster name outside headwater's
    │                                             concepts was used (YAML components, ...)
    ├── AliasConflictError (ImportError)          the Dagster alias would shadow a real ``dagster``
    ├── Failure                                   raised *by* user code: fail the step on purpose
    └── RetryRequested                            raised *by* user code: retry the step

    ExecutionInterruptedError (BaseException)     the run was interrupted (like KeyboardInterrupt,
                                                  not caught by ``except Exception``);
                                                  ``raise_execution_interrupts()`` turns Ctrl-C
                                                  into it

The Dagster spellings (``DagsterInvalidConfigError`` ...) live in ``headwater.compat``.
This module imports nothing else from headwater: every other layer may import it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

__all__ = [
    "AssetCheckFailedError",
    "InvalidObservationError",
    "CodeLoadError",
    "ExecutionInterruptedError",
    "StepOutputNotFoundError",
    "ConfigMappingFunctionError",
    "ConfigProblem",
    "EventLogInvalidForRunError",
    "Failure",
    "HeadwaterError",
    "InstanceError",
    "StorageError",
    "InvalidConfigDefinitionError",
    "InvalidConfigError",
    "InvalidDefinitionError",
    "InvalidInvocationError",
    "InvalidSubsetError",
    "InvariantViolationError",
    "InvalidMetadataError",
    "AliasConflictError",
    "MissingValueError",
    "PipesExecutionError",
    "ResourceFunctionError",
    "RetryRequested",
    "RunNotFoundError",
    "StepExecutionError",
    "StepNotFoundError",
    "SubprocessError",
    "TypeCheckError",
    "TypeCheckFailedError",
    "UnknownResourceError",
    "UnmetExecutorRequirementsError",
    "UnsupportedFeatureError",
    "UserCodeExecutionError",
    "raise_execution_interrupts",
]


class HeadwaterError(Exception):
    """Base of every error headwater raises on purpose; catch this, not Exception."""

    # The class's name in the reference's API (its alias in `compat.py`). Stored errors
    # (``ErrorInfo.cls_name``) carry it, so a run's recorded errors read as the reference's.
    reference_name = "DagsterError"


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One problem found while validating config.

    Attributes:
        path: dotted path from the run-config root (``resources.db.config.port``); ``""``
            for the root itself.
        message: what is wrong and, where possible, how to fix it.
        code: a stable machine-readable kind (``wrong_type``, ``missing_field``,
            ``unknown_field``, ``selector_choice``, ``env_unset``, ``invalid_value``).
        field_name: for ``missing_field`` and ``unknown_field``, the field missing or not
            expected (``path`` is then the mapping it belongs in); ``None`` otherwise.
    """

    path: str
    message: str
    code: str = "invalid_value"
    field_name: str | None = None

    def __str__(self) -> str:
        return f"{self.path or '<root>'}: {self.message}"


class InvalidConfigError(HeadwaterError, ValueError):
    """Config failed validation. ``.problems`` holds every problem, not only the first.

    Args:
        preamble: the message's first line (what was validated).
        errors: the problems found; each becomes one line of the message.
        config_value: the config that was validated.
        *args: further exception arguments.

    Attributes:
        problems: the problems, as a tuple (``errors`` holds them as a list).
        error_messages: each problem's message.
        config_value: the config that was validated.
        message: the whole message.
    """

    reference_name = "DagsterInvalidConfigError"

    def __init__(
        self,
        preamble: str,
        errors: Sequence[ConfigProblem],
        config_value: object,
        *args: object,
    ) -> None:
        if not isinstance(preamble, str):
            raise TypeError(
                f"InvalidConfigError(preamble, errors, config_value): preamble must be a str, "
                f"got {type(preamble).__name__}; to report problems use "
                "InvalidConfigError.for_problems(problems, subject=...)"
            )
        self.problems = tuple(errors)
        self.errors = list(self.problems)
        self.error_messages = [str(getattr(p, "message", p)) for p in self.problems]
        self.config_value = config_value
        self.message = preamble + "".join(f"\n  {p}" for p in self.problems)
        super().__init__(self.message, *args)

    @classmethod
    def for_problems(
        cls,
        problems: Sequence[ConfigProblem],
        *,
        subject: str = "run config",
        config_value: object = None,
    ) -> InvalidConfigError:
        """The error for `problems` found in `subject`: ``N problem(s) in <subject>:``."""
        found = tuple(problems)
        return cls(f"{len(found)} problem(s) in {subject}:", found, config_value)


class InvalidDefinitionError(HeadwaterError, ValueError):
    """An op, graph, job or resource is wired wrongly; raised when definitions are built."""

    reference_name = "DagsterInvalidDefinitionError"


SCHEMA_FORMS = (
    "use a type (int, str, float, bool, list, dict), a dict of fields, [type], Field(...), "
    "a schema node (Shape, Array, Noneable, ...) or a Config subclass"
)
"""What a config schema may be: the fix named when a value is not one."""


class InvalidConfigDefinitionError(InvalidDefinitionError, TypeError):
    """A config schema itself is malformed (not the values given for it).

    Args:
        original_root: the schema as it was given (``{"a": {"b": set}}``).
        current_value: the part of it that cannot be used (``set``).
        stack: the field names from the root down to that part (``["a", "b"]``).
        reason: why it cannot be used and how to fix it; ``None``: it is not a schema form.
        **kwargs: taken as the reference takes them, and refused as it refuses them (its
            exception base takes no keywords): any keyword raises ``TypeError``.

    Attributes:
        original_root, current_value, stack, reason: as given.
        where: what the schema belongs to (``"op 'load'"``), when headwater raised it
            (`in_schema_of`); ``None`` otherwise.
    """

    reference_name = "DagsterInvalidConfigDefinitionError"

    def __init__(
        self,
        original_root: object,
        current_value: object,
        stack: Sequence[str],
        reason: str | None = None,
        **kwargs: object,
    ) -> None:
        if kwargs:
            raise TypeError(
                "InvalidConfigDefinitionError(original_root, current_value, stack, reason) "
                f"takes no other keyword arguments; got {', '.join(sorted(kwargs))}"
            )
        self.original_root = original_root
        self.current_value = current_value
        self.stack = stack
        self.reason = reason
        self.where: str | None = None
        super().__init__(self._message())

    @classmethod
    def in_schema_of(
        cls,
        where: str,
        original_root: object,
        current_value: object,
        stack: Sequence[str] = (),
        reason: str | None = None,
    ) -> InvalidConfigDefinitionError:
        """The error for a schema that belongs to `where` (``"op 'load'"``, ``"Shape"``);
        the message starts with it."""
        error = cls(original_root, current_value, stack, reason)
        error.where = where
        error.args = (error._message(),)
        return error

    def _message(self) -> str:
        head = f"{self.where}: " if self.where else ""
        path = ".".join(str(name) for name in self.stack)
        if path:
            head += f'config schema {self.original_root!r}, field "{path}": '
        elif self.current_value is not self.original_root:
            head += f"config schema {self.original_root!r}: "
        reason = self.reason or f"it is not a config schema; {SCHEMA_FORMS}"
        return f"{head}{self.current_value!r} cannot be resolved: {reason}"

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from its parameters (the message alone would not fill them).
        state = {"where": self.where, "args": self.args}
        return (
            type(self),
            (self.original_root, self.current_value, self.stack, self.reason),
            state,
        )


class InvalidSubsetError(InvalidDefinitionError):
    """An op (or solid) selection names nothing the job has, or cannot be parsed."""


class InvariantViolationError(HeadwaterError, RuntimeError):
    """An API was used in a way or at a moment it does not allow."""

    reference_name = "DagsterInvariantViolationError"


class InvalidInvocationError(HeadwaterError, TypeError):
    """A definition (op, resource, ...) was invoked directly with arguments it cannot take."""

    reference_name = "DagsterInvalidInvocationError"


class UnknownResourceError(HeadwaterError, AttributeError):
    """Code asked for a resource key that is not available where it runs.

    Derives from ``AttributeError`` so that ``hasattr(context.resources, "x")`` works.

    Args:
        resource_name: the key that was asked for.
        *args: further exception arguments, after the message (as for any exception).

    Attributes:
        resource_name: the key that was asked for.
        available: the keys that were available, when known (`among`); ``None`` otherwise.
    """

    reference_name = "DagsterUnknownResourceError"

    def __init__(self, resource_name: str, *args: object) -> None:
        if not isinstance(resource_name, str):
            raise TypeError(
                "UnknownResourceError(resource_name, *args): resource_name must be the "
                f"resource key, a str; got {type(resource_name).__name__} {resource_name!r}"
            )
        self.resource_name = resource_name
        self.available: tuple[str, ...] | None = None
        super().__init__(self._message(), *args)

    @classmethod
    def among(cls, resource_name: str, available: Iterable[str]) -> UnknownResourceError:
        """The error for reading `resource_name` where only `available` are bound; the
        message lists them."""
        error = cls(resource_name)
        error.available = tuple(available)
        error.args = (error._message(),)
        return error

    def _message(self) -> str:
        key = self.resource_name
        listed = ""
        if self.available is not None:
            listed = "; available resources: " + (
                ", ".join(f"'{k}'" for k in self.available) or "none"
            )
        return (
            f"unknown resource '{key}'{listed}. Declare '{key}' in required_resource_keys "
            "(or as a resource parameter) and bind it in the job's resource_defs"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from the key (the reference's pickles take the message for the key).
        state = {"available": self.available, "args": self.args}
        return (type(self), (self.resource_name, *self.args[1:]), state)


class UnsupportedFeatureError(HeadwaterError, NotImplementedError):
    """A Dagster name outside headwater's concepts was used: it imports, but does nothing.

    Args:
        name: the name that was used (``Component``).
        feature: the Dagster feature it belongs to (``Dagster's YAML components system``).
        hint: what to do instead, if anything.
    """

    def __init__(self, name: str, feature: str, hint: str = "") -> None:
        self.name = name
        self.feature = feature
        detail = f"; {hint}" if hint else ""
        super().__init__(
            f"`{name}` is part of {feature}, which headwater does not support: the name "
            f"imports so that code loads, but it cannot be used{detail}"
        )


class UserCodeExecutionError(HeadwaterError):
    """User code raised; ``__cause__`` (and ``.user_exception``) is the original exception.

    Args:
        *args: the message (and further exception arguments).
        user_exception: the exception user code raised (``None`` when headwater itself
            found the problem while running user code).
        original_exc_info: ``sys.exc_info()`` taken where it was caught, so code that
            formats or re-raises the original keeps its traceback (``None`` as above).
    """

    reference_name = "DagsterUserCodeExecutionError"

    def __init__(
        self,
        *args: object,
        user_exception: BaseException | None,
        original_exc_info: tuple[Any, ...] | None,
    ) -> None:
        super().__init__(*args)
        self.user_exception = user_exception
        self.original_exc_info = original_exc_info

    @property
    def is_user_code_error(self) -> bool:
        """Always true: the error wraps (or was found while running) user code."""
        return True


class ResourceFunctionError(UserCodeExecutionError):
    """A resource's initialization (or teardown) code raised."""

    reference_name = "DagsterResourceFunctionError"


class ConfigMappingFunctionError(UserCodeExecutionError):
    """A config mapping function (``configured``, ``ConfigMapping``) raised."""

    reference_name = "DagsterConfigMappingFunctionError"


class StepExecutionError(UserCodeExecutionError):
    """An op's compute function (or an IO manager working for its step) raised.

    Args:
        *args: the message (and further exception arguments).
        step_key: the step.
        op_name: the op's name in its graph.
        op_def_name: the op definition's name.
        user_exception / original_exc_info: as `UserCodeExecutionError`.
    """

    reference_name = "DagsterExecutionStepExecutionError"

    def __init__(
        self,
        *args: object,
        step_key: str,
        op_name: str,
        op_def_name: str,
        user_exception: BaseException | None,
        original_exc_info: tuple[Any, ...] | None,
    ) -> None:
        super().__init__(*args, user_exception=user_exception, original_exc_info=original_exc_info)
        self.step_key = step_key
        self.op_name = op_name
        self.op_def_name = op_def_name


class TypeCheckError(UserCodeExecutionError):
    """A type's check function raised while checking a step's input or output."""

    reference_name = "DagsterTypeCheckError"


class PipesExecutionError(StepExecutionError):
    """An external process launched through Pipes exited non-zero or could not start."""

    reference_name = "DagsterPipesExecutionError"

    def __init__(self, *args: object) -> None:
        # Raised by the Pipes client before any step is known to it; the process's own
        # error arrives as events, so there is no user exception to keep.
        super().__init__(
            *args,
            step_key="",
            op_name="",
            op_def_name="",
            user_exception=None,
            original_exc_info=None,
        )


class RunNotFoundError(HeadwaterError, LookupError):
    """No run with the given id exists in the instance.

    Attributes:
        invalid_run_id: the id that was asked for.
    """

    reference_name = "DagsterRunNotFoundError"

    def __init__(self, *args: object, invalid_run_id: str) -> None:
        super().__init__(*args)
        self.invalid_run_id = invalid_run_id


class CodeLoadError(HeadwaterError, LookupError):
    """Code or a file named by the user could not be loaded.

    A missing file or module, user code that raised while being imported (``__cause__`` is
    the original exception), a job name that the code does not define, or a run-config file
    that is not valid YAML.
    """


class MissingValueError(HeadwaterError, KeyError, FileNotFoundError):
    """An IO manager was asked to load a value it does not hold (not materialized yet).

    The message names the asset (and partition) or the step output, where the manager
    looked, and the manager. It is a ``KeyError`` (what the reference's in-memory IO manager
    lets out) and a ``FileNotFoundError`` (what its filesystem one lets out), so code that
    catches either catches it.
    """

    def __str__(self) -> str:
        # KeyError's own str() shows a lone argument as its repr, in quotes: keep the
        # message as written.
        return BaseException.__str__(self)


class InvalidMetadataError(HeadwaterError, TypeError):
    """A metadata value has a type that cannot be recorded; the message names its key."""

    reference_name = "DagsterInvalidMetadata"


class TypeCheckFailedError(HeadwaterError):
    """A value flowing through an op's input or output is not of the declared type.

    Attributes:
        description: why the check failed, as the type's check said.
        metadata: facts the type's check recorded.
        dagster_type: the type the value failed.
    """

    def __init__(
        self,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        dagster_type: Any = None,
    ) -> None:
        super().__init__(description)
        self.description = description
        self.metadata = dict(metadata or {})
        self.dagster_type = dagster_type


class AssetCheckFailedError(HeadwaterError):
    """A blocking asset check failed with ERROR severity; the step that evaluated it fails
    and what depends on it does not run. The message lists the checks by asset."""

    reference_name = "DagsterAssetCheckFailedError"


class InvalidObservationError(HeadwaterError):
    """An observation function returned something other than a data version (or an
    ``ObserveResult``, or ``DataVersionsByPartition`` for a partitioned asset)."""

    reference_name = "DagsterInvalidObservationError"


class StepOutputNotFoundError(HeadwaterError):
    """An op finished without producing one of its required outputs.

    Attributes:
        step_key: the step.
        output_name: the output it did not produce.
    """

    reference_name = "DagsterStepOutputNotFoundError"

    def __init__(self, *args: object, step_key: str, output_name: str) -> None:
        super().__init__(*args)
        self.step_key = step_key
        self.output_name = output_name


class StepNotFoundError(HeadwaterError):
    """Steps were asked for by key (a step selection, a re-execution) that the plan lacks.

    Attributes:
        step_keys: the keys that were not found.
    """

    reference_name = "DagsterExecutionStepNotFoundError"

    def __init__(self, *args: Any, step_keys: list[str]) -> None:
        super().__init__(*args)
        self.step_keys = list(step_keys)


class UnmetExecutorRequirementsError(HeadwaterError):
    """The chosen executor needs something the run's setup does not give it (a persistent
    instance, an IO manager whose values outlive the process)."""

    reference_name = "DagsterUnmetExecutorRequirementsError"


class SubprocessError(HeadwaterError):
    """One or more child processes running steps failed.

    Attributes:
        subprocess_error_infos: what each child process raised, as data.
    """

    reference_name = "DagsterSubprocessError"

    def __init__(self, *args: Any, subprocess_error_infos: list[Any]) -> None:
        super().__init__(*args)
        self.subprocess_error_infos = list(subprocess_error_infos)


class EventLogInvalidForRunError(HeadwaterError):
    """The stored events of a past run are malformed, so the run cannot be read back.

    Attributes:
        run_id: the run.
    """

    reference_name = "DagsterEventLogInvalidForRun"

    def __init__(self, run_id: str) -> None:
        super().__init__(f"Event logs invalid for run id {run_id}")
        self.run_id = run_id


class ExecutionInterruptedError(BaseException):
    """A run was interrupted while executing. Like ``KeyboardInterrupt`` it derives from
    ``BaseException``, so ``except Exception`` does not swallow it."""


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
        allow_retries: bool | None = None,
    ) -> None:
        super().__init__(description or "")
        self.description = description
        self._raw_metadata: dict[str, Any] = dict(metadata or {})
        self._metadata: dict[str, Any] | None = None
        self.allow_retries = allow_retries is not False  # None (not said) allows retries

    @property
    def metadata(self) -> dict[str, Any]:
        """Facts about the failure, as ``MetadataValue``s (plain values are normalized)."""
        if self._metadata is None:
            # Deferred: this module is the innermost layer; metadata values sit above it.
            from headwater.metadata.normalize import normalize_metadata

            self._metadata = dict(normalize_metadata(self._raw_metadata))
        return self._metadata


class RetryRequested(HeadwaterError):
    """Raise from an op to ask for the step to run again.

    Args:
        max_retries: how many retries this request allows in total.
        seconds_to_wait: delay before the next attempt (``None``: none).
    """

    def __init__(self, max_retries: int = 1, seconds_to_wait: float | None = None) -> None:
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


@contextmanager
def raise_execution_interrupts() -> Iterator[None]:
    """Inside the block, an interrupt (SIGINT, Ctrl-C) raises ``ExecutionInterruptedError``
    (alias ``DagsterExecutionInterruptedError``) instead of ``KeyboardInterrupt``.

    Only the main thread receives signals; elsewhere the block changes nothing. The previous
    handler is put back on leaving.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    import signal  # here: this module is imported by everything, signal handling is rare

    def interrupted(_signo: int, _frame: FrameType | None) -> None:
        raise ExecutionInterruptedError()

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
