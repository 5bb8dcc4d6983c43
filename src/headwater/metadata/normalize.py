"""Plain values → ``MetadataValue``s, and the JSON wire form shared with events and Pipes.

The wire form of one entry is ``{"raw_value": ..., "type": ...}`` with the type names of
the Dagster Pipes protocol (``PipesMetadataType``), so that metadata reported by an external
process and metadata stored in events are the same JSON.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from headwater.asset_key import AssetKey
from headwater.errors import InvalidMetadataError
from headwater.metadata.lineage import TableColumnLineage
from headwater.metadata.object_value import ObjectMetadataValue
from headwater.metadata.source_code import CodeReferencesMetadataValue
from headwater.metadata.table import TableColumn, TableRecord, TableSchema
from headwater.metadata.values import (
    AssetMetadataValue,
    BoolMetadataValue,
    FloatMetadataValue,
    IntMetadataValue,
    JobMetadataValue,
    JsonMetadataValue,
    MarkdownMetadataValue,
    MetadataValue,
    NotebookMetadataValue,
    NullMetadataValue,
    PathMetadataValue,
    PoolMetadataValue,
    PythonArtifactMetadataValue,
    RunMetadataValue,
    TableColumnLineageMetadataValue,
    TableMetadataValue,
    TableSchemaMetadataValue,
    TextMetadataValue,
    TimestampMetadataValue,
    UrlMetadataValue,
)

__all__ = [
    "INFER_TYPE",
    "WIRE_TYPES",
    "metadata_from_wire",
    "metadata_to_wire",
    "normalize_metadata",
    "normalize_metadata_value",
]

INFER_TYPE = "__infer__"
"""The wire type that asks the receiver to infer the type from the raw value."""


def _table_from_raw(raw: Mapping[str, Any]) -> MetadataValue:
    # Pipes sends a table's schema as a bare list of columns (unlike table_schema's
    # {"columns": [...]}); both shapes are read here.
    schema = raw.get("schema")
    columns = schema.get("columns", []) if isinstance(schema, Mapping) else schema
    return TableMetadataValue(
        [TableRecord(r) for r in raw["records"]],
        TableSchema([TableColumn.from_wire(c) for c in columns]) if columns is not None else None,
    )


def _code_references_from_raw(raw: Mapping[str, Any]) -> MetadataValue:
    return CodeReferencesMetadataValue.from_raw(raw)


_FROM_RAW: dict[str, Callable[[Any], MetadataValue]] = {
    "text": TextMetadataValue,
    "url": UrlMetadataValue,
    "path": PathMetadataValue,
    "notebook": NotebookMetadataValue,
    "json": JsonMetadataValue,
    "md": MarkdownMetadataValue,
    "float": FloatMetadataValue,
    "int": IntMetadataValue,
    "bool": BoolMetadataValue,
    "timestamp": TimestampMetadataValue,
    "dagster_run": RunMetadataValue,
    "asset": lambda raw: AssetMetadataValue(AssetKey.from_user_string(raw)),
    "null": lambda _: NullMetadataValue(),
    "table": _table_from_raw,
    "table_schema": lambda raw: TableSchemaMetadataValue(TableSchema.from_wire(raw)),
    "table_column_lineage": lambda raw: TableColumnLineageMetadataValue(
        TableColumnLineage.from_wire(raw)
    ),
}

WIRE_TYPES: frozenset[str] = frozenset({INFER_TYPE, *_FROM_RAW})
"""Every wire type headwater reads."""

# Stored, never sent over Pipes: an object's class name read back from the event log.
_FROM_RAW["object"] = ObjectMetadataValue
_FROM_RAW["code_references"] = _code_references_from_raw
_FROM_RAW["pool"] = PoolMetadataValue
_FROM_RAW["python_artifact"] = lambda raw: PythonArtifactMetadataValue(raw["module"], raw["name"])
_FROM_RAW["job"] = lambda raw: JobMetadataValue(
    raw["job_name"], raw["location_name"], raw.get("repository_name")
)

_SCALARS: dict[type, Callable[[Any], MetadataValue]] = {
    str: TextMetadataValue,
    bool: BoolMetadataValue,
    int: IntMetadataValue,
    float: FloatMetadataValue,
}

_ACCEPTED = (
    "str, int, float, bool, dict, list, os.PathLike, datetime, AssetKey, TableSchema or None"
)


def normalize_metadata_value(value: object, *, key: str = "value") -> MetadataValue:
    """The ``MetadataValue`` for a plain value; a ``MetadataValue`` is returned as is.

    str → text, int → int, float → float, bool → bool, dict/list → json, ``os.PathLike``
    → path, timezone-aware ``datetime`` → timestamp, ``AssetKey`` → asset, ``TableSchema``
    → table_schema, ``None`` → null.

    Args:
        value: the value to convert.
        key: its metadata key, named in errors.

    Raises:
        InvalidMetadataError: any other type; the message names ``key`` and the type.
    """
    if isinstance(value, MetadataValue):
        return value
    # Exact types first (the common case); bool before int: bool is a subclass of int.
    scalar = _SCALARS.get(type(value))
    if scalar is not None:
        return scalar(value)
    if value is None:
        return NullMetadataValue()
    try:
        return _normalize_structured(value)
    except InvalidMetadataError as exc:
        raise InvalidMetadataError(f"metadata '{key}': {exc}") from exc


def _normalize_structured(value: object) -> MetadataValue:
    for scalar_type in (bool, int, float, str):  # subclasses (an IntEnum, a str subclass)
        if isinstance(value, scalar_type):
            return _SCALARS[scalar_type](value)
    if isinstance(value, (dict, list)):
        return JsonMetadataValue(value)
    if isinstance(value, os.PathLike):
        return PathMetadataValue(value)
    if isinstance(value, datetime):
        return TimestampMetadataValue(value)
    if isinstance(value, AssetKey):
        return AssetMetadataValue(value)
    if isinstance(value, TableSchema):
        return TableSchemaMetadataValue(value)
    raise InvalidMetadataError(
        f"a value of type '{type(value).__name__}' cannot be recorded; use a {_ACCEPTED}, "
        "or wrap it in a MetadataValue (e.g. MetadataValue.text(str(value)))"
    )


def normalize_metadata(metadata: Mapping[str, Any] | None) -> dict[str, MetadataValue]:
    """Convert every entry of a metadata mapping to a ``MetadataValue``.

    Args:
        metadata: key → plain value or ``MetadataValue``; ``None`` is empty.

    Returns:
        key → ``MetadataValue``, in the same order.

    Raises:
        InvalidMetadataError: a key that is not a str, or a value of an unsupported type
            (the message names the key and the type).

    Example:
        ``normalize_metadata({"rows": 3, "path": Path("/tmp/x")})["path"].type_name == "path"``
    """
    normalized: dict[str, MetadataValue] = {}
    for key, value in (metadata or {}).items():
        if not isinstance(key, str):
            raise InvalidMetadataError(
                f"metadata key {key!r} is a {type(key).__name__}; metadata keys must be str"
            )
        normalized[key] = normalize_metadata_value(value, key=key)
    return normalized


def metadata_to_wire(metadata: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The JSON wire form: ``{key: {"raw_value": ..., "type": ...}}``.

    Plain values are normalized first. The result is what events store and what Pipes
    messages carry.

    Raises:
        InvalidMetadataError: as :func:`normalize_metadata`.
    """
    return {
        key: {"raw_value": value.to_raw(), "type": value.type_name}
        for key, value in normalize_metadata(metadata).items()
    }


