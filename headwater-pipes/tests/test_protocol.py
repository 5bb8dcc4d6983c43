"""The wire constants and encodings, checked against the real dagster_pipes package."""

from __future__ import annotations

import base64
import json
import re
import zlib
from typing import get_args

import dagster_pipes
import pytest

from headwater_pipes import protocol
from headwater_pipes.protocol import PipesError, decode_env_var, decode_message, encode_env_var


def test_constants_match_dagster_pipes() -> None:
    assert protocol.PIPES_PROTOCOL_VERSION == dagster_pipes.PIPES_PROTOCOL_VERSION == "0.1"
    assert protocol.PIPES_PROTOCOL_VERSION_FIELD == dagster_pipes.PIPES_PROTOCOL_VERSION_FIELD
    assert protocol.DAGSTER_PIPES_CONTEXT_ENV_VAR == dagster_pipes.DAGSTER_PIPES_CONTEXT_ENV_VAR
    assert protocol.DAGSTER_PIPES_MESSAGES_ENV_VAR == dagster_pipes.DAGSTER_PIPES_MESSAGES_ENV_VAR
    assert (
        protocol.DAGSTER_PIPES_CONTEXT_CLI_ARGUMENT
        == dagster_pipes.DAGSTER_PIPES_CONTEXT_CLI_ARGUMENT
    )
    assert (
        protocol.DAGSTER_PIPES_MESSAGES_CLI_ARGUMENT
        == dagster_pipes.DAGSTER_PIPES_MESSAGES_CLI_ARGUMENT
    )
    assert protocol.PIPES_METADATA_TYPE_INFER == dagster_pipes.PIPES_METADATA_TYPE_INFER


def test_method_and_metadata_type_names_match_dagster_pipes() -> None:
    assert get_args(dagster_pipes.Method) == protocol.PIPES_METHODS
    assert get_args(protocol.PipesMethod) == protocol.PIPES_METHODS
    assert get_args(dagster_pipes.PipesMetadataType) == protocol.PIPES_METADATA_TYPES
    assert get_args(protocol.PipesMetadataType) == protocol.PIPES_METADATA_TYPES
    assert get_args(dagster_pipes.PipesAssetCheckSeverity) == protocol.PIPES_ASSET_CHECK_SEVERITIES


def test_typed_dict_keys_match_dagster_pipes() -> None:
    pairs = [
        (protocol.PipesContextData, dagster_pipes.PipesContextData),
        (protocol.PipesMessage, dagster_pipes.PipesMessage),
        (protocol.PipesException, dagster_pipes.PipesException),
        (protocol.PipesMetadataValue, dagster_pipes.PipesMetadataValue),
        (protocol.PipesDataProvenance, dagster_pipes.PipesDataProvenance),
        (protocol.PipesPartitionKeyRange, dagster_pipes.PipesPartitionKeyRange),
        (protocol.PipesTimeWindow, dagster_pipes.PipesTimeWindow),
        (protocol.PipesOpenedData, dagster_pipes.PipesOpenedData),
    ]
    for ours, theirs in pairs:
        # dagster_pipes declares PipesMessage with class syntax, which name-mangles the
        # "__dagster_pipes_version" key in its annotations; ours keeps the wire key as is.
        their_keys = {k.replace("_PipesMessage__", "__") for k in theirs.__annotations__}
        assert set(ours.__annotations__) == their_keys, ours.__name__
    assert "__dagster_pipes_version" in protocol.PipesMessage.__annotations__


@pytest.mark.parametrize(
    "value", [{"path": "/tmp/x.json"}, {"data": {"run_id": "r", "extras": {"é": [1, None]}}}, [], 3]
)
def test_params_encoding_round_trips_both_ways_with_dagster(value: object) -> None:
    assert decode_env_var(encode_env_var(value)) == value
    assert dagster_pipes.decode_param(encode_env_var(value)) == value
    assert decode_env_var(dagster_pipes.encode_param(value)) == value


