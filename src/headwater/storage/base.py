"""What a storage backend must do: the interface the in-memory and SQL stores implement."""

from __future__ import annotations

import abc
from collections.abc import Sequence

from headwater.events import RunEvent
from headwater.storage.runs import Run, RunStatus

__all__ = ["EventRecord", "Storage"]


class EventRecord:
    """A stored event with its storage id (a cursor: ids grow in insertion order)."""

    __slots__ = ("event", "storage_id")

    def __init__(self, storage_id: int, event: RunEvent) -> None:
        self.storage_id = storage_id
        self.event = event

    def __repr__(self) -> str:
        return f"EventRecord({self.storage_id}, {self.event.event_type.value})"


class Storage(abc.ABC):
    """Runs and their event logs. Implementations must be safe to share between threads."""

    @abc.abstractmethod
    def add_run(self, run: Run) -> None:
        """Record a new run; its id must be new."""

    @abc.abstractmethod
    def get_run(self, run_id: str) -> Run | None:
        """The run with that id, or ``None``."""

    @abc.abstractmethod
    def update_run_status(self, run_id: str, status: RunStatus, *, at: float) -> None:
        """Move a run to ``status``; sets start/end times for start and end statuses."""

    @abc.abstractmethod
    def get_runs(
        self,
        *,
        statuses: Sequence[RunStatus] = (),
        job_name: str | None = None,
        limit: int | None = None,
    ) -> list[Run]:
        """Runs, newest first, filtered by status and job."""

    @abc.abstractmethod
    def store_events(self, events: Sequence[RunEvent]) -> None:
        """Append a batch of events atomically: all of it is visible, or none."""

    @abc.abstractmethod
    def get_event_records(
        self, run_id: str, *, after: int | None = None, limit: int | None = None
    ) -> list[EventRecord]:
        """The events of a run in order, after the cursor ``after`` (a storage id)."""

    @abc.abstractmethod
    def delete_run(self, run_id: str) -> None:
        """Delete a run and its events."""

    @abc.abstractmethod
    def wipe(self) -> None:
        """Delete every run and event."""

    def close(self) -> None:  # noqa: B027 - optional hook; most stores hold nothing to close
        """Release connections; the store is not used afterwards."""
