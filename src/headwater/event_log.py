"""The lines of a run's log as the instance returns them: events and logged messages.

A leaf like ``events.py``: storage builds these from stored events when a user reads a run.
"""

from __future__ import annotations

from typing import Any

from headwater._dataclass import dataclass
from headwater.errors import InvariantViolationError
from headwater.events import ErrorInfo, EventType, RunEvent

__all__ = ["EventLogEntry"]

_UNLOGGED = frozenset(
    {EventType.ASSET_MATERIALIZATION_PLANNED, EventType.ASSET_CHECK_EVALUATION_PLANNED}
)


@dataclass(frozen=True, slots=True)
class EventLogEntry:
    """One line of a run's log as the instance returns it (``instance.all_logs(run_id)``).

    A line is either an event (``dagster_event`` set) or a message a user logged with
    ``context.log`` (``dagster_event`` is ``None``).

    Attributes:
        user_message: the line's text (for an event, its line in the log: its message,
            Dagster's default line for one without, empty for planned events).
        level: the ``logging`` level.
        run_id: the run.
        timestamp: seconds since the epoch.
        step_key: the step it concerns, if any.
        job_name: the run's job.
        dagster_event: the event, or ``None`` for a logged message.
        error_info: a captured error logged with the line, if any.
    """

    user_message: str
    level: int
    run_id: str
    timestamp: float
    step_key: str | None = None
    job_name: str | None = None
    dagster_event: RunEvent | None = None
    error_info: ErrorInfo | None = None

    @classmethod
    def from_event(cls, event: RunEvent) -> EventLogEntry:
        """The log line of a stored event."""
        is_log = event.event_type is EventType.LOG_MESSAGE
        return cls(
            # Dagster reports the planned events to the instance without a log line.
            "" if event.event_type in _UNLOGGED else event.log_message,
            event.level,
            event.run_id,
            event.timestamp,
            event.step_key,
            event.job_name,
            None if is_log else event,
            event.error if is_log else None,
        )

    @property
    def is_dagster_event(self) -> bool:
        """Whether the line is an event (not a message a user logged)."""
        return self.dagster_event is not None

    @property
    def dagster_event_type(self) -> EventType | None:
        """The event's kind, or ``None`` for a logged message."""
        return self.dagster_event.event_type if self.dagster_event is not None else None

    @property
    def message(self) -> str:
        """The event's message when it has one, else the line's text (``user_message``)."""
        event_message = self.dagster_event.message if self.dagster_event is not None else None
        return event_message or self.user_message

    def get_dagster_event(self) -> RunEvent:
        """The event of this line.

        Raises:
            InvariantViolationError: the line is a logged message, not an event.
        """
        if self.dagster_event is None:
            raise InvariantViolationError("this log entry is a logged message, not an event")
        return self.dagster_event

    @property
    def asset_materialization(self) -> Any:
        """The ``AssetMaterialization`` of a materialization line, else ``None``."""
        event = self.dagster_event
        if event is None or event.event_type is not EventType.ASSET_MATERIALIZATION:
            return None
        return event.materialization

    @property
    def asset_observation(self) -> Any:
        """The ``AssetObservation`` of an observation line, else ``None``."""
        event = self.dagster_event
        if event is None or event.event_type is not EventType.ASSET_OBSERVATION:
            return None
        return event.asset_observation_data.asset_observation

    @property
    def asset_check_evaluation(self) -> Any:
        """The ``AssetCheckEvaluation`` of a check line, else ``None``."""
        event = self.dagster_event
        if event is None or event.event_type is not EventType.ASSET_CHECK_EVALUATION:
            return None
        return event.asset_check_evaluation_data
