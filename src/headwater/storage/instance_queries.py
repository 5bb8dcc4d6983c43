"""The instance's read API: runs and events selected by filters (a mixin of ``Instance``).

The filter and record classes (``queries.py``) load on the first query that needs them:
opening an instance to run a job uses none of them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.errors import RunNotFoundError
from headwater.event_log import EventLogEntry
from headwater.events import EventType, RunEvent
from headwater.storage.base import EventRecord, Storage, asset_key_string
from headwater.storage.runs import Run, RunStatus

if TYPE_CHECKING:
    from headwater.storage.queries import (
        EventRecordsFilter,
        EventRecordsResult,
        RunRecord,
        RunsFilter,
    )
    from headwater.storage.status_changes import RunStatusChangeRecordsFilter

__all__ = ["InstanceQueries"]


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
                f"no run with id {cursor!r} in this instance (used as the paging cursor)",
                invalid_run_id=cursor,
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
        from headwater.storage.queries import filter_runs

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
        from headwater.storage.queries import RunRecord

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
        ascending: bool | None = None,
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
        if not isinstance(event_records_filter, str):  # a run id needs no filter module
            from headwater.storage.queries import EventRecordsFilter, find_event_records

            if isinstance(event_records_filter, EventRecordsFilter):
                return find_event_records(
                    self._storage, event_records_filter, limit=limit, ascending=bool(ascending)
                )
        return self._storage.get_event_records(
            event_records_filter,
            after=after,
            before=before,
            limit=limit,
            ascending=True if ascending is None else ascending,
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
        from headwater.storage.queries import log_entries

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

    def get_latest_data_version_record(
        self,
        key: Any,
        is_source: bool | None = None,
        partition_key: str | None = None,
        before_cursor: int | None = None,
        after_cursor: int | None = None,
    ) -> EventRecord | None:
        """The newest event that set an asset's data version, or ``None``.

        Args:
            key: the asset (an ``AssetKey`` or ``"a/b"``).
            is_source: ``True``: its newest observation (a source asset); ``False``: its
                newest materialization; ``None``: the materialization, else the observation.
            partition_key: only events of this partition.
            before_cursor: only events stored before this storage id.
            after_cursor: only events stored after this storage id.
        """
        from headwater.storage.queries import AssetRecordsFilter

        wanted = AssetRecordsFilter(
            asset_key=key,
            asset_partitions=[partition_key] if partition_key else None,
            before_storage_id=before_cursor,
            after_storage_id=after_cursor,
        )
        if is_source is not True:
            found = self.fetch_materializations(wanted, limit=1).records
            if found or is_source is False:
                return found[0] if found else None
        observed = self.fetch_observations(wanted, limit=1).records
        return observed[0] if observed else None

    def fetch_run_status_changes(
        self,
        records_filter: EventType | RunStatusChangeRecordsFilter,
        limit: int,
        cursor: str | None = None,
        ascending: bool = False,
    ) -> EventRecordsResult:
        """A page of run status changes of every run (``RUN_SUCCESS``, ``RUN_FAILURE``, ...),
        newest first unless ``ascending``.

        Args:
            records_filter: the event type, or a ``RunStatusChangeRecordsFilter``.
            limit: the most records a page holds.
            cursor: the ``cursor`` of the previous page.
            ascending: oldest first.

        Raises:
            InvalidInvocationError: the event type does not change a run's status.
        """
        from headwater.storage.queries import EventRecordsFilter
        from headwater.storage.status_changes import (
            RunStatusChangeRecordsFilter,
            check_status_event,
        )

        if not isinstance(records_filter, RunStatusChangeRecordsFilter):
            event_type = check_status_event(records_filter, where="fetch_run_status_changes")
            records_filter = RunStatusChangeRecordsFilter(event_type)
        after, before = records_filter.after_storage_id, records_filter.before_storage_id
        position = int(cursor) if cursor else None
        if position is not None:
            if ascending:
                after = position if after is None else max(after, position)
            else:
                before = position if before is None else min(before, position)
        wanted = EventRecordsFilter(
            event_type=records_filter.event_type,
            after_cursor=after,
            before_cursor=before,
            after_timestamp=records_filter.after_timestamp,
            before_timestamp=records_filter.before_timestamp,
            storage_ids=records_filter.storage_ids,
        )
        jobs = records_filter.job_names
        return self._page(wanted, limit, position, ascending, jobs=jobs)

    def _fetch(
        self,
        event_type: EventType,
        records_filter: Any,
        limit: int,
        cursor: str | None,
        ascending: bool,
    ) -> EventRecordsResult:
        from headwater.storage.queries import AssetRecordsFilter

        if not isinstance(records_filter, AssetRecordsFilter):
            records_filter = AssetRecordsFilter(asset_key=records_filter)
        position = int(cursor) if cursor else None
        wanted = records_filter.to_event_records_filter(event_type, position, ascending=ascending)
        return self._page(wanted, limit, position, ascending)

    def _page(
        self,
        wanted: EventRecordsFilter,
        limit: int,
        position: int | None,
        ascending: bool,
        *,
        jobs: Sequence[str] | None = None,
    ) -> EventRecordsResult:
        from headwater.storage.queries import EventRecordsResult, find_event_records

        found = find_event_records(self._storage, wanted, limit=None, ascending=ascending)
        if jobs is not None:
            found = [r for r in found if r.event.job_name in jobs]
        page = found[:limit]
        last = page[-1].storage_id if page else position
        return EventRecordsResult(
            records=page, cursor=str(last) if last is not None else "", has_more=len(page) == limit
        )
