"""The instance: where runs and their events are recorded."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from headwater.errors import RunNotFoundError
from headwater.events import EventType, RunEvent
from headwater.storage.base import EventRecord, Storage
from headwater.storage.memory import InMemoryStorage
from headwater.storage.runs import Run, RunStatus

__all__ = ["Instance"]

# Run-lifecycle events move the run's status: the event log is the source of truth and the
# run record follows it, so every writer (executor, daemon, CLI) updates runs the same way.
_STATUS_FOR_EVENT = {
    EventType.RUN_STARTING: RunStatus.STARTING,
    EventType.RUN_START: RunStatus.STARTED,
    EventType.RUN_SUCCESS: RunStatus.SUCCESS,
    EventType.RUN_FAILURE: RunStatus.FAILURE,
    EventType.RUN_CANCELING: RunStatus.CANCELING,
    EventType.RUN_CANCELED: RunStatus.CANCELED,
}


class Instance:
    """Records runs and their events (alias ``DagsterInstance``).

    Args:
        storage: where runs and events go.

    Example:
        ``result = job.execute_in_process(instance=Instance.ephemeral())``
    """

    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    @classmethod
    def ephemeral(cls) -> Instance:
        """An instance that keeps everything in memory, gone with the process."""
        return cls(InMemoryStorage())

    @property
    def storage(self) -> Storage:
        """The storage backend behind this instance."""
        return self._storage

    # runs -----------------------------------------------------------------------------

    def create_run(
        self,
        *,
        job_name: str,
        run_config: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
        run_id: str | None = None,
        parent_run_id: str | None = None,
        root_run_id: str | None = None,
    ) -> Run:
        """Record a new run in ``NOT_STARTED`` and return it."""
        run = Run(
            run_id=run_id or str(uuid.uuid4()),
            job_name=job_name,
            run_config=dict(run_config or {}),
            tags=dict(tags or {}),
            parent_run_id=parent_run_id,
            root_run_id=root_run_id,
            create_time=time.time(),
        )
        self._storage.add_run(run)
        return run

    def get_run(self, run_id: str) -> Run | None:
        """The run with that id, or ``None``."""
        return self._storage.get_run(run_id)

    def get_run_by_id(self, run_id: str) -> Run | None:
        """The run with that id, or ``None`` (the reference's spelling)."""
        return self._storage.get_run(run_id)

    def get_runs(
        self,
        *,
        statuses: Sequence[RunStatus] = (),
        job_name: str | None = None,
        limit: int | None = None,
    ) -> list[Run]:
        """Runs, newest first, filtered by status and job."""
        return self._storage.get_runs(statuses=statuses, job_name=job_name, limit=limit)

    def delete_run(self, run_id: str) -> None:
        """Delete a run and its events.

        Raises:
            RunNotFoundError: no run has that id.
        """
        if self._storage.get_run(run_id) is None:
            raise RunNotFoundError(f"no run with id {run_id!r} in this instance")
        self._storage.delete_run(run_id)

    def wipe(self) -> None:
        """Delete every run and event."""
        self._storage.wipe()

    # events ---------------------------------------------------------------------------

    def store_events(self, events: Sequence[RunEvent]) -> None:
        """Append a batch of events and move run statuses that they change."""
        if not events:
            return
        self._storage.store_events(events)
        for event in events:
            status = _STATUS_FOR_EVENT.get(event.event_type)
            if status is not None:
                self._storage.update_run_status(event.run_id, status, at=event.timestamp)

    def handle_new_event(self, event: RunEvent) -> None:
        """Store one event (prefer :meth:`store_events` for batches)."""
        self.store_events((event,))

    def get_event_records(
        self, run_id: str, *, after: int | None = None, limit: int | None = None
    ) -> list[EventRecord]:
        """Stored events of a run with their cursors, after the cursor ``after``."""
        return self._storage.get_event_records(run_id, after=after, limit=limit)

    def all_logs(self, run_id: str) -> list[RunEvent]:
        """Every event of a run, in order."""
        return [r.event for r in self._storage.get_event_records(run_id)]

    def dispose(self) -> None:
        """Release the storage's connections."""
        self._storage.close()

    def __enter__(self) -> Instance:
        return self

    def __exit__(self, *exc: object) -> None:
        self.dispose()
