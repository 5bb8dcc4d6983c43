"""SQLite storage: the embedded default, one file shared by every process on the machine.

Several processes (executors, the daemon, the web server) write at once, so the database
runs in WAL mode (readers never block the writer), waits for the write lock instead of
failing (``busy_timeout``), and takes that lock at the start of each write transaction
(``BEGIN IMMEDIATE``): a transaction that reads first and upgrades to a write later can
fail with "database is locked" without waiting, whatever the timeout. A write of one
statement (a step's events) runs on its own: a lone statement that writes takes the lock
from its start as well.

:class:`SqliteStorage` speaks SQL through the standard library's ``sqlite3``: importing
SQLAlchemy costs a CLI command more CPU than the rest of its start-up together, and these
statements need nothing from it. SQLAlchemy and Alembic load only to create or migrate the
database (``migrations.upgrade``) or when a tool asks for :attr:`SqliteStorage.engine`.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from headwater.errors import InstanceError, InvariantViolationError, StorageError
from headwater.events import EventType, RunEvent
from headwater.storage import migrations
from headwater.storage.base import (
    RUN_STATUS_FOR_EVENT,
    VERBOSE_EVENT_TYPES,
    VERBOSE_MAX_LEVEL,
    EventRecord,
    Storage,
)
from headwater.storage.event_rows import (
    READ_COLUMNS,
    ROW_COLUMNS,
    ROW_WIDTH,
    dumps as _dumps,
    event_values,
    read_event,
)
from headwater.storage.runs import FINISHED_STATUSES, Run, RunStatus

if TYPE_CHECKING:
    import sqlalchemy as sa

__all__ = ["DB_FILENAME", "SqliteStorage", "open_sqlite_storage", "sqlite_engine"]

DB_FILENAME = "headwater.db"
_BUSY_TIMEOUT_MS = 60_000
_WRITE_OPTION = "headwater_write"
_PRAGMAS = (
    f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode = WAL",
    # NORMAL is durable in WAL mode except for the last transactions on power loss, and
    # saves an fsync per commit: the difference between 5k and 50k+ events/s.
    "PRAGMA synchronous = NORMAL",
)


def sqlite_engine(path: Path) -> sa.Engine:
    """An engine on the SQLite file ``path`` with headwater's connection settings."""
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{path}")

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" hook below issue BEGIN, instead of the sqlite3 module
        # deciding when (it would begin lazily, as a read that later needs upgrading).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        for pragma in _PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        is_write = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if is_write else "BEGIN")

    return engine


def open_sqlite_storage(base_dir: Path, *, allow_behind: bool = False) -> SqliteStorage:
    """Open (creating if needed) ``base_dir/headwater.db``.

    Args:
        base_dir: the folder of the database file; created if missing.
        allow_behind: open a database whose schema is older than this code (for migrating).

    Raises:
        InstanceError: the folder cannot be created or written.
        StorageError: the file is not a SQLite database, is another application's, or is at
            another schema version.
    """
    path = base_dir / DB_FILENAME
    _prepare_folder(base_dir)
    names, revision = _inspect_file(path)
    state = migrations.check_schema(names, revision, location=str(path), allow_behind=allow_behind)
    storage = SqliteStorage(path)
    # A migrating caller (allow_behind) upgrades itself, and reports from which revision.
    if state == "empty" or (state == "upgrade-on-open" and not allow_behind):
        import sqlalchemy as sa

        try:
            migrations.upgrade(storage.write_engine, location=str(path))
        except sa.exc.OperationalError as exc:
            storage.close()
            raise StorageError(f"cannot set up the database at {path}: {exc.orig}") from None
    return storage


def _prepare_folder(base_dir: Path) -> None:
    try:
        base_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InstanceError(
            f"cannot create the instance's storage folder {base_dir}: {exc.strerror}; "
            "set HEADWATER_HOME (or storage.sqlite.base_dir) to a writable folder"
        ) from None
    # WAL needs to create side files next to the database, even to read it.
    try:
        _create_unnamed_file(base_dir)
    except OSError as exc:
        raise InstanceError(
            f"the instance's storage folder {base_dir} is not writable: {exc.strerror}; "
            "set HEADWATER_HOME (or storage.sqlite.base_dir) to a writable folder"
        ) from None


