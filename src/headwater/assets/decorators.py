"""``@asset`` and ``@multi_asset``: functions that compute assets, compiled onto ops."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence, Set as AbstractSet
from typing import TYPE_CHECKING, Any

from headwater._warnings import beta_param_warning, deprecated_param_warning
from headwater.asset_key import AssetKey, CoercibleToAssetKey, CoercibleToAssetKeyPrefix
from headwater.assets.asset_io import AssetIn, AssetOut
from headwater.assets.definition import AssetsDefinition
from headwater.assets.freshness import check_freshness_policy
from headwater.assets.policy_param import condition_from_policy
from headwater.assets.spec import (
    AssetDep,
    AssetSpec,
    check_hidden_kwargs,
    coerce_dep_key,
)
from headwater.errors import InvalidDefinitionError
from headwater.jobs.io import In, Nothing, NoValue, Out
from headwater.jobs.op import (
    ComputeSignature,
    OpDefinition,
    analyze_compute_fn,
    doc_of,
    returns_none,
)
from headwater.jobs.retry import RetryPolicy

if TYPE_CHECKING:
    from headwater.jobs.hooks import HookDefinition

__all__ = ["asset", "multi_asset"]

# What ``@asset`` takes in ``**kwargs``: hidden or deprecated names.
_HIDDEN_ASSET_KWARGS = (
    "compute_kind",
    "non_argument_deps",
    "auto_materialize_policy",
    "legacy_freshness_policy",
)


def _asset_key(
    name: str, key: CoercibleToAssetKey | None, key_prefix: CoercibleToAssetKeyPrefix | None
) -> AssetKey:
    if key is not None:
        if key_prefix is not None:
            raise InvalidDefinitionError(
                f"asset '{name}' has both key= and key_prefix=; put the prefix in the key"
            )
        return AssetKey.from_coercible(key)
    if key_prefix is None:
        return _named_key(name)
    parts = [key_prefix] if isinstance(key_prefix, str) else list(key_prefix)
    return AssetKey([*parts, name])


# One-part keys named in code (asset names, parameter names), made once: in a module of
# thousands of assets, each key is an asset's own and, again, a parameter of each of its
# dependents. Sharing the (immutable) key spares the objects the garbage collector walks
# while the module loads. Emptied when full: a long-lived process (a web server reloading
# code whose names change, a program making names at run time) must not grow it forever.
_KEY_BY_NAME: dict[str, AssetKey] = {}
_KEYS_KEPT = 1 << 16


def _named_key(name: str) -> AssetKey:
    if type(name) is not str:
        return AssetKey([name])  # which refuses it, naming the part
    key = _KEY_BY_NAME.get(name)
    if key is None:
        if len(_KEY_BY_NAME) >= _KEYS_KEPT:
            _KEY_BY_NAME.clear()
        key = _KEY_BY_NAME[name] = AssetKey([name])
    return key


def _data_inputs(
    sig: ComputeSignature, where: str, ins: Mapping[str, AssetIn] | None
) -> tuple[dict[str, AssetKey], dict[str, In]]:
    """Input name → upstream key for each data parameter, and the ops' ``In``s for them."""
    declared = dict(ins or {})
    keys: dict[str, AssetKey] = {}
    in_defs: dict[str, In] = {}
    # `**inputs`: the ins that name no parameter arrive by keyword, as the reference's.
    extra = [n for n in declared if n not in sig.input_params] if sig.takes_any_input else []
    for param in (*sig.input_params, *extra):
        asset_in = declared.pop(param, None)
        if asset_in is None:  # the parameter names its upstream asset: AssetIn()'s defaults
            keys[param] = _named_key(param)
            in_defs[param] = In(NoValue)
            continue
        keys[param] = asset_in.resolve_key(param)
        in_defs[param] = In(
            asset_in.dagster_type,
            metadata=asset_in.metadata,
            input_manager_key=asset_in.input_manager_key,
        )
    if declared:
        raise InvalidDefinitionError(
            f"{where} declares ins for {sorted(declared)}, which are not parameters of its "
            f"function; its data parameters are {list(sig.input_params)}"
        )
    return keys, in_defs


def _dep_inputs(deps: Iterable[Any], data_keys: Iterable[AssetKey]) -> dict[str, In]:
    """``In(Nothing)`` for each non-data dependency, named after its key."""
    taken = set(data_keys)
    result = {}
    for dep in deps:
        key = coerce_dep_key(dep)
        if key not in taken:
            result[key.to_python_identifier()] = In(Nothing)
            taken.add(key)
    return result


