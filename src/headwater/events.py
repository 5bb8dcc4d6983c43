"""Run events: the single record of what happened in a run.

Executors make them, the instance stores them, results and the CLI read them. They are
plain frozen values with JSON-able payloads, so storage can persist them without knowing
the code that produced them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from functools import partial
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple

from headwater._dataclass import dataclass
from headwater.errors import InvariantViolationError

__all__ = [
    "CRITICAL",
    "DEBUG",
    "ERROR",
    "INFO",
    "WARNING",
    "ErrorInfo",
    "EventType",
    "RunEvent",
    "event_from_fields",
    "make_event",
]

# The standard library's logging levels, the values ``RunEvent.level`` takes: named here so
# that recording events needs no ``import logging`` (a run that selects no logger loads none).
DEBUG, INFO, WARNING, ERROR, CRITICAL = 10, 20, 30, 40, 50


class EventType(str, enum.Enum):
    """Every kind of event a run can record (alias ``DagsterEventType``).

    Members, their order and their values are the reference's: run lifecycle events keep
    their historical ``PIPELINE_*`` values (``EventType.RUN_START.value == "PIPELINE_START"``).
    """

    STEP_OUTPUT = "STEP_OUTPUT"
    STEP_INPUT = "STEP_INPUT"
    STEP_FAILURE = "STEP_FAILURE"
    STEP_START = "STEP_START"
    STEP_SUCCESS = "STEP_SUCCESS"
    STEP_SKIPPED = "STEP_SKIPPED"
    STEP_WORKER_STARTING = "STEP_WORKER_STARTING"
    STEP_WORKER_STARTED = "STEP_WORKER_STARTED"
    RESOURCE_INIT_STARTED = "RESOURCE_INIT_STARTED"
    RESOURCE_INIT_SUCCESS = "RESOURCE_INIT_SUCCESS"
    RESOURCE_INIT_FAILURE = "RESOURCE_INIT_FAILURE"
    STEP_UP_FOR_RETRY = "STEP_UP_FOR_RETRY"
    STEP_RESTARTED = "STEP_RESTARTED"
    ASSET_MATERIALIZATION = "ASSET_MATERIALIZATION"
    ASSET_MATERIALIZATION_PLANNED = "ASSET_MATERIALIZATION_PLANNED"
    ASSET_FAILED_TO_MATERIALIZE = "ASSET_FAILED_TO_MATERIALIZE"
    ASSET_OBSERVATION = "ASSET_OBSERVATION"
    STEP_EXPECTATION_RESULT = "STEP_EXPECTATION_RESULT"
    ASSET_CHECK_EVALUATION_PLANNED = "ASSET_CHECK_EVALUATION_PLANNED"
    ASSET_CHECK_EVALUATION = "ASSET_CHECK_EVALUATION"
    ASSET_HEALTH_CHANGED = "ASSET_HEALTH_CHANGED"
    ASSET_WIPED = "ASSET_WIPED"
    RUN_ENQUEUED = "PIPELINE_ENQUEUED"
    RUN_DEQUEUED = "PIPELINE_DEQUEUED"
    RUN_STARTING = "PIPELINE_STARTING"
    RUN_START = "PIPELINE_START"
    RUN_SUCCESS = "PIPELINE_SUCCESS"
    RUN_FAILURE = "PIPELINE_FAILURE"
    RUN_CANCELING = "PIPELINE_CANCELING"
    RUN_CANCELED = "PIPELINE_CANCELED"
    RUN_SUSPENDED = "RUN_SUSPENDED"
    RUN_RESUMED = "RUN_RESUMED"
    OBJECT_STORE_OPERATION = "OBJECT_STORE_OPERATION"
    ASSET_STORE_OPERATION = "ASSET_STORE_OPERATION"
    LOADED_INPUT = "LOADED_INPUT"
    HANDLED_OUTPUT = "HANDLED_OUTPUT"
    ENGINE_EVENT = "ENGINE_EVENT"
    HOOK_COMPLETED = "HOOK_COMPLETED"
    HOOK_ERRORED = "HOOK_ERRORED"
    HOOK_SKIPPED = "HOOK_SKIPPED"
    ALERT_START = "ALERT_START"
    ALERT_SUCCESS = "ALERT_SUCCESS"
    ALERT_FAILURE = "ALERT_FAILURE"
    LOGS_CAPTURED = "LOGS_CAPTURED"
    FRESHNESS_STATE_EVALUATION = "FRESHNESS_STATE_EVALUATION"
    FRESHNESS_STATE_CHANGE = "FRESHNESS_STATE_CHANGE"
    CODE_LOCATION_UPDATED = "CODE_LOCATION_UPDATED"
    # The reference's older names of the run events: aliases (the same members), so code
    # written against them (`DagsterEventType.PIPELINE_FAILURE`) keeps working.
    PIPELINE_ENQUEUED = "PIPELINE_ENQUEUED"
    PIPELINE_DEQUEUED = "PIPELINE_DEQUEUED"
    PIPELINE_STARTING = "PIPELINE_STARTING"
    PIPELINE_START = "PIPELINE_START"
    PIPELINE_SUCCESS = "PIPELINE_SUCCESS"
    PIPELINE_FAILURE = "PIPELINE_FAILURE"
    PIPELINE_CANCELING = "PIPELINE_CANCELING"
    PIPELINE_CANCELED = "PIPELINE_CANCELED"

    if TYPE_CHECKING:
        # A user's ``context.log`` line. Not a member (the reference records log lines as
        # log entries without an event), so iterating the enum lists only Dagster's kinds;
        # the run log stores it like the others. Created below the class.
        LOG_MESSAGE: EventType

    @property
    def is_run_end(self) -> bool:
        """Whether this event ends a run (success, failure or cancellation)."""
        return self in _RUN_END

    @classmethod
    def _missing_(cls, value: object) -> EventType | None:
        # Runs recorded before the values followed the reference's spell `RUN_START`.
        if value == "LOG_MESSAGE":
            return _LOG_MESSAGE
        if isinstance(value, str) and value.startswith("RUN_"):
            member = cls.__members__.get(value)
            if member is not None:
                return member
        return None


def _hidden_member(name: str) -> EventType:
    member = str.__new__(EventType, name)
    member._name_ = name
    member._value_ = name
    type.__setattr__(EventType, name, member)
    return member


_LOG_MESSAGE = _hidden_member("LOG_MESSAGE")
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
        # headwater's errors are stored under their reference name (InvariantViolationError
        # as DagsterInvariantViolationError): the class's own, not an inherited one.
        name = type(exc).__dict__.get("reference_name") or type(exc).__name__
        return cls(
            cls_name=name,
            message=str(exc),
            stack=tuple(_format_tb(exc.__traceback__)),
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
_new_tuple = tuple.__new__


def _views() -> Any:
    # The typed views of an event's data (AssetKey, AssetMaterialization, metadata values)
    # belong to the asset and metadata layers above this leaf; they are built only when a
    # user reads them after a run, never while events are made.
    import headwater.execution.event_data as views

    return views


class _RunEventFields(NamedTuple):
    event_type: EventType
    run_id: str
    job_name: str
    timestamp: float
    message: str
    step_key: str | None
    level: int
    data: Mapping[str, Any]
    error: ErrorInfo | None


class RunEvent(_RunEventFields):
    """One thing that happened in a run (alias ``DagsterEvent``): an immutable named tuple,
    as the reference's events are.

    Attributes:
        event_type: the kind of event.
        run_id: the run it belongs to.
        job_name: the job of that run.
        timestamp: seconds since the epoch, when it happened.
        message: a line for people; ``None`` for observations, hook errors and enqueued
            runs, as in Dagster (``log_message`` is their line in the log).
        step_key: the step it concerns, or ``None`` for run-level events.
        level: a ``logging`` level (``DEBUG`` for engine events, ``ERROR`` for failures).
        data: kind-specific facts, JSON-able (output name, resource key, metadata...).
        error: the captured exception for failure events.
    """

    # A tuple rather than a frozen dataclass: made in one C call, where a frozen dataclass
    # writes each of its nine fields through a descriptor call; runs make several events
    # per step, and that was a third of a trivial step's cost.
    __slots__ = ()

    def __new__(
        cls,
        event_type: EventType,
        run_id: str,
        job_name: str,
        timestamp: float,
        message: str = "",
        step_key: str | None = None,
        level: int = DEBUG,
        data: Mapping[str, Any] | None = None,
        error: ErrorInfo | None = None,
    ) -> RunEvent:
        return _new_tuple(
            cls,
            (
                event_type,
                run_id,
                job_name,
                timestamp,
                message,
                step_key,
                level,
                {} if data is None else data,
                error,
            ),
        )

    @property
    def message(self) -> str | None:  # type: ignore[override]
        """A line for people, or ``None`` for the kinds Dagster gives no message
        (observations, hook errors, enqueued runs): their line is ``log_message``."""
        # The tuple keeps the line as a str for storage and the CLI; only this view of it
        # says None, so the stored rows and their readers stay as they were.
        if self.event_type in _WITHOUT_MESSAGE:
            return None
        text: str = self[4]
        return text

    @property
    def log_message(self) -> str:
        """The event's line in the run's log (``EventLogEntry.user_message``, the console
        and the CLI): its message, or for a step's event without one Dagster's default
        line (``DagsterEventType.ASSET_OBSERVATION for step observes``)."""
        text: str = self[4]
        if text or self.event_type not in _WITHOUT_MESSAGE or self.step_key is None:
            return text
        return f"DagsterEventType.{self.event_type.value} for step {self.step_key}"

    @property
    def event_type_value(self) -> str:
        """The event kind as a string (``"STEP_SUCCESS"``, ``"PIPELINE_START"``)."""
        value: str = self.event_type.value
        return value

    @property
    def node_name(self) -> str | None:
        """The op's name for step events (the last part of the step key)."""
        return self.step_key.rsplit(".", 1)[-1] if self.step_key else None

    @property
    def step_kind_value(self) -> str | None:
        """``"COMPUTE"`` for the events of a step, else ``None``."""
        return "COMPUTE" if self.step_key is not None else None

    @property
    def pid(self) -> int | None:
        """The id of the process that recorded the event, when it was recorded."""
        pid = self.data.get("pid")
        return int(pid) if pid is not None else None

    @property
    def logging_tags(self) -> dict[str, str]:
        """The tags a step's log lines carry; empty for run-level events."""
        if self.step_key is None:
            return {}
        return {
            "run_id": self.run_id,
            "job_name": self.job_name,
            "step_key": self.step_key,
            "op_name": self.step_key.rsplit(".", 1)[-1],
            "resource_name": "None",
            "resource_fn_name": "None",
        }

    @property
    def is_step_event(self) -> bool:
        """Whether the event is one of a step's own kinds (start, output, success...)."""
        return self.event_type in _STEP_EVENTS

    @property
    def is_step_start(self) -> bool:
        """Whether this is a ``STEP_START`` event."""
        return self.event_type is EventType.STEP_START

    @property
    def is_step_success(self) -> bool:
        """Whether this is a ``STEP_SUCCESS`` event."""
        return self.event_type is EventType.STEP_SUCCESS

    @property
    def is_step_failure(self) -> bool:
        """Whether this is a ``STEP_FAILURE`` event."""
        return self.event_type is EventType.STEP_FAILURE

    @property
    def is_step_skipped(self) -> bool:
        """Whether this is a ``STEP_SKIPPED`` event."""
        return self.event_type is EventType.STEP_SKIPPED

    @property
    def is_step_up_for_retry(self) -> bool:
        """Whether this is a ``STEP_UP_FOR_RETRY`` event."""
        return self.event_type is EventType.STEP_UP_FOR_RETRY

    @property
    def is_step_restarted(self) -> bool:
        """Whether this is a ``STEP_RESTARTED`` event."""
        return self.event_type is EventType.STEP_RESTARTED

    @property
    def is_successful_output(self) -> bool:
        """Whether this is a ``STEP_OUTPUT`` event."""
        return self.event_type is EventType.STEP_OUTPUT

    @property
    def is_resource_init_failure(self) -> bool:
        """Whether this is a ``RESOURCE_INIT_FAILURE`` event."""
        return self.event_type is EventType.RESOURCE_INIT_FAILURE

    @property
    def is_failure(self) -> bool:
        """Whether this event reports the failure of a step or of the run (or its cancel)."""
        return self.event_type in _FAILURES

    @property
    def is_run_success(self) -> bool:
        """Whether this is a ``RUN_SUCCESS`` event."""
        return self.event_type is EventType.RUN_SUCCESS

    @property
    def is_run_failure(self) -> bool:
        """Whether this is a ``RUN_FAILURE`` event."""
        return self.event_type is EventType.RUN_FAILURE

    is_job_success = is_run_success
    is_job_failure = is_run_failure

    @property
    def is_job_event(self) -> bool:
        """Whether this event is one of the run's lifecycle (start, success, failure...)."""
        return self.event_type in _RUN_EVENTS

    @property
    def is_engine_event(self) -> bool:
        """Whether this is an ``ENGINE_EVENT``."""
        return self.event_type is EventType.ENGINE_EVENT

    @property
    def is_handled_output(self) -> bool:
        """Whether this is a ``HANDLED_OUTPUT`` event."""
        return self.event_type is EventType.HANDLED_OUTPUT

    @property
    def is_loaded_input(self) -> bool:
        """Whether this is a ``LOADED_INPUT`` event."""
        return self.event_type is EventType.LOADED_INPUT

    @property
    def is_step_materialization(self) -> bool:
        """Whether this is an ``ASSET_MATERIALIZATION`` event."""
        return self.event_type is EventType.ASSET_MATERIALIZATION

    @property
    def is_asset_observation(self) -> bool:
        """Whether this is an ``ASSET_OBSERVATION`` event."""
        return self.event_type is EventType.ASSET_OBSERVATION

    @property
    def is_asset_materialization_planned(self) -> bool:
        """Whether this is an ``ASSET_MATERIALIZATION_PLANNED`` event."""
        return self.event_type is EventType.ASSET_MATERIALIZATION_PLANNED

    @property
    def is_asset_failed_to_materialize(self) -> bool:
        """Whether this is an ``ASSET_FAILED_TO_MATERIALIZE`` event."""
        return self.event_type is EventType.ASSET_FAILED_TO_MATERIALIZE

    @property
    def is_expectation_result(self) -> bool:
        """Whether this is a ``STEP_EXPECTATION_RESULT`` event."""
        return self.event_type is EventType.STEP_EXPECTATION_RESULT

    @property
    def is_hook_event(self) -> bool:
        """Whether this event reports a hook (completed, errored, skipped)."""
        return self.event_type in _HOOK_EVENTS

    @property
    def is_alert_event(self) -> bool:
        """Whether this event reports an alert."""
        return self.event_type in _ALERT_EVENTS

    # typed views of ``data`` ---------------------------------------------------------

    @property
    def event_specific_data(self) -> Any:
        """The kind-specific payload as the reference's typed value (``StepSuccessData``,
        ``StepFailureData``, ``StepMaterializationData``, ...), or ``None``."""
        return _views().specific_data(self)

    @property
    def asset_key(self) -> Any:
        """The ``AssetKey`` of a materialization, observation or planned event, else ``None``."""
        return _views().event_asset_key(self)

    @property
    def partition(self) -> str | None:
        """The partition of a materialization, observation or planned event, else ``None``."""
        if self.event_type in _ASSET_EVENTS:
            partition = self.data.get("partition")
            return str(partition) if partition is not None else None
        return None

    @property
    def materialization(self) -> Any:
        """The ``AssetMaterialization`` of an ``ASSET_MATERIALIZATION`` event.

        Raises:
            InvariantViolationError: the event is of another kind.
        """
        return self._typed("materialization", EventType.ASSET_MATERIALIZATION).materialization

    @property
    def step_materialization_data(self) -> Any:
        """``StepMaterializationData`` of an ``ASSET_MATERIALIZATION`` event."""
        return self._typed("step_materialization_data", EventType.ASSET_MATERIALIZATION)

    @property
    def asset_observation_data(self) -> Any:
        """``AssetObservationData`` of an ``ASSET_OBSERVATION`` event."""
        return self._typed("asset_observation_data", EventType.ASSET_OBSERVATION)

    @property
    def step_failure_data(self) -> Any:
        """``StepFailureData`` (``.error``, ``.user_failure_data``) of a ``STEP_FAILURE``."""
        return self._typed("step_failure_data", EventType.STEP_FAILURE)

    @property
    def step_retry_data(self) -> Any:
        """``StepRetryData`` of a ``STEP_UP_FOR_RETRY`` event."""
        return self._typed("step_retry_data", EventType.STEP_UP_FOR_RETRY)

    @property
    def step_success_data(self) -> Any:
        """``StepSuccessData`` (``.duration_ms``) of a ``STEP_SUCCESS`` event."""
        return self._typed("step_success_data", EventType.STEP_SUCCESS)

    @property
    def step_output_data(self) -> Any:
        """``StepOutputData`` of a ``STEP_OUTPUT`` event."""
        return self._typed("step_output_data", EventType.STEP_OUTPUT)

    @property
    def step_input_data(self) -> Any:
        """``StepInputData`` of a ``STEP_INPUT`` event."""
        return self._typed("step_input_data", EventType.STEP_INPUT)

    @property
    def asset_check_evaluation_data(self) -> Any:
        """The ``AssetCheckEvaluation`` of an ``ASSET_CHECK_EVALUATION`` event."""
        return self._typed("asset_check_evaluation_data", EventType.ASSET_CHECK_EVALUATION)

    @property
    def job_failure_data(self) -> Any:
        """``JobFailureData`` (``.error``) of a run's ``PIPELINE_FAILURE`` event."""
        return self._typed("job_failure_data", EventType.RUN_FAILURE)

    @property
    def asset_materialization_planned_data(self) -> Any:
        """``AssetMaterializationPlannedData`` of an ``ASSET_MATERIALIZATION_PLANNED`` event."""
        return self._typed(
            "asset_materialization_planned_data", EventType.ASSET_MATERIALIZATION_PLANNED
        )

    @property
    def logs_captured_data(self) -> Any:
        """``ComputeLogsCaptureData`` of a ``LOGS_CAPTURED`` event."""
        return self._typed("logs_captured_data", EventType.LOGS_CAPTURED)

    @property
    def node_handle(self) -> Any:
        """The ``NodeHandle`` of a step event (``g.op`` is ``op`` inside ``g``), else ``None``."""
        return _views().node_handle(self.step_key)

    @property
    def step_handle(self) -> Any:
        """The ``StepHandle`` of a step event, else ``None``."""
        return _views().step_handle(self.step_key)

    @property
    def engine_event_data(self) -> Any:
        """``EngineEventData`` of an engine or resource event."""
        return _views().specific_data(self)

    def _typed(self, what: str, expected: EventType) -> Any:
        if self.event_type is not expected:
            raise InvariantViolationError(
                f"{what} is only on {expected.name} events; this event is {self.event_type.name}"
            )
        return _views().specific_data(self)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form for storage and ``--json`` output."""
        return {
            "event_type": self.event_type.value,
            "run_id": self.run_id,
            "job_name": self.job_name,
            "timestamp": self.timestamp,
            "message": self[4],  # the stored line: from_dict gives back the same event
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
            level=data.get("level", DEBUG),
            data=data.get("data") or _EMPTY,
            error=ErrorInfo.from_dict(error) if error else None,
        )


def make_event(
    event_type: EventType,
    run_id: str,
    job_name: str,
    timestamp: float,
    message: str,
    step_key: str | None,
    level: int,
    data: Mapping[str, Any],
    error: ErrorInfo | None,
) -> RunEvent:
    """The ``RunEvent`` of these nine fields, every one given: ``RunEvent(...)`` without
    its defaults and class call, a third cheaper, for the paths that make events per step.
    """
    return _new_tuple(
        RunEvent, (event_type, run_id, job_name, timestamp, message, step_key, level, data, error)
    )


# ``make_event`` with its fields as one tuple: no Python frame, for the events every step
# makes (``event_from_fields((event_type, run_id, ..., error))``).
event_from_fields: Callable[[tuple[Any, ...]], RunEvent] = partial(_new_tuple, RunEvent)

_FAILURES = frozenset({EventType.STEP_FAILURE, EventType.RUN_FAILURE, EventType.RUN_CANCELED})
_STEP_EVENTS = frozenset(
    {
        EventType.STEP_INPUT,
        EventType.STEP_START,
        EventType.STEP_OUTPUT,
        EventType.STEP_FAILURE,
        EventType.STEP_SUCCESS,
        EventType.STEP_SKIPPED,
        EventType.ASSET_MATERIALIZATION,
        EventType.ASSET_OBSERVATION,
        EventType.STEP_EXPECTATION_RESULT,
        EventType.ASSET_CHECK_EVALUATION,
        EventType.OBJECT_STORE_OPERATION,
        EventType.HANDLED_OUTPUT,
        EventType.LOADED_INPUT,
        EventType.STEP_RESTARTED,
        EventType.STEP_UP_FOR_RETRY,
    }
)
_RUN_EVENTS = frozenset(
    {
        EventType.RUN_ENQUEUED,
        EventType.RUN_DEQUEUED,
        EventType.RUN_STARTING,
        EventType.RUN_START,
        EventType.RUN_SUCCESS,
        EventType.RUN_FAILURE,
        EventType.RUN_CANCELING,
        EventType.RUN_CANCELED,
        EventType.RUN_SUSPENDED,
        EventType.RUN_RESUMED,
    }
)
# The kinds whose DagsterEvent.message is None in Dagster (its log line is made apart).
_WITHOUT_MESSAGE = frozenset(
    {EventType.ASSET_OBSERVATION, EventType.HOOK_ERRORED, EventType.RUN_ENQUEUED}
)
_HOOK_EVENTS = frozenset({EventType.HOOK_COMPLETED, EventType.HOOK_ERRORED, EventType.HOOK_SKIPPED})
_ALERT_EVENTS = frozenset({EventType.ALERT_START, EventType.ALERT_SUCCESS, EventType.ALERT_FAILURE})
_ASSET_EVENTS = frozenset(
    {
        EventType.ASSET_MATERIALIZATION,
        EventType.ASSET_OBSERVATION,
        EventType.ASSET_MATERIALIZATION_PLANNED,
        EventType.ASSET_FAILED_TO_MATERIALIZE,
    }
)


def _format_tb(tb: TracebackType | None) -> list[str]:
    # Deferred: traceback (and the textwrap it loads) is for runs that fail.
    import traceback

    return traceback.format_tb(tb)
