"""``@graph_asset`` and ``@graph_multi_asset``: assets computed by a graph of ops.

Each op of the graph is its own step (``graph_name.op_name``); the graph's outputs are the
assets, and its inputs load the upstream assets named by the function's parameters.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence, Set as AbstractSet
from typing import TYPE_CHECKING, Any

from headwater.asset_key import AssetKey, CoercibleToAssetKey, CoercibleToAssetKeyPrefix
from headwater.assets.asset_io import AssetIn, AssetOut
from headwater.assets.definition import AssetsDefinition, check_output_name
from headwater.errors import InvalidDefinitionError
from headwater.jobs.dependencies import GraphIn
from headwater.jobs.graph import graph
from headwater.jobs.io import GraphOut

if TYPE_CHECKING:
    from headwater.jobs.hooks import HookDefinition

__all__ = ["graph_asset", "graph_multi_asset"]

# Names the reference takes in ``**kwargs`` without documenting them (deprecated spellings).
_HIDDEN_KWARGS = ("legacy_freshness_policy", "auto_materialize_policy")


def _input_keys(
    fn: Callable[..., Any], ins: Mapping[str, AssetIn] | None, where: str
) -> tuple[dict[str, AssetKey], dict[str, Any]]:
    """Parameter → upstream key, and parameter → partition mapping, for the graph's inputs."""
    params = list(inspect.signature(fn).parameters)
    unknown = sorted(set(ins or {}) - set(params))
    if unknown:
        raise InvalidDefinitionError(
            f"{where} declares ins for {unknown}, which are not parameters of its function; "
            f"its parameters are {params}"
        )
    keys: dict[str, AssetKey] = {}
    mappings: dict[str, Any] = {}
    for param in params:
        asset_in = (ins or {}).get(param) or AssetIn()
        keys[param] = asset_in.resolve_key(param)
        if asset_in.partition_mapping is not None:
            mappings[param] = asset_in.partition_mapping
    return keys, mappings


def _check_kwargs(decorator: str, kwargs: Mapping[str, Any]) -> None:
    for name in kwargs:
        if name not in _HIDDEN_KWARGS:
            raise TypeError(f"{decorator} got an unexpected keyword argument '{name}'")


def graph_asset(
    compose_fn: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    config: Any = None,
    key_prefix: CoercibleToAssetKeyPrefix | None = None,
    group_name: str | None = None,
    partitions_def: Any = None,
    hooks: AbstractSet[HookDefinition] | None = None,
    metadata: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    owners: Sequence[str] | None = None,
    automation_condition: Any = None,
    backfill_policy: Any = None,
    resource_defs: Mapping[str, object] | None = None,
    check_specs: Sequence[Any] | None = None,
    code_version: str | None = None,
    key: CoercibleToAssetKey | None = None,
    kinds: AbstractSet[str] | None = None,
    **kwargs: Any,
) -> Any:  # an AssetsDefinition, or a decorator making one (bare or called form)
    """Define one asset computed by a graph of ops: the function composes ops as a
    ``@graph`` body does, and what it returns is the asset's value.

    Each parameter loads the upstream asset of its name (or the one ``ins`` names). Each op
    runs as its own step, ``<graph>.<op>``; only the returned output is stored as the asset.

    Args:
        name: the last part of the key and the graph's name (default: the function's).
        description: shown in the UI.
        ins: upstream assets for parameters whose names are not their keys.
        config: default config of the graph's ops, or a ``ConfigMapping``.
        key_prefix: parts put before ``name``.
        group_name: its group.
        partitions_def: its partitions.
        hooks: hooks run after each of its ops.
        metadata: facts about the asset.
        tags: string tags on the asset.
        owners: people or teams responsible for it.
        automation_condition: when the automation daemon should materialize it.
        backfill_policy: how a backfill splits partitions into runs.
        resource_defs: resources bound to the asset.
        check_specs: checks whose results the graph returns, each under the output
            ``<asset>_<check>`` (``{"result": ..., "orders_not_empty": ...}``).
        code_version: the version of its code.
        key: the whole key (instead of name and prefix).
        kinds: technologies it involves.
        kwargs: the deprecated ``legacy_freshness_policy`` and ``auto_materialize_policy``.

    Returns:
        An ``AssetsDefinition`` whose ``node_def`` is the graph.

    Example:
        ``@graph_asset``
        ``def report(orders): return render(summarize(orders))``
    """
    _check_kwargs("graph_asset", kwargs)

    def build(fn: Callable[..., Any]) -> AssetsDefinition:
        if key is not None and (key_prefix is not None or name is not None):
            raise InvalidDefinitionError(
                f"graph_asset '{fn.__name__}' has key= and also name= or key_prefix=; "
                "give the whole key, or name and prefix"
            )
        if key is not None:
            asset_key = AssetKey.from_coercible(key)
        else:
            parts = [key_prefix] if isinstance(key_prefix, str) else list(key_prefix or [])
            asset_key = AssetKey([*parts, name or fn.__name__])
        where = f"graph_asset '{asset_key.to_user_string()}'"
        keys_by_input, mappings = _input_keys(fn, ins, where)
        op_graph = graph(
            name=asset_key.to_python_identifier(),
            description=description,
            config=config,
            ins={param: GraphIn() for param in keys_by_input},
            out={"result": GraphOut(), **_check_outs(check_specs, [asset_key], where)},
        )(fn)
        tags_with_kinds = {**(tags or {}), **{f"dagster/kind/{k}": "" for k in kinds or ()}}
        definition = AssetsDefinition.from_graph(
            op_graph,
            keys_by_input_name=keys_by_input,
            keys_by_output_name={"result": asset_key},
            partitions_def=partitions_def,
            hook_defs=hooks,
            partition_mappings=mappings or None,
            group_name=group_name,
            metadata_by_output_name={"result": metadata} if metadata else None,
            tags_by_output_name={"result": tags_with_kinds} if tags_with_kinds else None,
            automation_conditions_by_output_name=(
                {"result": automation_condition} if automation_condition else None
            ),
            backfill_policy=backfill_policy,
            descriptions_by_output_name={"result": description} if description else None,
            resource_defs=resource_defs,
            owners_by_output_name={"result": owners} if owners else None,
            code_versions_by_output_name={"result": code_version} if code_version else None,
            check_specs=check_specs,
        )
        if not kinds:
            return definition
        spec = definition.specs_by_output["result"]
        return definition._with_specs({"result": spec.replace_attributes(kinds=frozenset(kinds))})

    if compose_fn is not None:
        return build(compose_fn)
    return build