def _create_unnamed_file(folder: Path) -> None:
    """Create and drop a file in ``folder``, which proves it writable.

    An unnamed file: several processes may open the instance at once. ``O_TMPFILE`` is what
    ``tempfile.TemporaryFile`` tries first; here without importing ``tempfile`` (with
    ``shutil`` and ``random``), which every command that opens the instance would pay.
    """
    flag = getattr(os, "O_TMPFILE", None)
    if flag is not None:
        try:
            os.close(os.open(folder, flag | os.O_WRONLY, 0o600))
            return
        except OSError:
            pass  # not supported here, or not writable: the fallback says which
    import tempfile

    tempfile.TemporaryFile(dir=folder).close()


def _inspect_file(path: Path) -> tuple[list[str], str | None]:
    """Table names and schema revision, read without changing a byte of the file."""
    if not path.exists():
        return [], None
    if not path.is_file():
        raise StorageError(f"the instance's database path {path} is not a file")
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StorageError(f"cannot open the instance's database at {path}: {exc}") from None
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        revision = None
        if "alembic_version" in names:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return names, revision[0] if revision else None
    except sqlite3.DatabaseError as exc:
        raise StorageError(
            f"the file at {path} is not a headwater instance database ({exc}); "
            "move it away or point HEADWATER_HOME elsewhere"
        ) from None
    finally:
        conn.close()


