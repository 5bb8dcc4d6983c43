"""The asset graph: every asset by key, with its upstream and downstream neighbours."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from headwater._dataclass import dataclass
from headwater.asset_key import AssetKey
from headwater.assets.checks import AssetChecksDefinition
from headwater.assets.definition import DEFAULT_GROUP, AssetsDefinition
from headwater.assets.observation import observation_assets_def
from headwater.assets.source import SourceAsset
from headwater.assets.spec import AssetSpec
from headwater.errors import InvalidDefinitionError

__all__ = ["AssetGraph", "AssetNode", "coerce_assets"]


def coerce_assets(items: Iterable[object]) -> list[AssetsDefinition]:
    """``AssetsDefinition``s from definitions and ``AssetSpec``s (external assets)."""
    assets, checks = split_assets_and_checks(items)
    if checks:
        raise InvalidDefinitionError(
            f"{checks[0]!r} is an asset check; pass it in asset_checks=[...]"
        )
    return assets


def split_assets_and_checks(
    items: Iterable[object],
) -> tuple[list[AssetsDefinition], list[AssetChecksDefinition]]:
    """Asset definitions (specs made external) and check definitions, apart."""
    assets: list[AssetsDefinition] = []
    checks: list[AssetChecksDefinition] = []
    for item in items:
        if isinstance(item, AssetsDefinition):
            assets.append(item)
        elif isinstance(item, AssetSpec):
            if isinstance(item, SourceAsset) and item.is_observable:
                assets.append(observation_assets_def(item))
            else:
                assets.append(AssetsDefinition.external(item))
        elif isinstance(item, AssetChecksDefinition):
            checks.append(item)
        else:
            raise InvalidDefinitionError(
                f"{item!r} is not an asset; pass @asset / @multi_asset definitions, AssetSpec "
                "or @asset_check definitions"
            )
    return assets, checks


def _describe(definition: AssetsDefinition) -> str:
    # Node names derive from keys, so two definitions of one key share one: name the code.
    if definition.is_external:
        return f"AssetSpec '{definition.node_name}'"
    if definition.is_graph_backed:
        return f"graph '{definition.node_name}'"
    fn = definition.ops[0].compute_fn
    return f"function '{fn.__name__}' ({fn.__module__})"


@dataclass(frozen=True)
class AssetNode:
    """What the graph knows of one asset (``graph.get(key)``).

    Attributes:
        key: the asset's key.
        spec: its spec.
        assets_def: the definition producing it (an external stub for undefined keys).
    """

    key: AssetKey
    spec: AssetSpec
    assets_def: AssetsDefinition

    @property
    def freshness_policy(self) -> Any:
        """Its ``FreshnessPolicy``, or ``None``."""
        return self.spec.freshness_policy

    @property
    def legacy_freshness_policy(self) -> Any:
        """Its ``LegacyFreshnessPolicy``, or ``None``."""
        return self.spec.legacy_freshness_policy

    @property
    def group_name(self) -> str:
        """Its group."""
        return self.spec.group_name or DEFAULT_GROUP

    @property
    def partitions_def(self) -> Any:
        """Its partitions definition, or ``None``."""
        return self.assets_def.partitions_def

    @property
    def is_external(self) -> bool:
        """Whether it is produced outside headwater."""
        return self.assets_def.is_external


class AssetGraph:
    """Assets by key and their dependencies; built once per set of definitions.

    Raises:
        InvalidDefinitionError: two definitions produce the same key (naming both), or
            assets depend on each other in a cycle (printing it).
    """

    def __init__(
        self,
        assets_defs: Sequence[AssetsDefinition],
        check_defs: Sequence[AssetChecksDefinition] = (),
    ) -> None:
        self.assets_defs = list(assets_defs)
        self.check_defs = list(check_defs)
        self.def_by_key: dict[AssetKey, AssetsDefinition] = {}
        for definition in self.assets_defs:
            for key in definition.keys:
                other = self.def_by_key.get(key)
                if other is definition:  # one definition passed twice (merged Definitions)
                    continue
                if other is None or other.is_external:
                    # An executable definition replaces an external spec of the same key.
                    self.def_by_key[key] = definition
                elif not definition.is_external:
                    raise InvalidDefinitionError(
                        f"asset '{key.to_user_string()}' is defined twice: by "
                        f"{_describe(other)} and by {_describe(definition)}; asset keys "
                        "must be unique"
                    )
        self.upstream: dict[AssetKey, set[AssetKey]] = {}
        for definition in {id(d): d for d in self.def_by_key.values()}.values():
            # Each spec's deps (``asset_deps`` would build a dict of sets per definition).
            for spec in definition.specs_by_output.values():
                key = spec.key
                if self.def_by_key.get(key) is definition:
                    deps = {d.asset_key for d in spec.deps}
                    deps.discard(key)
                    self.upstream[key] = deps
        self._add_external_stubs()
        self.downstream: dict[AssetKey, set[AssetKey]] = {k: set() for k in self.def_by_key}
        for key, deps in self.upstream.items():
            for dep in deps:
                self.downstream[dep].add(key)
        self.toposorted_keys = self._toposort()
        self._check_checks()

    def _add_external_stubs(self) -> None:
        """Make keys that are depended on (or checked) but defined nowhere external assets,
        as if given as ``AssetSpec(key)`` (the reference adds such stubs too); an *input*
        from such a key has no value to load, and is an error."""
        for definition in self.assets_defs:
            for input_name, key in definition.data_keys_by_input_name.items():
                if key not in self.def_by_key:
                    names = ", ".join(sorted(k.to_user_string() for k in definition.keys))
                    raise InvalidDefinitionError(
                        f"asset '{names}' loads input '{input_name}' from "
                        f"'{key.to_user_string()}', which no asset defines; define it, or "
                        f"declare it external with AssetSpec('{key.to_user_string()}')"
                    )
        wanted = [dep for deps in self.upstream.values() for dep in deps]
        wanted += [spec.asset_key for check in self.check_defs for spec in check.check_specs]
        for key in wanted:
            if key not in self.def_by_key:
                stub = AssetsDefinition.external(AssetSpec(key))
                self.assets_defs.append(stub)
                self.def_by_key[key] = stub
                self.upstream[key] = set()

    def get_all_asset_keys(self) -> set[AssetKey]:
        """Every key of the graph, external ones included."""
        return set(self.def_by_key)

    @property
    def all_asset_keys(self) -> set[AssetKey]:
        """Every key of the graph, external ones included."""
        return set(self.def_by_key)

    @property
    def materializable_asset_keys(self) -> set[AssetKey]:
        """The keys headwater can compute."""
        return {k for k, d in self.def_by_key.items() if not d.is_external}

    @property
    def external_asset_keys(self) -> set[AssetKey]:
        """The keys produced outside headwater."""
        return {k for k, d in self.def_by_key.items() if d.is_external}

    def _check_checks(self) -> None:
        seen: set[tuple[AssetKey, str]] = set()
        for check in self.check_defs:
            for spec in check.check_specs:
                if spec.key in seen:
                    raise InvalidDefinitionError(
                        f"two asset checks are named '{spec.name}' on asset "
                        f"'{spec.asset_key.to_user_string()}'; check names must be unique per "
                        "asset"
                    )
                seen.add(spec.key)

    def _toposort(self) -> list[AssetKey]:
        # Iterative DFS: asset graphs can be thousands deep, beyond Python's recursion limit.
        order: list[AssetKey] = []
        state: dict[AssetKey, int] = {}  # 1 = on the current path, 2 = done
        for root in self.def_by_key:
            if root in state:
                continue
            stack: list[tuple[AssetKey, list[AssetKey]]] = [(root, sorted(self.upstream[root]))]
            state[root] = 1
            path = [root]
            while stack:
                key, pending = stack[-1]
                if pending:
                    dep = pending.pop()
                    mark = state.get(dep)
                    if mark == 1:
                        cycle = [*path[path.index(dep) :], dep]
                        shown = " → ".join(k.to_user_string() for k in cycle)
                        raise InvalidDefinitionError(
                            f"assets depend on each other in a cycle: {shown}; remove one of "
                            "these dependencies"
                        )
                    if mark is None:
                        state[dep] = 1
                        path.append(dep)
                        stack.append((dep, sorted(self.upstream[dep])))
                    continue
                stack.pop()
                path.pop()
                state[key] = 2
                order.append(key)
        return order

    @functools.cached_property
    def io_manager_key_by_key(self) -> dict[AssetKey, str]:
        """key → the key of the IO manager storing its value (built once per graph)."""
        return {k: d.io_manager_key_for(k) for k, d in self.def_by_key.items()}

    @functools.cached_property
    def partitions_def_by_key(self) -> dict[AssetKey, Any]:
        """key → its partitions definition, for partitioned keys (built once per graph)."""
        return {
            k: d.partitions_def for k, d in self.def_by_key.items() if d.partitions_def is not None
        }

    def get(self, key: AssetKey) -> AssetNode:
        """The node of ``key``.

        Raises:
            InvalidDefinitionError: no asset of the graph has that key.
        """
        definition = self.def_by_key.get(key)
        if definition is None:
            raise InvalidDefinitionError(
                f"asset '{key.to_user_string()}' is not in the asset graph; its keys are "
                f"{sorted(k.to_user_string() for k in self.def_by_key)}"
            )
        return AssetNode(key, definition.spec_for_key(key), definition)

    @functools.cached_property
    def freshness_policy_by_key(self) -> dict[AssetKey, Any]:
        """key → its ``FreshnessPolicy``, for the keys that have one."""
        return {
            k: d.spec_for_key(k).freshness_policy
            for k, d in self.def_by_key.items()
            if d.spec_for_key(k).freshness_policy is not None
        }

    @property
    def all_keys(self) -> set[AssetKey]:
        """Every key in the graph."""
        return set(self.def_by_key)

    @property
    def executable_keys(self) -> set[AssetKey]:
        """Keys headwater can run (not external): to materialize or to observe them."""
        return set(self._executable_keys)  # a copy: callers may change theirs

    @functools.cached_property
    def _executable_keys(self) -> frozenset[AssetKey]:
        # Found once per graph: resolving a location's jobs asks for them per job.
        return frozenset(k for k, d in self.def_by_key.items() if d.is_executable)

    @property
    def materializable_keys(self) -> set[AssetKey]:
        """Keys headwater materializes (neither external nor observable sources)."""
        return {k for k, d in self.def_by_key.items() if d.is_materializable}

    def group_of(self, key: AssetKey) -> str:
        """The group of ``key``."""
        # The one spec, not ``group_names_by_key`` (a dict of every key of the definition):
        # a group selection asks this of every asset.
        return self.def_by_key[key].spec_for_key(key).group_name or DEFAULT_GROUP

    def upstream_closure(self, keys: Iterable[AssetKey], depth: int | None = None) -> set[AssetKey]:
        """``keys`` and everything upstream of them, up to ``depth`` levels."""
        return self._closure(keys, self.upstream, depth)

    def downstream_closure(
        self, keys: Iterable[AssetKey], depth: int | None = None
    ) -> set[AssetKey]:
        """``keys`` and everything downstream of them, up to ``depth`` levels."""
        return self._closure(keys, self.downstream, depth)

    @staticmethod
    def _closure(
        keys: Iterable[AssetKey], edges: dict[AssetKey, set[AssetKey]], depth: int | None
    ) -> set[AssetKey]:
        seen = set(keys)
        frontier = set(seen)
        level = 0
        while frontier and (depth is None or level < depth):
            frontier = {n for k in frontier for n in edges.get(k, ())} - seen
            seen |= frontier
            level += 1
        return seen
