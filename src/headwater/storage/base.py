"""What a storage backend must do: the interface the in-memory and SQL stores implement."""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from typing import Any

from headwater.event_log import EventLogEntry
from headwater.events import WARNING, EventType, RunEvent
from headwater.storage.runs import Run, RunStatus

__all__ = [
    "RUN_STATUS_FOR_EVENT",
    "VERBOSE_EVENT_TYPES",
    "VERBOSE_MAX_LEVEL",
    "EventRecord",
    "Storage",
    "asset_key_string",
]

# Run-lifecycle events move the run's status: the event log is the source of truth and the
# run record follows it, in the same transaction, so every writer updates runs the same way.
RUN_STATUS_FOR_EVENT: Mapping[EventType, RunStatus] = {
    EventType.RUN_ENQUEUED: RunStatus.QUEUED,
    EventType.RUN_STARTING: RunStatus.STARTING,
    EventType.RUN_START: RunStatus.STARTED,
    EventType.RUN_SUCCESS: RunStatus.SUCCESS,
    EventType.RUN_FAILURE: RunStatus.FAILURE,
    EventType.RUN_CANCELING: RunStatus.CANCELING,
    EventType.RUN_CANCELED: RunStatus.CANCELED,
}

# What retention drops from old finished runs, when logged below WARNING: the chatter of a
# run. Run lifecycle, step start/success/failure/skip/retry, resource failures,
# materializations, observations and check evaluations are the run's history and stay.
VERBOSE_EVENT_TYPES = frozenset(
    {
        EventType.LOG_MESSAGE,
        EventType.ENGINE_EVENT,
        EventType.STEP_INPUT,
        EventType.STEP_OUTPUT,
        EventType.HANDLED_OUTPUT,
        EventType.LOADED_INPUT,
        EventType.RESOURCE_INIT_STARTED,
        EventType.RESOURCE_INIT_SUCCESS,
        EventType.STEP_RESTARTED,
        EventType.STEP_WORKER_STARTING,
        EventType.STEP_WORKER_STARTED,
    }
)
VERBOSE_MAX_LEVEL = WARNING  # exclusive: warnings and errors survive retention


def asset_key_string(value: object) -> str | None:
    """The stored form of ``event.data["asset_key"]``: path parts joined with ``/``."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "/".join(str(part) for part in value)
    path = getattr(value, "path", None)  # an AssetKey-like value
    if isinstance(path, (list, tuple)):
        return "/".join(str(part) for part in path)
    return str(value)


class EventRecord:
    """A stored event with its storage id (a cursor: ids grow in insertion order).

    Also the reference's ``EventLogRecord``: ``event_log_entry``, ``run_id``, ``timestamp``,
    ``asset_key`` and ``partition_key`` read the stored event.
    """

    __slots__ = ("event", "storage_id")

    def __init__(self, storage_id: int, event: RunEvent) -> None:
        self.storage_id = storage_id
        self.event = event

    @property
    def event_log_entry(self) -> EventLogEntry:
        """The stored line as the reference's ``EventLogEntry``."""
        return EventLogEntry.from_event(self.event)

    @property
    def run_id(self) -> str:
        """The run the event belongs to."""
        return self.event.run_id

    @property
    def timestamp(self) -> float:
        """When the event happened (seconds since the epoch)."""
        return self.event.timestamp

    @property
    def event_type(self) -> EventType:
        """The event's kind."""
        return self.event.event_type

    @property
    def asset_key(self) -> Any:
        """The ``AssetKey`` of an asset event, else ``None``."""
        return self.event.asset_key

    @property
    def partition_key(self) -> str | None:
        """The partition of an asset event, else ``None``."""
        return self.event.partition

    @property
    def asset_materialization(self) -> Any:
        """The ``AssetMaterialization`` of a materialization record, else ``None``."""
        return self.event_log_entry.asset_materialization

    @property
    def asset_observation(self) -> Any:
        """The ``AssetObservation`` of an observation record, else ``None``."""
        return self.event_log_entry.asset_observation

    def __repr__(self) -> str:
        return f"EventRecord({self.storage_id}, {self.event.event_type.value})"


