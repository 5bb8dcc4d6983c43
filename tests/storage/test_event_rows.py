"""The stored body of an event is the JSON of ``to_dict()``, character for character, and
reads back as the same event (rows written by any version stay readable)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from headwater.events import ErrorInfo, EventType, RunEvent, make_event
from headwater.storage.event_rows import dumps, event_body, event_row


def _error() -> ErrorInfo:
    try:
        raise KeyError("missing ünïcode key")
    except KeyError as exc:
        return ErrorInfo.from_exception(exc)


def _event(**changes: Any) -> RunEvent:
    fields: dict[str, Any] = {
        "event_type": EventType.STEP_SUCCESS,
        "run_id": "8c401abf-1327-415c-9887-34aa7933dad4",
        "job_name": "chain",
        "timestamp": 1796558545.6862652,
        "message": 'Finished "step_7" in 0.163ms.',
        "step_key": "step_7",
        "level": logging.DEBUG,
        "data": {"duration_ms": 0.16331199998376178},
        "error": None,
    }
    fields.update(changes)
    return make_event(**fields)


CASES = {
    "step event": _event(),
    "run event, no step, empty data": _event(step_key=None, data={}, message=""),
    "escapes and non-ASCII text": _event(
        message='a "quoted"\\ line\nwith tab\t, é, 漢字 and 🎉', job_name="jöb", step_key="s\u2028"
    ),
    "nested data, a Path, a tuple": _event(
        data={"asset_key": ["a", "b"], "meta": {"p": Path("/x"), "n": None, "t": (1, 2.5)}}
    ),
    "read-only mapping data": _event(data=MappingProxyType({"k": "v"})),
    "non-str keys": _event(data={1: "one", None: "none"}),
    "error with cause": _event(event_type=EventType.STEP_FAILURE, error=_error(), level=40),
    "int timestamp": _event(timestamp=1796558545),
    "NaN timestamp": _event(timestamp=float("nan")),
    "infinite timestamp": _event(timestamp=float("inf")),
    "bool level": _event(level=True),
    "float subclass": _event(timestamp=type("F", (float,), {})(1.5)),
    "str subclass": _event(message=type("S", (str,), {})("sub")),
}


@pytest.mark.parametrize("event", CASES.values(), ids=list(CASES))
def test_body_is_the_json_of_to_dict(event: RunEvent) -> None:
    assert event_body(event) == dumps(event.to_dict())
    back = RunEvent.from_dict(json.loads(event_body(event)))
    assert back.to_dict() == json.loads(dumps(event.to_dict()))


def test_every_event_type_encodes_alike() -> None:
    # LOG_MESSAGE is hidden from iteration over the enum, and the commonest in a log.
    for event_type in [*EventType, EventType.LOG_MESSAGE, EventType("RUN_START")]:
        event = _event(event_type=event_type)
        assert event_body(event) == dumps(event.to_dict())
        assert event_row(event)[2] == event_type.value


def test_row_columns() -> None:
    event = _event(data={"asset_key": ["a", "b"]})
    assert event_row(event) == (
        event.run_id,
        "step_7",
        "STEP_SUCCESS",
        "a/b",
        event.timestamp,
        logging.DEBUG,
        event_body(event),
    )
    assert event_row(_event(data={}))[3] is None
