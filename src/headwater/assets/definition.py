"""``AssetsDefinition``: one or more asset keys and the op that computes them."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence, Set as AbstractSet
from typing import Any

from headwater._warnings import beta_param_warning
from headwater.asset_key import AssetKey, CoercibleToAssetKeyPrefix
from headwater.assets.spec import IO_MANAGER_KEY_METADATA, AssetSpec
from headwater.errors import InvalidDefinitionError
from headwater.jobs.composition import GraphInputHandle, iter_sources
from headwater.jobs.graph import GraphDefinition
from headwater.jobs.node import NodeDefinition
from headwater.jobs.op import OpDefinition

__all__ = ["AssetsDefinition", "DEFAULT_GROUP"]

DEFAULT_GROUP = "default"
_MATERIALIZATION = "MATERIALIZATION"
_OBSERVATION = "OBSERVATION"
_UNEXECUTABLE = "UNEXECUTABLE"
# Shared by every definition without hooks (most): one empty frozenset, not one per asset
# for the garbage collector to walk.
_NO_HOOKS: frozenset[Any] = frozenset()


class AssetsDefinition:
    """Assets computed together by one op (or, for external assets, by nothing here).

    Build one with ``@asset`` or ``@multi_asset``; external assets come from
    ``AssetSpec`` objects passed to ``Definitions(assets=...)``.

    Attributes:
        op: the op that computes the assets (``None`` for external assets).
        specs_by_output: output name → the spec of the asset it produces.
        data_keys_by_input_name: data input name → the upstream asset it loads.
        partitions_def: the assets' partitions, if any.
        can_subset: whether a run may compute only some of the keys.
        check_specs: checks evaluated inside the op.
        backfill_policy: how a backfill splits partitions into runs.
    """

    def __init__(
        self,
        *,
        keys_by_input_name: Mapping[str, AssetKey] | None = None,
        keys_by_output_name: Mapping[str, AssetKey] | None = None,
        node_def: NodeDefinition | None = None,
        partitions_def: Any = None,
        partition_mappings: Mapping[AssetKey, Any] | None = None,
        asset_deps: Mapping[AssetKey, AbstractSet[AssetKey]] | None = None,
        selected_asset_keys: AbstractSet[AssetKey] | None = None,
        can_subset: bool = False,
        resource_defs: Mapping[str, object] | None = None,
        group_names_by_key: Mapping[AssetKey, str] | None = None,
        metadata_by_key: Mapping[AssetKey, Mapping[str, Any]] | None = None,
        tags_by_key: Mapping[AssetKey, Mapping[str, str]] | None = None,
        legacy_freshness_policies_by_key: Mapping[AssetKey, Any] | None = None,
        backfill_policy: Any = None,
        descriptions_by_key: Mapping[AssetKey, str] | None = None,
        check_specs_by_output_name: Mapping[str, Any] | None = None,
        selected_asset_check_keys: AbstractSet[Any] | None = None,
        is_subset: bool = False,
        owners_by_key: Mapping[AssetKey, Sequence[str]] | None = None,
        specs: Sequence[AssetSpec] | None = None,
        execution_type: Any = None,
        auto_materialize_policies_by_key: Mapping[AssetKey, Any] | None = None,
        hook_defs: AbstractSet[Any] | None = None,
    ) -> None:
        # The reference's spelling: facts by key beside the node that computes them. They
        # become one spec per output; the decorators use ``_make`` with specs directly.
        del legacy_freshness_policies_by_key, is_subset  # kept for the signature
        del auto_materialize_policies_by_key
        from headwater.assets.construct import specs_from_parts

        by_output, check_specs = specs_from_parts(
            node_def=node_def,
            keys_by_input_name=dict(keys_by_input_name or {}),
            keys_by_output_name=dict(keys_by_output_name or {}),
            asset_deps=asset_deps,
            selected_asset_keys=selected_asset_keys,
            group_names_by_key=group_names_by_key,
            metadata_by_key=metadata_by_key,
            tags_by_key=tags_by_key,
            descriptions_by_key=descriptions_by_key,
            owners_by_key=owners_by_key,
            specs=specs,
            partitions_def=partitions_def,
            check_specs=list((check_specs_by_output_name or {}).values()),
            selected_asset_check_keys=selected_asset_check_keys,
        )
        self._setup(
            node=node_def,
            specs_by_output=by_output,
            keys_by_input_name=keys_by_input_name,
            partitions_def=partitions_def,
            can_subset=can_subset,
            check_specs=check_specs,
            backfill_policy=backfill_policy,
            resource_defs=resource_defs,
            partition_mappings=partition_mappings,
            hook_defs=hook_defs,
            execution_type=execution_type,
        )

    @classmethod
    def _make(
        cls,
        *,
        node: NodeDefinition | None,
        specs_by_output: Mapping[str, AssetSpec],
        keys_by_input_name: Mapping[str, AssetKey] | None = None,
        partitions_def: Any = None,
        can_subset: bool = False,
        check_specs: Sequence[Any] = (),
        backfill_policy: Any = None,
        resource_defs: Mapping[str, object] | None = None,
        partition_mappings: Mapping[AssetKey, Any] | None = None,
        hook_defs: AbstractSet[Any] | None = None,
        execution_type: str | None = None,
    ) -> AssetsDefinition:
        """Headwater's own construction path: the node and one spec per output."""
        made = cls.__new__(cls)
        made._setup(
            node=node,
            specs_by_output=specs_by_output,
            keys_by_input_name=keys_by_input_name,
            partitions_def=partitions_def,
            can_subset=can_subset,
            check_specs=check_specs,
            backfill_policy=backfill_policy,
            resource_defs=resource_defs,
            partition_mappings=partition_mappings,
            hook_defs=hook_defs,
            execution_type=execution_type,
        )
        return made

    def _setup(
        self,
        *,
        node: NodeDefinition | None,
        specs_by_output: Mapping[str, AssetSpec],
        keys_by_input_name: Mapping[str, AssetKey] | None,
        partitions_def: Any,
        can_subset: bool,
        check_specs: Sequence[Any],
        backfill_policy: Any,
        resource_defs: Mapping[str, object] | None,
        partition_mappings: Mapping[AssetKey, Any] | None,
        hook_defs: AbstractSet[Any] | None,
        execution_type: str | None = None,
    ) -> None:
        self._node = node
        # What running the node records: MATERIALIZATION or OBSERVATION (the reference's
        # AssetExecutionType values); external assets have no node and are UNEXECUTABLE.
        kind = getattr(execution_type, "value", execution_type)
        self.execution_type = _UNEXECUTABLE if node is None else (kind or _MATERIALIZATION)
        if self.execution_type not in (_MATERIALIZATION, _OBSERVATION, _UNEXECUTABLE):
            raise InvalidDefinitionError(
                f"execution_type must be 'MATERIALIZATION' or 'OBSERVATION', got {execution_type!r}"
            )
        self.partition_mappings: dict[AssetKey, Any] = dict(partition_mappings or {})
        self.specs_by_output = dict(specs_by_output)
        self.data_keys_by_input_name = dict(keys_by_input_name or {})
        # Ordering-only inputs whose names no longer follow their keys (after a rename).
        self.dep_keys_by_input_name: dict[str, AssetKey] = {}
        self.partitions_def = partitions_def
        self.can_subset = can_subset
        self.check_specs = tuple(check_specs)
        self.backfill_policy = backfill_policy
        self.resource_defs = dict(resource_defs or {})
        # HookDefinitions run after this asset's step, in whatever job runs it.
        self.hook_defs: frozenset[Any] = frozenset(hook_defs) if hook_defs else _NO_HOOKS
        self._output_by_key = {spec.key: name for name, spec in self.specs_by_output.items()}
        if len(self._output_by_key) != len(self.specs_by_output):
            keys = [s.key.to_user_string() for s in self.specs_by_output.values()]
            raise InvalidDefinitionError(f"one definition names an asset key twice: {keys}")
        for check in self.check_specs:
            if check.asset_key not in self._output_by_key:
                raise InvalidDefinitionError(
                    f"check spec '{check.name}' targets asset "
                    f"'{check.asset_key.to_user_string()}', which this definition does not "
                    f"compute; it computes {sorted(k.to_user_string() for k in self.keys)}"
                )

    @classmethod
    def from_graph(
        cls,
        graph_def: GraphDefinition,
        *,
        keys_by_input_name: Mapping[str, AssetKey] | None = None,
        keys_by_output_name: Mapping[str, AssetKey] | None = None,
        key_prefix: CoercibleToAssetKeyPrefix | None = None,
        internal_asset_deps: Mapping[str, set[AssetKey]] | None = None,
        partitions_def: Any = None,
        partition_mappings: Mapping[str, Any] | None = None,
        resource_defs: Mapping[str, object] | None = None,
        group_name: str | None = None,
        group_names_by_output_name: Mapping[str, str | None] | None = None,
        descriptions_by_output_name: Mapping[str, str] | None = None,
        metadata_by_output_name: Mapping[str, Mapping[str, Any] | None] | None = None,
        tags_by_output_name: Mapping[str, Mapping[str, str] | None] | None = None,
        automation_conditions_by_output_name: Mapping[str, Any] | None = None,
        backfill_policy: Any = None,
        can_subset: bool = False,
        check_specs: Sequence[Any] | None = None,
        owners_by_output_name: Mapping[str, Sequence[str]] | None = None,
        code_versions_by_output_name: Mapping[str, str | None] | None = None,
        auto_materialize_policies_by_output_name: Mapping[str, Any] | None = None,
        hook_defs: AbstractSet[Any] | None = None,
    ) -> AssetsDefinition:
        """Assets computed by the ops of a graph: each graph output is an asset.

        Args:
            graph_def: the graph; its inputs load upstream assets, its outputs are assets.
            keys_by_input_name: graph input → upstream key (default: the input's name).
            keys_by_output_name: graph output → key (default: the output's name).
            key_prefix: put before every key the graph's names give.
            internal_asset_deps: output name → the upstream keys its asset depends on.
            partitions_def, partition_mappings (by input name), resource_defs, group_name,
            group_names_by_output_name, descriptions_by_output_name,
            metadata_by_output_name, tags_by_output_name,
            automation_conditions_by_output_name, backfill_policy, can_subset,
            check_specs, owners_by_output_name, code_versions_by_output_name, hook_defs:
            facts about the assets, by output name where so named.
        """
        from headwater.assets.construct import from_node

        if resource_defs is not None:
            beta_param_warning("resource_defs", "static method `AssetsDefinition.from_graph`")
        return from_node(
            cls,
            graph_def,
            where="AssetsDefinition.from_graph",
            keys_by_input_name=keys_by_input_name,
            keys_by_output_name=keys_by_output_name,
            key_prefix=key_prefix,
            internal_asset_deps=internal_asset_deps,
            partitions_def=partitions_def,
            partition_mappings=partition_mappings,
            resource_defs=resource_defs,
            group_name=group_name,
            group_names_by_output_name=group_names_by_output_name,
            descriptions_by_output_name=descriptions_by_output_name,
            metadata_by_output_name=metadata_by_output_name,
            tags_by_output_name=tags_by_output_name,
            automation_conditions_by_output_name=automation_conditions_by_output_name,
            backfill_policy=backfill_policy,
            can_subset=can_subset,
            check_specs=check_specs,
            owners_by_output_name=owners_by_output_name,
            code_versions_by_output_name=code_versions_by_output_name,
            hook_defs=hook_defs,
        )

    @classmethod
    def from_op(
        cls,
        op_def: OpDefinition,
        *,
        keys_by_input_name: Mapping[str, AssetKey] | None = None,
        keys_by_output_name: Mapping[str, AssetKey] | None = None,
        key_prefix: CoercibleToAssetKeyPrefix | None = None,
        internal_asset_deps: Mapping[str, set[AssetKey]] | None = None,
        partitions_def: Any = None,
        partition_mappings: Mapping[str, Any] | None = None,
        group_name: str | None = None,
        group_names_by_output_name: Mapping[str, str | None] | None = None,
        descriptions_by_output_name: Mapping[str, str] | None = None,
        metadata_by_output_name: Mapping[str, Mapping[str, Any] | None] | None = None,
        tags_by_output_name: Mapping[str, Mapping[str, str] | None] | None = None,
        automation_conditions_by_output_name: Mapping[str, Any] | None = None,
        backfill_policy: Any = None,
        can_subset: bool = False,
        auto_materialize_policies_by_output_name: Mapping[str, Any] | None = None,
        hook_defs: AbstractSet[Any] | None = None,
    ) -> AssetsDefinition:
        """Assets computed by one op: each op output is an asset (see :meth:`from_graph`
        for the parameters, which are the same but for ``resource_defs``, ``check_specs``,
        ``owners_by_output_name`` and ``code_versions_by_output_name``)."""
        from headwater.assets.construct import from_node

        return from_node(
            cls,
            op_def,
            where="AssetsDefinition.from_op",
            keys_by_input_name=keys_by_input_name,
            keys_by_output_name=keys_by_output_name,
            key_prefix=key_prefix,
            internal_asset_deps=internal_asset_deps,
            partitions_def=partitions_def,
            partition_mappings=partition_mappings,
            group_name=group_name,
            group_names_by_output_name=group_names_by_output_name,
            descriptions_by_output_name=descriptions_by_output_name,
            metadata_by_output_name=metadata_by_output_name,
            tags_by_output_name=tags_by_output_name,
            automation_conditions_by_output_name=automation_conditions_by_output_name,
            backfill_policy=backfill_policy,
            can_subset=can_subset,
            hook_defs=hook_defs,
        )

    @classmethod
    def external(cls, spec: AssetSpec) -> AssetsDefinition:
        """An asset produced outside headwater: it can be depended on, not computed."""
        return cls._make(
            node=None,
            specs_by_output={"result": spec},
            partitions_def=spec.partitions_def,
            # A SourceAsset may bind its IO manager (and its observation's resources).
            resource_defs=getattr(spec, "resource_defs", None),
        )

    # keys ---------------------------------------------------------------------------

    @property
    def keys(self) -> set[AssetKey]:
        """Every key this definition produces."""
        return set(self._output_by_key)

    @property
    def key(self) -> AssetKey:
        """The only key (raises for multi-assets)."""
        if len(self._output_by_key) != 1:
            raise InvalidDefinitionError(
                f"this definition produces {len(self._output_by_key)} assets "
                f"({sorted(k.to_user_string() for k in self._output_by_key)}); use .keys"
            )
        return next(iter(self._output_by_key))

    @property
    def specs(self) -> list[AssetSpec]:
        """The spec of every key."""
        return list(self.specs_by_output.values())

    @property
    def keys_by_input_name(self) -> dict[str, AssetKey]:
        """Op input name → upstream asset: data inputs, and the ordering-only inputs of
        ``deps`` (named after their keys), as the reference lists them."""
        found = {**self.dep_keys_by_input_name, **self.data_keys_by_input_name}
        inputs = self._node.input_defs if self._node is not None else {}
        for spec in self.specs_by_output.values():
            for key in spec.dep_keys:
                name = key.to_python_identifier()
                if name in inputs and name not in found and key not in self.keys:
                    found[name] = key
        return found

    @property
    def specs_by_key(self) -> dict[AssetKey, AssetSpec]:
        """key → its spec."""
        return {spec.key: spec for spec in self.specs_by_output.values()}

    @property
    def keys_by_output_name(self) -> dict[str, AssetKey]:
        """op output name → the key it produces."""
        return {name: spec.key for name, spec in self.specs_by_output.items()}

    @property
    def op(self) -> OpDefinition | None:
        """The op computing the assets (``None`` for external assets).

        Raises:
            InvalidDefinitionError: the assets are computed by a graph (``node_def``).
        """
        if isinstance(self._node, GraphDefinition):
            raise InvalidDefinitionError(
                f"assets {sorted(k.to_user_string() for k in self.keys)} are computed by "
                f"graph '{self._node.name}', not by one op; use node_def"
            )
        return self._node if isinstance(self._node, OpDefinition) else None

    @property
    def node_def(self) -> NodeDefinition:
        """The op or graph computing the assets.

        Raises:
            InvalidDefinitionError: the assets are external (no op).
        """
        if self._node is None:
            raise InvalidDefinitionError(
                f"asset {self.key.to_user_string()} is external; it has no op"
            )
        return self._node

    @property
    def is_graph_backed(self) -> bool:
        """Whether a graph (several ops, one step each) computes the assets."""
        return isinstance(self._node, GraphDefinition)

    @property
    def check_keys(self) -> set[Any]:
        """The keys of the checks evaluated inside the op."""
        return {spec.key for spec in self.check_specs}

    @property
    def tags_by_key(self) -> dict[AssetKey, Mapping[str, str]]:
        """key → tags."""
        return {s.key: s.tags for s in self.specs_by_output.values()}

    @property
    def is_external(self) -> bool:
        """Whether the assets are produced outside headwater (no op)."""
        return self._node is None

    @property
    def is_executable(self) -> bool:
        """Whether headwater can compute these assets."""
        return self._node is not None

    @property
    def is_materializable(self) -> bool:
        """Whether running the op materializes the assets."""
        return self.execution_type == _MATERIALIZATION

    @property
    def is_observable(self) -> bool:
        """Whether running the op observes the assets (an observable source asset)."""
        return self.execution_type == _OBSERVATION

    @property
    def node_name(self) -> str:
        """The name of the op node computing these assets."""
        if self._node is None:
            return self.key.to_python_identifier()
        return self._node.name

    def output_name_for_key(self, key: AssetKey) -> str:
        """The op output that produces ``key``."""
        return self._output_by_key[key]

    def spec_for_key(self, key: AssetKey) -> AssetSpec:
        """The spec of ``key``."""
        return self.specs_by_output[self._output_by_key[key]]

    def _with_specs(self, specs_by_output: Mapping[str, AssetSpec]) -> AssetsDefinition:
        """A copy computing the same node with other specs (other keys, groups, ...)."""
        made = type(self)._make(
            node=self._node,
            specs_by_output=specs_by_output,
            keys_by_input_name=self.data_keys_by_input_name,
            partitions_def=self.partitions_def,
            can_subset=self.can_subset,
            check_specs=self.check_specs,
            backfill_policy=self.backfill_policy,
            resource_defs=self.resource_defs,
            partition_mappings=self.partition_mappings,
            hook_defs=self.hook_defs,
            execution_type=self.execution_type,
        )
        made.dep_keys_by_input_name = dict(self.dep_keys_by_input_name)
        return made

    def map_asset_specs(self, fn: Callable[[AssetSpec], AssetSpec]) -> AssetsDefinition:
        """A copy whose specs are ``fn`` of the current ones; ``fn`` must keep the keys.

        Raises:
            InvalidDefinitionError: ``fn`` changed a key.
        """
        mapped: dict[str, AssetSpec] = {}
        for name, spec in self.specs_by_output.items():
            new = fn(spec)
            if new.key != spec.key:
                raise InvalidDefinitionError(
                    f"Asset key {spec.key.to_user_string()} was changed to "
                    f"{new.key.to_user_string()}. Mapping function must not change keys."
                )
            mapped[name] = new
        twin = copy.copy(self)
        twin.specs_by_output = mapped
        return twin

    @property
    def dependency_keys(self) -> set[AssetKey]:
        """Every upstream key of every asset here."""
        deps: set[AssetKey] = set(self.data_keys_by_input_name.values())
        for spec in self.specs_by_output.values():
            deps.update(spec.dep_keys)
        return deps - self.keys

    @property
    def asset_deps(self) -> dict[AssetKey, set[AssetKey]]:
        """key → its upstream keys."""
        return {spec.key: set(spec.dep_keys) for spec in self.specs_by_output.values()}

    @property
    def group_names_by_key(self) -> dict[AssetKey, str]:
        """key → group name."""
        return {s.key: s.group_name or DEFAULT_GROUP for s in self.specs_by_output.values()}

    @property
    def automation_conditions_by_key(self) -> dict[AssetKey, Any]:
        """key → ``AutomationCondition``, for the assets that have one."""
        return {
            s.key: s.automation_condition
            for s in self.specs_by_output.values()
            if s.automation_condition is not None
        }

    @property
    def legacy_freshness_policies_by_key(self) -> dict[AssetKey, Any]:
        """key → ``LegacyFreshnessPolicy``, for the assets that have one."""
        return {
            s.key: s.legacy_freshness_policy
            for s in self.specs_by_output.values()
            if s.legacy_freshness_policy is not None
        }

    @property
    def freshness_policies_by_key(self) -> dict[AssetKey, Any]:
        """key → ``FreshnessPolicy``, for the assets that have one."""
        return {
            s.key: s.freshness_policy
            for s in self.specs_by_output.values()
            if s.freshness_policy is not None
        }

    @property
    def code_versions_by_key(self) -> dict[AssetKey, str | None]:
        """key → code version."""
        return {s.key: s.code_version for s in self.specs_by_output.values()}

    @property
    def metadata_by_key(self) -> dict[AssetKey, Mapping[str, Any]]:
        """key → definition metadata."""
        return {s.key: s.metadata for s in self.specs_by_output.values()}

    @property
    def descriptions_by_key(self) -> dict[AssetKey, str | None]:
        """key → description, for the assets that have one."""
        return {
            s.key: s.description for s in self.specs_by_output.values() if s.description is not None
        }

    @property
    def required_resource_keys(self) -> frozenset[str]:
        """Resource keys the op (or the graph's ops) needs (IO managers not included)."""
        return frozenset(k for op in self.ops for k in op.required_resource_keys)

    @property
    def ops(self) -> list[OpDefinition]:
        """Every op that computes these assets: the op, or each op of the graph."""
        node = self._node
        if isinstance(node, OpDefinition):  # most: one op, without the recursive walk
            return [node]
        return list(_ops_of(node)) if node is not None else []

    def io_manager_key_for(self, key: AssetKey) -> str:
        """The key of the IO manager that stores ``key``'s value."""
        if self._node is None or self.execution_type == _OBSERVATION:
            # External and observed assets: a store elsewhere, read by the manager they name.
            spec = self.spec_for_key(key)
            own = getattr(spec, "io_manager_key", None)  # a SourceAsset's
            if own:
                return str(own)
            md = spec.metadata
            return str(md.get(IO_MANAGER_KEY_METADATA, md.get("io_manager_key", "io_manager")))
        _, _, out_def = resolve_output(self._node, self.output_name_for_key(key))
        return out_def.io_manager_key or "io_manager"

    def get_io_manager_key_for_asset_key(self, key: AssetKey) -> str:
        """The key of the IO manager that stores ``key``'s value (the reference's name)."""
        return self.io_manager_key_for(key)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Compute the asset directly (for tests): ``my_asset(upstream_value)``."""
        if self._node is None:
            raise InvalidDefinitionError(
                f"asset {self.key.to_user_string()} is external; it has no function to call"
            )
        bind = getattr(args[0], "bind_assets_def", None) if args else None
        if bind is not None:  # a context from build_asset_context learns its asset
            bind(self)
        return self._node.invoke_directly(*args, **kwargs)

    def __repr__(self) -> str:
        keys = ", ".join(sorted(k.to_user_string() for k in self._output_by_key))
        return f"<AssetsDefinition {keys}>"


def _ops_of(node: NodeDefinition) -> Iterable[OpDefinition]:
    if isinstance(node, GraphDefinition):
        for inner in node.node_defs:
            yield from _ops_of(inner)
    elif isinstance(node, OpDefinition):
        yield node


def resolve_output(node: NodeDefinition, output_name: str) -> tuple[tuple[str, ...], str, Any]:
    """The op output behind ``output_name`` of ``node``: the node path of the op inside
    ``node`` (empty for an op itself), the op's output name and its ``Out``."""
    if isinstance(node, GraphDefinition):
        handle = node.output_mappings[output_name]
        path, name, out_def = resolve_output(
            node.nodes[handle.node_name].definition, handle.output_name
        )
        return (handle.node_name, *path), name, out_def
    return (), output_name, node.output_defs[output_name]


