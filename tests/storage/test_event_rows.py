"""Events stored as rows read back as the same events, in the body format of revision 0003
and in the whole-event body rows written before it."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from headwater.events import ErrorInfo, EventType, RunEvent, make_event
from headwater.storage.event_rows import (
    _generic_body,
    dumps,
    event_body,
    event_row,
    event_values,
    read_event,
)


def _error() -> ErrorInfo:
    try:
        try:
            raise ValueError("the cause")
        except ValueError as cause:
            raise KeyError("missing ünïcode key") from cause
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
    "nested data": _event(data={"asset_key": ["a", "b"], "meta": {"n": None, "t": [1, 2.5]}}),
    "read-only mapping data": _event(data=MappingProxyType({"k": "v"})),
    "error with cause": _event(event_type=EventType.STEP_FAILURE, error=_error(), level=40),
    "log line (a type hidden from the enum)": _event(event_type=EventType.LOG_MESSAGE),
    "run event": _event(event_type=EventType.RUN_START, step_key=None),
    "job name not a str": _event(job_name=None),
}


def _row_fields(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """What read_event takes, from what event_row makes (body first)."""
    run_id, step_key, event_type, _asset_key, timestamp, level, body = row
    return body, run_id, step_key, event_type, timestamp, level


@pytest.mark.parametrize("event", CASES.values(), ids=list(CASES))
def test_an_event_reads_back_from_its_row(event: RunEvent) -> None:
    assert event_body(event) == _generic_body(event)  # the fast path writes the same text
    assert read_event(*_row_fields(event_row(event))) == event._replace(data=dict(event.data))


@pytest.mark.parametrize("event", CASES.values(), ids=list(CASES))
def test_a_row_written_before_revision_0003_reads_back(event: RunEvent) -> None:
    whole = dumps(event.to_dict())  # the body as revision 0002 wrote it
    old_row = (*event_row(event)[:6], whole)
    assert read_event(*_row_fields(old_row)) == RunEvent.from_dict(json.loads(whole))
    assert read_event(*_row_fields(old_row)) == event._replace(data=dict(event.data))


def test_the_body_leaves_out_what_the_columns_hold() -> None:
    assert json.loads(event_body(_event())) == {
        "job_name": "chain",
        "message": 'Finished "step_7" in 0.163ms.',
        "data": {"duration_ms": 0.16331199998376178},
    }
    assert event_body(_event(data={}, message="")) == '{"job_name":"chain","message":""}'


def test_unusual_values_take_the_generic_path() -> None:
    event = _event(
        message=type("S", (str,), {})("sub"),
        data={"p": Path("/x"), 1: "int key", "t": (1, 2)},
    )
    assert event_body(event) == _generic_body(event)
    assert json.loads(event_body(event))["data"] == {"p": "/x", "1": "int key", "t": [1, 2]}


def test_row_columns() -> None:
    event = _event(data={"asset_key": ["a", "b"]})
    assert event_row(event)[:6] == (
        event.run_id,
        "step_7",
        "STEP_SUCCESS",
        "a/b",
        event.timestamp,
        logging.DEBUG,
    )
    assert event_row(_event(data={}))[3] is None
    for event_type in [*EventType, EventType.LOG_MESSAGE]:
        assert event_row(_event(event_type=event_type))[2] == event_type.value


def test_a_batchs_values_are_its_rows_each_as_alone() -> None:
    # One pass over the batch remembers the last job name's JSON: a batch mixing job names
    # (or holding one that is not a str) must still give each event its own.
    events = [*CASES.values(), _event(job_name="other"), *CASES.values()]
    alone = [v for event in events for v in event_row(event)]
    assert event_values(events) == alone
    assert [json.loads(body)["job_name"] for body in alone[6::7]] == [e.job_name for e in events]


def test_a_cycle_in_data_fails_as_the_json_module_says() -> None:
    data: dict[str, Any] = {}
    data["self"] = data
    with pytest.raises(ValueError, match="Circular reference detected"):
        event_body(_event(data=data))
    assert event_body(_event()) == _generic_body(_event())  # the encoder still works
