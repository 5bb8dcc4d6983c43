"""The instance's query API in the reference's terms: filters in, records out.

``RunsFilter`` selects runs (``instance.get_runs``, ``get_runs_count``, ``get_run_records``);
``EventRecordsFilter`` and ``AssetRecordsFilter`` select events across runs
(``instance.get_event_records``, ``fetch_materializations``). Records pair what was stored
with its storage id, the cursor to page with.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from headwater.errors import RunNotFoundError
from headwater.events import EventLogEntry, EventType, RunEvent
from headwater.storage.base import EventRecord, Storage, asset_key_string
from headwater.storage.runs import Run, RunStatus

__all__ = [
    "AssetRecordsFilter",
    "EventLogRecord",
    "EventRecordsFilter",
    "EventRecordsResult",
    "RunRecord",
    "RunsFilter",
    "InstanceQueries",
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

    def matches(self, run: Run) -> bool:
        """Whether ``run`` passes every condition of the filter."""
        if self.run_ids is not None and run.run_id not in self.run_ids:
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


def _as_key_string(key: Any) -> str | None:
    return asset_key_string(key)


@dataclass(frozen=True)
class EventRecordsFilter:
    """Which events to return from every run of the instance.

    Args:
        event_type: the kind of event.
        asset_key: only events of this asset.
        asset_partitions: only events of these partitions.
        after_cursor: only events stored after this storage id.
        before_cursor: only events stored before this storage id.
        after_timestamp: only events after this time (seconds since the epoch).
        before_timestamp: only events before this time.
        storage_ids: only events with these storage ids.
    """

    event_type: EventType
    asset_key: Any = None
    asset_partitions: Sequence[str] | None = None
    after_cursor: int | None = None
    before_cursor: int | None = None
    after_timestamp: float | None = None
    before_timestamp: float | None = None
    storage_ids: Sequence[int] | None = None

    def matches(self, record: EventRecord) -> bool:
        """Whether ``record`` passes every condition of the filter."""
        event = record.event
        if event.event_type is not self.event_type:
            return False
        sid = record.storage_id
        if self.after_cursor is not None and sid <= self.after_cursor:
            return False
        if self.before_cursor is not None and sid >= self.before_cursor:
            return False
        if self.storage_ids is not None and sid not in self.storage_ids:
            return False
        if self.after_timestamp is not None and event.timestamp <= self.after_timestamp:
            return False
        if self.before_timestamp is not None and event.timestamp >= self.before_timestamp:
            return False
        if self.asset_key is not None:
            if asset_key_string(event.data.get("asset_key")) != _as_key_string(self.asset_key):
                return False
        if self.asset_partitions is not None:
            return event.data.get("partition") in self.asset_partitions
        return True


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


def _types(of_type: EventType | Iterable[EventType] | None) -> tuple[EventType, ...]:
    if of_type is None:
        return ()
    if isinstance(of_type, EventType):
        return (of_type,)
    return tuple(of_type)


class InstanceQueries:
    """The instance's read API: runs and events selected by filters."""

    _storage: Storage

    def get_runs(
        self,
        filters: RunsFilter | None = None,
        cursor: str | None = None,
        limit: int | None = None,
        bucket_by: Any = None,
        ascending: bool = False,
        *,
        statuses: Sequence[RunStatus] = (),
        job_name: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> list[Run]:
        """Runs, newest first (oldest first with ``ascending``), selected by ``filters``.

        Args:
            filters: which runs (all when ``None``).
            cursor: a run id from the previous page: continue after it.
            limit: at most this many.
            bucket_by: accepted for compatibility; ignored.
            ascending: oldest first.
            statuses: keep runs in any of these statuses (all when empty).
            job_name: keep runs of this job.
            tags: keep runs carrying all these tags.

        Raises:
            RunNotFoundError: ``cursor`` is not a run id of this instance.
        """
        if cursor is not None and self._storage.get_run(cursor) is None:
            raise RunNotFoundError(
                f"no run with id {cursor!r} in this instance (used as the paging cursor)"
            )
        if filters is None and not ascending:
            return self._storage.get_runs(
                statuses=statuses, job_name=job_name, tags=tags, limit=limit, cursor=cursor
            )
        runs = self._storage.get_runs(statuses=statuses, job_name=job_name, tags=tags)
        if filters is not None:
            runs = [r for r in runs if filters.matches(r)]
        if ascending:
            runs.reverse()
        if cursor is not None:
            ids = [r.run_id for r in runs]
            runs = runs[ids.index(cursor) + 1 :] if cursor in ids else []
        return runs if limit is None else runs[:limit]

    def get_runs_count(self, filters: RunsFilter | None = None) -> int:
        """How many runs ``filters`` selects (all runs when ``None``)."""
        if filters is None:
            return self._storage.count_runs()
        return len(filter_runs(self._storage, filters))

    def get_run_ids(
        self, filters: RunsFilter | None = None, cursor: str | None = None, limit: int | None = None
    ) -> list[str]:
        """The ids of the runs ``get_runs`` returns."""
        return [r.run_id for r in self.get_runs(filters, cursor, limit)]

    def get_run_records(
        self,
        filters: RunsFilter | None = None,
        limit: int | None = None,
        order_by: str | None = None,
        ascending: bool = False,
        cursor: str | None = None,
        bucket_by: Any = None,
    ) -> list[RunRecord]:
        """The runs ``filters`` selects, with their storage facts, newest first."""
        runs = self.get_runs(filters, cursor, limit, ascending=ascending)
        total = self._storage.count_runs()
        order = {r.run_id: total - i for i, r in enumerate(self._storage.get_runs())}
        records = []
        for run in runs:
            updated = max(
                t for t in (run.create_time, run.start_time, run.end_time) if t is not None
            )
            records.append(
                RunRecord(
                    storage_id=order.get(run.run_id, 0),
                    dagster_run=run,
                    create_timestamp=datetime.datetime.fromtimestamp(
                        run.create_time, datetime.timezone.utc
                    ),
                    update_timestamp=datetime.datetime.fromtimestamp(
                        updated, datetime.timezone.utc
                    ),
                    start_time=run.start_time,
                    end_time=run.end_time,
                )
            )
        return records

    def get_event_records(
        self,
        event_records_filter: EventRecordsFilter | str,
        limit: int | None = None,
        ascending: bool = False,
        *,
        after: int | None = None,
        before: int | None = None,
        event_types: Sequence[EventType] = (),
    ) -> list[EventRecord]:
        """Stored events with their storage ids.

        Given an ``EventRecordsFilter``, the events of every run it selects, newest first
        unless ``ascending``. Given a run id, that run's events, oldest first (tail a live
        run with ``after=<last storage_id seen>``; read its last N events with
        ``limit=N, ascending=False``), of ``event_types`` if given.
        """
        if isinstance(event_records_filter, EventRecordsFilter):
            return find_event_records(
                self._storage, event_records_filter, limit=limit, ascending=ascending
            )
        return self._storage.get_event_records(
            event_records_filter,
            after=after,
            before=before,
            limit=limit,
            ascending=ascending if limit is not None else True,
            event_types=event_types,
        )

    def run_events(self, run_id: str) -> list[RunEvent]:
        """Every stored event of a run (logged messages included), in order."""
        return [r.event for r in self._storage.get_event_records(run_id)]

    def all_logs(
        self, run_id: str, of_type: EventType | Iterable[EventType] | None = None
    ) -> list[EventLogEntry]:
        """Every line of a run's log, in order: its events and the messages its code logged
        (``dagster_event`` is ``None`` for those); only events of ``of_type`` if given."""
        types = _types(of_type)
        return log_entries(
            r.event for r in self._storage.get_event_records(run_id, event_types=types)
        )

    def get_latest_materialization_records(
        self, asset_keys: Sequence[str] | None = None
    ) -> dict[str, EventRecord]:
        """The newest materialization record per asset key (``"a/b"`` for ``["a", "b"]``)."""
        return self._storage.get_latest_materializations(asset_keys)

    def get_latest_materialization_event(self, asset_key: Any) -> EventLogEntry | None:
        """The newest materialization of an asset (an ``AssetKey`` or ``"a/b"``) as a log
        entry, or ``None``."""
        key = asset_key_string(asset_key) or ""
        record = self._storage.get_latest_materializations([key]).get(key)
        return None if record is None else EventLogEntry.from_event(record.event)

    def fetch_materializations(
        self,
        records_filter: Any,
        limit: int,
        cursor: str | None = None,
        ascending: bool = False,
    ) -> EventRecordsResult:
        """A page of an asset's materializations (``records_filter``: an ``AssetKey`` or an
        ``AssetRecordsFilter``), newest first unless ``ascending``."""
        return self._fetch(
            EventType.ASSET_MATERIALIZATION, records_filter, limit, cursor, ascending
        )

    def fetch_observations(
        self,
        records_filter: Any,
        limit: int,
        cursor: str | None = None,
        ascending: bool = False,
    ) -> EventRecordsResult:
        """A page of an asset's observations, as :meth:`fetch_materializations`."""
        return self._fetch(EventType.ASSET_OBSERVATION, records_filter, limit, cursor, ascending)

    def _fetch(
        self,
        event_type: EventType,
        records_filter: Any,
        limit: int,
        cursor: str | None,
        ascending: bool,
    ) -> EventRecordsResult:
        if not isinstance(records_filter, AssetRecordsFilter):
            records_filter = AssetRecordsFilter(asset_key=records_filter)
        position = int(cursor) if cursor else None
        wanted = records_filter.to_event_records_filter(event_type, position, ascending=ascending)
        found = find_event_records(self._storage, wanted, limit=limit + 1, ascending=ascending)
        page = found[:limit]
        last = page[-1].storage_id if page else position
        return EventRecordsResult(
            records=page, cursor=str(last) if last is not None else "", has_more=len(page) == limit
        )
