"""_jsonwire gives what json.loads and json.dumps give: the same values, text and errors."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from headwater_pipes import PipesError, _jsonwire, protocol
from headwater_pipes.protocol import encode_message

DOCUMENTS = [
    '{"a": 1}',
    '  \n\t{"a": [1, 2.5, -3e-2, true, false, null]}\r\n ',
    '"h\\u00e9llo \\u2603 \\"q\\"\\n"',
    "[]",
    "0",
    "-0.0",
    "1e400",
    '{"big": 123456789012345678901234567890}',
    '{"dup": 1, "dup": 2}',
    '{"é": "☃"}',
    '{"surrogate": "\\ud83d\\ude00"}',
]

BAD_DOCUMENTS = [
    "",
    "   ",
    "{oops",
    '{"a": 1} x',
    '{"a": 1}{"b": 2}',
    "\ufeff{}",
    '{"a": "tab\there"}',  # a raw control character: json's strict mode refuses it
    "[1,]",
    "nul",
    '"unterminated',
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_loads_gives_json_loads_value(text: str) -> None:
    assert _jsonwire.loads(text) == json.loads(text)
    assert json.dumps(_jsonwire.loads(text)) == json.dumps(json.loads(text))


def test_loads_reads_the_constants_as_json_does() -> None:
    value = _jsonwire.loads("[NaN, Infinity, -Infinity]")
    assert math.isnan(value[0])
    assert value[1:] == [math.inf, -math.inf]


@pytest.mark.parametrize("text", BAD_DOCUMENTS)
def test_loads_raises_json_loads_error(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(json.JSONDecodeError) as got:
        _jsonwire.loads(text)
    assert (str(got.value), got.value.pos) == (str(expected.value), expected.value.pos)


def test_loads_of_bytes_is_json_loads() -> None:
    assert _jsonwire.loads(b'{"a": 1}') == {"a": 1}  # type: ignore[arg-type]  # on purpose


VALUES: list[Any] = [
    {"message": 'héllo \u2603 "quoted"\n\ttab\x00', "level": "INFO"},
    {"f": 1.5, "nan": float("nan"), "inf": float("-inf"), "n": None, "big": 10**30},
    {"nested": [1, [2, {"3": True}], ()], 4: "int key", None: False, 1.5: "float key"},
    "just a string",
    3.0,
    [],
    {},
]


@pytest.mark.parametrize("value", VALUES)
def test_dumps_and_encode_message_write_json_dumps_text(value: Any) -> None:
    assert _jsonwire.dumps(value) == json.dumps(value)
    message: Any = {"__dagster_pipes_version": "0.1", "method": "m", "params": {"v": value}}
    assert encode_message(message) == json.dumps(message)


def _cycle() -> list[object]:
    cycle: list[object] = []
    cycle.append(cycle)
    return cycle


@pytest.mark.parametrize(
    "value",
    [{"when": {1, 2}}, {(1, 2): "x"}, [b"bytes"], _cycle()],
    ids=["set", "tuple-key", "bytes", "cycle"],
)
def test_dumps_raises_json_dumps_error(value: Any) -> None:
    with pytest.raises((TypeError, ValueError)) as expected:
        json.dumps(value)
    with pytest.raises((TypeError, ValueError)) as got:
        _jsonwire.dumps(value)
    assert (type(got.value), str(got.value)) == (type(expected.value), str(expected.value))


def test_without_the_c_module_json_does_the_work(monkeypatch: pytest.MonkeyPatch) -> None:
    # As on an interpreter without _json (PyPy): the json package, same results.
    monkeypatch.setattr(_jsonwire, "_scan", None)
    monkeypatch.setattr(_jsonwire, "_encode", None)
    monkeypatch.setattr(protocol, "_encode", None)  # encode_message's own reference
    assert _jsonwire.loads(' {"a": [1, 2]} ') == {"a": [1, 2]}
    assert _jsonwire.dumps({"é": 1}) == '{"\\u00e9": 1}'
    message: Any = {"__dagster_pipes_version": "0.1", "method": "m", "params": {"é": 1}}
    assert encode_message(message) == json.dumps(message)
    message["params"] = {"c": _cycle()}
    with pytest.raises(PipesError, match="Circular reference detected"):
        encode_message(message)
