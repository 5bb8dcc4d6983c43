"""A scrolling view of one run's log: count the events that pass a filter, read a page of
them at any position.

A run can hold millions of events; a log view never reads them all. It asks how many pass
its filter, then reads the pages in view, by cursor when a neighbouring page is known
(``after``/``before`` a storage id: an index seek) and by position otherwise (``offset``
from the nearer end). SQL stores answer in the database; other stores filter in Python.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from headwater._dataclass import dataclass
from headwater.events import RunEvent
from headwater.storage.base import EventRecord, Storage
from headwater.storage.event_rows import READ_COLUMNS, read_event
from headwater.storage.sqlite import SqliteStorage

__all__ = ["LEVEL_RANGES", "LogFilter", "count_log", "level_name", "read_log_page"]

# A level name → the stored ``logging`` levels it covers, [low, high): the names events are
# shown with (a level between two names shows as the lower one).
LEVEL_RANGES = {
    "DEBUG": (-(2**31), logging.INFO),
    "INFO": (logging.INFO, logging.WARNING),
    "WARNING": (logging.WARNING, logging.ERROR),
    "ERROR": (logging.ERROR, logging.CRITICAL),
    "CRITICAL": (logging.CRITICAL, 2**31),
}


def level_name(level: int) -> str:
    """The name a stored ``logging`` level is shown (and filtered) as."""
    return next((n for n, (low, _high) in reversed(LEVEL_RANGES.items()) if level >= low), "DEBUG")


@dataclass(frozen=True, slots=True)
class LogFilter:
    """Which events a log view shows; an empty filter passes every event.

    Attributes:
        step_keys: keep events of these steps ("" keeps run-level events).
        levels: keep events at these level names (:data:`LEVEL_RANGES`).
        event_types: keep events of these stored kinds (``"LOG_MESSAGE"`` for logged lines).
        text: keep events whose message, step key, kind or job name contains this text,
            in any case.
    """

    step_keys: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    text: str = ""

    def matches(self, event: RunEvent) -> bool:
        """Whether ``event`` passes (the stores without SQL, and live events)."""
        if self.step_keys and (event.step_key or "") not in self.step_keys:
            return False
        if self.levels and not any(
            LEVEL_RANGES[name][0] <= event.level < LEVEL_RANGES[name][1] for name in self.levels
        ):
            return False
        if self.event_types and event.event_type.value not in self.event_types:
            return False
        if self.text:
            needle = self.text.lower()
            # The stored text (event[4]; '' for an observation), which the SQL form of
            # this test searches in the row's body: both must keep the same events.
            haystack = (event[4], event.step_key or "", event.event_type.value, event.job_name)
            return any(needle in part.lower() for part in haystack)
        return True


def count_log(storage: Storage, run_id: str, log_filter: LogFilter = LogFilter()) -> int:
    """How many of the run's events pass ``log_filter``."""
    read = _reader(storage)
    if read is None:
        return len(_generic(storage, run_id, log_filter, None, None))
    where, params = _where(run_id, log_filter, _mark(storage) == "%s")
    return int(read(f"SELECT count(*) FROM event_logs WHERE {where}", params)[0][0])


def read_log_page(
    storage: Storage,
    run_id: str,
    *,
    log_filter: LogFilter = LogFilter(),
    after: int | None = None,
    before: int | None = None,
    offset: int = 0,
    limit: int | None = None,
    from_end: bool = False,
) -> list[EventRecord]:
    """Events of a run that pass ``log_filter``, between the cursors ``after`` and ``before``
    (storage ids, exclusive), oldest first.

    Args:
        offset: skip this many passing events first (counted from the newest when
            ``from_end``): how a view jumps to a position far from any page it holds.
        limit: at most this many events.
        from_end: take the newest events of the range rather than the oldest (still
            answered oldest first).
    """
    read = _reader(storage)
    if read is None:
        records = _generic(storage, run_id, log_filter, after, before)
        if from_end:
            stop = len(records) - offset
            start = 0 if limit is None else max(0, stop - limit)
            return list(records[start : max(stop, 0)])
        return list(records[offset : None if limit is None else offset + limit])
    mark = _mark(storage)
    where, params = _where(run_id, log_filter, mark == "%s")
    if after is not None:
        where += f" AND id > {mark}"
        params.append(after)
    if before is not None:
        where += f" AND id < {mark}"
        params.append(before)
    sql = f"SELECT id, {', '.join(READ_COLUMNS)} FROM event_logs WHERE {where} ORDER BY id"
    sql += " DESC" if from_end else ""
    # An OFFSET needs a LIMIT before it in SQLite: no limit is -1 there, NULL in PostgreSQL.
    sql += f" LIMIT {mark} OFFSET {mark}"
    no_limit = None if mark == "%s" else -1
    params += [no_limit if limit is None else limit, offset]
    rows = read(sql, params)
    if from_end:
        rows.reverse()
    return [EventRecord(row[0], read_event(*row[1:])) for row in rows]


