"""Run events: the single record of what happened in a run.

Executors make them, the instance stores them, results and the CLI read them. They are
plain frozen values with JSON-able payloads, so storage can persist them without knowing
the code that produced them.
"""

from __future__ import annotations

import enum
import logging
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["ErrorInfo", "EventType", "RunEvent"]


class EventType(str, enum.Enum):
    """Every kind of event a run can record (alias ``DagsterEventType``)."""

    RUN_ENQUEUED = "RUN_ENQUEUED"
    RUN_STARTING = "RUN_STARTING"
    RUN_START = "RUN_START"
    RUN_SUCCESS = "RUN_SUCCESS"
    RUN_FAILURE = "RUN_FAILURE"
    RUN_CANCELING = "RUN_CANCELING"
    RUN_CANCELED = "RUN_CANCELED"

    STEP_START = "STEP_START"
    STEP_INPUT = "STEP_INPUT"
    STEP_OUTPUT = "STEP_OUTPUT"
    STEP_SUCCESS = "STEP_SUCCESS"
    STEP_FAILURE = "STEP_FAILURE"
    STEP_SKIPPED = "STEP_SKIPPED"
    STEP_UP_FOR_RETRY = "STEP_UP_FOR_RETRY"
    STEP_RESTARTED = "STEP_RESTARTED"
    STEP_WORKER_STARTING = "STEP_WORKER_STARTING"
    STEP_WORKER_STARTED = "STEP_WORKER_STARTED"

    RESOURCE_INIT_STARTED = "RESOURCE_INIT_STARTED"
    RESOURCE_INIT_SUCCESS = "RESOURCE_INIT_SUCCESS"
    RESOURCE_INIT_FAILURE = "RESOURCE_INIT_FAILURE"
    RESOURCE_TEARDOWN_FAILURE = "RESOURCE_TEARDOWN_FAILURE"

    HANDLED_OUTPUT = "HANDLED_OUTPUT"
    LOADED_INPUT = "LOADED_INPUT"
    ASSET_MATERIALIZATION = "ASSET_MATERIALIZATION"
    ASSET_OBSERVATION = "ASSET_OBSERVATION"
    ASSET_CHECK_EVALUATION = "ASSET_CHECK_EVALUATION"

    ENGINE_EVENT = "ENGINE_EVENT"
    LOG_MESSAGE = "LOG_MESSAGE"

    @property
    def is_run_end(self) -> bool:
        """Whether this event ends a run (success, failure or cancellation)."""
        return self in _RUN_END


_RUN_END = frozenset({EventType.RUN_SUCCESS, EventType.RUN_FAILURE, EventType.RUN_CANCELED})


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """An exception captured as data, so it can be stored and shown after the process ends.

    Attributes:
        cls_name: the exception's class name (``KeyError``).
        message: ``str()`` of the exception.
        stack: formatted traceback lines of the exception itself.
        cause: the ``__cause__`` (or ``__context__``), if any.
    """

    cls_name: str
    message: str
    stack: tuple[str, ...] = ()
    cause: ErrorInfo | None = None

    @classmethod
    def from_exception(cls, exc: BaseException, *, depth: int = 0) -> ErrorInfo:
        """Capture ``exc``, its traceback and (up to a few levels of) its cause."""
        nested = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
        cause = cls.from_exception(nested, depth=depth + 1) if nested and depth < 4 else None
        return cls(
            cls_name=type(exc).__name__,
            message=str(exc),
            stack=tuple(traceback.format_tb(exc.__traceback__)),
            cause=cause,
        )

    def to_string(self) -> str:
        """The error as a readable block: class, message, stack, then its cause."""
        text = f"{self.cls_name}: {self.message}\n" + "".join(self.stack)
        if self.cause is not None:
            text += "\nThe above was caused by:\n" + self.cause.to_string()
        return text

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form for storage."""
        return {
            "cls_name": self.cls_name,
            "message": self.message,
            "stack": list(self.stack),
            "cause": self.cause.to_dict() if self.cause else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ErrorInfo:
        """Inverse of :meth:`to_dict`."""
        cause = data.get("cause")
        return cls(
            cls_name=data["cls_name"],
            message=data["message"],
            stack=tuple(data.get("stack", ())),
            cause=cls.from_dict(cause) if cause else None,
        )


_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class RunEvent:
    """One thing that happened in a run (alias ``DagsterEvent``).

    Attributes:
        event_type: the kind of event.
        run_id: the run it belongs to.
        job_name: the job of that run.
        timestamp: seconds since the epoch, when it happened.
        message: a line for people.
        step_key: the step it concerns, or ``None`` for run-level events.
        level: a ``logging`` level (``DEBUG`` for engine events, ``ERROR`` for failures).
        data: kind-specific facts, JSON-able (output name, resource key, metadata...).
        error: the captured exception for failure events.
    """

    event_type: EventType
    run_id: str
    job_name: str
    timestamp: float
    message: str = ""
    step_key: str | None = None
    level: int = logging.DEBUG
    data: Mapping[str, Any] = field(default_factory=dict)
    error: ErrorInfo | None = None

    @property
    def event_type_value(self) -> str:
        """The event kind as a string (``"STEP_SUCCESS"``)."""
        return self.event_type.value

    @property
    def node_name(self) -> str | None:
        """The op's name for step events (the last part of the step key)."""
        return self.step_key.rsplit(".", 1)[-1] if self.step_key else None

    @property
    def is_step_event(self) -> bool:
        """Whether the event concerns one step."""
        return self.step_key is not None

    @property
    def is_step_success(self) -> bool:
        """Whether this is a ``STEP_SUCCESS`` event."""
        return self.event_type is EventType.STEP_SUCCESS

    @property
    def is_step_failure(self) -> bool:
        """Whether this is a ``STEP_FAILURE`` event."""
        return self.event_type is EventType.STEP_FAILURE

    @property
    def is_successful_output(self) -> bool:
        """Whether this is a ``STEP_OUTPUT`` event."""
        return self.event_type is EventType.STEP_OUTPUT

    @property
    def is_failure(self) -> bool:
        """Whether this event reports a failure of a step, a resource or the run."""
        return self.event_type in _FAILURES

    @property
    def is_run_success(self) -> bool:
        """Whether this is a ``RUN_SUCCESS`` event."""
        return self.event_type is EventType.RUN_SUCCESS

    @property
    def is_run_failure(self) -> bool:
        """Whether this is a ``RUN_FAILURE`` event."""
        return self.event_type is EventType.RUN_FAILURE

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form for storage and ``--json`` output."""
        return {
            "event_type": self.event_type.value,
            "run_id": self.run_id,
            "job_name": self.job_name,
            "timestamp": self.timestamp,
            "message": self.message,
            "step_key": self.step_key,
            "level": self.level,
            "data": dict(self.data),
            "error": self.error.to_dict() if self.error else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunEvent:
        """Inverse of :meth:`to_dict`."""
        error = data.get("error")
        return cls(
            event_type=EventType(data["event_type"]),
            run_id=data["run_id"],
            job_name=data["job_name"],
            timestamp=data["timestamp"],
            message=data.get("message", ""),
            step_key=data.get("step_key"),
            level=data.get("level", logging.DEBUG),
            data=data.get("data") or _EMPTY,
            error=ErrorInfo.from_dict(error) if error else None,
        )


_FAILURES = frozenset(
    {
        EventType.STEP_FAILURE,
        EventType.RUN_FAILURE,
        EventType.RESOURCE_INIT_FAILURE,
        EventType.RESOURCE_TEARDOWN_FAILURE,
    }
)
