"""Filters for reading run status changes across runs (``instance.fetch_run_status_changes``)
and the run-aware event cursor."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import NamedTuple

from headwater._dataclass import dataclass
from headwater.errors import InvalidInvocationError
from headwater.events import EventType

__all__ = ["RUN_STATUS_EVENTS", "RunShardedEventsCursor", "RunStatusChangeRecordsFilter"]

# The events that change a run's status, the only ones a status-change filter selects.
RUN_STATUS_EVENTS = (
    EventType.RUN_START,
    EventType.RUN_SUCCESS,
    EventType.RUN_FAILURE,
    EventType.RUN_ENQUEUED,
    EventType.RUN_STARTING,
    EventType.RUN_CANCELING,
    EventType.RUN_CANCELED,
    EventType.RUN_SUSPENDED,
    EventType.RUN_RESUMED,
)


class RunShardedEventsCursor(NamedTuple):
    """An event cursor that also names a time, for storages that keep each run's events
    apart: ``id`` bounds the storage id, ``run_updated_after`` says which runs to read.

    headwater's storages number every event of an instance in one sequence, so ``id`` is
    the bound they use; ``EventRecordsFilter(after_cursor=...)`` accepts either form.
    """

    id: int
    run_updated_after: datetime.datetime


def check_status_event(event_type: object, *, where: str) -> EventType:
    """``event_type`` if it changes a run's status.

    Raises:
        InvalidInvocationError: any other event type; the message lists the allowed ones.
    """
    if event_type not in RUN_STATUS_EVENTS:
        allowed = ", ".join(e.name for e in RUN_STATUS_EVENTS)
        got = event_type.name if isinstance(event_type, EventType) else repr(event_type)
        raise InvalidInvocationError(
            f"{where} takes an event type that changes a run's status ({allowed}), got {got}"
        )
    return event_type  # type: ignore[return-value]  # checked: a member of RUN_STATUS_EVENTS


@dataclass(frozen=True)
class RunStatusChangeRecordsFilter:
    """Which run status changes to return.

    Args:
        event_type: the change (``EventType.RUN_SUCCESS``, ``RUN_FAILURE``, ...).
        after_timestamp: only changes after this time (seconds since the epoch).
        before_timestamp: only changes before this time.
        after_storage_id: only changes stored after this id.
        before_storage_id: only changes stored before this id.
        storage_ids: only changes with these storage ids.
        job_names: only changes of runs of these jobs.

    Raises:
        InvalidInvocationError: ``event_type`` does not change a run's status.
    """

    event_type: EventType
    after_timestamp: float | None = None
    before_timestamp: float | None = None
    after_storage_id: int | None = None
    before_storage_id: int | None = None
    storage_ids: Sequence[int] | None = None
    job_names: Sequence[str] | None = None

    def __post_init__(self) -> None:
        check_status_event(self.event_type, where="RunStatusChangeRecordsFilter")