Reader = Callable[[str, list[Any]], list[Any]]


def _reader(storage: Storage) -> Reader | None:
    """How to run a SELECT on the store's database, or None for a store without SQL."""
    if isinstance(storage, SqliteStorage):
        return storage._read
    # The SQLAlchemy store's module is loaded only where one is in use (it imports
    # SQLAlchemy, which a SQLite web server never needs).
    sql_module = sys.modules.get("headwater.storage.sql")
    if sql_module is None or not isinstance(storage, sql_module.SqlStorage):
        return None
    engine = storage.engine

    def read(sql: str, params: list[Any]) -> list[Any]:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.exec_driver_sql(sql, tuple(params))]

    return read


def _mark(storage: Storage) -> str:
    """The driver's parameter mark: psycopg's for PostgreSQL, sqlite3's otherwise (the
    SQLAlchemy store may run on SQLite too)."""
    return "%s" if getattr(storage, "_is_postgres", False) else "?"


def _where(run_id: str, log_filter: LogFilter, is_postgres: bool) -> tuple[str, list[Any]]:
    mark = "%s" if is_postgres else "?"
    where = [f"run_id = {mark}"]
    params: list[Any] = [run_id]
    if log_filter.step_keys:
        keys = [k for k in log_filter.step_keys if k]
        either = [f"step_key IN ({', '.join(mark for _ in keys)})"] if keys else []
        if "" in log_filter.step_keys:
            either.append("step_key IS NULL")
        where.append(f"({' OR '.join(either)})")
        params += keys
    if log_filter.levels:
        spans = [LEVEL_RANGES[name] for name in log_filter.levels]
        where.append(
            "(" + " OR ".join(f"(level >= {mark} AND level < {mark})" for _ in spans) + ")"
        )
        params += [bound for span in spans for bound in span]
    if log_filter.event_types:
        where.append(f"event_type IN ({', '.join(mark for _ in log_filter.event_types)})")
        params += list(log_filter.event_types)
    if log_filter.text:
        where.append(_text_match(mark, "ILIKE" if is_postgres else "LIKE", is_postgres))
        text = _escape_like(log_filter.text)
        # The body is JSON (the event's job name, message, data and error): searching its
        # text first, as JSON writes it (quotes, backslashes and non-ASCII escaped), skips
        # decoding the bodies that cannot match; then the fields themselves, so that the
        # body's field names ("job_name", "message") match nothing. SQLite's LIKE ignores
        # ASCII case.
        quoted = _escape_like(json.dumps(log_filter.text)[1:-1])
        params += [f"%{text}%", f"%{text}%", f"%{quoted}%", f"%{text}%", f"%{text}%"]
    return " AND ".join(where), params


def _text_match(mark: str, like: str, is_postgres: bool) -> str:
    """The SQL of ``LogFilter.matches``'s text test: step, kind, message or job name."""

    def field(name: str) -> str:
        return f"(body::json ->> '{name}')" if is_postgres else f"json_extract(body, '$.{name}')"

    def has(column: str) -> str:
        return f"{column} {like} {mark} ESCAPE '\\'"

    in_body = f"{has(field('message'))} OR {has(field('job_name'))}"
    return f"({has('step_key')} OR {has('event_type')} OR ({has('body')} AND ({in_body})))"


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _generic(
    storage: Storage, run_id: str, log_filter: LogFilter, after: int | None, before: int | None
) -> Sequence[EventRecord]:
    records = storage.get_event_records(run_id, after=after, before=before)
    return [r for r in records if log_filter.matches(r.event)]
