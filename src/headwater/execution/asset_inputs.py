"""Loading inputs that do not come from an IO manager's own output of this run: through the
input manager an ``In``/``AssetIn`` names, or from an upstream asset the run does not
materialize (through that asset's IO manager)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NoReturn

from headwater.errors import InvalidDefinitionError, MissingValueError, StepExecutionError
from headwater.execution.io import (
    DEFAULT_IO_MANAGER,
    input_partition_facts,
    load_through,
    step_input_context,
)
from headwater.execution.step_messages import step_error_fields

if TYPE_CHECKING:
    from headwater.asset_key import AssetKey
    from headwater.execution.plan import Step
    from headwater.execution.state import RunState
    from headwater.io import OutputContext

__all__ = ["load_asset_input", "load_with_input_manager", "upstream_asset_output"]

# The metadata entry naming the IO manager of an asset (the reference's spelling).
_IO_MANAGER_KEY_METADATA = "dagster/io_manager_key"
# The step key of an output this run did not produce, as the reference spells it.
_NO_STEP = "none"


def upstream_asset_output(
    state: RunState, asset_key: AssetKey, partition_facts: Mapping[str, Any]
) -> OutputContext:
    """The ``upstream_output`` of an input that loads ``asset_key``, an asset this run does
    not materialize: no step produced it here, so the context describes the asset (its name
    is the key's last part, its ``definition_metadata`` the asset's own plus the IO manager
    that stores it), as the reference's does."""
    from headwater.io import EPHEMERAL_RUN_ID, OutputContext

    layer = state.job.asset_layer
    definition = layer.def_by_key.get(asset_key) if layer is not None else None
    metadata: dict[str, Any] = {}
    if definition is not None:
        by_key = getattr(definition, "metadata_by_key", None)
        found = by_key.get(asset_key) if by_key else getattr(definition, "metadata", None)
        metadata.update(found or {})
    manager_key = layer.io_manager_key_by_key.get(asset_key) if layer is not None else None
    metadata[_IO_MANAGER_KEY_METADATA] = manager_key or DEFAULT_IO_MANAGER
    return OutputContext(
        step_key=_NO_STEP,
        name=asset_key.path[-1],
        run_id=EPHEMERAL_RUN_ID,  # no run of this instance produced it here
        job_name=state.job_name,
        definition_metadata=metadata,
        resources=state.resources,
        asset_key=asset_key,
        asset_partitions_def=partition_facts.get("asset_partitions_def"),
        asset_partition_key_range=partition_facts.get("asset_partition_key_range"),
        instance=state.instance,
    )


def load_with_input_manager(
    state: RunState, step: Step, input_name: str, manager_key: str, source: tuple[str, str] | None
) -> Any:
    """Load an input through the input manager its ``In`` names (``input_manager_key``),
    instead of the upstream output's IO manager or run config."""
    from headwater.io import OutputContext

    in_def = step.op_def.input_defs[input_name]
    layer = state.job.asset_layer
    asset_key = layer.upstream_by_input.get((step.handle, input_name)) if layer else None
    if in_def.asset_key is not None:
        from headwater.asset_key import AssetKey  # the value layer; cheap and already loaded

        asset_key = AssetKey.from_coercible(in_def.asset_key)
    partitions = input_partition_facts(state, step, asset_key)
    upstream = None
    if source is not None:
        stored = state.outputs.io_outputs.get(source)
        upstream = (
            stored[1]
            if stored is not None
            else OutputContext(
                step_key=source[0], name=source[1], job_name=state.job_name, run_id=state.run_id
            )
        )
    elif asset_key is not None and layer is not None and asset_key in layer.def_by_key:
        # An asset input whose upstream this run does not materialize (AssetIn(
        # input_manager_key=) with the upstream left out of the selection).
        upstream = upstream_asset_output(state, asset_key, partitions)
    context = step_input_context(state, step, input_name, upstream, asset_key, partitions)
    _check_loads_inputs(state, step, input_name, manager_key)
    return load_through(state, step, manager_key, context, input_name, source)


def _check_loads_inputs(state: RunState, step: Step, input_name: str, manager_key: str) -> None:
    """Refuse a resource that cannot load inputs under an ``input_manager_key``.

    The reference refuses it when the job is built, from the kind of its definition;
    headwater knows a function-style resource's kind only once it is built, here.

    Raises:
        StepExecutionError: whose user exception is an ``InvalidDefinitionError`` naming
            the key, the input and what the resource is.
    """
    manager = getattr(state.resources, manager_key)
    if callable(getattr(manager, "load_input", None)):
        return
    error = InvalidDefinitionError(
        f"input manager with key '{manager_key}' required by input '{input_name}' of op "
        f"'{step.key}', but received {type(manager).__name__} {manager!r}, which has no "
        "load_input; bind an @input_manager, an InputManager or an IO manager under "
        f"'{manager_key}'"
    )
    raise StepExecutionError(
        str(error),
        **step_error_fields(step),
        user_exception=error,
        original_exc_info=(type(error), error, None),
    )


def load_asset_input(state: RunState, step: Step, input_name: str, asset_key: AssetKey) -> Any:
    """Load an input from an upstream asset that this run does not materialize."""
    layer = state.job.asset_layer
    manager_key = (
        layer.io_manager_key_by_key.get(asset_key) if layer else None
    ) or DEFAULT_IO_MANAGER
    if manager_key not in state.resources:
        _raise_nothing_stored(step, input_name, asset_key, manager_key)
    partitions = input_partition_facts(state, step, asset_key)
    upstream = upstream_asset_output(state, asset_key, partitions)
    context = step_input_context(state, step, input_name, upstream, asset_key, partitions)
    return load_through(state, step, manager_key, context, input_name)


def _raise_nothing_stored(
    step: Step, input_name: str, asset_key: AssetKey, manager_key: str
) -> NoReturn:
    """Fail the step: the run keeps values in memory (no IO manager is bound under
    ``manager_key``) and holds none for an upstream asset it does not materialize.

    The reference's in-memory IO manager lets a ``KeyError`` out here; the user exception
    is a ``MissingValueError``, which is one.
    """
    name = asset_key.to_user_string()
    error = MissingValueError(
        f"input '{input_name}' of step '{step.key}' loads asset '{name}', which this run "
        f"does not materialize, and no IO manager '{manager_key}' is bound to load it: the "
        f"run keeps values in memory only and holds none for '{name}'; produce it in the "
        "same run, or use materialize() or Definitions, which bind a filesystem IO manager "
        "(or your own) to load it"
    )
    raise StepExecutionError(
        str(error),
        **step_error_fields(step),
        user_exception=error,
        original_exc_info=(type(error), error, None),
    )
