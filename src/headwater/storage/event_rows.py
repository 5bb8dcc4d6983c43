"""An event as a row of ``event_logs`` and back, for both SQL backends.

A row holds the event's ``run_id``, ``step_key``, ``event_type``, ``timestamp`` and ``level``
in columns, and the rest in ``body``, a JSON object: ``job_name``, ``message``, and ``data``
and ``error`` when the event has them (``{"job_name":"j","message":"m","data":{"n":1}}``).
Rows written before schema revision 0003 hold the whole event in ``body`` (the JSON of
``RunEvent.to_dict()``, which has an ``event_type`` key); :func:`read_event` reads both.

The body leaves out what the columns hold: a run writes several events per step, and
spelling the timestamp in decimal cost more than the rest of the body together. It is built
field by field rather than through a dict and the generic encoder (a new C encoder per call);
anything unusual (non-str texts, a mapping that is not a dict) takes the generic path, which
writes the same text (``tests/storage/test_event_rows.py`` checks both).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from types import MappingProxyType
from typing import Any

from headwater.events import ErrorInfo, EventType, RunEvent, make_event
from headwater.storage.base import asset_key_string

__all__ = [
    "READ_COLUMNS",
    "ROW_COLUMNS",
    "ROW_WIDTH",
    "dumps",
    "event_body",
    "event_row",
    "event_values",
    "read_event",
]

# default=str: a run config or event payload holding a Path or datetime is recorded in its
# readable form rather than failing the run that produced it. One encoder, built once.
dumps = json.JSONEncoder(default=str, separators=(",", ":")).encode
_loads = json.loads
_quote = encode_basestring_ascii  # the C function json uses for str values
_EMPTY: Any = MappingProxyType({})


class _Values(dict[EventType, str]):
    """The ``event_type`` column of each type, filled on first use: an enum's ``.value`` is a
    descriptor call, a dict lookup is not (and ``LOG_MESSAGE`` is hidden from iterating the
    enum, so the table cannot be listed up front)."""

    def __missing__(self, event_type: EventType) -> str:
        value = self[event_type] = str(event_type.value)
        return value


_VALUES = _Values()


def _c_encoder() -> Callable[[Any, int], Any] | None:
    """The C encoder ``dumps`` builds anew on each call, built once: the ``data`` of every
    event passes here. ``None`` where json has no C part.

    Without the markers dict that catches cycles (it costs a dict write and delete per
    container): a cycle ends in a RecursionError, after which the generic encoder says
    "Circular reference detected", as ``dumps`` would."""
    if c_make_encoder is None:
        return None
    return c_make_encoder(None, str, _quote, None, ":", ",", False, False, True)  # type: ignore[no-any-return]


_ENCODER = _c_encoder()


def _dumps_dict(data: Mapping[str, Any]) -> str:
    """``dumps(data)``, through the one C encoder."""
    if _ENCODER is not None:
        try:
            # The encoder takes only real dicts as objects.
            return "".join(_ENCODER(data if type(data) is dict else dict(data), 0))
        except Exception:
            pass  # the generic encoder raises it (or, for a cycle another thread's write
            # seemed to make, writes the text)
    return dumps(data)


_TYPES: dict[str, EventType] = {}  # the column's value → its type, filled as read


def _generic_body(event: RunEvent) -> str:
    body: dict[str, Any] = {"job_name": event.job_name, "message": event[4]}
    if event.data:
        body["data"] = dict(event.data)  # the encoder takes only real dicts as objects
    if event.error is not None:
        body["error"] = event.error.to_dict()
    return dumps(body)


def event_body(event: RunEvent) -> str:
    """The ``body`` column of ``event``: the JSON of its job name, message, data and error."""
    return event_values((event,))[6]  # type: ignore[no-any-return]


def event_row(event: RunEvent) -> tuple[Any, ...]:
    """``(run_id, step_key, event_type, asset_key, timestamp, level, body)`` of ``event``."""
    return tuple(event_values((event,)))


_UNSET: Any = object()

# Values per event in event_values' list: the columns of ROW_COLUMNS.
ROW_COLUMNS = ("run_id", "step_key", "event_type", "asset_key", "timestamp", "level", "body")
ROW_WIDTH = len(ROW_COLUMNS)


def event_values(events: Iterable[RunEvent]) -> list[Any]:
    """The rows of ``events`` as one flat list, ``ROW_WIDTH`` values each (``ROW_COLUMNS``).

    Flat, in one pass: a step writes about six events, and building a tuple per row (and a
    frame per field) cost as much as the SQL that stores them. A writer that leaves a
    column out of its statement drops it with a slice (``del values[3::ROW_WIDTH]``).
    """
    values: list[Any] = []
    add = values.extend
    job_name: Any = _UNSET  # the last job name seen, a str, and its JSON
    job_json = ""
    for event in events:
        # A tuple's fields in one step (each attribute is a descriptor call).
        kind, run_id, job, timestamp, message, step_key, level, data, error = event
        if job is not job_name and type(job) is str:
            job_name, job_json = job, _quote(job)  # a batch's events share their run's
        if job is job_name and type(message) is str and error is None:
            # One f-string per body: each ``+=`` would copy the text so far.
            text = _quote(message)
            if data:
                body = f'{{"job_name":{job_json},"message":{text},"data":{_dumps_dict(data)}}}'
            else:
                body = f'{{"job_name":{job_json},"message":{text}}}'
        else:  # failures (with an error) are rare
            body = _generic_body(event)
        asset_key = data.get("asset_key") if data else None
        if asset_key is not None:
            asset_key = asset_key_string(asset_key)
        add((run_id, step_key, _VALUES[kind], asset_key, timestamp, level, body))
    return values


# The columns read_event takes, after the storage id, in its order.
READ_COLUMNS = ("body", "run_id", "step_key", "event_type", "timestamp", "level")


def read_event(
    body: str, run_id: str, step_key: str | None, event_type: str, timestamp: float, level: int
) -> RunEvent:
    """The event of a stored row (of any revision)."""
    fields = _loads(body)
    if "event_type" in fields:  # written before revision 0003: the whole event
        return RunEvent.from_dict(fields)
    kind = _TYPES.get(event_type)
    if kind is None:
        kind = _TYPES[event_type] = EventType(event_type)
    error = fields.get("error")
    return make_event(
        kind,
        run_id,
        fields["job_name"],
        timestamp,
        fields.get("message", ""),
        step_key,
        level,
        fields.get("data") or _EMPTY,
        ErrorInfo.from_dict(error) if error else None,
    )
