"""The instance: where runs and their events are recorded."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from headwater._dataclass import dataclass
from headwater.errors import InvariantViolationError, RunNotFoundError
from headwater.events import ERROR, EventType, RunEvent
from headwater.storage.base import Storage
from headwater.storage.config import RunLauncherConfig, RunQueueConfig
from headwater.storage.disposed import DisposedStorage
from headwater.storage.dynamic_partitions import DynamicPartitionsMixin
from headwater.storage.instance_queries import InstanceQueries
from headwater.storage.runs import Run

if TYPE_CHECKING:
    import tempfile  # imported where used: a persistent instance never needs it

    from headwater.storage.config import InstanceConfig
    from headwater.storage.migrations import MigrationResult

__all__ = ["Instance", "InstanceInfo", "VacuumResult", "migrate_instance"]

_DAY_S = 86_400.0


@dataclass(frozen=True, slots=True)
class InstanceInfo:
    """What ``headwater instance info`` shows.

    Attributes:
        home: the home folder (``None`` for an ephemeral instance).
        location: where the data lives (database file or URL without password).
        schema_version: the database schema revision (``None`` in memory).
        run_count: stored runs.
        event_count: stored events.
        retention_days: the configured retention, if any.
    """

    home: Path | None
    location: str
    schema_version: str | None
    run_count: int
    event_count: int
    retention_days: float | None


@dataclass(frozen=True, slots=True)
class VacuumResult:
    """What :meth:`Instance.vacuum` removed.

    Attributes:
        runs_considered: finished runs older than the retention period.
        events_deleted: verbose events dropped from them.
    """

    runs_considered: int
    events_deleted: int


class Instance(DynamicPartitionsMixin, InstanceQueries):
    """Records runs and their events (alias ``DagsterInstance``).

    Args:
        storage: where runs and events go.
        home: the home folder it was opened from, if any.
        retention_days: how long verbose events of finished runs are kept (``vacuum``).
        python_log_level: the console log level of runs whose config selects no logger
            (``python_logs.python_log_level`` in ``headwater.yaml``).

    Example:
        ``result = job.execute_in_process(instance=Instance.get())``
    """

    def __init__(
        self,
        storage: Storage,
        *,
        home: Path | None = None,
        retention_days: float | None = None,
        run_queue: RunQueueConfig | None = None,
        python_log_level: str | None = None,
        run_launcher: RunLauncherConfig | None = None,
    ) -> None:
        self._storage = storage
        self._home = home
        self._retention_days = retention_days
        self.run_queue = run_queue if run_queue is not None else RunQueueConfig()
        """How the daemon dequeues this instance's runs (``run_queue:`` in headwater.yaml)."""
        self._python_log_level = python_log_level
        self.run_launcher = run_launcher if run_launcher is not None else RunLauncherConfig()
        """Where the daemon starts runs (``run_launcher:`` in headwater.yaml)."""
        self._temp_storage: tempfile.TemporaryDirectory[str] | None = None

    @property
    def python_log_level(self) -> str | None:
        """``python_logs.python_log_level`` from ``headwater.yaml``, if set."""
        return self._python_log_level

    # opening --------------------------------------------------------------------------

    @classmethod
    def ephemeral(cls) -> Instance:
        """An instance that keeps everything in memory, gone with the process."""
        from headwater.storage.memory import InMemoryStorage  # not for instances on disk

        return cls(InMemoryStorage())

    @classmethod
    def get(cls) -> Instance:
        """The persistent instance in ``HEADWATER_HOME`` (else ``DAGSTER_HOME``).

        Raises:
            InstanceError: neither variable is set, the folder is unusable, or
                ``headwater.yaml`` is invalid.
            StorageError: the database is unreachable, corrupt, foreign, or needs
                ``headwater instance migrate``.
        """
        from headwater.storage.config import resolve_home

        return cls.from_config(resolve_home(os.environ))

    @classmethod
    def from_config(cls, config_dir: str | Path) -> Instance:
        """The persistent instance whose home folder is ``config_dir`` (created if missing).

        Raises:
            InstanceError: as :meth:`get`.
            StorageError: as :meth:`get`.
        """
        return cls._open(_load_config(Path(config_dir)))

    @classmethod
    def default_home(cls, home: str | Path) -> Instance:
        """The instance in the fallback home a caller chose because none was named (the
        CLI's ``~/.headwater``): the one instance ``HEADWATER_POSTGRES_URL`` may point at
        PostgreSQL, when its ``headwater.yaml`` configures no storage.

        Raises:
            InstanceError: as :meth:`get`.
            StorageError: as :meth:`get`.
        """
        return cls._open(_load_config(Path(home), is_default_home=True))

    @classmethod
    def local_temp(cls, tempdir: str | Path | None = None) -> Instance:
        """A persistent SQLite instance in ``tempdir``, or in a new temporary folder.

        The folder is left in place when the instance is disposed, so that its runs can be
        inspected afterwards.
        """
        if tempdir is None:
            import tempfile

            tempdir = tempfile.mkdtemp(prefix="hw-")
        return cls.from_config(Path(tempdir))

    @classmethod
    def _open(cls, config: InstanceConfig) -> Instance:
        # SQLAlchemy loads here, not at `import headwater`: import time is a measured target.
        from headwater.storage.backends import open_storage

        storage = open_storage(config)
        return cls(
            storage,
            home=config.home,
            retention_days=config.retention_days,
            run_queue=config.run_queue,
            python_log_level=config.python_log_level,
            run_launcher=config.run_launcher,
        )

    @property
    def storage(self) -> Storage:
        """The storage backend behind this instance."""
        return self._storage

    @property
    def home(self) -> Path | None:
        """The home folder, or ``None`` for an ephemeral instance."""
        return self._home

    def storage_directory(self) -> str:
        """Where IO managers keep values: ``<home>/storage``, or for an instance without a
        home a temporary folder of its own, removed by :meth:`dispose`."""
        if self._home is not None:
            return str(self._home / "storage")
        if isinstance(self._storage, DisposedStorage):  # retired: its folder is gone
            self._storage.refuse()
        if self._temp_storage is None:
            import tempfile

            self._temp_storage = tempfile.TemporaryDirectory(prefix="hw-storage-")
        return self._temp_storage.name

    @property
    def is_ephemeral(self) -> bool:
        """Whether runs vanish with the process."""
        return isinstance(self._storage, DisposedStorage) or self._storage.ephemeral

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
        code_origin: str | None = None,
    ) -> Run:
        """Record a new run in ``NOT_STARTED`` and return it.

        Raises:
            InvariantViolationError: a run with ``run_id`` already exists.
        """
        run = Run(
            run_id=run_id or str(uuid.uuid4()),
            job_name=job_name,
            run_config=dict(run_config or {}),
            tags=dict(tags or {}),
            parent_run_id=parent_run_id,
            root_run_id=root_run_id,
            create_time=time.time(),
            code_origin=code_origin,
        )
        self._storage.add_run(run)
        return run

    def add_runs(
        self, new_runs: Sequence[Run], *, claims: Mapping[str, str] | None = None
    ) -> set[str]:
        """Record several new runs at once (one transaction in SQL stores), as they are:
        status, tags, run config and times as given. The daemon queues a tick's runs so.

        Args:
            new_runs: the runs.
            claims: key-value key → run id, claimed in the same transaction: a run whose
                key was claimed before is not recorded (a run key makes exactly one run).

        Returns:
            The ids of the runs recorded.

        Raises:
            InvariantViolationError: a run with one of their ids already exists.
        """
        return self._storage.add_runs(new_runs, claims=claims)

    def get_run(self, run_id: str) -> Run | None:
        """The run with that id, or ``None``."""
        return self._storage.get_run(run_id)

    def get_run_by_id(self, run_id: str) -> Run | None:
        """The run with that id, or ``None`` (the reference's spelling)."""
        return self._storage.get_run(run_id)

    def has_run(self, run_id: str) -> bool:
        """Whether a run with that id exists."""
        return self._storage.get_run(run_id) is not None

    def delete_run(self, run_id: str) -> None:
        """Delete a run and its events.

        Raises:
            RunNotFoundError: no run has that id.
        """
        self._require(run_id)
        self._storage.delete_run(run_id)

    def wipe(self) -> None:
        """Delete every run and event."""
        self._storage.wipe()

    def report_run_failed(self, run_id: str, reason: str) -> Run:
        """Mark a run that died half-way (its process was killed) as failed.

        Writes a ``RUN_FAILURE`` event saying ``reason``, which moves the run to ``FAILURE``.

        Raises:
            RunNotFoundError: no run has that id.
            InvariantViolationError: the run has already finished.
        """
        run = self._require(run_id)
        if run.is_finished:
            raise InvariantViolationError(
                f"run {run_id} already finished with status {run.status.value}; "
                "only unfinished runs can be marked failed"
            )
        event = RunEvent(
            event_type=EventType.RUN_FAILURE,
            run_id=run_id,
            job_name=run.job_name,
            timestamp=time.time(),
            message=reason,
            level=ERROR,
            data={"reason": "marked_failed"},
        )
        self.store_events((event,))
        return self._require(run_id)

    def _require(self, run_id: str, why: str = "") -> Run:
        run = self._storage.get_run(run_id)
        if run is None:
            where = f" ({why})" if why else ""
            raise RunNotFoundError(
                f"no run with id {run_id!r} in this instance{where}", invalid_run_id=run_id
            )
        return run

    # events ---------------------------------------------------------------------------

    def store_events(self, events: Sequence[RunEvent]) -> None:
        """Append a batch of events, all or nothing, moving run statuses they change."""
        if events:
            self._storage.store_events(events)

    def handle_new_event(self, event: RunEvent) -> None:
        """Store one event (prefer :meth:`store_events` for batches)."""
        self.store_events((event,))

    def latest_materialization(self, asset_key: str) -> RunEvent | None:
        """The newest ``ASSET_MATERIALIZATION`` event of one asset (``"a/b"``), or ``None``."""
        record = self._storage.get_latest_materializations([asset_key]).get(asset_key)
        return None if record is None else record.event

    # key-value state and maintenance --------------------------------------------------

    def kv_get(self, keys: Sequence[str]) -> dict[str, str]:
        """Values stored under those keys (absent keys are left out)."""
        return self._storage.kv_get(keys)

    def kv_set(self, values: Mapping[str, str]) -> None:
        """Store values under their keys, replacing older ones."""
        self._storage.kv_set(values)

    def kv_compare_and_set(self, key: str, expected: str | None, value: str) -> bool:
        """Set ``key`` only if it holds ``expected`` (``None``: absent); atomic."""
        return self._storage.kv_compare_and_set(key, expected, value)

    def kv_insert_new(self, values: Mapping[str, str]) -> set[str]:
        """Insert each absent key in one transaction; returns the keys inserted (atomic)."""
        return self._storage.kv_insert_new(values)

    def info(self) -> InstanceInfo:
        """Where the instance keeps its data, its schema version and how much it holds."""
        return InstanceInfo(
            home=self._home,
            location=self._storage.location,
            schema_version=self._storage.schema_version,
            run_count=self._storage.count_runs(),
            event_count=self._storage.count_events(),
            retention_days=self._retention_days,
        )

    def vacuum(self, *, days: float | None = None, now: float | None = None) -> VacuumResult:
        """Apply retention now: drop verbose events of runs finished over ``days`` ago.

        Args:
            days: the retention period; defaults to ``retention.days`` of headwater.yaml.
            now: the current time in seconds since the epoch (for tests and replays).

        Returns:
            How many old runs were looked at and how many events were deleted; zeros when
            no retention is configured or given.
        """
        period = days if days is not None else self._retention_days
        if period is None:
            return VacuumResult(0, 0)
        cutoff = (time.time() if now is None else now) - period * _DAY_S
        runs, events = self._storage.delete_verbose_events(finished_before=cutoff)
        return VacuumResult(runs_considered=runs, events_deleted=events)

    def dispose(self) -> None:
        """Release the storage's connections (and an ephemeral storage folder)."""
        self._storage.close()
        if self._temp_storage is not None:
            self._temp_storage.cleanup()
            self._temp_storage = None

    def retire(self, block: str) -> None:
        """Dispose of the instance for good: every later use of its storage raises an
        ``InvariantViolationError`` saying that ``block`` (``"the `with build_resources()`
        block"``) disposed it, as the reference's ephemeral instance is unusable then."""
        self.dispose()
        self._storage = cast("Storage", DisposedStorage(block))

    def __enter__(self) -> Instance:
        return self

    def __exit__(self, *exc: object) -> None:
        self.dispose()


def migrate_instance(home: str | Path | None = None) -> MigrationResult:
    """Upgrade the instance's database to this headwater's schema (``headwater instance
    migrate``); a no-op when it is current. ``home`` defaults to ``HEADWATER_HOME``.

    Raises:
        InstanceError: no home, or it or its ``headwater.yaml`` is unusable.
        StorageError: the database is unreachable, foreign, or newer than this headwater.
    """
    from headwater.storage.backends import migrate_storage
    from headwater.storage.config import resolve_home

    folder = resolve_home(os.environ) if home is None else Path(home)
    return migrate_storage(_load_config(folder))


def _load_config(home: Path, *, is_default_home: bool = False) -> InstanceConfig:
    from headwater.storage.config import load_instance_config

    return load_instance_config(
        home.expanduser().absolute(), os.environ, is_default_home=is_default_home
    )
