"""to_json_schema: descriptions, defaults, enums, required lists, env sources."""

from __future__ import annotations

import json

from headwater.config import (
    Any,
    Array,
    BoolSource,
    Enum,
    EnumValue,
    Field,
    Map,
    Noneable,
    Permissive,
    ScalarUnion,
    Selector,
    normalize_schema,
    to_json_schema,
)
from headwater.config.pythonic import Config

ENV = {
    "type": "object",
    "properties": {"env": {"type": "string", "description": "environment variable name"}},
    "required": ["env"],
    "additionalProperties": False,
}


def test_shape_with_descriptions_defaults_and_required() -> None:
    schema = normalize_schema(
        {
            "host": Field(str, description="database host"),
            "port": Field(int, default_value=5432),
            "ratio": float,
            "debug": Field(bool, is_required=False),
        },
        where="t",
    )
    assert to_json_schema(schema) == {
        "type": "object",
        "properties": {
            "host": {"type": "string", "description": "database host"},
            "port": {"type": "integer", "default": 5432},
            "ratio": {"type": "number"},
            "debug": {"type": "boolean"},
        },
        "additionalProperties": False,
        "required": ["host", "ratio"],
    }


def test_containers() -> None:
    assert to_json_schema(Array(int)) == {"type": "array", "items": {"type": "integer"}}
    assert to_json_schema(Noneable(str)) == {"anyOf": [{"type": "string"}, {"type": "null"}]}
    assert to_json_schema(Map(str, int)) == {
        "type": "object",
        "additionalProperties": {"type": "integer"},
    }
    assert to_json_schema(Permissive()) == {
        "type": "object",
        "properties": {},
        "additionalProperties": True,
    }
    assert to_json_schema(Any) == {}
    assert to_json_schema(ScalarUnion(str, [str])) == {
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    }


def test_selector_takes_exactly_one_property() -> None:
    assert to_json_schema(Selector({"a": int, "b": str}, description="pick")) == {
        "type": "object",
        "properties": {"a": {"type": "integer"}, "b": {"type": "string"}},
        "minProperties": 1,
        "maxProperties": 1,
        "additionalProperties": False,
        "description": "pick",
    }


def test_enum_lists_config_values() -> None:
    node = Enum("Level", [EnumValue("LOW", 1), EnumValue("HIGH", 2)])
    assert to_json_schema(node) == {"title": "Level", "type": "string", "enum": ["LOW", "HIGH"]}


def test_env_sources_are_one_of_the_scalar_and_an_env_reference() -> None:
    assert to_json_schema(BoolSource) == {"oneOf": [{"type": "boolean"}, ENV]}


def test_config_class_schema_is_json_serializable() -> None:
    class Db(Config):
        """How to reach the database."""

        host: str
        port: int = 5432

    out = to_json_schema(normalize_schema(Db, where="t"))
    assert out["description"] == "How to reach the database."
    assert out["properties"]["port"] == {"oneOf": [{"type": "integer"}, ENV], "default": 5432}
    assert out["required"] == ["host"]
    json.dumps(out)
