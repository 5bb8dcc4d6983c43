"""Config fields as the schema describes them: a resource's ``configFields``, and the field a
``MissingFieldConfigError`` names.

A field's ``configTypeKey`` is the type's key as clients know it (``Int``,
``StringSourceType``, ``Array.Int``, ``Shape.<hash>``), so a client that keys its forms on
those keys reads headwater's fields the same way.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from headwater.config.schema import Array, Field, Permissive, Selector, Shape
from headwater.config.types import AnyType, ConfigType, Enum, ScalarType, SourceType
from headwater.config.wrappers import Defaulted, Map, Noneable, ScalarUnion
from headwater.webserver.schema.registry import sdl

__all__ = ["field_at", "field_value", "fields_of", "type_key"]

sdl("""
"One field of a config type: its name, type, whether it must be given and its default."
type ConfigTypeField {
  name: String!
  description: String
  "The field type's key: Int, String, StringSourceType, Array.Int, Shape.<hash>, ..."
  configTypeKey: String!
  isRequired: Boolean!
  "Whether tools should mask the field's value (its default is sent masked)."
  isSecret: Boolean!
  "The default, as JSON; null when the field has none."
  defaultValueAsJson: String
}
""")

_SCALAR_KEYS = {"int": "Int", "str": "String", "float": "Float", "bool": "Bool"}
SECRET_MASK = "**********"


def _digest(node: Shape | Selector) -> str:
    parts = sorted(f"{name}:{type_key(f.config_type)}" for name, f in node.fields.items())
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


def type_key(node: ConfigType) -> str:  # noqa: PLR0911  # one branch per node kind
    """The key of ``node``'s type."""
    if isinstance(node, ScalarType):
        return _SCALAR_KEYS.get(node.type_name, node.type_name)
    if isinstance(node, SourceType):
        return f"{_SCALAR_KEYS.get(node.type_name, node.type_name)}SourceType"
    if isinstance(node, AnyType):
        return "Any"
    if isinstance(node, Enum):
        return node.name
    if isinstance(node, Permissive):
        return f"Permissive.{_digest(node)}"
    if isinstance(node, Shape):
        return f"Shape.{_digest(node)}"
    if isinstance(node, Selector):
        return f"Selector.{_digest(node)}"
    if isinstance(node, Array):
        return f"Array.{type_key(node.inner_type)}"
    if isinstance(node, Noneable):
        return f"Noneable.{type_key(node.inner_type)}"
    if isinstance(node, Map):
        return f"Map.{type_key(node.key_type)}.{type_key(node.inner_type)}"
    if isinstance(node, ScalarUnion):
        scalar, other = type_key(node.scalar_type), type_key(node.non_scalar_type)
        return f"ScalarUnion.{scalar}-{other}"
    if isinstance(node, Defaulted):
        return type_key(node.inner_type)
    return node.type_name


def _default_json(field: Field) -> str | None:
    if not field.default_provided:
        return None
    if field.is_secret:  # never send a secret's default
        return json.dumps(SECRET_MASK)
    return json.dumps(field.default_value, default=str)


def field_value(name: str, field: Field) -> dict[str, Any]:
    """One ``ConfigTypeField``."""
    return {
        "name": name,
        "description": field.description,
        "configTypeKey": type_key(field.config_type),
        "isRequired": field.is_required,
        "isSecret": field.is_secret,
        "defaultValueAsJson": _default_json(field),
    }


def fields_of(config_type: ConfigType) -> list[dict[str, Any]]:
    """The fields of a shape or selector, in declaration order (none for other types)."""
    if isinstance(config_type, Defaulted):
        config_type = config_type.inner_type
    if not isinstance(config_type, (Shape, Selector)):
        return []
    return [field_value(name, f) for name, f in config_type.fields.items()]


def _child(node: ConfigType | None, name: str) -> Field | None:
    if isinstance(node, Defaulted):
        node = node.inner_type
    fields = getattr(node, "fields", None)
    found = fields.get(name) if fields is not None else None
    return found if isinstance(found, Field) else None


def field_at(config_type: ConfigType, path: Sequence[str], name: str) -> dict[str, Any]:
    """The ``ConfigTypeField`` named ``name`` in the shape at ``path`` of ``config_type``;
    a bare one (type ``Any``) when the path leads nowhere known."""
    node: ConfigType | None = config_type
    for part in path:
        child = _child(node, part)
        node = child.config_type if child is not None else None
    found = _child(node, name)
    if found is not None:
        return field_value(name, found)
    return {
        "name": name,
        "description": None,
        "configTypeKey": "Any",
        "isRequired": True,
        "isSecret": False,
        "defaultValueAsJson": None,
    }