def check_output_name(check_spec: Any) -> str:
    """The output of a graph-backed asset that returns ``check_spec``'s result."""
    return f"{check_spec.asset_key.to_python_identifier()}_{check_spec.name}"


def input_targets(node: NodeDefinition, input_name: str) -> list[tuple[tuple[str, ...], str]]:
    """The op inputs a graph input feeds: ``(node path inside node, op input name)``."""
    if not isinstance(node, GraphDefinition):
        return [((), input_name)]
    found: list[tuple[tuple[str, ...], str]] = []
    for name, invocation in node.nodes.items():
        for inner_input, source in invocation.inputs.items():
            if GraphInputHandle(input_name) in tuple(iter_sources(source)):
                found.extend(
                    ((name, *path), op_input)
                    for path, op_input in input_targets(invocation.definition, inner_input)
                )
    return found


def map_asset_specs(
    func: Callable[[AssetSpec], AssetSpec], iterable: Iterable[AssetsDefinition | AssetSpec]
) -> list[AssetsDefinition | AssetSpec]:
    """``func`` applied to every spec: to a spec itself, and to each spec of a definition
    (which must keep its keys).

    Example:
        ``map_asset_specs(lambda s: s.replace_attributes(owners=["a@b.io"]), assets)``
    """
    return [
        item.map_asset_specs(func) if isinstance(item, AssetsDefinition) else func(item)
        for item in iterable
    ]


def specs_by_key(definitions: Iterable[AssetsDefinition]) -> dict[AssetKey, AssetSpec]:
    """Every spec of ``definitions`` by key."""
    return {spec.key: spec for d in definitions for spec in d.specs}
