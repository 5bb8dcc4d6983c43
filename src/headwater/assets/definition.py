"""``AssetsDefinition``: one or more asset keys and the op that computes them."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence, Set as AbstractSet
from typing import Any

from headwater.asset_key import AssetKey
from headwater.assets.spec import IO_MANAGER_KEY_METADATA, AssetSpec
from headwater.errors import InvalidDefinitionError
from headwater.jobs.op import OpDefinition

__all__ = ["AssetsDefinition", "DEFAULT_GROUP"]

DEFAULT_GROUP = "default"
_MATERIALIZATION = "MATERIALIZATION"
_OBSERVATION = "OBSERVATION"
_UNEXECUTABLE = "UNEXECUTABLE"


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
        op: OpDefinition | None,
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
    ) -> None:
        self.op = op
        # What running the op records: MATERIALIZATION or OBSERVATION (the reference's
        # AssetExecutionType values); external assets have no op and are UNEXECUTABLE.
        self.execution_type = _UNEXECUTABLE if op is None else (execution_type or _MATERIALIZATION)
        if self.execution_type not in (_MATERIALIZATION, _OBSERVATION, _UNEXECUTABLE):
            raise InvalidDefinitionError(
                f"execution_type must be 'MATERIALIZATION' or 'OBSERVATION', got {execution_type!r}"
            )
        self.partition_mappings: dict[AssetKey, Any] = dict(partition_mappings or {})
        self.specs_by_output = dict(specs_by_output)
        self.data_keys_by_input_name = dict(keys_by_input_name or {})
        self.partitions_def = partitions_def
        self.can_subset = can_subset
        self.check_specs = tuple(check_specs)
        self.backfill_policy = backfill_policy
        self.resource_defs = dict(resource_defs or {})
        # HookDefinitions run after this asset's step, in whatever job runs it.
        self.hook_defs: frozenset[Any] = frozenset(hook_defs or ())
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
    def external(cls, spec: AssetSpec) -> AssetsDefinition:
        """An asset produced outside headwater: it can be depended on, not computed."""
        return cls(op=None, specs_by_output={"result": spec}, partitions_def=spec.partitions_def)

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
        found = dict(self.data_keys_by_input_name)
        inputs = self.op.input_defs if self.op is not None else {}
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
    def node_def(self) -> OpDefinition:
        """The op computing the assets.

        Raises:
            InvalidDefinitionError: the assets are external (no op).
        """
        if self.op is None:
            raise InvalidDefinitionError(
                f"asset {self.key.to_user_string()} is external; it has no op"
            )
        return self.op

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
        return self.op is None

    @property
    def is_executable(self) -> bool:
        """Whether headwater can run these assets' op (to materialize or to observe them)."""
        return self.op is not None

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
        if self.op is None:
            return self.key.to_python_identifier()
        return self.op.name

    def output_name_for_key(self, key: AssetKey) -> str:
        """The op output that produces ``key``."""
        return self._output_by_key[key]

    def spec_for_key(self, key: AssetKey) -> AssetSpec:
        """The spec of ``key``."""
        return self.specs_by_output[self._output_by_key[key]]

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
        """key → description."""
        return {s.key: s.description for s in self.specs_by_output.values()}

    @property
    def required_resource_keys(self) -> frozenset[str]:
        """Resource keys the op needs (IO managers not included)."""
        return self.op.required_resource_keys if self.op is not None else frozenset()

    def io_manager_key_for(self, key: AssetKey) -> str:
        """The key of the IO manager that stores ``key``'s value."""
        if self.op is None:
            md = self.spec_for_key(key).metadata
            return str(md.get(IO_MANAGER_KEY_METADATA, md.get("io_manager_key", "io_manager")))
        out_def = self.op.output_defs[self.output_name_for_key(key)]
        return out_def.io_manager_key or "io_manager"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Compute the asset directly (for tests): ``my_asset(upstream_value)``."""
        if self.op is None:
            raise InvalidDefinitionError(
                f"asset {self.key.to_user_string()} is external; it has no function to call"
            )
        bind = getattr(args[0], "bind_assets_def", None) if args else None
        if bind is not None:  # a context from build_asset_context learns its asset
            bind(self)
        return self.op.invoke_directly(*args, **kwargs)

    def __repr__(self) -> str:
        keys = ", ".join(sorted(k.to_user_string() for k in self._output_by_key))
        return f"<AssetsDefinition {keys}>"


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
