"""Asset checks: ``AssetCheckSpec`` and ``@asset_check``, tests of an asset's data."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeAlias

from headwater.assets.key import AssetKey
from headwater.assets.spec import coerce_dep_key
from headwater.errors import InvalidDefinitionError
from headwater.jobs.io import In, Nothing
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
        blocking: whether an ERROR-severity failure stops the assets downstream of
            ``asset`` in the same run (and fails the run).
        metadata: facts about the check.
    """

    name: str
    asset_key: AssetKey
    description: str | None = None
    blocking: bool = False
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __init__(
        self,
        name: str,
        *,
        asset: Any,
        description: str | None = None,
        blocking: bool = False,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        for attr, value in (
            ("name", name),
            ("asset_key", coerce_dep_key(asset)),
            ("description", description),
            ("blocking", blocking),
            ("metadata", dict(metadata or {})),
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
    """

    def __init__(
        self,
        *,
        op: OpDefinition,
        specs: Sequence[AssetCheckSpec],
        asset_keys_by_input: Mapping[str, AssetKey],
    ) -> None:
        self.op = op
        self.check_specs = tuple(specs)
        self.asset_keys_by_input = dict(asset_keys_by_input)

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
    required_resource_keys: set[str] | Sequence[str] | None = None,
    config_schema: Any = None,
    retry_policy: RetryPolicy | None = None,
    metadata: Mapping[str, Any] | None = None,
    op_tags: Mapping[str, str] | None = None,
) -> Callable[[Callable[..., Any]], AssetChecksDefinition]:
    """Turn a function into a check of ``asset``; it returns an ``AssetCheckResult``.

    A data parameter of the function receives the asset's value, loaded by its IO
    manager; without one, the check only runs after the asset.

    Args:
        asset: the asset checked (key, ``"a/b"``, spec or definition).
        name: the check's name (defaults to the function's).
        description: shown in the UI (defaults to the docstring).
        blocking: whether an ERROR-severity failure stops downstream assets in the run.
        required_resource_keys: resources read as ``context.resources.<key>``.
        config_schema: schema of ``context.op_config``.
        retry_policy: how a failure of the check's code is retried.
        metadata: facts about the check.
        op_tags: tags on the check's op.

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
        data_params = sig.input_params
        if len(data_params) > 1:
            raise InvalidDefinitionError(
                f"asset check '{check_name}' takes data parameters {list(data_params)}; a check "
                "takes at most one, which receives the checked asset's value"
            )
        asset_input = data_params[0] if data_params else None
        ins = {} if asset_input else {asset_key.to_python_identifier(): In(Nothing)}
        spec = AssetCheckSpec(
            check_name,
            asset=asset_key,
            description=description or doc_of(fn),
            blocking=blocking,
            metadata=metadata,
        )
        op_def = OpDefinition._analysed(
            fn,
            sig,
            name=op_name,
            ins=ins,
            outs={},
            config_schema=config_schema,
            required_resource_keys=required_resource_keys,
            description=spec.description,
            tags=op_tags,
            retry_policy=retry_policy,
        )
        by_input = {asset_input or asset_key.to_python_identifier(): asset_key}
        return AssetChecksDefinition(op=op_def, specs=[spec], asset_keys_by_input=by_input)

    return build


def multi_asset_check(
    *,
    specs: Sequence[AssetCheckSpec],
    name: str | None = None,
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
        compute_kind: shown in the UI.
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
    if resource_defs:
        raise InvalidDefinitionError(
            "multi_asset_check(resource_defs=...) is not supported; give the resources to "
            "Definitions(resources={...}) or materialize(resources={...})"
        )

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
            required_resource_keys=required_resource_keys,
            description=description or doc_of(fn),
            tags=op_tags,
            retry_policy=retry_policy,
            pool=pool,
        )
        return AssetChecksDefinition(op=op_def, specs=specs, asset_keys_by_input=by_input)

    return build