def test_params_encoding_is_base64_of_zlib_of_json() -> None:
    encoded = encode_env_var({"stdio": "stderr"})
    assert zlib.decompress(base64.b64decode(encoded)) == b'{"stdio": "stderr"}'


def test_encode_rejects_what_json_cannot_carry() -> None:
    msg = (
        "cannot encode a set as Pipes params: Object of type set is not JSON serializable; "
        "pass JSON-serializable values only (dict, list, str, int, float, bool, None)"
    )
    with pytest.raises(PipesError, match=re.escape(msg)):
        encode_env_var({1, 2})


def test_decode_says_what_it_expected() -> None:
    with pytest.raises(PipesError) as info:
        decode_env_var("not base64!")
    assert str(info.value).startswith("cannot decode Pipes params 'not base64!': ")
    assert str(info.value).endswith(
        "; expected base64 of zlib-compressed JSON, as written by encode_env_var"
    )


def test_make_message_has_the_dagster_shape() -> None:
    message = protocol.make_message("log", {"message": "hi", "level": "INFO"})
    assert message == {
        "__dagster_pipes_version": "0.1",
        "method": "log",
        "params": {"message": "hi", "level": "INFO"},
    }
    assert message == dagster_pipes._make_message("log", {"message": "hi", "level": "INFO"})


def test_decode_message_round_trips_encode_message() -> None:
    message = protocol.make_message("closed", {})
    assert decode_message(protocol.encode_message(message)) == message


@pytest.mark.parametrize(
    "params",
    [
        {"message": 'héllo \u2603 "quoted"\n\ttab', "level": "INFO"},
        {"metadata": {"f": 1.5, "nan": float("nan"), "inf": float("-inf"), "n": None}},
        {"nested": [1, [2, {"3": True}], ()], 4: "int key", None: False},
    ],
)
def test_encode_message_writes_what_json_dumps_writes(params: dict[object, object]) -> None:
    # The wire format is json.dumps's, byte for byte, as dagster_pipes writes it.
    message = protocol.make_message("log", params)  # type: ignore[arg-type]  # odd keys on purpose
    assert protocol.encode_message(message) == json.dumps(message)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"when": {1, 2}}, "Object of type set is not JSON serializable"),
        ({(1, 2): "x"}, "keys must be str, int, float, bool or None, not tuple"),
    ],
)
def test_encode_message_names_what_cannot_be_sent(
    params: dict[object, object], expected: str
) -> None:
    message = protocol.make_message("report_custom_message", params)  # type: ignore[arg-type]
    msg = f"cannot send Pipes message 'report_custom_message': {expected}; params must be"
    with pytest.raises(PipesError, match=re.escape(msg)):
        protocol.encode_message(message)


def test_encode_message_refuses_a_cycle() -> None:
    cycle: list[object] = []
    cycle.append(cycle)
    with pytest.raises(PipesError, match="cannot send Pipes message 'report_custom_message'"):
        protocol.encode_message(protocol.make_message("report_custom_message", {"payload": cycle}))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "{oops",
            "not a Pipes message (invalid JSON: Expecting property name enclosed in "
            "double quotes: line 1 column 2 (char 1)): '{oops'",
        ),
        ("[1]", "not a Pipes message (expected a JSON object, got list): '[1]'"),
        (
            '{"method": "log"}',
            'not a Pipes message (missing __dagster_pipes_version): \'{"method": "log"}\'',
        ),
        (
            '{"__dagster_pipes_version": "0.1", "method": "log", "params": 3}',
            "not a Pipes message (params must be an object or null, got int): "
            '\'{"__dagster_pipes_version": "0.1", "method": "log", "params": 3}\'',
        ),
    ],
)
def test_decode_message_names_what_is_wrong(line: str, expected: str) -> None:
    with pytest.raises(PipesError, match=re.escape(expected)):
        decode_message(line)
