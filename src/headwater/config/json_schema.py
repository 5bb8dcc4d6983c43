"""JSON Schema for config schemas, for editors and the Launchpad.

Describes what run config may be written (config form: enum names, ``{"env": ...}``), not
what user code receives after processing.
"""

from __future__ import annotations

from typing import Any

from headwater.config.mapping import Mapped
from headwater.config.schema import Array, Field, Selector, Shape
from headwater.config.types import AnyType, ConfigType, Enum, ScalarType, SourceType
from headwater.config.wrappers import Defaulted, Map, Noneable, ScalarUnion

__all__ = ["to_json_schema"]

_SCALARS = {"int": "integer", "float": "number", "str": "string", "bool": "boolean"}
_ENV_REFERENCE: dict[str, Any] = {
    "type": "object",
    "properties": {"env": {"type": "string", "description": "environment variable name"}},
    "required": ["env"],
    "additionalProperties": False,
}


def to_json_schema(config_type: ConfigType) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12 subset) of the config a node accepts.

    Args:
        config_type: a normalized node (see `normalize_schema`).

    Returns:
        A JSON-able dict: ``type``, ``properties`` with ``description`` and ``default``,
        ``required`` lists, ``enum`` values; ``additionalProperties`` is ``false`` for a
        ``Shape``; env-aware sources are a ``oneOf`` of the scalar and ``{"env": string}``.

    Example:
        ``to_json_schema(normalize_schema({"port": int}, where="x"))``
    """
    schema = _node(config_type)
    if config_type.description and "description" not in schema:
        schema["description"] = config_type.description
    return schema


def _node(node: ConfigType) -> dict[str, Any]:  # noqa: PLR0911  # one branch per node kind
    if isinstance(node, ScalarType):
        return {"type": _SCALARS[node.type_name]}
    if isinstance(node, SourceType):
        return {"oneOf": [{"type": _SCALARS[node.type_name]}, dict(_ENV_REFERENCE)]}
    if isinstance(node, AnyType):
        return {}
    if isinstance(node, Shape):
        return _shape(node)
    if isinstance(node, Selector):
        return {
            "type": "object",
            "properties": {name: _field(f) for name, f in node.fields.items()},
            "minProperties": 1,
            "maxProperties": 1,
            "additionalProperties": False,
        }
    if isinstance(node, Array):
        return {"type": "array", "items": to_json_schema(node.inner_type)}
    if isinstance(node, Noneable):
        return {"anyOf": [to_json_schema(node.inner_type), {"type": "null"}]}
    if isinstance(node, Map):
        return {"type": "object", "additionalProperties": to_json_schema(node.inner_type)}
    if isinstance(node, Enum):
        return {"title": node.name, "type": "string", "enum": node.config_values}
    if isinstance(node, ScalarUnion):
        return {"anyOf": [to_json_schema(node.scalar_type), to_json_schema(node.non_scalar_type)]}
    if isinstance(node, Defaulted):
        return {**to_json_schema(node.inner_type), "default": node.default_value}
    if isinstance(node, Mapped):  # run config gives the outer (mapped-from) config
        return to_json_schema(node.outer_type)
    raise TypeError(f"no JSON Schema for {node!r}")  # only reachable with a new node kind


def _shape(node: Shape) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "properties": {name: _field(f) for name, f in node.fields.items()},
        "additionalProperties": node.permissive,
    }
    required = [name for name, f in node.fields.items() if f.is_required]
    if required:
        out["required"] = required
    return out


def _field(field: Field) -> dict[str, Any]:
    schema = to_json_schema(field.config_type)
    if field.description:
        schema["description"] = field.description
    if field.default_provided:
        schema["default"] = field.default_value
    return schema
