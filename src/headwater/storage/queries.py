"""The instance's query API in the reference's terms: filters in, records out.

``RunsFilter`` selects runs (``instance.get_runs``, ``get_runs_count``, ``get_run_records``);
``EventRecordsFilter`` and ``AssetRecordsFilter`` select events across runs
(``instance.get_event_records``, ``fetch_materializations``). Records pair what was stored
with its storage id, the cursor to page with.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from headwater._dataclass import dataclass
from headwater.event_log import EventLogEntry
from headwater.events import EventType, RunEvent
from headwater.storage.base import EventRecord, Storage, asset_key_string
from headwater.storage.runs import Run, RunStatus
from headwater.storage.status_changes import RunShardedEventsCursor

__all__ = [
    "AssetRecordsFilter",
    "EventLogRecord",
    "EventRecordsFilter",
    "EventRecordsResult",
    "RunRecord",
    "RunsFilter",
    "filter_runs",
    "find_event_records",
]

EventLogRecord = EventRecord
"""A stored event with its storage id (the reference's name for :class:`EventRecord`)."""


def _epoch(value: datetime.datetime | float | None) -> float | None:
    if value is None or isinstance(value, (int, float)):
        return value
    return value.timestamp()


@dataclass(frozen=True)
class RunsFilter:
    """Which runs to return; every field given must match (all runs when empty).

    Args:
        run_ids: runs with one of these ids.
        job_name: runs of this job.
        statuses: runs in one of these statuses.
        tags: runs carrying these tags (a list value matches any of its values).
        snapshot_id: accepted for compatibility; headwater records no job snapshots.
        updated_after: runs updated (started or ended) after this time.
        updated_before: runs updated before this time.
        created_after: runs created after this time.
        created_before: runs created before this time.
        exclude_subruns: leave out re-executions (runs with a parent run).
    """

    run_ids: Sequence[str] | None = None
    job_name: str | None = None
    statuses: Sequence[RunStatus] | None = None
    tags: Mapping[str, str | Sequence[str]] | None = None
    snapshot_id: str | None = None
    updated_after: datetime.datetime | None = None
    updated_before: datetime.datetime | None = None
    created_after: datetime.datetime | None = None
    created_before: datetime.datetime | None = None
    exclude_subruns: bool | None = None

    def __post_init__(self) -> None:
        # Matched against every run: a set, so that thousands of ids cost no more than one.
        ids = None if self.run_ids is None else frozenset(self.run_ids)
        object.__setattr__(self, "_run_id_set", ids)

    def matches(self, run: Run) -> bool:
        """Whether ``run`` passes every condition of the filter."""
        ids: frozenset[str] | None = self.__dict__["_run_id_set"]
        if ids is not None and run.run_id not in ids:
            return False
        if self.job_name is not None and run.job_name != self.job_name:
            return False
        if self.statuses and run.status not in self.statuses:
            return False
        for key, wanted in (self.tags or {}).items():
            value = run.tags.get(key)
            if value is None or (
                value != wanted if isinstance(wanted, str) else value not in wanted
            ):
                return False
        if self.exclude_subruns and run.parent_run_id is not None:
            return False
        return self._times_match(run)

    def _times_match(self, run: Run) -> bool:
        updated = max(t for t in (run.create_time, run.start_time, run.end_time) if t is not None)
        bounds = (
            (_epoch(self.created_after), run.create_time, True),
            (_epoch(self.created_before), run.create_time, False),
            (_epoch(self.updated_after), updated, True),
            (_epoch(self.updated_before), updated, False),
        )
        for bound, value, after in bounds:
            if bound is not None and (value <= bound if after else value >= bound):
                return False
        return True


@dataclass(frozen=True)
class RunRecord:
    """A run with its storage facts (``instance.get_run_records``).

    Attributes:
        storage_id: the run's position in the instance (grows with creation).
        dagster_run: the run.
        create_timestamp: when it was created.
        update_timestamp: when it last changed.
        start_time: when it started (seconds since the epoch), if it did.
        end_time: when it ended, if it did.
    """

    storage_id: int
    dagster_run: Run
    create_timestamp: datetime.datetime
    update_timestamp: datetime.datetime
    start_time: float | None = None
    end_time: float | None = None


def _position(cursor: int | RunShardedEventsCursor | None) -> int | None:
    # One sequence numbers every event of an instance, so a run-aware cursor's id suffices.
    return cursor.id if isinstance(cursor, RunShardedEventsCursor) else cursor


@dataclass(frozen=True)
class EventRecordsFilter:
    """Which events to return from every run of the instance.

    Args:
        event_type: the kind of event.
        asset_key: only events of this asset.
        asset_partitions: only events of these partitions.
        after_cursor: only events stored after this storage id (or a
            ``RunShardedEventsCursor``, whose ``id`` is used).
        before_cursor: only events stored before this storage id.
        after_timestamp: only events after this time (seconds since the epoch).
        before_timestamp: only events before this time.
        storage_ids: only events with these storage ids.
    """

    event_type: EventType
    asset_key: Any = None
    asset_partitions: Sequence[str] | None = None
    after_cursor: int | RunShardedEventsCursor | None = None
    before_cursor: int | RunShardedEventsCursor | None = None
    after_timestamp: float | None = None
    before_timestamp: float | None = None
    storage_ids: Sequence[int] | None = None

    def matches(self, record: EventRecord) -> bool:
        """Whether ``record`` passes every condition of the filter."""
        event, sid = record.event, record.storage_id
        stamp = event.timestamp
        after, before = _position(self.after_cursor), _position(self.before_cursor)
        checks = (
            event.event_type is self.event_type,
            after is None or sid > after,
            before is None or sid < before,
            self.storage_ids is None or sid in self.storage_ids,
            self.after_timestamp is None or stamp > self.after_timestamp,
            self.before_timestamp is None or stamp < self.before_timestamp,
            self.asset_key is None
            or asset_key_string(event.data.get("asset_key")) == asset_key_string(self.asset_key),
            self.asset_partitions is None or event.data.get("partition") in self.asset_partitions,
        )
        return all(checks)


@dataclass(frozen=True)
class AssetRecordsFilter:
    """Which events of one asset to return (``instance.fetch_materializations``).

    Args:
        asset_key: the asset.
        asset_partitions: only these partitions.
        after_timestamp: only events after this time.
        before_timestamp: only events before this time.
        after_storage_id: only events stored after this id.
        before_storage_id: only events stored before this id.
        storage_ids: only events with these storage ids.
    """

    asset_key: Any
    asset_partitions: Sequence[str] | None = None
    after_timestamp: float | None = None
    before_timestamp: float | None = None
    after_storage_id: int | None = None
    before_storage_id: int | None = None
    storage_ids: Sequence[int] | None = None

    def to_event_records_filter(
        self, event_type: EventType, cursor: int | None, *, ascending: bool
    ) -> EventRecordsFilter:
        """The equivalent event filter, continuing after (or before) ``cursor``."""
        after, before = self.after_storage_id, self.before_storage_id
        if cursor is not None:
            if ascending:
                after = cursor if after is None else max(after, cursor)
            else:
                before = cursor if before is None else min(before, cursor)
        return EventRecordsFilter(
            event_type=event_type,
            asset_key=self.asset_key,
            asset_partitions=self.asset_partitions,
            after_cursor=after,
            before_cursor=before,
            after_timestamp=self.after_timestamp,
            before_timestamp=self.before_timestamp,
            storage_ids=self.storage_ids,
        )


@dataclass(frozen=True)
class EventRecordsResult:
    """A page of event records.

    Attributes:
        records: the records of this page.
        cursor: pass it back to get the next page.
        has_more: whether another page follows.
    """

    records: Sequence[EventRecord]
    cursor: str
    has_more: bool


def filter_runs(storage: Storage, filters: RunsFilter | None) -> list[Run]:
    """The stored runs ``filters`` selects, newest first."""
    runs = storage.get_runs()
    return runs if filters is None else [r for r in runs if filters.matches(r)]


def _all_records(storage: Storage, event_types: Sequence[EventType]) -> Iterable[EventRecord]:
    for run in storage.get_runs():
        yield from storage.get_event_records(run.run_id, event_types=event_types)


def find_event_records(
    storage: Storage, records_filter: EventRecordsFilter, *, limit: int | None, ascending: bool
) -> list[EventRecord]:
    """The records of every run that ``records_filter`` selects, by storage id."""
    found = [
        r for r in _all_records(storage, (records_filter.event_type,)) if records_filter.matches(r)
    ]
    found.sort(key=lambda r: r.storage_id, reverse=not ascending)
    return found if limit is None else found[:limit]


def log_entries(events: Iterable[RunEvent]) -> list[EventLogEntry]:
    """The log lines of stored events."""
    return [EventLogEntry.from_event(e) for e in events]
