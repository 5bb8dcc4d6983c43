"""Errors of user code: what wraps an exception user code raised, and what user code
raises on purpose to fail or retry its step."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.errors._base import HeadwaterError

__all__ = [
    "ConfigMappingFunctionError",
    "Failure",
    "PipesExecutionError",
    "RetryRequested",
    "StepExecutionError",
    "TypeCheckError",
    "UserCodeExecutionError",
]


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
