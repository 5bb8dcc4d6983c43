"""In-memory storage: the default for ``execute_in_process`` and tests."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace

from headwater.errors import InvariantViolationError
from headwater.events import EventType, RunEvent
from headwater.storage.base import (
    RUN_STATUS_FOR_EVENT,
    VERBOSE_EVENT_TYPES,
    VERBOSE_MAX_LEVEL,
    EventRecord,
    Storage,
    asset_key_string,
)
from headwater.storage.runs import Run, RunStatus

__all__ = ["InMemoryStorage"]


class InMemoryStorage(Storage):
    """Keeps runs and events in dicts and lists; gone when the process ends."""

    ephemeral = True

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: dict[str, Run] = {}
        # Per run: the storage ids and the events, in two lists (appended to as batches;
        # EventRecords are made when read, which is rarer than writing).
        self._events: dict[str, tuple[list[int], list[RunEvent]]] = {}
        self._kv: dict[str, str] = {}
        self._next_id = 1

    def add_run(self, run: Run) -> None:
        with self._lock:
            if run.run_id in self._runs:
                raise InvariantViolationError(f"run {run.run_id} already exists in this instance")
            self._runs[run.run_id] = run
            self._events.setdefault(run.run_id, ([], []))

    def get_run(self, run_id: str) -> Run | None:
        return self._runs.get(run_id)

    def update_run_status(self, run_id: str, status: RunStatus, *, at: float) -> None:
        with self._lock:
            self._set_status(run_id, status, at)

    def _set_status(self, run_id: str, status: RunStatus, at: float) -> None:
        run = self._runs.get(run_id)
        if run is None:
            return
        if status is RunStatus.STARTED:
            run = replace(run, status=status, start_time=at)
        elif status.is_finished:
            run = replace(run, status=status, end_time=at)
        else:
            run = replace(run, status=status)
        self._runs[run_id] = run

    def get_runs(
        self,
        *,
        statuses: Sequence[RunStatus] = (),
        job_name: str | None = None,
        tags: Mapping[str, str] | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> list[Run]:
        ordered = list(reversed(self._runs.values()))
        if cursor is not None:
            ids = [r.run_id for r in ordered]
            ordered = ordered[ids.index(cursor) + 1 :] if cursor in ids else []
        wanted = dict(tags or {})
        runs = [
            r
            for r in ordered
            if (not statuses or r.status in statuses)
            and job_name in (None, r.job_name)
            and all(r.tags.get(k) == v for k, v in wanted.items())
        ]
        return runs if limit is None else runs[:limit]

    def count_runs(self) -> int:
        return len(self._runs)

    def delete_run(self, run_id: str) -> None:
        with self._lock:
            self._runs.pop(run_id, None)
            self._events.pop(run_id, None)

    def wipe(self) -> None:
        with self._lock:
            self._runs.clear()
            self._events.clear()

    def store_events(self, events: Sequence[RunEvent]) -> None:
        if not events:
            return
        statuses = RUN_STATUS_FOR_EVENT
        # A batch comes on every step's path: one pass answers whether it is one run's
        # (nearly always) and whether an event in it moves a run's status (rarely).
        run_id = events[0].run_id
        one_run, moves = True, False
        for event in events:
            if event.run_id != run_id:
                one_run = False
            if event.event_type in statuses:
                moves = True
        lock = self._lock
        lock.acquire()  # not `with`: its protocol costs more than the rest of a batch
        try:
            if moves:
                for event in events:
                    status = statuses.get(event.event_type)
                    if status is not None:
                        self._set_status(event.run_id, status, event.timestamp)
            if one_run:
                self._append(run_id, events)
            else:
                for event in events:
                    self._append(event.run_id, (event,))
        finally:
            lock.release()

    def _append(self, run_id: str, events: Sequence[RunEvent]) -> None:
        entry = self._events.get(run_id)
        if entry is None:
            entry = self._events[run_id] = ([], [])
        ids, log = entry
        first = self._next_id
        self._next_id = first + len(events)
        ids.extend(range(first, self._next_id))
        log.extend(events)

    def _records(self, run_id: str) -> list[EventRecord]:
        ids, log = self._events.get(run_id, ((), ()))
        return list(map(EventRecord, ids, log))

    def get_event_records(
        self,
        run_id: str,
        *,
        after: int | None = None,
        before: int | None = None,
        limit: int | None = None,
        ascending: bool = True,
        event_types: Sequence[EventType] = (),
    ) -> list[EventRecord]:
        records = [
            r
            for r in self._records(run_id)
            if (after is None or r.storage_id > after)
            and (before is None or r.storage_id < before)
            and (not event_types or r.event.event_type in event_types)
        ]
        if not ascending:
            records.reverse()
        return records if limit is None else records[:limit]

    def count_events(self) -> int:
        return sum(len(ids) for ids, _ in self._events.values())

    def get_latest_materializations(
        self, asset_keys: Sequence[str] | None = None
    ) -> dict[str, EventRecord]:
        latest: dict[str, EventRecord] = {}
        for run_id in list(self._events):
            for record in self._records(run_id):
                if record.event.event_type is not EventType.ASSET_MATERIALIZATION:
                    continue
                key = asset_key_string(record.event.data.get("asset_key"))
                if key is None or (asset_keys is not None and key not in asset_keys):
                    continue
                if key not in latest or latest[key].storage_id < record.storage_id:
                    latest[key] = record
        return latest

    def delete_verbose_events(self, *, finished_before: float) -> tuple[int, int]:
        with self._lock:
            old = [
                r.run_id
                for r in self._runs.values()
                if r.is_finished and r.end_time is not None and r.end_time < finished_before
            ]
            deleted = 0
            for run_id in old:
                log = self._records(run_id)
                kept = [
                    r
                    for r in log
                    if r.event.event_type not in VERBOSE_EVENT_TYPES
                    or r.event.level >= VERBOSE_MAX_LEVEL
                ]
                deleted += len(log) - len(kept)
                self._events[run_id] = ([r.storage_id for r in kept], [r.event for r in kept])
            return len(old), deleted

    def kv_get(self, keys: Sequence[str]) -> dict[str, str]:
        return {k: self._kv[k] for k in keys if k in self._kv}

    def kv_set(self, values: Mapping[str, str]) -> None:
        with self._lock:
            self._kv.update(values)

    def kv_insert_new(self, values: Mapping[str, str]) -> set[str]:
        with self._lock:
            new = {k: v for k, v in values.items() if k not in self._kv}
            self._kv.update(new)
            return set(new)

    def kv_compare_and_set(self, key: str, expected: str | None, value: str) -> bool:
        with self._lock:
            if self._kv.get(key) != expected:
                return False
            self._kv[key] = value
            return True
