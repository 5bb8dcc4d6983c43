"""Binding resources to assets before they reach a job: ``with_resources``."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence, Set as AbstractSet
from typing import Any, TypeVar

from headwater.assets.checks import AssetChecksDefinition
from headwater.assets.definition import AssetsDefinition
from headwater.assets.graph import AssetGraph
from headwater.assets.source import SourceAsset
from headwater.errors import InvalidDefinitionError, InvalidInvocationError, InvariantViolationError
from headwater.jobs.io import In, Out
from headwater.jobs.op import OpDefinition
from headwater.resources import coerce_resource

__all__ = [
    "bound_resources",
    "check_asset_resources",
    "check_no_io_manager_given",
    "io_manager_keys_of",
    "with_resources",
]

T = TypeVar("T")


def _configured(resource: object, config: Any) -> object:
    if config is None:
        return resource
    value = config.get("config") if isinstance(config, Mapping) else config
    return coerce_resource(resource).configured(value)


def with_resources(
    definitions: Iterable[T],
    resource_defs: Mapping[str, object],
    resource_config_by_key: Mapping[str, Any] | None = None,
) -> Sequence[T]:
    """Copies of ``definitions`` with ``resource_defs`` bound to them.

    The copies bring their resources into any job or ``materialize`` call they join, so
    a set of assets can be handed around ready to run.

    Args:
        definitions: assets (``AssetsDefinition``); other objects pass through unchanged.
        resource_defs: resource key → resource (definition, ``ConfigurableResource`` or
            plain value).
        resource_config_by_key: resource key → ``{"config": ...}`` to fix that resource's
            config.

    Returns:
        The copies, in order.

    Raises:
        InvalidDefinitionError: an asset requires a resource, input manager or IO manager
            key (other than ``"io_manager"``) neither given here nor bound before.

    Example:
        ``materialize(with_resources([orders], {"db": db}, {"db": {"config": {"url": u}}}))``
    """
    configs = resource_config_by_key or {}
    given = {
        key: _configured(resource, configs.get(key)) for key, resource in resource_defs.items()
    }
    bound: list[T] = []
    for definition in definitions:
        if not isinstance(definition, AssetsDefinition):
            bound.append(definition)
            continue
        merged = {**given, **definition.resource_defs}
        _check_bound(definition, merged)
        twin = copy.copy(definition)
        twin.resource_defs = merged
        bound.append(twin)
    return bound


def _check_bound(definition: AssetsDefinition, merged: Mapping[str, object]) -> None:
    """Refuse a binding that leaves a resource, input manager or IO manager of
    ``definition`` unprovided, in the reference's order and words (its ``with_resources``
    checks all three; ``"io_manager"`` always has its default)."""
    provided = {"io_manager", *merged}
    missing: list[str] = [
        f"resource with key '{key}' required by op '{definition.node_name}'"
        for key in sorted(definition.required_resource_keys - provided)
    ]
    missing += [
        f"input manager with key '{key}' required by input '{input_name}' of op '{op_name}'"
        for key, op_name, input_name in _input_manager_uses(definition.ops)
        if key not in provided
    ]
    missing += [
        f"io manager with key '{out.io_manager_key}' required by output '{name}' of op '{op.name}'"
        for op in definition.ops
        for name, out in op.output_defs.items()
        if out.io_manager_key and out.io_manager_key not in provided
    ]
    if missing:
        raise InvalidDefinitionError(
            f"{missing[0]} was not provided; pass it to with_resources (given: {sorted(merged)})"
        )


def bound_resources(
    definitions: Iterable[AssetsDefinition], given: Mapping[str, object] | None
) -> dict[str, object]:
    """The resources ``definitions`` carry, checked against the ``given`` ones.

    Raises:
        InvalidInvocationError: an asset carries a resource under a key ``given`` binds to
            a different resource.
    """
    carried: dict[str, object] = {}
    for definition in definitions:
        own = definition.resource_defs
        if not own:
            continue
        conflicts = sorted(k for k, v in own.items() if given and k in given and given[k] is not v)
        if conflicts:
            keys = sorted(json.dumps(list(k.path)) for k in definition.keys)
            raise InvalidInvocationError(
                f"AssetsDefinition with key {', '.join(keys)} has conflicting resource definitions "
                f"with provided resources for the following keys: {', '.join(conflicts)}. "
                "Either remove the existing resources from the asset or change the resource keys"
            )
        carried.update(own)
    return carried


def check_asset_resources(
    graph: AssetGraph,
    provided: Collection[str],
    *,
    owner: str,
    fix: Callable[[str], str],
) -> None:
    """Check that every asset of ``graph`` finds the resources it needs.

    Args:
        graph: the assets (those bound ``with_resources`` bring their own).
        provided: the resource keys the caller gives every asset.
        owner: who gives them, as the caller names it (``"Definitions"``).
        fix: how the caller adds a resource, given its key.

    Raises:
        InvalidDefinitionError: naming the asset, the missing key, ``owner`` and ``fix``.
    """
    given = {"io_manager", *provided}  # the default and the given ones, made once
    available = f"(available: {sorted(provided) or 'none'})"
    for definition in {id(d): d for d in graph.def_by_key.values()}.values():
        bound = given.union(definition.resource_defs) if definition.resource_defs else given
        ops = definition.ops  # a list built per call: once per definition
        for key, op_name, input_name in _input_manager_uses(ops):
            if key not in bound:
                # The reference's words first (code may match on them), then the fix.
                raise InvalidDefinitionError(
                    f"input manager with key '{key}' required by input '{input_name}' of op "
                    f"'{op_name}' was not provided: {owner} does not provide it; "
                    f"{fix(key)} {available}"
                )
        # An output naming no IO manager counts as "io_manager", which `bound` always has.
        needed = _output_manager_keys(ops)
        for op in ops:
            needed.update(op.required_resource_keys)
        for key in sorted(needed.difference(bound)):
            label = ", ".join(sorted(f"'{k.to_user_string()}'" for k in definition.keys))
            raise InvalidDefinitionError(
                f"asset {label} requires resource '{key}', which {owner} does not provide; "
                f"{fix(key)} {available}"
            )
        for key, type_name in _type_resource_uses(ops):
            if key not in bound:
                raise InvalidDefinitionError(
                    f"resource with key '{key}' required by type '{type_name}' was not "
                    f"provided: {owner} does not provide it; {fix(key)} {available}"
                )


def _type_resource_uses(ops: Iterable[OpDefinition]) -> list[tuple[str, str]]:
    """``(key, type name)`` of each resource that a ``DagsterType`` declared on an input or
    output of ``ops`` (an asset definition's) reads in its check. Types come from
    annotations only once resolved, in a run; a run's own check names those."""
    uses: list[tuple[str, str]] = []
    for op in ops:
        io_defs: list[In | Out] = [*op.input_defs.values(), *op.output_defs.values()]
        for io_def in io_defs:
            declared = io_def.dagster_type
            keys = getattr(declared, "required_resource_keys", None)
            if isinstance(keys, AbstractSet):
                name = str(getattr(declared, "display_name", declared))
                uses += [(key, name) for key in sorted(keys)]
    return uses


def io_manager_keys_of(assets: Iterable[object]) -> set[str]:
    """The IO manager keys that storing (and, for external assets, loading) ``assets`` needs.

    As the reference counts them for ``materialize_to_memory``: the key of every output of
    every op computing an asset (``"io_manager"`` when an output names none, and for a
    check's result), the key an external or source asset is loaded with. Input managers
    (``AssetIn(input_manager_key=...)``) load, they do not store: they are not counted. Nor
    are bare ``AssetSpec``s, which become external assets only inside the run.
    """
    keys: set[str] = set()
    for asset in assets:
        if isinstance(asset, SourceAsset):
            keys.add(asset.io_manager_key)
        elif isinstance(asset, AssetsDefinition):
            if asset.is_executable:
                keys |= _output_manager_keys(asset.ops)
                if asset.check_specs:
                    keys.add("io_manager")  # a check's result is an output of the default key
            else:
                keys |= {asset.io_manager_key_for(key) for key in asset.keys}
        elif isinstance(asset, AssetChecksDefinition):
            keys |= _output_manager_keys([asset.op])
            if asset.check_specs:
                keys.add("io_manager")
    return keys


def check_no_io_manager_given(
    io_manager_keys: Collection[str], assets: Iterable[object], given: Mapping[str, object]
) -> None:
    """Refuse a resource, given or carried by an asset, under a key that is kept in memory.

    Raises:
        InvariantViolationError: naming the first such key (in sorted order).
    """
    supplied = set(given)
    for asset in assets:
        if isinstance(asset, (AssetsDefinition, SourceAsset, AssetChecksDefinition)):
            supplied |= set(asset.resource_defs)
    for key in sorted(supplied.intersection(io_manager_keys)):
        raise InvariantViolationError(
            "Attempted to call `materialize_to_memory` with a resource provided for io manager "
            f"key '{key}'. Do not provide resources for io manager keys when calling "
            "`materialize_to_memory`, as it will override io management behavior for all "
            "keys; use materialize(...) to store values with your IO manager"
        )


def _input_manager_uses(ops: Iterable[OpDefinition]) -> list[tuple[str, str, str]]:
    """``(key, op, input)`` of each ``AssetIn(input_manager_key=...)`` on ``ops`` (an asset
    definition's): a run needs it as much as an output's IO manager."""
    return sorted(
        (i.input_manager_key, op.name, name)
        for op in ops
        for name, i in op.input_defs.items()
        if i.input_manager_key
    )


def _output_manager_keys(ops: Iterable[OpDefinition]) -> set[str]:
    return {o.io_manager_key or "io_manager" for op in ops for o in op.output_defs.values()}
