"""Asset checks: ``AssetCheckSpec`` and ``@asset_check``, tests of an asset's data."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field
from typing import Any, NamedTuple, TypeAlias

from headwater._dataclass import dataclass
from headwater._warnings import preview_warning
from headwater.asset_key import AssetKey
from headwater.assets.spec import AssetDep, coerce_dep_key
from headwater.errors import InvalidDefinitionError
from headwater.jobs.io import In, Nothing, NoValue
from headwater.jobs.op import OpDefinition, analyze_compute_fn, doc_of
from headwater.jobs.retry import RetryPolicy

__all__ = [
    "AssetCheckKey",
    "AssetOrCheckKey",
    "AssetCheckSpec",
    "AssetChecksDefinition",
    "asset_check",
    "multi_asset_check",
]


class AssetCheckKey(NamedTuple):
    """Names one check: the asset it checks and the check's name (unique per asset).

    Args:
        asset_key: the asset checked.
        name: the check's name.
    """

    asset_key: AssetKey
    name: str

    def to_user_string(self) -> str:
        """``"asset/key:check_name"``."""
        return f"{self.asset_key.to_user_string()}:{self.name}"


AssetOrCheckKey: TypeAlias = AssetKey | AssetCheckKey
"""Either an asset's key or a check's key (a union, usable with ``isinstance``)."""


@dataclass(frozen=True)
class AssetCheckSpec:
    """A check of one asset: its name, whether a failure blocks downstream assets.

    Args:
        name: the check's name, unique per asset.
        asset: the asset checked (key, ``"a/b"``, spec or definition).
        description: shown in the UI.
        additional_deps: other assets the check reads or waits for.
        blocking: whether an ERROR-severity failure stops the assets downstream of
            ``asset`` in the same run (and fails the run).
        metadata: facts about the check.
        automation_condition: when the automation daemon should evaluate the check.
        partitions_def: the check's partitions (in preview in the reference, which warns).
    """

    name: str
    asset_key: AssetKey
    description: str | None = None
    additional_deps: tuple[AssetDep, ...] = ()
    blocking: bool = False
    metadata: Mapping[str, Any] = field(default_factory=dict)
    automation_condition: Any = None
    partitions_def: Any = None

    def __init__(
        self,
        name: str,
        *,
        asset: Any,
        description: str | None = None,
        additional_deps: Iterable[Any] | None = None,
        blocking: bool = False,
        metadata: Mapping[str, Any] | None = None,
        automation_condition: Any = None,
        partitions_def: Any = None,
    ) -> None:
        if partitions_def is not None:
            preview_warning("Specifying a partitions_def on an AssetCheckSpec")
        asset_key = coerce_dep_key(asset)
        deps = tuple(
            d if isinstance(d, AssetDep) else AssetDep(coerce_dep_key(d))
            for d in additional_deps or ()
        )
        if any(d.asset_key == asset_key for d in deps):
            raise InvalidDefinitionError(
                f"check '{name}' lists its own asset '{asset_key.to_user_string()}' in "
                "additional_deps; the checked asset is a dependency already"
            )
        for attr, value in (
            ("name", name),
            ("asset_key", asset_key),
            ("description", description),
            ("additional_deps", deps),
            ("blocking", blocking),
            ("metadata", dict(metadata or {})),
            ("automation_condition", automation_condition),
            ("partitions_def", partitions_def),
        ):
            object.__setattr__(self, attr, value)

    @property
    def key(self) -> AssetCheckKey:
        """``AssetCheckKey(asset key, check name)``: unique across a code location."""
        return AssetCheckKey(self.asset_key, self.name)


class AssetChecksDefinition:
    """Checks computed by their own op, after (or apart from) the assets they check.

    ``@asset_check`` makes one with one check; ``@multi_asset_check`` one with several,
    possibly of several assets, evaluated by the same op.

    Attributes:
        op: the op evaluating the checks.
        check_specs: what the checks are.
        asset_keys_by_input: the op's inputs that receive (or wait for) an asset.
        can_subset: whether a run evaluates only the checks of the assets it selects.
    """

    def __init__(
        self,
        *,
        keys_by_input_name: Mapping[str, AssetKey] | None = None,
        keys_by_output_name: Mapping[str, AssetKey] | None = None,
        node_def: OpDefinition | None = None,
        partitions_def: Any = None,
        partition_mappings: Mapping[AssetKey, Any] | None = None,
        asset_deps: Mapping[AssetKey, Any] | None = None,
        selected_asset_keys: Any = None,
        can_subset: bool = False,
        resource_defs: Mapping[str, object] | None = None,
        group_names_by_key: Mapping[AssetKey, str] | None = None,
        metadata_by_key: Mapping[AssetKey, Any] | None = None,
        tags_by_key: Mapping[AssetKey, Any] | None = None,
        legacy_freshness_policies_by_key: Mapping[AssetKey, Any] | None = None,
        backfill_policy: Any = None,
        descriptions_by_key: Mapping[AssetKey, str] | None = None,
        check_specs_by_output_name: Mapping[str, AssetCheckSpec] | None = None,
        selected_asset_check_keys: Any = None,
        is_subset: bool = False,
        owners_by_key: Mapping[AssetKey, Any] | None = None,
        specs: Sequence[Any] | None = None,
        execution_type: Any = None,
        auto_materialize_policies_by_key: Mapping[AssetKey, Any] | None = None,
        hook_defs: Any = None,
    ) -> None:
        # The reference builds checks as a kind of AssetsDefinition: an op and the check
        # specs of its outputs. Facts about assets have no meaning for checks here.
        del keys_by_output_name, partitions_def, partition_mappings, asset_deps
        del selected_asset_keys, group_names_by_key, metadata_by_key, tags_by_key
        del legacy_freshness_policies_by_key, backfill_policy, descriptions_by_key
        del is_subset, owners_by_key, specs, execution_type, auto_materialize_policies_by_key
        del hook_defs
        if node_def is None or not check_specs_by_output_name:
            raise InvalidDefinitionError(
                "AssetChecksDefinition needs node_def= (the op evaluating the checks) and "
                "check_specs_by_output_name= (its outputs' checks); use @asset_check"
            )
        chosen = [
            spec
            for spec in check_specs_by_output_name.values()
            if selected_asset_check_keys is None or spec.key in selected_asset_check_keys
        ]
        by_input = dict(keys_by_input_name or {})
        for spec in chosen:
            ident = spec.asset_key.to_python_identifier()
            if spec.asset_key not in by_input.values() and ident in node_def.input_defs:
                by_input[ident] = spec.asset_key
        self._setup(node_def, chosen, by_input, resource_defs, can_subset)

    @classmethod
    def _make(
        cls,
        *,
        op: OpDefinition,
        specs: Sequence[AssetCheckSpec],
        asset_keys_by_input: Mapping[str, AssetKey],
        resource_defs: Mapping[str, object] | None = None,
        can_subset: bool = False,
    ) -> AssetChecksDefinition:
        """Headwater's own construction path: the op, its specs and what its inputs read."""
        made = cls.__new__(cls)
        made._setup(op, specs, asset_keys_by_input, resource_defs, can_subset)
        return made

    def _setup(
        self,
        op: OpDefinition,
        specs: Sequence[AssetCheckSpec],
        asset_keys_by_input: Mapping[str, AssetKey],
        resource_defs: Mapping[str, object] | None,
        can_subset: bool = False,
    ) -> None:
        self.op = op
        self.check_specs = tuple(specs)
        self.asset_keys_by_input = dict(asset_keys_by_input)
        # A run evaluates only the checks of the assets it selects (else all of them).
        self.can_subset = can_subset
        # Resources bound to the checks travel into every job that evaluates them.
        self.resource_defs: dict[str, object] = dict(resource_defs or {})

    @property
    def keys_by_input_name(self) -> dict[str, AssetKey]:
        """Op input name → the asset it reads or waits for."""
        return dict(self.asset_keys_by_input)

    @property
    def check_specs_by_output_name(self) -> dict[str, AssetCheckSpec]:
        """The reference's view: each check under the output that reports it
        (``"result"`` for a single check)."""
        if len(self.check_specs) == 1:
            return {"result": self.check_specs[0]}
        return {f"{s.asset_key.to_python_identifier()}_{s.name}": s for s in self.check_specs}

    @property
    def spec(self) -> AssetCheckSpec:
        """The first check's spec (the only one, for ``@asset_check``)."""
        return self.check_specs[0]

    @property
    def check_keys(self) -> set[AssetCheckKey]:
        """The keys of the checks."""
        return {s.key for s in self.check_specs}

    @property
    def check_key(self) -> AssetCheckKey:
        """The key of the only check.

        Raises:
            InvalidDefinitionError: the definition holds several checks.
        """
        if len(self.check_specs) != 1:
            raise InvalidDefinitionError(
                f"{self!r} holds {len(self.check_specs)} checks; use check_keys"
            )
        return self.spec.key

    @property
    def asset_key(self) -> AssetKey:
        """The asset checked (the first check's, for a multi-asset check)."""
        return self.spec.asset_key

    @property
    def asset_keys(self) -> list[AssetKey]:
        """Every asset checked, in order of the specs, without repeats."""
        return list(dict.fromkeys(s.asset_key for s in self.check_specs))

    @property
    def node_def(self) -> OpDefinition:
        """The op evaluating the checks."""
        return self.op

    @property
    def node_name(self) -> str:
        """The name of the op node evaluating the checks."""
        return self.op.name

    @property
    def required_resource_keys(self) -> frozenset[str]:
        """Resource keys the checks need."""
        return self.op.required_resource_keys

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Evaluate the checks directly (for tests): ``my_check(asset_value)``."""
        return self.op.invoke_directly(*args, **kwargs)

    def __repr__(self) -> str:
        names = ", ".join(repr(s.name) for s in self.check_specs)
        return f"<AssetChecksDefinition {names} on {self.asset_key.to_user_string()}>"


def asset_check(
    *,
    asset: Any,
    name: str | None = None,
    description: str | None = None,
    blocking: bool = False,
    additional_ins: Mapping[str, Any] | None = None,
    additional_deps: Iterable[Any] | None = None,
    required_resource_keys: set[str] | Sequence[str] | None = None,
    resource_defs: Mapping[str, object] | None = None,
    config_schema: Any = None,
    compute_kind: str | None = None,
    op_tags: Mapping[str, str] | None = None,
    retry_policy: RetryPolicy | None = None,
    metadata: Mapping[str, Any] | None = None,
    automation_condition: Any = None,
    pool: str | None = None,
    partitions_def: Any = None,
) -> Callable[[Callable[..., Any]], AssetChecksDefinition]:
    """Turn a function into a check of ``asset``; it returns an ``AssetCheckResult``.

    A data parameter of the function receives the asset's value, loaded by its IO
    manager; without one, the check only runs after the asset.

    Args:
        asset: the asset checked (key, ``"a/b"``, spec or definition).
        name: the check's name (defaults to the function's).
        description: shown in the UI (defaults to the docstring).
        blocking: whether an ERROR-severity failure stops downstream assets in the run.
        additional_ins: parameter name → ``AssetIn``: other assets whose values the
            function receives.
        additional_deps: other assets the check runs after, without their values.
        required_resource_keys: resources read as ``context.resources.<key>``.
        resource_defs: resources bound to the check (they join any job running it).
        config_schema: schema of ``context.op_config``.
        compute_kind: one technology it involves (the op's ``dagster/compute_kind`` tag).
        op_tags: tags on the check's op.
        retry_policy: how a failure of the check's code is retried.
        metadata: facts about the check.
        automation_condition: when the automation daemon should evaluate it.
        pool: the concurrency pool its step draws from.
        partitions_def: the check's partitions (in preview in the reference, which warns).

    Returns:
        A decorator producing an ``AssetChecksDefinition``.

    Example:
        ``@asset_check(asset=orders, blocking=True)``
        ``def orders_not_empty(orders): return AssetCheckResult(passed=len(orders) > 0)``
    """

    def build(fn: Callable[..., Any]) -> AssetChecksDefinition:
        check_name = name or fn.__name__
        asset_key = coerce_dep_key(asset)
        op_name = f"{asset_key.to_python_identifier()}_{check_name}"
        sig = analyze_compute_fn(fn, op_name=op_name)
        extra = dict(additional_ins or {})
        unknown = sorted(set(extra) - set(sig.input_params))
        if unknown:
            raise InvalidDefinitionError(
                f"asset check '{check_name}': additional_ins names {unknown}, which are not "
                f"parameters of its function; its data parameters are {list(sig.input_params)}"
            )
        data_params = [p for p in sig.input_params if p not in extra]
        if len(data_params) > 1:
            raise InvalidDefinitionError(
                f"asset check '{check_name}' takes data parameters {data_params}; a check "
                "takes at most one, which receives the checked asset's value (name the "
                "others in additional_ins)"
            )
        asset_input = data_params[0] if data_params else None
        spec = AssetCheckSpec(
            check_name,
            asset=asset_key,
            description=description or doc_of(fn),
            additional_deps=[
                *(_in_key(param, given) for param, given in extra.items()),
                *(additional_deps or ()),
            ],
            blocking=blocking,
            metadata=metadata,
            automation_condition=automation_condition,
            partitions_def=partitions_def,
        )
        by_input = {asset_input or asset_key.to_python_identifier(): asset_key}
        ins: dict[str, In] = {} if asset_input else {asset_key.to_python_identifier(): In(Nothing)}
        for param, given in extra.items():
            by_input[param] = _in_key(param, given)
            ins[param] = In(getattr(given, "dagster_type", NoValue))
        for dep in additional_deps or ():
            key = coerce_dep_key(dep)
            if key not in by_input.values():
                by_input[key.to_python_identifier()] = key
                ins[key.to_python_identifier()] = In(Nothing)
        tags = dict(op_tags or {})
        if compute_kind:
            tags["dagster/compute_kind"] = compute_kind
        op_def = OpDefinition._analysed(
            fn,
            sig,
            name=op_name,
            ins=ins,
            outs={},
            config_schema=config_schema,
            # Resources bound to the check are ones it reads.
            required_resource_keys={*(required_resource_keys or ()), *(resource_defs or {})},
            description=spec.description,
            tags=tags,
            retry_policy=retry_policy,
            pool=pool,
        )
        return AssetChecksDefinition._make(
            op=op_def, specs=[spec], asset_keys_by_input=by_input, resource_defs=resource_defs
        )

    return build


def _in_key(param: str, given: Any) -> AssetKey:
    # An AssetIn (its key, or the parameter's name under its prefix) or a plain key.
    resolve = getattr(given, "resolve_key", None)
    return resolve(param) if resolve is not None else coerce_dep_key(given)


def multi_asset_check(
    *,
    name: str | None = None,
    specs: Sequence[AssetCheckSpec],
    description: str | None = None,
    can_subset: bool = False,
    compute_kind: str | None = None,
    op_tags: Mapping[str, Any] | None = None,
    resource_defs: Mapping[str, object] | None = None,
    required_resource_keys: set[str] | None = None,
    retry_policy: RetryPolicy | None = None,
    config_schema: Any = None,
    ins: Mapping[str, Any] | None = None,
    pool: str | None = None,
) -> Callable[[Callable[..., Any]], AssetChecksDefinition]:
    """Turn a function into one op evaluating several checks, of one or more assets.

    The function yields (or returns) one ``AssetCheckResult`` per spec, each naming its
    ``asset_key`` and ``check_name``. The op runs after every asset it checks; ``ins=``
    (name → ``AssetIn`` or key) passes asset values to parameters of those names.

    Args:
        specs: the checks.
        name: the op's name (defaults to the function's).
        description: shown in the UI (defaults to the docstring).
        can_subset: whether a run may evaluate only some of the checks.
        compute_kind: one technology it involves (the op's ``dagster/compute_kind`` tag).
        op_tags: tags on the op.
        resource_defs: resources bound to the checks.
        required_resource_keys: resources read as ``context.resources.<key>``.
        retry_policy: how a failure of the checks' code is retried.
        config_schema: schema of ``context.op_config``.
        ins: asset values passed to the function, by parameter name.
        pool: the concurrency pool the op's step draws from.

    Returns:
        A decorator producing an ``AssetChecksDefinition``.

    Example:
        ``@multi_asset_check(specs=[AssetCheckSpec("fresh", asset="orders"), ...])``
    """
    if compute_kind:
        op_tags = {**(op_tags or {}), "dagster/compute_kind": compute_kind}

    def build(fn: Callable[..., Any]) -> AssetChecksDefinition:
        op_name = name or fn.__name__
        sig = analyze_compute_fn(fn, op_name=op_name)
        by_input: dict[str, AssetKey] = {}
        for param, asset_in in (ins or {}).items():
            by_input[param] = coerce_dep_key(getattr(asset_in, "key", None) or asset_in)
        op_ins: dict[str, In] = {}
        for key in dict.fromkeys(s.asset_key for s in specs):
            if key not in by_input.values():
                ident = key.to_python_identifier()
                by_input[ident] = key
                op_ins[ident] = In(Nothing)
        op_def = OpDefinition._analysed(
            fn,
            sig,
            name=op_name,
            ins=op_ins,
            outs={},
            config_schema=config_schema,
            required_resource_keys={*(required_resource_keys or ()), *(resource_defs or {})},
            description=description or doc_of(fn),
            tags=op_tags,
            retry_policy=retry_policy,
            pool=pool,
        )
        return AssetChecksDefinition._make(
            op=op_def,
            specs=specs,
            asset_keys_by_input=by_input,
            resource_defs=resource_defs,
            can_subset=can_subset,
        )

    return build