def _partition_mappings(
    ins: Mapping[str, AssetIn] | None, deps: Iterable[AssetDep]
) -> dict[AssetKey, Any]:
    """Upstream key → the partition mapping given for it in ``ins`` or ``deps``."""
    found: dict[AssetKey, Any] = {
        d.asset_key: d.partition_mapping for d in deps if d.partition_mapping is not None
    }
    for param, asset_in in (ins or {}).items():
        if asset_in.partition_mapping is not None:
            found[asset_in.resolve_key(param)] = asset_in.partition_mapping
    return found


def _output_type(dagster_type: Any, fn: Callable[..., Any]) -> Any:
    # An asset annotated `-> None` stores nothing: its output is Nothing, so no IO manager
    # is called (it still materializes), as for an op.
    if dagster_type is None and returns_none(fn):
        return Nothing
    # @asset(dagster_type=None) is "not given", as the reference's: the annotation types it.
    return NoValue if dagster_type is None else dagster_type


def asset(
    compute_fn: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    key_prefix: CoercibleToAssetKeyPrefix | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    deps: Iterable[Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    description: str | None = None,
    config_schema: Any = None,
    required_resource_keys: set[str] | Sequence[str] | None = None,
    resource_defs: Mapping[str, object] | None = None,
    hooks: AbstractSet[HookDefinition] | None = None,
    io_manager_def: object | None = None,
    io_manager_key: str | None = None,
    dagster_type: Any = None,
    partitions_def: Any = None,
    op_tags: Mapping[str, str] | None = None,
    group_name: str | None = None,
    output_required: bool = True,
    automation_condition: Any = None,
    freshness_policy: Any = None,
    backfill_policy: Any = None,
    retry_policy: RetryPolicy | None = None,
    code_version: str | None = None,
    key: CoercibleToAssetKey | None = None,
    check_specs: Sequence[Any] | None = None,
    owners: Sequence[str] | None = None,
    kinds: Iterable[str] | None = None,
    pool: str | None = None,
    is_virtual: bool = False,
    **kwargs: Any,
) -> Any:  # an AssetsDefinition, or a decorator making one (bare or called form)
    """Turn a function into an asset: its return value is the asset's data.

    Upstream assets are parameters (named after their keys, or mapped with ``ins=``) or,
    when no value is needed, ``deps=[...]``. The function may also take a ``context``, a
    ``Config`` parameter and resource parameters, as ops do.

    Args:
        name: the last part of the key (defaults to the function's name).
        key_prefix: parts put before ``name``.
        key: the whole key (instead of name and prefix).
        ins: upstream assets for parameters whose names are not their keys.
        deps: upstream assets it depends on without loading their values.
        metadata: facts about the asset.
        tags: string tags on the asset.
        description: shown in the UI (defaults to the docstring).
        config_schema: schema of ``context.op_config``.
        required_resource_keys: resources read as ``context.resources.<key>``.
        resource_defs: resources bound to the asset (as with ``with_resources``; in beta in
            the reference, which warns).
        hooks: hooks run after its step (``HookDefinition``).
        io_manager_key: the IO manager that stores its value.
        partitions_def: its partitions.
        group_name: its group (``"default"`` if omitted).
        code_version: the version of its code; a change makes it stale.
        check_specs: checks the function evaluates and returns results for.
        retry_policy: how a failure is retried.
        owners: people or teams responsible for it.
        kinds: technologies it involves.
        op_tags: tags on the op that computes it.
        output_required: whether the function must produce a value.
        backfill_policy: how a backfill splits partitions into runs.
        pool: the concurrency pool its step draws from.
        automation_condition: when the automation daemon should materialize it.
        dagster_type: the type of its value.
        freshness_policy: when it is expected to have been updated (a ``FreshnessPolicy``).
        io_manager_def: an IO manager bound to this asset alone, under the key
            ``<asset>__io_manager`` (or ``io_manager_key``); in beta in the reference.
        is_virtual: whether the asset is virtual, a view over its parents (in preview).
        kwargs: the hidden ``compute_kind`` (the op's ``dagster/compute_kind`` tag; not
            with ``kinds``),
            ``non_argument_deps`` (the same as ``deps``) and the deprecated
            ``auto_materialize_policy`` and ``legacy_freshness_policy``.

    Returns:
        An ``AssetsDefinition``.

    Example:
        ``@asset(group_name="sales")``
        ``def orders_cleaned(orders: list[dict]) -> list[dict]: ...``
    """

    check_hidden_kwargs("asset", kwargs, _HIDDEN_ASSET_KWARGS)
    compute_kind: str | None = kwargs.get("compute_kind")
    if compute_kind and kinds:
        raise InvalidDefinitionError(
            "Cannot specify compute_kind and kinds on the @asset decorator."
        )
    if compute_kind:  # the op's tag, as the reference's hidden parameter is
        op_tags = {**(op_tags or {}), "dagster/compute_kind": compute_kind}
    if kwargs.get("non_argument_deps"):
        deps = [*(deps or ()), *kwargs["non_argument_deps"]]
    if io_manager_def is not None:
        beta_param_warning("io_manager_def", "function `asset`")
        if io_manager_key is not None:
            raise InvalidDefinitionError(
                "@asset got io_manager_key= and io_manager_def=; give one of them"
            )
    automation_condition = condition_from_policy(
        kwargs.get("auto_materialize_policy"),
        automation_condition,
        owner="function `asset`",
        hint="use `automation_condition` instead.",
    )
    if kwargs.get("legacy_freshness_policy") is not None:
        deprecated_param_warning(
            "legacy_freshness_policy",
            "function `asset`",
            breaking_version="1.12.0",
            hint="use freshness checks instead.",
        )
    if resource_defs is not None:
        beta_param_warning("resource_defs", "function `asset`")
    if backfill_policy is not None:
        beta_param_warning("backfill_policy", "function `asset`")

    def build(fn: Callable[..., Any]) -> AssetsDefinition:
        asset_key = _asset_key(name or fn.__name__, key, key_prefix)
        where = f"asset '{asset_key.to_user_string()}'"
        # An IO manager given as a definition is bound to this asset under its own key.
        manager_key = io_manager_key
        bound = resource_defs
        if io_manager_def is not None:
            manager_key = f"{asset_key.to_python_identifier()}__io_manager"
            bound = {**(resource_defs or {}), manager_key: io_manager_def}
        sig = analyze_compute_fn(fn, op_name=where)
        keys_by_input, data_ins = _data_inputs(sig, where, ins)
        doc = description or doc_of(fn)  # the op's and the asset's
        dep_list = list(deps or ())
        dep_ins = _dep_inputs(dep_list, keys_by_input.values())
        op_def = OpDefinition._analysed(
            fn,
            sig,
            name=asset_key.to_python_identifier(),
            ins={**data_ins, **dep_ins},
            outs={
                "result": Out(
                    _output_type(dagster_type, fn),
                    io_manager_key=manager_key,
                    is_required=output_required,
                )
            },
            config_schema=config_schema,
            required_resource_keys=required_resource_keys,
            description=doc,
            tags=op_tags,
            retry_policy=retry_policy,
            version=code_version,
            pool=pool,
        )
        check_freshness_policy(freshness_policy, where=where)
        spec = AssetSpec(
            asset_key,
            deps=[*map(AssetDep._on, keys_by_input.values()), *dep_list],
            description=doc,
            metadata=metadata,
            group_name=group_name,
            code_version=code_version,
            owners=owners,
            tags=tags,
            kinds=set(kinds or ()),
            partitions_def=partitions_def,
            automation_condition=automation_condition,
            freshness_policy=freshness_policy,
            legacy_freshness_policy=kwargs.get("legacy_freshness_policy"),
            is_virtual=is_virtual,
        )
        return AssetsDefinition._make(
            node=op_def,
            partition_mappings=_partition_mappings(ins, spec.deps),
            specs_by_output={"result": spec},
            keys_by_input_name=keys_by_input,
            partitions_def=partitions_def,
            check_specs=check_specs or (),
            backfill_policy=backfill_policy,
            resource_defs=bound,
            hook_defs=hooks,
        )

    if compute_fn is not None:
        return build(compute_fn)
    return build


def _multi_specs(
    outs: Mapping[str, AssetOut] | None,
    specs: Sequence[AssetSpec] | None,
    group_name: str | None,
    where: str,
) -> dict[str, AssetSpec]:
    if bool(outs) == bool(specs):
        raise InvalidDefinitionError(f"{where} needs outs={{...}} or specs=[...], and not both")
    if outs:
        return {
            out_name: out.to_spec(out_name, group_name=group_name) for out_name, out in outs.items()
        }
    result = {}
    for given in specs or ():
        spec = given
        if group_name and not spec.group_name:
            spec = spec.replace_attributes(group_name=group_name)
        result[spec.key.to_python_identifier()] = spec
    return result


def multi_asset(
    *,
    outs: Mapping[str, AssetOut] | None = None,
    name: str | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    deps: Iterable[Any] | None = None,
    description: str | None = None,
    config_schema: Any = None,
    required_resource_keys: set[str] | Sequence[str] | None = None,
    internal_asset_deps: Mapping[str, set[AssetKey]] | None = None,
    partitions_def: Any = None,
    hooks: AbstractSet[HookDefinition] | None = None,
    backfill_policy: Any = None,
    op_tags: Mapping[str, str] | None = None,
    can_subset: bool = False,
    resource_defs: Mapping[str, object] | None = None,
    group_name: str | None = None,
    retry_policy: RetryPolicy | None = None,
    code_version: str | None = None,
    specs: Sequence[AssetSpec] | None = None,
    check_specs: Sequence[Any] | None = None,
    pool: str | None = None,
    **kwargs: Any,
) -> Callable[[Callable[..., Any]], AssetsDefinition]:
    """Compute several assets with one function.

    Declare the assets with ``outs={"name": AssetOut(...)}`` (the function returns or
    yields an ``Output`` per name) or ``specs=[AssetSpec(...)]`` (it yields a
    ``MaterializeResult(asset_key=...)`` per key).

    Args:
        outs: output name → the asset it produces.
        specs: the assets it produces.
        name: the op's name (defaults to the function's).
        ins: upstream assets for parameters whose names are not their keys.
        deps: upstream assets it depends on without loading their values.
        description: shown in the UI.
        config_schema: schema of ``context.op_config``.
        required_resource_keys: resources read as ``context.resources.<key>``.
        resource_defs: resources bound to the asset (as with ``with_resources``; in beta in
            the reference, which warns).
        hooks: hooks run after its step (``HookDefinition``).
        group_name: group of assets that do not name one.
        can_subset: whether a run may compute only some of the assets
            (``context.selected_asset_keys`` says which).
        partitions_def: their partitions.
        check_specs: checks the function evaluates.
        retry_policy: how a failure is retried.
        code_version: the version of its code.
        op_tags: tags on the op.
        backfill_policy: how a backfill splits partitions into runs.
        pool: the concurrency pool its step draws from.
        internal_asset_deps: output name → the upstream keys that output's asset depends
            on (by default each asset depends on every input and dep of the function).
        kwargs: Dagster's hidden, deprecated ``non_argument_deps`` (the same as ``deps``)
            and ``compute_kind`` (the op's ``dagster/compute_kind`` tag); any other name is a
            ``TypeError``.

    Returns:
        A decorator producing an ``AssetsDefinition``.
    """
    for param in kwargs:
        if param not in ("non_argument_deps", "compute_kind"):
            raise TypeError(f"multi_asset got an unexpected keyword argument '{param}'")
    if kwargs.get("non_argument_deps"):
        deps = [*(deps or ()), *kwargs["non_argument_deps"]]
    if kwargs.get("compute_kind"):
        op_tags = {**(op_tags or {}), "dagster/compute_kind": kwargs["compute_kind"]}
    if resource_defs is not None:
        beta_param_warning("resource_defs", "function `multi_asset`")

    def build(fn: Callable[..., Any]) -> AssetsDefinition:
        op_name = name or fn.__name__
        where = f"multi_asset '{op_name}'"
        by_output = _multi_specs(outs, specs, group_name, where)
        sig = analyze_compute_fn(fn, op_name=where)
        keys_by_input, data_ins = _data_inputs(sig, where, ins)
        dep_list = [*(deps or ()), *(d for s in by_output.values() for d in s.deps)]
        dep_ins = _dep_inputs(
            dep_list, [*keys_by_input.values(), *(s.key for s in by_output.values())]
        )
        out_defs = {
            out_name: Out(
                # An asset declared by a spec has no value of its own: it stores its data
                # itself and reports it with MaterializeResult, as in the reference.
                (outs or {}).get(out_name, AssetOut()).dagster_type if outs else Nothing,
                io_manager_key=(outs or {}).get(out_name, AssetOut()).io_manager_key,
                is_required=not spec.skippable and not can_subset,
            )
            for out_name, spec in by_output.items()
        }
        op_def = OpDefinition._analysed(
            fn,
            sig,
            name=op_name,
            ins={**data_ins, **dep_ins},
            outs=out_defs,
            config_schema=config_schema,
            required_resource_keys=required_resource_keys,
            description=description or doc_of(fn),
            tags=op_tags,
            retry_policy=retry_policy,
            version=code_version,
            pool=pool,
        )
        shared_deps = [AssetDep(k) for k in keys_by_input.values()] + [
            d if isinstance(d, AssetDep) else AssetDep(d) for d in deps or ()
        ]
        internal = internal_asset_deps or {}
        specs_out = {
            out_name: spec.replace_attributes(
                deps=tuple(
                    dict.fromkeys(
                        [*spec.deps, *(AssetDep(k) for k in internal[out_name])]
                        if out_name in internal
                        else [*spec.deps, *shared_deps]
                    )
                ),
                code_version=spec.code_version or code_version,
                partitions_def=spec.partitions_def or partitions_def,
            )
            for out_name, spec in by_output.items()
        }
        return AssetsDefinition._make(
            node=op_def,
            partition_mappings=_partition_mappings(
                ins, [d for spec in specs_out.values() for d in spec.deps]
            ),
            specs_by_output=specs_out,
            keys_by_input_name=keys_by_input,
            partitions_def=partitions_def,
            can_subset=can_subset,
            check_specs=check_specs or (),
            backfill_policy=backfill_policy,
            resource_defs=resource_defs,
            hook_defs=hooks,
        )

    return build
