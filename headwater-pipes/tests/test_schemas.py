"""The shipped JSON Schemas: generated, valid draft-07, and strict where the wire is."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema  # type: ignore[import-untyped]  # stubs not installed
import pytest

import headwater_pipes
from headwater_pipes import load_schema
from headwater_pipes.protocol import make_message
from headwater_pipes.schemas import SCHEMA_NAMES

TOOL = Path(__file__).parent.parent / "tools" / "build_schemas.py"
SCHEMAS = Path(headwater_pipes.__file__).parent / "schemas"


def test_files_are_what_the_generator_builds() -> None:
    spec = importlib.util.spec_from_file_location("build_schemas", TOOL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build()
    assert sorted(built) == sorted(f"{n}.json" for n in SCHEMA_NAMES)
    for name, schema in built.items():
        on_disk = (SCHEMAS / name).read_text(encoding="utf-8")
        assert on_disk == module.render(schema), f"{name} is stale: run tools/build_schemas.py"


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_schema_is_valid_draft_07(name: str) -> None:
    jsonschema.Draft7Validator.check_schema(load_schema(name))


def test_unknown_schema_lists_the_names() -> None:
    with pytest.raises(
        LookupError, match=re.escape("no Pipes schema 'msg'; schemas: message, context,")
    ):
        load_schema("msg")


def materialization(**params: Any) -> dict[str, Any]:
    return dict(make_message("report_asset_materialization", {"asset_key": "a", **params}))


@pytest.mark.parametrize(
    ("message", "complaint"),
    [
        (dict(make_message("report_asset_check", {"asset_key": "a", "check_name": "c"})), "passed"),
        (
            dict(
                make_message(
                    "report_asset_check", {"asset_key": "a", "check_name": "c", "passed": "y"}
                )
            ),
            "boolean",
        ),
        (materialization(metadata={"m": {"raw_value": 1, "type": "money"}}), "one of"),
        (materialization(metadata={"m": 1}), "object"),
        (dict(make_message("shout", {})), "one of"),
        (dict(make_message("log", {"message": "m"})), "level"),
        ({"method": "log", "params": {"message": "m", "level": "INFO"}}, "__dagster_pipes_version"),
        (dict(make_message("closed", {"exception": {"message": "m"}})), "stack"),
    ],
)
def test_malformed_messages_are_rejected(message: dict[str, Any], complaint: str) -> None:
    validate = fastjsonschema.compile(load_schema("message"))
    with pytest.raises(fastjsonschema.JsonSchemaValueException) as info:
        validate(message)
    assert complaint in str(info.value)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(message, load_schema("message"))


def test_context_schema_checks_the_traceparent_format() -> None:
    from hwp_helpers import make_context_data

    validate = fastjsonschema.compile(load_schema("context"))
    validate(
        make_context_data(
            extras={"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
        )
    )
    with pytest.raises(fastjsonschema.JsonSchemaValueException, match="pattern"):
        validate(make_context_data(extras={"traceparent": "not-a-trace"}))
    with pytest.raises(fastjsonschema.JsonSchemaValueException, match="retry_number"):
        validate(make_context_data(retry_number=-1))