class Storage(abc.ABC):
    """Runs, their event logs and key-value state. Implementations are thread-safe."""

    ephemeral = False
    """Whether what it holds is gone when the process ends."""

    @property
    def location(self) -> str:
        """Where the data lives, for people (never shows a password)."""
        return "memory"

    @property
    def schema_version(self) -> str | None:
        """The database schema revision, or ``None`` for stores without a schema."""
        return None

    # runs -----------------------------------------------------------------------------

    @abc.abstractmethod
    def add_run(self, run: Run) -> None:
        """Record a new run; its id must be new (else ``InvariantViolationError``)."""

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
        tags: Mapping[str, str] | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> list[Run]:
        """Runs, newest first, filtered by status, job and tags (all must match).

        ``cursor`` is a run id: only runs created before it are returned (the next page).
        """

    @abc.abstractmethod
    def count_runs(self) -> int:
        """How many runs are stored."""

    @abc.abstractmethod
    def delete_run(self, run_id: str) -> None:
        """Delete a run and its events."""

    @abc.abstractmethod
    def wipe(self) -> None:
        """Delete every run and event (key-value state stays)."""

    # events ---------------------------------------------------------------------------

    @abc.abstractmethod
    def store_events(self, events: Sequence[RunEvent]) -> None:
        """Append a batch atomically (all of it is visible, or none) and apply the run status
        changes of its lifecycle events (:data:`RUN_STATUS_FOR_EVENT`) in the same step."""

    @abc.abstractmethod
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
        """Events of a run between the cursors ``after`` and ``before`` (storage ids,
        exclusive), oldest first unless ``ascending`` is false; at most ``limit``."""

    @abc.abstractmethod
    def count_events(self) -> int:
        """How many events are stored, across runs."""

    @abc.abstractmethod
    def get_latest_materializations(
        self, asset_keys: Sequence[str] | None = None
    ) -> dict[str, EventRecord]:
        """The newest ``ASSET_MATERIALIZATION`` record per asset key (all keys if ``None``)."""

    @abc.abstractmethod
    def delete_verbose_events(self, *, finished_before: float) -> tuple[int, int]:
        """Drop :data:`VERBOSE_EVENT_TYPES` below WARNING from runs finished before then.

        Returns:
            How many runs were considered and how many events were deleted.
        """

    # key-value state ------------------------------------------------------------------

    @abc.abstractmethod
    def kv_get(self, keys: Sequence[str]) -> dict[str, str]:
        """The values stored under those keys (missing keys are absent from the result)."""

    @abc.abstractmethod
    def kv_set(self, values: Mapping[str, str]) -> None:
        """Store (insert or replace) values, in one transaction."""

    @abc.abstractmethod
    def kv_compare_and_set(self, key: str, expected: str | None, value: str) -> bool:
        """Set ``key`` to ``value`` only if it now holds ``expected`` (``None``: absent).

        Atomic against every other writer, in this process or another: the building block
        for claims (pool slots) and read-modify-write updates that must not lose a write.

        Returns:
            Whether the value was set.
        """

    def add_runs(
        self, new_runs: Sequence[Run], *, claims: Mapping[str, str] | None = None
    ) -> set[str]:
        """Record several new runs; SQL stores do it in one transaction (all or nothing).

        Args:
            new_runs: the runs.
            claims: key-value key → run id: each key is inserted if absent, and a run named
                by a key that was present already is not recorded (run-key claims, made in
                the same transaction as the runs, so a key makes exactly one run).

        Returns:
            The ids of the runs recorded.

        Raises:
            InvariantViolationError: one of the runs exists already.
        """
        refused = {v for k, v in (claims or {}).items() if k not in self.kv_insert_new({k: v})}
        recorded = set()
        for run in new_runs:
            if run.run_id not in refused:
                self.add_run(run)
                recorded.add(run.run_id)
        return recorded

    def kv_insert_new(self, values: Mapping[str, str]) -> set[str]:
        """Insert each key that is absent, in one transaction; keys present are left alone.

        The batch form of claiming keys (a sensor's run keys): atomic against other writers.

        Returns:
            The keys this call inserted.
        """
        return {k for k, v in values.items() if self.kv_compare_and_set(k, None, v)}

    def close(self) -> None:  # noqa: B027 - optional hook; most stores hold nothing to close
        """Release connections; the store is not used afterwards."""