def metadata_from_wire(wire: Mapping[str, Any]) -> dict[str, MetadataValue]:
    """Read the wire form back into ``MetadataValue``s.

    An entry may also be a bare raw value, or have type ``"__infer__"``; both are inferred
    as :func:`normalize_metadata_value` does.

    Raises:
        InvalidMetadataError: an unknown type, or a raw value that does not fit its type;
            the message names the key.
    """
    values: dict[str, MetadataValue] = {}
    for key, entry in wire.items():
        if not (isinstance(entry, Mapping) and set(entry) == {"raw_value", "type"}):
            values[key] = normalize_metadata_value(entry, key=key)
            continue
        type_name, raw = entry["type"], entry["raw_value"]
        if type_name == INFER_TYPE:
            values[key] = normalize_metadata_value(raw, key=key)
            continue
        build = _FROM_RAW.get(type_name)
        if build is None:
            known = ", ".join(sorted(WIRE_TYPES))
            raise InvalidMetadataError(
                f"metadata '{key}' has unknown type {type_name!r}; known types: {known}"
            )
        try:
            values[key] = build(raw)
        except (InvalidMetadataError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidMetadataError(
                f"metadata '{key}' of type '{type_name}' has a raw value that does not fit: "
                f"{raw!r} ({type(exc).__name__}: {exc})"
            ) from exc
    return values
