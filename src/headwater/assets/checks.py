"""Asset checks: ``AssetCheckSpec`` and ``@asset_check``, tests of an asset's data."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from headwater.assets.key import AssetKey
from headwater.assets.spec import coerce_dep_key
from headwater.errors import InvalidDefinitionError
from headwater.jobs.io import In, Nothing
from headwater.jobs.op import OpDefinition, analyze_compute_fn, doc_of
from headwater.jobs.retry import RetryPolicy

__all__ = ["AssetCheckSpec", "AssetChecksDefinition", "asset_check"]


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
    def key(self) -> tuple[AssetKey, str]:
        """``(asset key, check name)``: unique across a code location."""
        return self.asset_key, self.name


class AssetChecksDefinition:
    """A check computed by its own op, after (or apart from) the asset it checks.

    Attributes:
        op: the op evaluating the check.
        spec: what the check is.
        asset_input: the input receiving the asset's value, if the function takes it.
    """

    def __init__(self, *, op: OpDefinition, spec: AssetCheckSpec, asset_input: str | None) -> None:
        self.op = op
        self.spec = spec
        self.asset_input = asset_input

    @property
    def check_specs(self) -> tuple[AssetCheckSpec, ...]:
        """The check's spec, as a one-item tuple (the shape assets use)."""
        return (self.spec,)

    @property
    def asset_key(self) -> AssetKey:
        """The asset checked."""
        return self.spec.asset_key

    @property
    def node_name(self) -> str:
        """The name of the op node evaluating the check."""
        return self.op.name

    @property
    def required_resource_keys(self) -> frozenset[str]:
        """Resource keys the check needs."""
        return self.op.required_resource_keys

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Evaluate the check directly (for tests): ``my_check(asset_value)``."""
        return self.op.invoke_directly(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<AssetChecksDefinition {self.spec.name!r} on {self.asset_key.to_user_string()}>"


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
        op_def = OpDefinition(
            fn,
            compute_signature=sig,
            name=op_name,
            ins=ins,
            outs={},
            config_schema=config_schema,
            required_resource_keys=required_resource_keys,
            description=spec.description,
            tags=op_tags,
            retry_policy=retry_policy,
        )
        return AssetChecksDefinition(op=op_def, spec=spec, asset_input=asset_input)

    return build