def _check_outs(
    check_specs: Sequence[Any] | None, keys: Sequence[AssetKey], where: str
) -> dict[str, GraphOut]:
    """A graph output per check: the body returns each check's ``AssetCheckResult`` under
    ``<asset>_<check>`` (``check_output_name``)."""
    outs: dict[str, GraphOut] = {}
    for spec in check_specs or ():
        if spec.asset_key not in keys:
            raise InvalidDefinitionError(
                f"{where}: check spec '{spec.name}' targets asset "
                f"'{spec.asset_key.to_user_string()}', which it does not compute; it computes "
                f"{sorted(k.to_user_string() for k in keys)}"
            )
        outs[check_output_name(spec)] = GraphOut()
    return outs


def _out_facts(outs: Mapping[str, AssetOut], attr: str) -> dict[str, Any]:
    return {
        name: getattr(out, attr) for name, out in outs.items() if getattr(out, attr) is not None
    }


def graph_multi_asset(
    *,
    outs: Mapping[str, AssetOut],
    name: str | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    partitions_def: Any = None,
    hooks: AbstractSet[HookDefinition] | None = None,
    backfill_policy: Any = None,
    group_name: str | None = None,
    can_subset: bool = False,
    resource_defs: Mapping[str, object] | None = None,
    check_specs: Sequence[Any] | None = None,
    config: Any = None,
) -> Callable[[Callable[..., Any]], AssetsDefinition]:
    """Define several assets computed by one graph of ops: the function returns a dict
    (or tuple) of op outputs, one per name of ``outs``.

    Args:
        outs: graph output name → the asset it produces.
        name: the graph's name (default: the function's).
        ins: upstream assets for parameters whose names are not their keys.
        partitions_def: their partitions.
        hooks: hooks run after each of its ops.
        backfill_policy: how a backfill splits partitions into runs.
        group_name: the group of assets whose ``AssetOut`` names none.
        can_subset: whether a run may compute only some of the assets (the ops read
            ``context.selected_output_names`` and mark their outputs not required).
        resource_defs: resources bound to the assets.
        check_specs: checks whose results the graph returns, each under the output
            ``<asset>_<check>`` (``{"result": ..., "orders_not_empty": ...}``).
        config: default config of the graph's ops, or a ``ConfigMapping``.

    Returns:
        A decorator producing an ``AssetsDefinition`` whose ``node_def`` is the graph.
    """

    def build(fn: Callable[..., Any]) -> AssetsDefinition:
        graph_name = name or fn.__name__
        where = f"graph_multi_asset '{graph_name}'"
        keys_by_input, mappings = _input_keys(fn, ins, where)
        specs = {n: out.to_spec(n, group_name=None) for n, out in outs.items()}
        check_outs = _check_outs(check_specs, [s.key for s in specs.values()], where)
        op_graph = graph(
            name=graph_name,
            out={**{out_name: GraphOut() for out_name in outs}, **check_outs},
            config=config,
            ins={param: GraphIn() for param in keys_by_input},
        )(fn)
        groups = {n: out.group_name or group_name for n, out in outs.items()}
        definition = AssetsDefinition.from_graph(
            op_graph,
            keys_by_input_name=keys_by_input,
            keys_by_output_name={n: spec.key for n, spec in specs.items()},
            partitions_def=partitions_def,
            partition_mappings=mappings or None,
            group_names_by_output_name=groups,
            can_subset=can_subset,
            metadata_by_output_name=_out_facts(outs, "metadata"),
            automation_conditions_by_output_name=_out_facts(outs, "automation_condition"),
            backfill_policy=backfill_policy,
            descriptions_by_output_name=_out_facts(outs, "description"),
            resource_defs=resource_defs,
            code_versions_by_output_name=_out_facts(outs, "code_version"),
            tags_by_output_name=_out_facts(outs, "tags"),
            owners_by_output_name=_out_facts(outs, "owners"),
            hook_defs=hooks,
            check_specs=check_specs,
        )
        with_kinds = {
            n: spec.replace_attributes(kinds=frozenset(outs[n].kinds or ()))
            for n, spec in definition.specs_by_output.items()
            if outs[n].kinds
        }
        if with_kinds:
            return definition._with_specs({**definition.specs_by_output, **with_kinds})
        return definition

    return build
