"""The config system: schema nodes, the validator, env var sources and JSON Schema.

Two front doors lead to one engine: dict schemas (``{"port": Field(int)}``, ``Shape``,
``Selector`` ...) and pydantic ``Config`` classes (`headwater.config.pythonic`, imported only
when used, since pydantic is the heavy part). Both become the same nodes and are validated
by `process_config`, so their error messages are identical.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater._lazy import lazy_names
from headwater.config.env import EnvVar, IntEnvVar
from headwater.config.merge import deep_merge
from headwater.config.normalize import field_is_required, normalize_field, normalize_schema
from headwater.config.schema import (
    Array,
    Field,
    Permissive,
    Selector,
    Shape,
)
from headwater.config.types import (
    Any,
    Bool,
    BoolSource,
    ConfigType,
    Enum,
    EnumValue,
    Float,
    Int,
    IntSource,
    String,
    StringSource,
    is_config_class,
)
from headwater.config.validate import ConfigResult, process_config
from headwater.config.wrappers import Map, Noneable, ScalarUnion

if TYPE_CHECKING:
    from headwater.config.json_schema import to_json_schema

# For the CLI and the web server, which show schemas; defining and validating need none.
_EXPORTS = {"to_json_schema": "headwater.config.json_schema"}

__all__ = [
    # schema forms
    "Field",
    "Shape",
    "Permissive",
    "Selector",
    "Array",
    "Noneable",
    "Map",
    "Enum",
    "EnumValue",
    "ScalarUnion",
    "Any",
    "Int",
    "String",
    "Float",
    "Bool",
    "StringSource",
    "IntSource",
    "BoolSource",
    "ConfigType",
    # env vars
    "EnvVar",
    "IntEnvVar",
    # engine
    "ConfigResult",
    "process_config",
    "deep_merge",
    "normalize_schema",
    "normalize_field",
    "field_is_required",
    "is_config_class",
    "to_json_schema",
]

__getattr__, __dir__ = lazy_names(__name__, _EXPORTS)
