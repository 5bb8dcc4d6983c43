"""Checks of what the latest materializations say: a metadata value in bounds, a stable schema.

Both read the instance's history when they run: ``build_metadata_bounds_checks`` the
latest materialization's metadata entry, ``build_column_schema_change_checks`` the
``dagster/column_schema`` entries of the latest two materializations.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from headwater._warnings import beta_warning
from headwater.assets.checks import AssetCheckKey, AssetChecksDefinition, AssetCheckSpec
from headwater.assets.results import AssetCheckSeverity
from headwater.automation.check_builders import (
    assets_to_keys,
    build_multi_asset_check,
    check_severity,
)
from headwater.errors import InvalidDefinitionError
from headwater.metadata.table import TableSchema

__all__ = ["build_column_schema_change_checks", "build_metadata_bounds_checks"]

COLUMN_SCHEMA_METADATA_KEY = "dagster/column_schema"
_NOT_NAME_CHARS = re.compile(r"[^A-Za-z0-9_]")


def _check_bound(value: object, name: str, *, where: str) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise InvalidDefinitionError(f"{where}: {name} must be a number, got {value!r}")


def _bounds_description(
    metadata_key: str,
    min_value: float | None,
    max_value: float | None,
    exclusive_min: bool,
    exclusive_max: bool,
) -> str:
    text = f"Checks that the latest materialization has metadata value `{metadata_key}`"
    if min_value is not None:
        text += f" greater than {'' if exclusive_min else 'or equal to '}{min_value}"
    if max_value is not None:
        joint = "and " if min_value is not None else ""
        text += f" {joint}less than {'' if exclusive_max else 'or equal to '}{max_value}"
    return text


def build_metadata_bounds_checks(
    *,
    assets: Sequence[Any],
    severity: AssetCheckSeverity = AssetCheckSeverity.WARN,
    metadata_key: str,
    min_value: float | None = None,
    max_value: float | None = None,
    exclusive_min: bool = False,
    exclusive_max: bool = False,
) -> Sequence[AssetChecksDefinition]:
    """Checks that pass when a numeric metadata entry of each asset's latest
    materialization lies within bounds.

    Args:
        assets: the assets (keys, definitions or source assets); one check each, named
            ``<metadata_key>_bounds_check`` (other characters than letters, digits and
            ``_`` become ``_``).
        severity: the severity of a failure.
        metadata_key: the metadata entry to read.
        min_value: the lowest value allowed, if any.
        max_value: the highest value allowed, if any.
        exclusive_min: whether ``min_value`` itself fails.
        exclusive_max: whether ``max_value`` itself fails.

    Returns:
        A list with one ``AssetChecksDefinition`` evaluating every check.

    Raises:
        InvalidDefinitionError: neither bound given, ``min_value`` above ``max_value``, a
            bound that is no number, or a bad asset or severity.
    """
    where = "build_metadata_bounds_checks"
    beta_warning(f"Function `{where}`")
    check_severity(severity, where=where)
    if not isinstance(metadata_key, str):
        raise InvalidDefinitionError(
            f"{where}: metadata_key must be a string, got {metadata_key!r}"
        )
    _check_bound(min_value, "min_value", where=where)
    _check_bound(max_value, "max_value", where=where)
    if min_value is None and max_value is None:
        raise InvalidDefinitionError("At least one of `min_value` or `max_value` must be set")
    if min_value is not None and max_value is not None and min_value > max_value:
        raise InvalidDefinitionError("`min_value` may not be greater than `max_value`")
    keys = assets_to_keys(assets, where=where)
    description = _bounds_description(
        metadata_key, min_value, max_value, exclusive_min, exclusive_max
    )

    def evaluate(instance: Any, check_key: AssetCheckKey) -> tuple[bool, str]:
        event = instance.get_latest_materialization_event(check_key.asset_key)
        if event is None:
            return False, "Asset has not been materialized"
        metadata = event.asset_materialization.metadata
        if metadata_key not in metadata:
            return False, f"Metadata key `{metadata_key}` not found"
        value = metadata[metadata_key].value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False, f"Value `{value}` is not a number"
        if min_value is not None and (value <= min_value if exclusive_min else value < min_value):
            return False, f"Value `{value}` is less than {_or_equal(exclusive_min)}{min_value}"
        if max_value is not None and (value >= max_value if exclusive_max else value > max_value):
            return False, f"Value `{value}` is greater than {_or_equal(exclusive_max)}{max_value}"
        return True, f"Value `{value}` is within range"

    name = f"{_NOT_NAME_CHARS.sub('_', metadata_key)}_bounds_check"
    specs = [AssetCheckSpec(name, asset=key, description=description) for key in keys]
    return build_multi_asset_check(specs, evaluate, severity)


def _or_equal(exclusive: bool) -> str:
    return "or equal to " if exclusive else ""


def _schema_of(metadata: Mapping[str, Any]) -> TableSchema | None:
    value = metadata.get(COLUMN_SCHEMA_METADATA_KEY)
    schema = getattr(value, "value", value)
    return schema if isinstance(schema, TableSchema) else None


def _schema_change(old: TableSchema, new: TableSchema) -> str | None:
    """What changed from ``old`` to ``new`` (added, removed, retyped columns), or ``None``."""
    old_by_name = {c.name: c for c in old.columns}
    new_by_name = {c.name: c for c in new.columns}
    added = [c.name for c in new.columns if c.name not in old_by_name]
    removed = [c.name for c in old.columns if c.name not in new_by_name]
    retyped = {
        name: (old_by_name[name].type, column.type)
        for name, column in new_by_name.items()
        if name in old_by_name and old_by_name[name].type != column.type
    }
    if not (added or removed or retyped):
        return None
    text = "Column schema changed between previous and latest materialization."
    if added:
        text += f"\n\nAdded columns: {', '.join(added)}"
    if removed:
        text += f"\n\nRemoved columns: {', '.join(removed)}"
    if retyped:
        text += "\n\nColumn type changes:"
        for name, (was, now) in retyped.items():
            text += f"\n- {name}: {was} -> {now}"
    return text


def build_column_schema_change_checks(
    *,
    assets: Sequence[Any],
    severity: AssetCheckSeverity = AssetCheckSeverity.WARN,
) -> Sequence[AssetChecksDefinition]:
    """Checks that fail when the column schema of each asset's latest materialization
    differs from the one before (columns added, removed or retyped).

    The schemas are the ``dagster/column_schema`` metadata entries (a ``TableSchema``) of
    the two latest materializations; with fewer than two, the check passes.

    Args:
        assets: the assets (keys, definitions or source assets); one check each, named
            ``column_schema_change``.
        severity: the severity of a failure.

    Returns:
        A list with one ``AssetChecksDefinition`` evaluating every check.

    Raises:
        InvalidDefinitionError: a bad asset or severity.
    """
    where = "build_column_schema_change_checks"
    beta_warning(f"Function `{where}`")
    check_severity(severity, where=where)
    keys = sorted(set(assets_to_keys(assets, where=where)))

    def evaluate(instance: Any, check_key: AssetCheckKey) -> tuple[bool, str]:
        records = instance.fetch_materializations(check_key.asset_key, limit=2).records
        if len(records) < 2:
            return True, "The asset has been materialized fewer than 2 times"
        latest = _schema_of(records[0].asset_materialization.metadata)
        previous = _schema_of(records[1].asset_materialization.metadata)
        if latest is None:
            return False, "Latest materialization has no column schema metadata"
        if previous is None:
            return False, "Previous materialization has no column schema metadata"
        change = _schema_change(previous, latest)
        if change is not None:
            return False, change
        return True, "No changes to column schema between previous and latest materialization"

    specs = [
        AssetCheckSpec(
            "column_schema_change",
            asset=key,
            description="Checks whether there are changes to column schema between the "
            "asset's  two most recent materializations",
        )
        for key in keys
    ]
    return build_multi_asset_check(specs, evaluate, severity)
