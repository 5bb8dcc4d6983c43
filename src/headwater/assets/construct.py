"""Building an ``AssetsDefinition`` from a node and facts given by key or by output name.

The reference's constructor and its ``from_graph``/``from_op`` take facts in tables (group
names by key, metadata by output name, ...); headwater keeps one ``AssetSpec`` per output.
These functions turn the tables into specs, checking names against the node on the way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set as AbstractSet
from typing import TYPE_CHECKING, Any, TypeVar

from headwater.asset_key import AssetKey, CoercibleToAssetKeyPrefix
from headwater.assets.spec import AssetDep, AssetSpec
from headwater.errors import InvalidDefinitionError, InvariantViolationError

if TYPE_CHECKING:
    from headwater.assets.definition import AssetsDefinition
    from headwater.jobs.node import NodeDefinition

__all__ = ["from_node", "specs_from_parts"]

_T = TypeVar("_T")


def _check_outputs(node: NodeDefinition, names: Sequence[str]) -> None:
    for name in names:
        if name not in node.output_defs:
            raise InvariantViolationError(
                f"{node.name} has no output named {name}. Its outputs are {list(node.output_defs)}"
            )


def _spec_facts(
    key: AssetKey, tables: Mapping[str, Mapping[AssetKey, Any] | None]
) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for attr, table in tables.items():
        if table and table.get(key) is not None:
            facts[attr] = table[key]
    return facts


def specs_from_parts(
    *,
    node_def: NodeDefinition | None,
    keys_by_input_name: Mapping[str, AssetKey],
    keys_by_output_name: Mapping[str, AssetKey],
    asset_deps: Mapping[AssetKey, AbstractSet[AssetKey]] | None,
    selected_asset_keys: AbstractSet[AssetKey] | None,
    group_names_by_key: Mapping[AssetKey, str] | None,
    metadata_by_key: Mapping[AssetKey, Mapping[str, Any]] | None,
    tags_by_key: Mapping[AssetKey, Mapping[str, str]] | None,
    descriptions_by_key: Mapping[AssetKey, str] | None,
    owners_by_key: Mapping[AssetKey, Sequence[str]] | None,
    specs: Sequence[AssetSpec] | None,
    partitions_def: Any,
    check_specs: Sequence[Any],
    selected_asset_check_keys: AbstractSet[Any] | None,
    code_versions_by_key: Mapping[AssetKey, str | None] | None = None,
    automation_conditions_by_key: Mapping[AssetKey, Any] | None = None,
) -> tuple[dict[str, AssetSpec], list[Any]]:
    """One spec per output (an external definition's outputs are named after its keys) and
    the check specs kept by ``selected_asset_check_keys``."""
    given = {spec.key: spec for spec in specs or ()}
    if node_def is None:
        if not given:
            raise InvalidDefinitionError(
                "AssetsDefinition needs node_def= (the op or graph computing the assets) or "
                "specs= (external assets)"
            )
        output_keys = {key.to_python_identifier(): key for key in given}
    else:
        output_keys = dict(keys_by_output_name)
        if not output_keys and given:  # specs alone: outputs named after their keys
            output_keys = {key.to_python_identifier(): key for key in given}
        _check_outputs(node_def, list(output_keys))
    all_inputs = tuple(dict.fromkeys(keys_by_input_name.values()))
    tables = {
        "group_name": group_names_by_key,
        "metadata": metadata_by_key,
        "tags": tags_by_key,
        "description": descriptions_by_key,
        "owners": owners_by_key,
        "code_version": code_versions_by_key,
        "automation_condition": automation_conditions_by_key,
    }
    by_output: dict[str, AssetSpec] = {}
    for output_name, key in output_keys.items():
        if selected_asset_keys is not None and key not in selected_asset_keys:
            continue
        if key in given:
            spec = given[key]
        else:
            upstream = asset_deps.get(key, all_inputs) if asset_deps is not None else all_inputs
            spec = AssetSpec(key, deps=[AssetDep(k) for k in upstream])
        facts = _spec_facts(key, tables)
        if "owners" in facts:
            facts["owners"] = tuple(facts["owners"])
        if "tags" in facts:
            facts["tags"] = {**spec.tags, **facts["tags"]}
        if partitions_def is not None and spec.partitions_def is None:
            facts["partitions_def"] = partitions_def
        by_output[output_name] = spec.replace_attributes(**facts) if facts else spec
    kept = [
        c
        for c in check_specs
        if selected_asset_check_keys is None or c.key in selected_asset_check_keys
    ]
    return by_output, kept


def _by_key(
    table: Mapping[str, _T | None] | None, keys: Mapping[str, AssetKey], where: str, what: str
) -> dict[AssetKey, _T] | None:
    if not table:
        return None
    unknown = sorted(set(table) - set(keys))
    if unknown:
        raise InvalidDefinitionError(
            f"{where}: {what} names outputs {unknown}, which are not asset outputs; the "
            f"asset outputs are {sorted(keys)}"
        )
    return {keys[name]: value for name, value in table.items() if value is not None}


def from_node(
    cls: type[AssetsDefinition],
    node: NodeDefinition,
    *,
    where: str,
    keys_by_input_name: Mapping[str, AssetKey] | None,
    keys_by_output_name: Mapping[str, AssetKey] | None,
    key_prefix: CoercibleToAssetKeyPrefix | None,
    internal_asset_deps: Mapping[str, set[AssetKey]] | None,
    partitions_def: Any,
    partition_mappings: Mapping[str, Any] | None,
    group_name: str | None,
    group_names_by_output_name: Mapping[str, str | None] | None,
    descriptions_by_output_name: Mapping[str, str] | None,
    metadata_by_output_name: Mapping[str, Mapping[str, Any] | None] | None,
    tags_by_output_name: Mapping[str, Mapping[str, str] | None] | None,
    automation_conditions_by_output_name: Mapping[str, Any] | None,
    backfill_policy: Any,
    can_subset: bool,
    hook_defs: AbstractSet[Any] | None,
    resource_defs: Mapping[str, object] | None = None,
    check_specs: Sequence[Any] | None = None,
    owners_by_output_name: Mapping[str, Sequence[str]] | None = None,
    code_versions_by_output_name: Mapping[str, str | None] | None = None,
) -> AssetsDefinition:
    """The assets a node computes: every input loads an asset (named after the input unless
    ``keys_by_input_name`` says), every output but the checks' is an asset."""
    from headwater.assets.definition import check_output_name  # the module importing this

    inputs = {name: AssetKey([name]) for name in node.input_defs}
    for name, key in (keys_by_input_name or {}).items():
        if name not in node.input_defs:
            raise InvalidDefinitionError(
                f"{where}: keys_by_input_name names '{name}', which is not an input of "
                f"'{node.name}'; its inputs are {list(node.input_defs)}"
            )
        inputs[name] = AssetKey.from_coercible(key)
    check_outputs = {check_output_name(spec) for spec in check_specs or ()}
    given_outputs = dict(keys_by_output_name or {})
    _check_outputs(node, list(given_outputs))
    if given_outputs and set(given_outputs) | check_outputs != set(node.output_defs):
        raise InvalidDefinitionError(
            f"{where}: keys_by_output_name and the checks' outputs name "
            f"{sorted(set(given_outputs) | check_outputs)}, but '{node.name}' has outputs "
            f"{sorted(node.output_defs)}; give a key for every output (or none: each output "
            "is then the asset of its name)"
        )
    outputs = {
        name: AssetKey.from_coercible(given_outputs.get(name, AssetKey([name])))
        for name in node.output_defs
        if name not in check_outputs
    }
    if key_prefix:
        prefix = [key_prefix] if isinstance(key_prefix, str) else list(key_prefix)
        outputs = {name: key.with_prefix(prefix) for name, key in outputs.items()}
    if group_name is not None and group_names_by_output_name:
        raise InvalidDefinitionError(
            f"{where}: give group_name or group_names_by_output_name, not both"
        )
    for name in internal_asset_deps or {}:
        if name not in outputs:
            raise InvalidDefinitionError(
                f"{where}: internal_asset_deps names output '{name}', which does not exist; "
                f"the outputs are {list(outputs)}"
            )
    # Given internal_asset_deps, an asset it does not name depends on nothing, and only the
    # inputs some asset depends on load assets.
    internal = internal_asset_deps
    all_inputs = set(inputs.values())
    asset_deps = {
        key: set(internal.get(name, set())) if internal is not None else all_inputs
        for name, key in outputs.items()
    }
    if internal is not None:
        used = set().union(*asset_deps.values()) if asset_deps else set()
        inputs = {name: key for name, key in inputs.items() if key in used}
    groups = (
        {key: group_name for key in outputs.values()}
        if group_name is not None
        else _by_key(group_names_by_output_name, outputs, where, "group_names_by_output_name")
    )
    by_output, _ = specs_from_parts(
        node_def=node,
        keys_by_input_name=inputs,
        keys_by_output_name=outputs,
        asset_deps=asset_deps,
        selected_asset_keys=None,
        group_names_by_key=groups,
        metadata_by_key=_by_key(metadata_by_output_name, outputs, where, "metadata_by_output_name"),
        tags_by_key=_by_key(tags_by_output_name, outputs, where, "tags_by_output_name"),
        descriptions_by_key=_by_key(
            descriptions_by_output_name, outputs, where, "descriptions_by_output_name"
        ),
        owners_by_key=_by_key(owners_by_output_name, outputs, where, "owners_by_output_name"),
        specs=None,
        partitions_def=partitions_def,
        check_specs=(),
        selected_asset_check_keys=None,
        code_versions_by_key=_by_key(
            code_versions_by_output_name, outputs, where, "code_versions_by_output_name"
        ),
        automation_conditions_by_key=_by_key(
            automation_conditions_by_output_name,
            outputs,
            where,
            "automation_conditions_by_output_name",
        ),
    )
    mappings = {}
    for name, mapping in (partition_mappings or {}).items():
        if name not in inputs:
            raise InvalidDefinitionError(
                f"{where}: partition_mappings names '{name}', which is not an input; the "
                f"inputs are {list(inputs)}"
            )
        mappings[inputs[name]] = mapping
    return cls._make(
        node=node,
        specs_by_output=by_output,
        keys_by_input_name=inputs,
        partitions_def=partitions_def,
        can_subset=can_subset,
        check_specs=list(check_specs or ()),
        backfill_policy=backfill_policy,
        resource_defs=resource_defs,
        partition_mappings=mappings,
        hook_defs=hook_defs,
    )
