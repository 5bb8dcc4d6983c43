"""An event as a row of ``event_logs``, for both SQL backends: its columns and its JSON body.

The body is the whole event as JSON, exactly the text ``json`` makes of ``event.to_dict()``
(keys in that order, no spaces, ASCII with escapes): every reader, and every row written
before, reads it with ``json.loads`` and ``RunEvent.from_dict``. It is built here field by
field rather than through ``to_dict()`` and the encoder: a run writes several events per
step, and building the dict, then encoding it generically (a new C encoder per call, an
enum lookup per value), cost four times what writing the few fields directly does. Anything
unusual (a timestamp that is not a finite float, a non-int level, non-str texts) takes the
generic path, so the text never differs (``tests/storage/test_event_rows.py`` checks both).
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring_ascii
from collections.abc import Callable
from typing import Any

from headwater.events import EventType, RunEvent
from headwater.storage.base import asset_key_string

__all__ = ["dumps", "event_body", "event_row"]

# default=str: a run config or event payload holding a Path or datetime is recorded in its
# readable form rather than failing the run that produced it. One encoder, built once.
dumps = json.JSONEncoder(default=str, separators=(",", ":")).encode

_quote = encode_basestring_ascii  # the C function json uses for str values
_float_repr = float.__repr__  # json's spelling of a finite float
_isfinite = math.isfinite


class _PerType(dict[EventType, str]):
    """Text derived from an event type, computed on first use (an enum's ``.value`` is a
    descriptor call, a dict lookup is not; and not every type is an enum member to list:
    ``LOG_MESSAGE`` is hidden from iteration)."""

    def __init__(self, make: Callable[[str], str]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, event_type: EventType) -> str:
        text = self[event_type] = self._make(event_type.value)
        return text


# The body's opening up to the run id's value, and the event_type column.
_OPENINGS = _PerType(lambda value: f'{{"event_type":{_quote(value)},"run_id":')
_VALUES = _PerType(str)


def event_body(event: RunEvent) -> str:
    """The stored JSON text of ``event``: ``json`` of ``event.to_dict()``, character for
    character."""
    event_type, run_id, job_name, timestamp, message, step_key, level, data, error = event
    if not (
        type(timestamp) is float
        and _isfinite(timestamp)
        and type(level) is int
        and type(run_id) is str
        and type(job_name) is str
        and type(message) is str
        and (step_key is None or type(step_key) is str)
        and type(event_type) is EventType
    ):
        return dumps(event.to_dict())
    return (
        f"{_OPENINGS[event_type]}{_quote(run_id)},"
        f'"job_name":{_quote(job_name)},'
        f'"timestamp":{_float_repr(timestamp)},'
        f'"message":{_quote(message)},'
        f'"step_key":{"null" if step_key is None else _quote(step_key)},'
        f'"level":{level},'
        # dict() as to_dict does: the encoder takes only real dicts as objects.
        f'"data":{dumps(data if type(data) is dict else dict(data)) if data else "{}"},'
        f'"error":{"null" if error is None else dumps(error.to_dict())}}}'
    )


def event_row(event: RunEvent) -> tuple[Any, ...]:
    """``(run_id, step_key, event_type, asset_key, timestamp, level, body)`` of ``event``."""
    data = event.data
    return (
        event.run_id,
        event.step_key,
        _VALUES[event.event_type],
        asset_key_string(data.get("asset_key")) if data else None,
        event.timestamp,
        event.level,
        event_body(event),
    )