_MATERIALIZATION = EventType.ASSET_MATERIALIZATION.value
_VERBOSE = tuple(sorted(t.value for t in VERBOSE_EVENT_TYPES))
_FINISHED = tuple(sorted(s.value for s in FINISHED_STATUSES))
_RUN_COLUMNS = (
    "run_id, job_name, status, run_config, tags, parent_run_id, root_run_id, "
    "create_timestamp, start_timestamp, end_timestamp, code_origin"
)
_INSERT_RUN = (
    "INSERT INTO runs (run_id, job_name, status, run_config, tags, parent_run_id, "
    "root_run_id, code_origin, create_timestamp, start_timestamp, end_timestamp, "
    "update_timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_EVENTS = f"INSERT INTO event_logs ({', '.join(ROW_COLUMNS)}) VALUES "
# Rows per INSERT statement. One statement of many rows, not executemany: the statement
# is run (and the asset index's predicate set up) once per chunk instead of once per row.
# 100 rows of 7 values stay under the oldest SQLite's 999 bound parameters.
_EVENT_CHUNK = 100
_RUN_ID, _EVENT_TYPE, _ASSET_KEY = (
    ROW_COLUMNS.index(c) for c in ("run_id", "event_type", "asset_key")
)
# The event types that move a run's status, as the event_type column holds them.
_STATUS_TYPES = frozenset(t.value for t in RUN_STATUS_FOR_EVENT)


class _WriteTransaction:
    """``with storage._write() as conn``: BEGIN IMMEDIATE, then COMMIT, or ROLLBACK on an
    error. A class rather than a generator: a run writes one per step."""

    __slots__ = ("_conn",)

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self._conn.execute("BEGIN IMMEDIATE")
        return self._conn

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        if exc_type is None:
            self._conn.execute("COMMIT")
        elif self._conn.in_transaction:  # SQLite rolls back by itself after some errors
            self._conn.execute("ROLLBACK")


@functools.lru_cache(maxsize=4 * _EVENT_CHUNK)
def _insert_events_sql(rows: int, keyless: bool, one_run: bool) -> str:
    """The INSERT of ``rows`` events (cached: a batch uses at most two sizes).

    Args:
        keyless: the events name no asset; their rows say NULL for the asset key rather
            than bind it (the module binds a None through its adapter lookup: two failed
            attribute lookups, each an exception).
        one_run: the events are of one run, whose id is bound once, as ``?1``, for all rows
            (a text bound is copied).
    """
    run = "?1" if one_run else "?"
    asset = "NULL" if keyless else "?"
    return _INSERT_EVENTS + ", ".join([f"({run}, ?, ?, {asset}, ?, ?, ?)"] * rows)


def _insert_events(conn: sqlite3.Connection, values: list[Any]) -> None:
    """Insert the events whose ``event_values`` are ``values``, in statements of up to
    ``_EVENT_CHUNK`` rows."""
    step = _EVENT_CHUNK * ROW_WIDTH
    for start in range(0, len(values), step):
        chunk = values[start : start + step]
        rows = len(chunk) // ROW_WIDTH
        # Columns left out of the statement go, each by one slice deletion (no Python loop).
        keyless = chunk[_ASSET_KEY::ROW_WIDTH].count(None) == rows
        one_run = len(set(chunk[_RUN_ID::ROW_WIDTH])) == 1
        if keyless:
            del chunk[_ASSET_KEY::ROW_WIDTH]
        if one_run:
            run_id = chunk[_RUN_ID]
            del chunk[_RUN_ID :: ROW_WIDTH - keyless]
            chunk.insert(0, run_id)
        conn.execute(_insert_events_sql(rows, keyless, one_run), chunk)


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


def _run(row: tuple[Any, ...]) -> Run:
    return Run(
        run_id=row[0],
        job_name=row[1],
        status=RunStatus(row[2]),
        run_config=json.loads(row[3]),
        tags=json.loads(row[4]),
        parent_run_id=row[5],
        root_run_id=row[6],
        create_time=row[7],
        start_time=row[8],
        end_time=row[9],
        code_origin=row[10],
    )


# The columns of a stored event: its storage id, then what read_event takes.
_EVENT_READ = ", ".join(("id", *READ_COLUMNS))
_EVENT_READ_QUALIFIED = ", ".join(f"event_logs.{c}" for c in ("id", *READ_COLUMNS))


def _record(row: tuple[Any, ...]) -> EventRecord:
    return EventRecord(row[0], read_event(*row[1:7]))


def _status_update(run_id: str, status: RunStatus, at: float) -> tuple[str, tuple[Any, ...]]:
    """The UPDATE that records ``status`` (and its start or end time) on a run."""
    sets = ["status = ?", "update_timestamp = ?"]
    params: list[Any] = [status.value, time.time()]
    if status is RunStatus.STARTED:
        sets.append("start_timestamp = ?")
        params.append(at)
    elif status.is_finished:
        sets.append("end_timestamp = ?")
        params.append(at)
    params.append(run_id)
    return f"UPDATE runs SET {', '.join(sets)} WHERE run_id = ?", tuple(params)


# How many forks this process descends from (counted in each child): a connection opened
# before a fork is the parent's. Compared on every statement, so a counter rather than
# os.getpid(), a system call each time.
_forks = [0]


def _count_fork() -> None:
    _forks[0] += 1


if hasattr(os, "register_at_fork"):  # not on Windows, which does not fork
    os.register_at_fork(after_in_child=_count_fork)


def _alive(ref: weakref.ref[threading.Thread]) -> bool:
    thread = ref()
    return thread is not None and thread.is_alive()


class SqliteStorage(Storage):
    """Storage in a SQLite file whose schema is at :data:`migrations.SCHEMA_HEAD`.

    Built by :func:`open_sqlite_storage`, which checks the file first (and creates the schema
    in an empty one); constructing it directly skips those checks. Each thread has its own
    connection (``sqlite3`` connections are not shared across threads); a forked child opens
    its own instead of using its parent's.

    Args:
        path: the database file.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._location = str(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        # Each connection with the thread that opened it: a connection whose thread ended is
        # closed when the next one opens (a daemon starts a thread per sensor evaluation;
        # kept forever, their connections would grow without end).
        self._connections: list[tuple[weakref.ref[threading.Thread], sqlite3.Connection]] = []
        self._forks = _forks[0]
        self._engine: sa.Engine | None = None

    # connections ----------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None and self._forks == _forks[0]:
            return conn
        if self._forks != _forks[0]:  # forked: the parent's connections are not ours to use
            self._forks = _forks[0]
            self._connections = []
            self._local = threading.local()
        # isolation_level=None: statements run as they come, and the transactions below
        # say BEGIN themselves (the module would begin lazily, as a read that later needs
        # upgrading to a write).
        conn = sqlite3.connect(
            self._path,
            timeout=_BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,  # close() may run on another thread
        )
        for pragma in _PRAGMAS:
            conn.execute(pragma)
        with self._lock:
            ended = [(t, c) for t, c in self._connections if not _alive(t)]
            self._connections = [(t, c) for t, c in self._connections if _alive(t)]
            self._connections.append((weakref.ref(threading.current_thread()), conn))
        for _, old in ended:
            old.close()
        self._local.conn = conn
        return conn

    def _write(self) -> _WriteTransaction:
        """A write transaction, holding the database's write lock from its start."""
        return _WriteTransaction(self._connection())

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return self._connection().execute(sql, params).fetchall()

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    @property
    def engine(self) -> sa.Engine:
        """A SQLAlchemy engine on the database, built on first use (for tools and migrations;
        headwater code goes through the methods)."""
        if self._engine is None:
            self._engine = sqlite_engine(self._path)
        return self._engine

    @property
    def write_engine(self) -> sa.Engine:
        """:attr:`engine`, beginning each transaction with the write lock."""
        return self.engine.execution_options(**{_WRITE_OPTION: True})

    @property
    def location(self) -> str:
        return self._location

    @property
    def schema_version(self) -> str | None:
        return migrations.SCHEMA_HEAD

    # runs -----------------------------------------------------------------------------

    def add_run(self, run: Run) -> None:
        self.add_runs([run])

    def add_runs(
        self, new_runs: Sequence[Run], *, claims: Mapping[str, str] | None = None
    ) -> set[str]:
        now = time.time()
        refused = set()
        with self._write() as conn:
            for key, run_id in (claims or {}).items():
                inserted = conn.execute(
                    "INSERT INTO kvs (key, value, update_timestamp) VALUES (?, ?, ?) "
                    "ON CONFLICT (key) DO NOTHING",
                    (key, run_id, now),
                )
                if inserted.rowcount != 1:
                    refused.add(run_id)
            recorded = set()
            for run in new_runs:
                if run.run_id not in refused:
                    self._insert_run(conn, run, now)
                    recorded.add(run.run_id)
        return recorded

    @staticmethod
    def _insert_run(conn: sqlite3.Connection, run: Run, now: float) -> None:
        exists = conn.execute("SELECT id FROM runs WHERE run_id = ?", (run.run_id,))
        if exists.fetchone() is not None:
            raise InvariantViolationError(f"run {run.run_id} already exists in this instance")
        conn.execute(
            _INSERT_RUN,
            (
                run.run_id,
                run.job_name,
                run.status.value,
                _dumps(dict(run.run_config)),
                _dumps(dict(run.tags)),
                run.parent_run_id,
                run.root_run_id,
                run.code_origin,
                run.create_time,
                run.start_time,
                run.end_time,
                now,
            ),
        )
        if run.tags:
            conn.executemany(
                "INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)",
                [(run.run_id, k, v) for k, v in run.tags.items()],
            )

    def get_run(self, run_id: str) -> Run | None:
        rows = self._read(f"SELECT {_RUN_COLUMNS} FROM runs WHERE run_id = ?", (run_id,))
        return _run(rows[0]) if rows else None

    def update_run_status(self, run_id: str, status: RunStatus, *, at: float) -> None:
        with self._write() as conn:
            conn.execute(*_status_update(run_id, status, at))

    def get_runs(
        self,
        *,
        statuses: Sequence[RunStatus] = (),
        job_name: str | None = None,
        tags: Mapping[str, str] | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> list[Run]:
        where: list[str] = []
        params: list[Any] = []
        if statuses:
            where.append(f"status IN ({_marks(statuses)})")
            params += [s.value for s in statuses]
        if job_name is not None:
            where.append("job_name = ?")
            params.append(job_name)
        for key, value in (tags or {}).items():
            where.append("run_id IN (SELECT run_id FROM run_tags WHERE key = ? AND value = ?)")
            params += [key, value]
        if cursor is not None:
            where.append("id < (SELECT id FROM runs WHERE run_id = ?)")
            params.append(cursor)
        sql = f"SELECT {_RUN_COLUMNS} FROM runs"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [_run(row) for row in self._read(sql, params)]

    def count_runs(self) -> int:
        return int(self._read("SELECT count(*) FROM runs")[0][0])

    def delete_run(self, run_id: str) -> None:
        with self._write() as conn:
            for table in ("event_logs", "run_tags", "runs"):
                conn.execute(f"DELETE FROM {table} WHERE run_id = ?", (run_id,))

    def wipe(self) -> None:
        with self._write() as conn:
            for table in ("event_logs", "run_tags", "runs"):
                conn.execute(f"DELETE FROM {table}")

    # events ---------------------------------------------------------------------------

    def store_events(self, events: Sequence[RunEvent]) -> None:
        if not events:
            return
        values = event_values(events)
        # SQLite has one writer at a time, so ids grow in commit order: a reader tailing
        # with a cursor never skips an event.
        if len(events) <= _EVENT_CHUNK and _STATUS_TYPES.isdisjoint(values[_EVENT_TYPE::ROW_WIDTH]):
            # One statement: on its own it is a write transaction that takes the write
            # lock from its start, as BEGIN IMMEDIATE does (it waits under busy_timeout),
            # and commits at its end. The BEGIN and COMMIT statements cost as much again.
            _insert_events(self._connection(), values)
            return
        with self._write() as conn:
            _insert_events(conn, values)
            for event in events:
                status = RUN_STATUS_FOR_EVENT.get(event.event_type)
                if status is not None:
                    conn.execute(*_status_update(event.run_id, status, event.timestamp))

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
        sql = f"SELECT {_EVENT_READ} FROM event_logs WHERE run_id = ?"
        params: list[Any] = [run_id]
        if after is not None:
            sql += " AND id > ?"
            params.append(after)
        if before is not None:
            sql += " AND id < ?"
            params.append(before)
        if event_types:
            sql += f" AND event_type IN ({_marks(event_types)})"
            params += [t.value for t in event_types]
        sql += " ORDER BY id" if ascending else " ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [_record(row) for row in self._read(sql, params)]

    def count_events(self) -> int:
        return int(self._read("SELECT count(*) FROM event_logs")[0][0])

    def get_latest_materializations(
        self, asset_keys: Sequence[str] | None = None
    ) -> dict[str, EventRecord]:
        newest = (
            "SELECT max(id) AS id FROM event_logs WHERE event_type = ? AND asset_key IS NOT NULL"
        )
        params: list[Any] = [_MATERIALIZATION]
        if asset_keys is not None:
            keys = list(asset_keys)
            newest += f" AND asset_key IN ({_marks(keys)})"
            params += keys
        sql = (
            f"SELECT {_EVENT_READ_QUALIFIED}, event_logs.asset_key FROM event_logs "
            f"JOIN ({newest} GROUP BY asset_key) AS newest ON event_logs.id = newest.id"
        )
        return {row[7]: _record(row) for row in self._read(sql, params)}

    def delete_verbose_events(self, *, finished_before: float) -> tuple[int, int]:
        old = self._read(
            f"SELECT run_id FROM runs WHERE status IN ({_marks(_FINISHED)}) AND end_timestamp < ?",
            [*_FINISHED, finished_before],
        )
        deleted = 0
        # One transaction per run keeps the write lock short: live runs keep writing.
        for (run_id,) in old:
            with self._write() as conn:
                result = conn.execute(
                    f"DELETE FROM event_logs WHERE run_id = ? "
                    f"AND event_type IN ({_marks(_VERBOSE)}) AND level < ?",
                    [run_id, *_VERBOSE, VERBOSE_MAX_LEVEL],
                )
                deleted += result.rowcount
        return len(old), deleted

    # key-value state ------------------------------------------------------------------

    def kv_get(self, keys: Sequence[str]) -> dict[str, str]:
        if not keys:
            return {}
        wanted = list(keys)
        rows = self._read(f"SELECT key, value FROM kvs WHERE key IN ({_marks(wanted)})", wanted)
        return {key: value for key, value in rows}

    def kv_set(self, values: Mapping[str, str]) -> None:
        if not values:
            return
        now = time.time()
        with self._write() as conn:
            conn.executemany(
                "INSERT INTO kvs (key, value, update_timestamp) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                "update_timestamp = excluded.update_timestamp",
                [(k, v, now) for k, v in values.items()],
            )

    def kv_compare_and_set(self, key: str, expected: str | None, value: str) -> bool:
        now = time.time()
        with self._write() as conn:
            if expected is None:
                # A unique key makes the insert itself the comparison: one writer wins.
                result = conn.execute(
                    "INSERT INTO kvs (key, value, update_timestamp) VALUES (?, ?, ?) "
                    "ON CONFLICT (key) DO NOTHING",
                    (key, value, now),
                )
            else:
                result = conn.execute(
                    "UPDATE kvs SET value = ?, update_timestamp = ? WHERE key = ? AND value = ?",
                    (value, now, key, expected),
                )
            return result.rowcount == 1

    def kv_insert_new(self, values: Mapping[str, str]) -> set[str]:
        if not values:
            return set()
        now = time.time()
        inserted = set()
        with self._write() as conn:
            for key, value in values.items():
                result = conn.execute(
                    "INSERT INTO kvs (key, value, update_timestamp) VALUES (?, ?, ?) "
                    "ON CONFLICT (key) DO NOTHING",
                    (key, value, now),
                )
                if result.rowcount == 1:
                    inserted.add(key)
        return inserted

    def close(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
        if self._forks == _forks[0]:
            for _, conn in connections:
                conn.close()
        self._local = threading.local()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
