"""SQLite storage: the embedded default, one file shared by every process on the machine.

Several processes (executors, the daemon, the web server) write at once, so the database
runs in WAL mode (readers never block the writer), waits for the write lock instead of
failing (``busy_timeout``), and takes that lock at the start of each write transaction
(``BEGIN IMMEDIATE``): a transaction that reads first and upgrades to a write later can
fail with "database is locked" without waiting, whatever the timeout.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from headwater.errors import InstanceError, StorageError
from headwater.storage import migrations
from headwater.storage.sql import SqlStorage

__all__ = ["DB_FILENAME", "open_sqlite_storage", "sqlite_engine"]

DB_FILENAME = "headwater.db"
_BUSY_TIMEOUT_MS = 60_000
_WRITE_OPTION = "headwater_write"


def _configure_connection(dbapi_conn: Any) -> None:
    # Let the code issue BEGIN itself, instead of the sqlite3 module deciding when (it
    # would begin lazily, as a read that later needs upgrading).
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    # NORMAL is durable in WAL mode except for the last transactions on power loss, and
    # saves an fsync per commit: the difference between 5k and 50k+ events/s.
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


class SqliteEventWriter:
    """Appends events through one ``sqlite3`` connection kept open for the storage's life.

    A run writes a small batch at every step (its events must be readable while it runs),
    and SQLAlchemy's pool checkout, hooks and result set-up per transaction cost several
    times the insert itself. The connection is shared by the process's threads (under a
    lock) and reopened in a forked child, which must not use its parent's.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pid = 0

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            conn = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
            _configure_connection(conn)
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def write(
        self,
        insert_sql: str,
        rows: Sequence[Any],
        status_updates: Sequence[tuple[str, Mapping[str, Any]]],
    ) -> None:
        with self._lock:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(insert_sql, rows)
                for run_id, values in status_updates:
                    assignments = ", ".join(f"{column} = ?" for column in values)
                    conn.execute(
                        f"UPDATE runs SET {assignments} WHERE run_id = ?",  # our column names
                        (*values.values(), run_id),
                    )
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK")
                # The same errors as the SQLAlchemy path raises (IntegrityError, ...).
                raise sa.exc.DBAPIError.instance(
                    insert_sql, None, exc, sqlite3.Error, dialect=None
                ) from exc
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None


def sqlite_engine(path: Path) -> sa.Engine:
    """An engine on the SQLite file ``path`` with headwater's connection settings."""
    engine = sa.create_engine(f"sqlite:///{path}")

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_conn: Any, _record: Any) -> None:
        _configure_connection(dbapi_conn)

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        is_write = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if is_write else "BEGIN")

    return engine


def open_sqlite_storage(base_dir: Path, *, allow_behind: bool = False) -> SqlStorage:
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
    engine = sqlite_engine(path)
    write_engine = engine.execution_options(**{_WRITE_OPTION: True})
    if state == "empty":
        try:
            migrations.upgrade(write_engine, location=str(path))
        except sa.exc.OperationalError as exc:
            engine.dispose()
            raise StorageError(f"cannot create the database at {path}: {exc.orig}") from None
    return SqlStorage(
        engine,
        location=str(path),
        write_engine=write_engine,
        event_writer=SqliteEventWriter(path),
    )


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
        # A uniquely named file: several processes may open the instance at once.
        tempfile.TemporaryFile(dir=base_dir).close()
    except OSError as exc:
        raise InstanceError(
            f"the instance's storage folder {base_dir} is not writable: {exc.strerror}; "
            "set HEADWATER_HOME (or storage.sqlite.base_dir) to a writable folder"
        ) from None


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
