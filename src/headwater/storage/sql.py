"""Runs, events and key-values in SQL with SQLAlchemy Core: one code path for both backends.

``sqlite.py`` and ``postgres.py`` build the engine and check the file or server; this module
only speaks the schema in ``schema.py``. Every write is one short transaction.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

import sqlalchemy as sa

from headwater.errors import InvariantViolationError
from headwater.events import EventType, RunEvent
from headwater.storage.base import (
    RUN_STATUS_FOR_EVENT,
    VERBOSE_EVENT_TYPES,
    VERBOSE_MAX_LEVEL,
    EventRecord,
    Storage,
)
from headwater.storage.event_rows import (
    READ_COLUMNS,
    ROW_COLUMNS as _EVENT_COLUMNS,
    ROW_WIDTH,
    dumps as _dumps,
    event_values,
    read_event,
)
from headwater.storage.runs import FINISHED_STATUSES, Run, RunStatus
from headwater.storage.schema import SCHEMA_HEAD, event_logs, kvs, run_tags, runs

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

__all__ = ["EventWriter", "SqlStorage"]


class EventWriter(Protocol):
    """A backend's own path for the hot write, appending events (SQLite: a connection kept
    open, without SQLAlchemy's per-transaction pool checkout and event hooks)."""

    def write(
        self,
        insert_sql: str,
        rows: Sequence[Any],
        status_updates: Sequence[tuple[str, Mapping[str, Any]]],
    ) -> None:
        """Insert ``rows`` and apply the runs' status updates, in one transaction."""

    def close(self) -> None:
        """Release the connection."""


_MATERIALIZATION = EventType.ASSET_MATERIALIZATION.value
_VERBOSE = sorted(t.value for t in VERBOSE_EVENT_TYPES)
_FINISHED = sorted(s.value for s in FINISHED_STATUSES)
# Namespace for the per-run advisory locks on PostgreSQL (see store_events).
_PG_EVENT_LOCK_SPACE = 7_202_402


# The columns of a stored event: its storage id, then what read_event takes.
_EVENT_READ = [event_logs.c.id, *(event_logs.c[name] for name in READ_COLUMNS)]


def _record(row: sa.Row[Any]) -> EventRecord:
    event = read_event(row.body, row.run_id, row.step_key, row.event_type, row.timestamp, row.level)
    return EventRecord(row.id, event)


def _run(row: sa.Row[Any]) -> Run:
    return Run(
        run_id=row.run_id,
        job_name=row.job_name,
        status=RunStatus(row.status),
        run_config=json.loads(row.run_config),
        tags=json.loads(row.tags),
        parent_run_id=row.parent_run_id,
        root_run_id=row.root_run_id,
        create_time=row.create_timestamp,
        start_time=row.start_timestamp,
        end_time=row.end_timestamp,
        code_origin=row.code_origin,
    )


def _status_values(status: RunStatus, at: float) -> dict[str, Any]:
    values: dict[str, Any] = {"status": status.value, "update_timestamp": time.time()}
    if status is RunStatus.STARTED:
        values["start_timestamp"] = at
    elif status.is_finished:
        values["end_timestamp"] = at
    return values


def _kv_insert(is_postgres: bool) -> postgresql.Insert | sqlite.Insert:
    """The dialect's ``INSERT`` into ``kvs``, which can say ``ON CONFLICT`` (Core has no
    portable form); only the engine's dialect is imported, since PostgreSQL's costs every
    SQLite start about 25 ms."""
    insert: postgresql.Insert | sqlite.Insert
    if is_postgres:
        from sqlalchemy.dialects import postgresql

        insert = postgresql.insert(kvs)
    else:
        from sqlalchemy.dialects import sqlite

        insert = sqlite.insert(kvs)
    return insert


def _kv_upsert(insert: postgresql.Insert | sqlite.Insert) -> sa.Insert:
    """``INSERT ... ON CONFLICT (key) DO UPDATE`` into ``kvs``."""
    excluded = insert.excluded
    return insert.on_conflict_do_update(
        index_elements=[kvs.c.key],
        set_={"value": excluded.value, "update_timestamp": excluded.update_timestamp},
    )


