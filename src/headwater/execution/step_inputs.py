"""Gathering a step's input values: from upstream outputs (in memory or through their IO
managers), input managers, job inputs, run config and defaults."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from headwater.errors import StepExecutionError
from headwater.execution.asset_inputs import load_asset_input, load_with_input_manager
from headwater.execution.context import RunLog
from headwater.execution.dynamic_step import piece_input_value
from headwater.execution.io import DEFAULT_IO_MANAGER, load_from_upstream, loaded_input_event
from headwater.execution.step_messages import step_error_fields
from headwater.execution.typecheck import DagsterTypeLoaderContext, input_type
from headwater.jobs.io import NoValue

if TYPE_CHECKING:
    from headwater.execution.plan import Step, StepInput
    from headwater.execution.state import RunState
    from headwater.execution.step_facts import InputFacts

__all__ = ["NOT_PRODUCED", "config_input_value", "input_value"]

# An input whose upstream output was not produced (its step is then skipped before this).
NOT_PRODUCED = object()


def input_value(state: RunState, step: Step, spec: InputFacts, node_config: Any) -> Any:
    """The value of one input of ``step``; records ``LOADED_INPUT`` as it is loaded (the
    step reads a value kept in memory itself: see ``_StepRun.inputs``)."""
    source = spec.source
    if source is not None:  # one upstream output, no input manager
        return _source_value(state, step, spec.name, source, spec)
    read = _piece_or_input_value if step.reads_pieces else _input_value
    return read(state, step, spec.step_input, node_config)


def config_input_value(value: Any) -> Any:
    """An input value given in run config: a plain value, or ``{"value": v}``."""
    if isinstance(value, Mapping) and len(value) == 1 and "value" in value:
        return value["value"]
    return value


def _input_value(state: RunState, step: Step, step_input: StepInput, node_config: Any) -> Any:
    manager_key = step.op_def.input_defs[step_input.name].input_manager_key
    if manager_key is not None and not step_input.is_fan_in:
        source = step_input.sources[0] if step_input.sources else None
        return load_with_input_manager(state, step, step_input.name, manager_key, source)
    sources = step_input.sources
    if len(sources) == 1 and not step_input.is_fan_in:  # the common case: one upstream output
        return _source_value(state, step, step_input.name, sources[0])
    return _wired_input_value(state, step, step_input, node_config)


def _piece_or_input_value(
    state: RunState, step: Step, step_input: StepInput, node_config: Any
) -> Any:
    # A mapped copy's value of a dynamic output, or a collector's list of all its values.
    root = step_input.collect_of
    if step_input.mapping_key is not None or (root is not None and step_input.sources == (root,)):
        return piece_input_value(state, step, step_input)
    if root is not None and not step_input.sources:  # mapped over no value at all
        return []
    return _input_value(state, step, step_input, node_config)


def _wired_input_value(state: RunState, step: Step, step_input: StepInput, node_config: Any) -> Any:
    if step_input.sources:
        values = [_source_value(state, step, step_input.name, src) for src in step_input.sources]
        produced = [v for v in values if v is not NOT_PRODUCED]
        if step_input.is_fan_in:
            return produced
        return produced[0] if produced else NOT_PRODUCED
    layer = state.job.asset_layer
    upstream = layer.upstream_by_input.get((step.handle, step_input.name)) if layer else None
    if upstream is not None and step_input.from_job_input is None:
        return load_asset_input(state, step, step_input.name, upstream)
    if step_input.from_job_input is not None and step_input.from_job_input in state.job_inputs:
        return state.job_inputs[step_input.from_job_input]
    given = (node_config or {}).get("inputs") or {}
    if step_input.name in given:
        return _config_input(state, step, step_input.name, given[step_input.name])
    if step_input.default is not NoValue:
        return step_input.default
    raise StepExecutionError(
        f"input '{step_input.name}' of op '{step.key}' has no value: nothing is connected "
        f"to it and it has no default; give it under ops.{'.ops.'.join(step.path)}"
        f".inputs.{step_input.name} in run config",
        **step_error_fields(step),
        user_exception=None,
        original_exc_info=None,
    )


def _config_input(state: RunState, step: Step, input_name: str, value: Any) -> Any:
    """An input given in run config: built by its type's loader, or the value itself."""
    loader = input_type(step.op_def, input_name).loader
    if loader is None:
        return config_input_value(value)
    return _load_from_config(state, step, input_name, loader, value)


def _load_from_config(
    state: RunState, step: Step, input_name: str, loader: Any, config_value: Any
) -> Any:
    """An input built by its type's loader from its (validated) run config value."""
    context = DagsterTypeLoaderContext(
        run_id=state.run_id,
        log=RunLog(
            state.events.emit, run_id=state.run_id, job_name=state.job_name, step_key=step.key
        ),
        resources=state.type_check_resources(
            frozenset(step.op_def.required_resource_keys) | loader.required_resource_keys()
        ),
        job_name=state.job_name,
        step_key=step.key,
        op_def=step.op_def,
        run_config=state.run_config,
    )
    was_live = state.events.enter_user_code()
    try:
        return loader.construct_from_config_value(context, config_value)
    except Exception as exc:
        # The run raises the loader's own exception, as for an op's (see `fail`).
        raise StepExecutionError(
            f'Error occurred while loading input "{input_name}" of step "{step.key}":',
            **step_error_fields(step),
            user_exception=exc,
            original_exc_info=(type(exc), exc, exc.__traceback__),
        ) from exc
    finally:
        state.events.leave_user_code(was_live)


def _source_value(
    state: RunState,
    step: Step,
    input_name: str,
    source: tuple[str, str],
    facts: InputFacts | None = None,
) -> Any:
    outputs = state.outputs
    if source in outputs.io_outputs:
        return load_from_upstream(state, step, input_name, source, facts=facts)
    kept = outputs.kept
    if source in kept:
        loaded_input_event(state, step.key, input_name, DEFAULT_IO_MANAGER, source)
        return kept[source]
    if source in outputs.produced:  # materialized without a value here: its manager holds it
        key = state.asset_key_for(source[0], source[1])
        if key is not None:
            return load_asset_input(state, step, input_name, key)
    return NOT_PRODUCED
