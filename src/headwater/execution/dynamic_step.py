"""A step's side of dynamic outputs: recording the values it yields under their mapping
keys, and reading them in the steps mapped over them or collecting them.

A dynamic output's values are kept by mapping key: ``state.outputs.kept[(step, output)]`` is a
dict ``{mapping_key: value}`` (what ``result.output_for_node`` returns), and an IO manager
stores each value under its own ``OutputContext`` (``context.mapping_key``), kept in
``state.outputs.io_outputs[(step, output)]`` as ``(manager_key, {mapping_key: context})``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from headwater.events import EventType
from headwater.execution.io import (
    DEFAULT_IO_MANAGER,
    handle_output,
    load_from_upstream,
    loaded_input_event,
)
from headwater.execution.step_facts import handled_message
from headwater.execution.step_messages import type_label
from headwater.execution.typecheck import check_output_value, op_types

if TYPE_CHECKING:
    from headwater.execution.plan import Step, StepInput
    from headwater.execution.state import RunState
    from headwater.jobs.io import Output

__all__ = ["piece_input_value", "record_dynamic_outputs"]


def record_dynamic_outputs(
    runner: Any, dynamic: Mapping[str, Mapping[str, Output[Any]]], context: Any
) -> None:
    """Record the values of the step's dynamic outputs: for each, in the order yielded,
    ``STEP_OUTPUT`` (naming the mapping key), the IO manager's ``handle_output`` and
    ``HANDLED_OUTPUT``. ``runner`` is the step's ``_StepRun``."""
    state: RunState = runner.state
    step: Step = runner.step
    outputs = state.outputs
    for name, values in dynamic.items():
        handle = (step.key, name)
        outputs.start_dynamic(handle, values)
        # The resolved type: declared, or from the annotation (``list[DynamicOutput[int]]``).
        label = type_label(op_types(step.op_def).outs[name])
        target = runner.facts.output(step, name).target
        for key, output in values.items():
            outputs.keep_piece(handle, key, output.value)
            metadata = output.metadata
            data: dict[str, Any] = {"output_name": name, "mapping_key": key}
            if metadata:
                data["metadata"] = {k: getattr(v, "value", v) for k, v in metadata.items()}
            runner.event(
                EventType.STEP_OUTPUT,
                f'Yielded output "{name}" mapping key "{key}" of type "{label}". '
                "(Type check passed).",
                data=data,
            )
            if runner.types.checks_anything:
                check_output_value(runner.types, runner.type_check_context, name, output.value)
            manager_key, io_metadata = handle_output(
                state, step, name, output.value, context.log, mapping_key=key, target=target
            )
            manager_key = manager_key or DEFAULT_IO_MANAGER
            handled: dict[str, Any] = {"output_name": name, "manager_key": manager_key}
            if io_metadata:
                handled["metadata"] = io_metadata
            runner.event(
                EventType.HANDLED_OUTPUT,
                handled_message(name, manager_key),
                data=handled,
            )


def piece_input_value(state: RunState, step: Step, step_input: StepInput) -> Any:
    """The value of a dynamic output that a mapped copy reads (its mapping key's), or the
    list of all its values for a collecting step, loaded as each was stored."""
    source = step_input.sources[0]
    if step_input.mapping_key is not None:
        return _piece(state, step, step_input.name, source, step_input.mapping_key)
    keys = state.outputs.mapping_keys.get(source) or ()
    return [_piece(state, step, step_input.name, source, key) for key in keys]


def _piece(state: RunState, step: Step, input_name: str, source: tuple[str, str], key: str) -> Any:
    if source in state.outputs.io_outputs:
        return load_from_upstream(state, step, input_name, source, mapping_key=key)
    loaded_input_event(state, step.key, input_name, DEFAULT_IO_MANAGER, source)
    return state.outputs.kept[source][key]
