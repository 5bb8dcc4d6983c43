"""In-memory storage: the default for ``execute_in_process`` and tests."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace

from headwater.events import RunEvent
from headwater.storage.base import EventRecord, Storage
from headwater.storage.runs import Run, RunStatus

__all__ = ["InMemoryStorage"]

_START = frozenset({RunStatus.STARTED})


class InMemoryStorage(Storage):
    """Keeps runs and events in dicts and lists; gone when the process ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: dict[str, Run] = {}
        self._events: dict[str, list[EventRecord]] = {}
        self._next_id = 1

    def add_run(self, run: Run) -> None:
        with self._lock:
            if run.run_id in self._runs:
                raise ValueError(f"run {run.run_id} already exists")
            self._runs[run.run_id] = run
            self._events[run.run_id] = []

    def get_run(self, run_id: str) -> Run | None:
        return self._runs.get(run_id)

    def update_run_status(self, run_id: str, status: RunStatus, *, at: float) -> None:
        with self._lock:
            run = self._runs[run_id]
            if status in _START:
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
        limit: int | None = None,
    ) -> list[Run]:
        runs = [
            r
            for r in reversed(self._runs.values())
            if (not statuses or r.status in statuses) and (job_name in (None, r.job_name))
        ]
        return runs if limit is None else runs[:limit]

    def store_events(self, events: Sequence[RunEvent]) -> None:
        with self._lock:
            for event in events:
                log = self._events.setdefault(event.run_id, [])
                log.append(EventRecord(self._next_id, event))
                self._next_id += 1

    def get_event_records(
        self, run_id: str, *, after: int | None = None, limit: int | None = None
    ) -> list[EventRecord]:
        records = self._events.get(run_id, [])
        if after is not None:
            records = [r for r in records if r.storage_id > after]
        return records if limit is None else records[:limit]

    def delete_run(self, run_id: str) -> None:
        with self._lock:
            self._runs.pop(run_id, None)
            self._events.pop(run_id, None)

    def wipe(self) -> None:
        with self._lock:
            self._runs.clear()
            self._events.clear()
