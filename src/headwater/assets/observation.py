"""Observable source assets as definitions: the op that runs an observation function.

An observation function reports the current version of data produced outside headwater.
Running its op records an ``ASSET_OBSERVATION`` (no IO manager is called); downstream
assets then load the data with the source's IO manager and record the observed version as
their input's, so a new version makes them stale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater._warnings import beta_param_warning, beta_warning
from headwater.asset_key import AssetKey
from headwater.assets.definition import AssetsDefinition
from headwater.assets.results import DataVersion, ObserveResult
from headwater.assets.spec import AssetSpec
from headwater.assets.versions import DataVersionsByPartition
from headwater.errors import (
    InvalidDefinitionError,
    InvalidObservationError,
    InvariantViolationError,
)
from headwater.jobs.io import Nothing, Out
from headwater.jobs.op import OpDefinition, analyze_compute_fn

if TYPE_CHECKING:
    from headwater.assets.source import SourceAsset

__all__ = ["multi_observable_source_asset", "observation_assets_def", "observe_result"]


def observation_assets_def(source: SourceAsset) -> AssetsDefinition:
    """The definition that observes ``source`` (which has an observation function)."""
    observe_fn = source.observe_fn
    assert observe_fn is not None  # only observable sources are turned into definitions
    key = source.key
    name = key.to_python_identifier()
    where = f"observable source asset '{key.to_user_string()}'"
    sig = analyze_compute_fn(observe_fn, op_name=where)
    if sig.input_params or sig.config_param is not None:
        extra = [*sig.input_params, *([sig.config_param] if sig.config_param else [])]
        raise InvalidDefinitionError(
            f"{where}: its function takes {extra}, but an observation function receives only "
            "the context and resources; read upstream data inside it, or make it an @asset"
        )
    partitioned = source.partitions_def is not None

    def observe(*args: Any, **kwargs: Any) -> ObserveResult:
        result = observe_result(key, observe_fn(*args, **kwargs), partitioned=partitioned)
        return result.of_source_function(key)

    op_def = OpDefinition._analysed(
        observe,
        sig,
        name=name,
        outs={"result": Out(Nothing)},
        required_resource_keys=getattr(source, "required_resource_keys", None),
        description=source.description,
        tags=getattr(source, "op_tags", None),
    )
    return AssetsDefinition._make(
        node=op_def,
        specs_by_output={"result": source},
        partitions_def=source.partitions_def,
        resource_defs=getattr(source, "resource_defs", None),
        execution_type="OBSERVATION",
    )


def observe_result(key: AssetKey, value: Any, *, partitioned: bool) -> ObserveResult:
    """What an observation function returned, as one ``ObserveResult`` for ``key``.

    Raises:
        InvalidObservationError: a value of another kind, or one that does not fit whether
            the asset is partitioned.
        InvariantViolationError: an ``ObserveResult`` for another asset.
    """
    subject = f"Observe function for {key!r}"
    if isinstance(value, DataVersionsByPartition):
        if not partitioned:
            raise InvalidObservationError(
                f"{key!r} is not partitioned, so its observe function should return a "
                "DataVersion, not a DataVersionsByPartition"
            )
        return ObserveResult.per_partition(key, value.data_versions_by_partition)
    if isinstance(value, DataVersion | ObserveResult) and partitioned:
        raise InvalidObservationError(
            f"{key!r} is partitioned. Returning `{type(value)}` not supported for partitioned "
            "assets. Return `DataVersionsByPartition` instead."
        )
    if isinstance(value, DataVersion):
        return ObserveResult(asset_key=key, data_version=value)
    if isinstance(value, ObserveResult):
        if value.asset_key is not None and value.asset_key != key:
            raise InvariantViolationError(
                f"Asset key {value.asset_key.to_user_string()} not found in AssetsDefinition; "
                f"this function observes {key.to_user_string()}"
            )
        return value
    raise InvalidObservationError(
        f"{subject} must return a DataVersion or DataVersionsByPartition, but returned a value "
        f"of type {type(value)}"
    )


def multi_observable_source_asset(
    *,
    specs: Sequence[AssetSpec],
    name: str | None = None,
    description: str | None = None,
    partitions_def: Any = None,
    can_subset: bool = False,
    required_resource_keys: set[str] | None = None,
    resource_defs: Mapping[str, object] | None = None,
    group_name: str | None = None,
    check_specs: Sequence[Any] | None = None,
) -> Callable[[Callable[..., Any]], AssetsDefinition]:
    """Observe several source assets with one function, which returns or yields an
    ``ObserveResult(asset_key=...)`` per asset.

    Args:
        specs: the assets observed.
        name: the op's name (defaults to the function's).
        description: shown in the UI (defaults to the docstring).
        partitions_def: the assets' partitions, if any.
        can_subset: whether a run may observe only some of the assets.
        required_resource_keys: resources read as ``context.resources.<key>``.
        resource_defs: resources bound to the assets.
        group_name: the group of every asset.
        check_specs: checks the function evaluates after observing.

    Returns:
        A decorator producing an observable ``AssetsDefinition``.

    Example:
        ``@multi_observable_source_asset(specs=[AssetSpec("a"), AssetSpec("b")])``
    """
    from headwater.assets.decorators import multi_asset  # the one builder of multi-assets

    beta_warning("Function `multi_observable_source_asset`")
    if resource_defs is not None:
        beta_param_warning("resource_defs", "function `multi_observable_source_asset`")
    if not specs:
        raise InvalidDefinitionError(
            "multi_observable_source_asset needs specs=[AssetSpec(...), ...]: the assets the "
            "function observes"
        )

    def build(fn: Callable[..., Any]) -> AssetsDefinition:
        built = multi_asset(
            specs=specs,
            name=name,
            description=description,
            partitions_def=partitions_def,
            can_subset=can_subset,
            required_resource_keys=required_resource_keys,
            group_name=group_name,
            check_specs=check_specs,
        )(fn)
        built.execution_type = "OBSERVATION"
        built.resource_defs = dict(resource_defs or {})
        return built

    return build
