"""Renaming the keys of loaded assets: ``load_assets_from_modules(key_prefix=...)``.

A prefix must reach every place a key is named (the assets' own keys, their dependencies,
their inputs, partition mappings and checks), or the loaded assets stop finding each other.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace

from headwater.asset_key import AssetKey
from headwater.assets.checks import AssetCheckSpec
from headwater.assets.definition import AssetsDefinition
from headwater.assets.spec import AssetDep, AssetSpec

__all__ = ["rekeyed", "rekeyed_spec"]

KeyMap = Callable[[AssetKey], AssetKey]


def rekeyed_spec(spec: AssetSpec, rename: KeyMap) -> AssetSpec:
    """``spec`` with its key and its dependencies' keys renamed."""
    # A copy, not replace_attributes: a SourceAsset's constructor takes other parameters.
    made = copy.copy(spec)
    object.__setattr__(made, "key", rename(spec.key))
    object.__setattr__(
        made, "deps", tuple(replace(d, asset=rename(d.asset_key)) for d in spec.deps)
    )
    return made


def _rekeyed_check(spec: AssetCheckSpec, rename: KeyMap) -> AssetCheckSpec:
    made = AssetCheckSpec.__new__(AssetCheckSpec)
    deps = tuple(AssetDep(rename(d.asset_key)) for d in spec.additional_deps)
    for attr in ("name", "description", "blocking", "metadata"):
        object.__setattr__(made, attr, getattr(spec, attr))
    for attr, value in (
        ("asset_key", rename(spec.asset_key)),
        ("additional_deps", deps),
        ("automation_condition", spec.automation_condition),
        ("partitions_def", spec.partitions_def),
    ):
        object.__setattr__(made, attr, value)
    return made


def rekeyed(definition: AssetsDefinition, rename: KeyMap) -> AssetsDefinition:
    """``definition`` with every key it names passed through ``rename``."""
    made = AssetsDefinition._make(
        node=definition._node,
        specs_by_output={
            name: rekeyed_spec(spec, rename) for name, spec in definition.specs_by_output.items()
        },
        keys_by_input_name={
            name: rename(key) for name, key in definition.data_keys_by_input_name.items()
        },
        partitions_def=definition.partitions_def,
        can_subset=definition.can_subset,
        check_specs=[_rekeyed_check(c, rename) for c in definition.check_specs],
        backfill_policy=definition.backfill_policy,
        resource_defs=definition.resource_defs,
        partition_mappings={
            rename(key): mapping for key, mapping in definition.partition_mappings.items()
        },
        hook_defs=definition.hook_defs,
        execution_type=definition.execution_type,
    )
    # Ordering-only inputs are named after their old keys: name them explicitly.
    made.dep_keys_by_input_name = {
        name: rename(key)
        for name, key in definition.keys_by_input_name.items()
        if name not in definition.data_keys_by_input_name
    }
    return made