class SqlStorage(Storage):
    """Storage in a SQL database whose schema is at :data:`SCHEMA_HEAD`.

    Built by ``open_sqlite_storage`` / ``open_postgres_storage``, which check the database
    first; constructing it directly skips those checks.

    Args:
        engine: a SQLAlchemy engine on the database.
        location: the database as shown to people (no password).
        write_engine: the engine for writes, when they need other options than reads
            (SQLite takes its write lock at ``BEGIN IMMEDIATE``); defaults to ``engine``.
    """

    def __init__(
        self,
        engine: sa.Engine,
        *,
        location: str,
        write_engine: sa.Engine | None = None,
        event_writer: EventWriter | None = None,
    ) -> None:
        self._engine = engine
        self._event_writer = event_writer
        self._write_engine = write_engine or engine
        self._location = location
        self._is_postgres = engine.dialect.name == "postgresql"
        self._kv_insert = _kv_insert(self._is_postgres)
        self._kv_upsert = _kv_upsert(self._kv_insert)
        # The event insert goes to the driver's executemany as plain tuples: SQLAlchemy's
        # per-row parameter processing would cost a third of the write time, for nothing
        # (these columns need no type conversion).
        compiled = (
            event_logs.insert().inline().compile(dialect=engine.dialect, column_keys=_EVENT_COLUMNS)
        )
        self._insert_events_sql = str(compiled)
        self._insert_order = compiled.positiontup if compiled.positional else None

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine (for tools; headwater code goes through the methods)."""
        return self._engine

    @property
    def write_engine(self) -> sa.Engine:
        """The engine writes go through (on SQLite: one that begins with the write lock)."""
        return self._write_engine

    @property
    def location(self) -> str:
        return self._location

    @property
    def schema_version(self) -> str | None:
        return SCHEMA_HEAD

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        with self._write_engine.begin() as conn:
            yield conn

    # runs -----------------------------------------------------------------------------

    def add_run(self, run: Run) -> None:
        self.add_runs([run])

    def add_runs(
        self, new_runs: Sequence[Run], *, claims: Mapping[str, str] | None = None
    ) -> set[str]:
        now = time.time()
        with self._write() as conn:
            refused = set()
            if claims:
                rows = [{"key": k, "value": v, "update_timestamp": now} for k, v in claims.items()]
                insert = self._kv_insert.on_conflict_do_nothing(index_elements=[kvs.c.key])
                inserted = {row.key for row in conn.execute(insert.returning(kvs.c.key), rows)}
                refused = {v for k, v in claims.items() if k not in inserted}
            recorded = set()
            for run in new_runs:
                if run.run_id not in refused:
                    self._insert_run(conn, run, now)
                    recorded.add(run.run_id)
        return recorded

    @staticmethod
    def _insert_run(conn: sa.Connection, run: Run, now: float) -> None:
        exists = conn.execute(sa.select(runs.c.id).where(runs.c.run_id == run.run_id))
        if exists.first() is not None:
            raise InvariantViolationError(f"run {run.run_id} already exists in this instance")
        conn.execute(
            runs.insert().values(
                run_id=run.run_id,
                job_name=run.job_name,
                status=run.status.value,
                run_config=_dumps(dict(run.run_config)),
                tags=_dumps(dict(run.tags)),
                parent_run_id=run.parent_run_id,
                root_run_id=run.root_run_id,
                code_origin=run.code_origin,
                create_timestamp=run.create_time,
                start_timestamp=run.start_time,
                end_timestamp=run.end_time,
                update_timestamp=now,
            )
        )
        if run.tags:
            rows = [{"run_id": run.run_id, "key": k, "value": v} for k, v in run.tags.items()]
            conn.execute(run_tags.insert(), rows)

    def get_run(self, run_id: str) -> Run | None:
        with self._engine.connect() as conn:
            row = conn.execute(sa.select(runs).where(runs.c.run_id == run_id)).first()
        return None if row is None else _run(row)

    def update_run_status(self, run_id: str, status: RunStatus, *, at: float) -> None:
        with self._write() as conn:
            conn.execute(
                runs.update().where(runs.c.run_id == run_id).values(**_status_values(status, at))
            )

    def get_runs(
        self,
        *,
        statuses: Sequence[RunStatus] = (),
        job_name: str | None = None,
        tags: Mapping[str, str] | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> list[Run]:
        query = sa.select(runs).order_by(runs.c.id.desc())
        if statuses:
            query = query.where(runs.c.status.in_([s.value for s in statuses]))
        if job_name is not None:
            query = query.where(runs.c.job_name == job_name)
        for key, value in (tags or {}).items():
            tagged = sa.select(run_tags.c.run_id).where(
                run_tags.c.key == key, run_tags.c.value == value
            )
            query = query.where(runs.c.run_id.in_(tagged))
        if cursor is not None:
            start = sa.select(runs.c.id).where(runs.c.run_id == cursor).scalar_subquery()
            query = query.where(runs.c.id < start)
        if limit is not None:
            query = query.limit(limit)
        with self._engine.connect() as conn:
            return [_run(row) for row in conn.execute(query)]

    def count_runs(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(runs)).scalar_one())

    def delete_run(self, run_id: str) -> None:
        with self._write() as conn:
            conn.execute(event_logs.delete().where(event_logs.c.run_id == run_id))
            conn.execute(run_tags.delete().where(run_tags.c.run_id == run_id))
            conn.execute(runs.delete().where(runs.c.run_id == run_id))

    def wipe(self) -> None:
        with self._write() as conn:
            for table in (event_logs, run_tags, runs):
                conn.execute(table.delete())

    # events ---------------------------------------------------------------------------

    def store_events(self, events: Sequence[RunEvent]) -> None:
        if not events:
            return
        # One pass over the events (event_row builds a batch of one per event), then a
        # tuple per row, as the driver takes them.
        rows = list(zip(*[iter(event_values(events))] * ROW_WIDTH, strict=True))
        if self._event_writer is not None:
            updates = []
            for event in events:
                status = RUN_STATUS_FOR_EVENT.get(event.event_type)
                if status is not None:
                    updates.append((event.run_id, _status_values(status, event.timestamp)))
            self._event_writer.write(self._insert_events_sql, self._driver_rows(rows), updates)
            return
        with self._write() as conn:
            if self._is_postgres:
                # Ids come from a sequence at insert time, but become visible at commit: two
                # writers of one run could commit out of id order and a reader tailing with a
                # cursor would skip the earlier ids. Holding a per-run lock until commit makes
                # commit order equal id order within a run. SQLite's single writer needs none.
                for run_id in sorted({e.run_id for e in events}):
                    conn.execute(
                        sa.text("SELECT pg_advisory_xact_lock(:space, hashtext(:run_id))"),
                        {"space": _PG_EVENT_LOCK_SPACE, "run_id": run_id},
                    )
            conn.exec_driver_sql(self._insert_events_sql, self._driver_rows(rows))
            for event in events:
                status = RUN_STATUS_FOR_EVENT.get(event.event_type)
                if status is not None:
                    conn.execute(
                        runs.update()
                        .where(runs.c.run_id == event.run_id)
                        .values(**_status_values(status, event.timestamp))
                    )

    def _driver_rows(self, rows: list[tuple[Any, ...]]) -> list[Any]:
        if self._insert_order is None:  # named parameters (psycopg)
            return [dict(zip(_EVENT_COLUMNS, row, strict=True)) for row in rows]
        if tuple(self._insert_order) == _EVENT_COLUMNS:
            return rows
        index = [_EVENT_COLUMNS.index(name) for name in self._insert_order]
        return [tuple(row[i] for i in index) for row in rows]

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
        query = sa.select(*_EVENT_READ).where(event_logs.c.run_id == run_id)
        if after is not None:
            query = query.where(event_logs.c.id > after)
        if before is not None:
            query = query.where(event_logs.c.id < before)
        if event_types:
            query = query.where(event_logs.c.event_type.in_([t.value for t in event_types]))
        query = query.order_by(event_logs.c.id if ascending else event_logs.c.id.desc())
        if limit is not None:
            query = query.limit(limit)
        with self._engine.connect() as conn:
            return [_record(row) for row in conn.execute(query)]

    def count_events(self) -> int:
        with self._engine.connect() as conn:
            count = conn.execute(sa.select(sa.func.count()).select_from(event_logs))
            return int(count.scalar_one())

    def get_latest_materializations(
        self, asset_keys: Sequence[str] | None = None
    ) -> dict[str, EventRecord]:
        newest = sa.select(sa.func.max(event_logs.c.id).label("id")).where(
            event_logs.c.event_type == _MATERIALIZATION, event_logs.c.asset_key.is_not(None)
        )
        if asset_keys is not None:
            newest = newest.where(event_logs.c.asset_key.in_(list(asset_keys)))
        ids = newest.group_by(event_logs.c.asset_key).subquery()
        query = sa.select(*_EVENT_READ, event_logs.c.asset_key).join(
            ids, event_logs.c.id == ids.c.id
        )
        with self._engine.connect() as conn:
            return {row.asset_key: _record(row) for row in conn.execute(query)}

    def delete_verbose_events(self, *, finished_before: float) -> tuple[int, int]:
        old = sa.select(runs.c.run_id).where(
            runs.c.status.in_(_FINISHED), runs.c.end_timestamp < finished_before
        )
        with self._engine.connect() as conn:
            run_ids: list[str] = list(conn.execute(old).scalars())
        deleted = 0
        # One transaction per run keeps the write lock short: live runs keep writing.
        for run_id in run_ids:
            with self._write() as conn:
                result = conn.execute(
                    event_logs.delete().where(
                        event_logs.c.run_id == run_id,
                        event_logs.c.event_type.in_(_VERBOSE),
                        event_logs.c.level < VERBOSE_MAX_LEVEL,
                    )
                )
                deleted += result.rowcount
        return len(run_ids), deleted

    # key-value state ------------------------------------------------------------------

    def kv_get(self, keys: Sequence[str]) -> dict[str, str]:
        if not keys:
            return {}
        query = sa.select(kvs.c.key, kvs.c.value).where(kvs.c.key.in_(list(keys)))
        with self._engine.connect() as conn:
            return {row.key: row.value for row in conn.execute(query)}

    def kv_set(self, values: Mapping[str, str]) -> None:
        if not values:
            return
        now = time.time()
        rows = [{"key": k, "value": v, "update_timestamp": now} for k, v in values.items()]
        with self._write() as conn:
            conn.execute(self._kv_upsert, rows)

    def kv_compare_and_set(self, key: str, expected: str | None, value: str) -> bool:
        now = time.time()
        with self._write() as conn:
            if expected is None:
                # A unique key makes the insert itself the comparison: one writer wins.
                try:
                    with conn.begin_nested():
                        conn.execute(
                            kvs.insert().values(key=key, value=value, update_timestamp=now)
                        )
                except sa.exc.IntegrityError:
                    return False
                return True
            result = conn.execute(
                kvs.update()
                .where(kvs.c.key == key, kvs.c.value == expected)
                .values(value=value, update_timestamp=now)
            )
            return bool(result.rowcount == 1)

    def kv_insert_new(self, values: Mapping[str, str]) -> set[str]:
        if not values:
            return set()
        now = time.time()
        rows = [{"key": k, "value": v, "update_timestamp": now} for k, v in values.items()]
        insert = self._kv_insert.on_conflict_do_nothing(index_elements=[kvs.c.key])
        with self._write() as conn:
            return {row.key for row in conn.execute(insert.returning(kvs.c.key), rows)}

    def close(self) -> None:
        if self._event_writer is not None:
            self._event_writer.close()
        self._engine.dispose()
