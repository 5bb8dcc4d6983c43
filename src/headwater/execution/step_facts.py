"""What running a step reads of its job that no run changes, worked out once.

A job's plan, and so its steps, serve every run of the job; a step's messages, its
inputs' sources, its outputs' IO managers and assets, the assets it materializes and the
checks it may evaluate depend only on the step and the job. They used to be worked out
again on every run of every step; ``facts_for`` builds them on a step's first run and keeps
them on the step (``Step.facts``), for as long as it runs in that job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.execution.io import (
    DEFAULT_IO_MANAGER,
    input_context_type,
    input_definition_metadata,
    loaded_input_message,
    output_target,
)
from headwater.execution.step_messages import type_label
from headwater.execution.typecheck import op_types, output_type

if TYPE_CHECKING:
    from headwater.asset_key import AssetKey
    from headwater.assets.definition import AssetsDefinition
    from headwater.execution.asset_events import CheckScope
    from headwater.execution.io import OutputTarget
    from headwater.execution.plan import Step, StepInput
    from headwater.execution.state import RunState
    from headwater.execution.typecheck import _OpTypes
    from headwater.jobs.io import Out
    from headwater.jobs.job import JobDefinition

__all__ = [
    "AssetFacts",
    "InputFacts",
    "OutputFacts",
    "StepFacts",
    "facts_for",
    "handled_message",
    "yielded_message",
]


def yielded_message(name: str, dagster_type: Any) -> str:
    """The message of a ``STEP_OUTPUT`` event."""
    return f'Yielded output "{name}" of type "{type_label(dagster_type)}". (Type check passed).'


def handled_message(name: str, manager_key: str) -> str:
    """The message of a ``HANDLED_OUTPUT`` event."""
    return f'Handled output "{name}" using IO manager "{manager_key}"'


class InputFacts:
    """One input of a step that passes a value.

    Attributes:
        name: the input's name.
        step_input: where it gets its value.
        source: the one upstream output it reads, when nothing else decides its value (no
            input manager, no fan-in, no dynamic output); ``None`` otherwise.
        loaded_message: the ``LOADED_INPUT`` message for a value of ``source`` passed in
            memory.
        got_message: the ``STEP_INPUT`` message.
        definition_metadata: its ``In``'s metadata (an IO manager's ``InputContext``'s).
        dagster_type: its resolved type (the same).
    """

    __slots__ = (
        "dagster_type",
        "definition_metadata",
        "got_message",
        "loaded_message",
        "name",
        "source",
        "step_input",
    )

    def __init__(self, step: Step, step_input: StepInput) -> None:
        name = step_input.name
        self.name = name
        self.step_input = step_input
        in_def = step.op_def.input_defs.get(name)
        plain = (
            not step.reads_pieces
            and (in_def is None or in_def.input_manager_key is None)
            and not step_input.is_fan_in
            and len(step_input.sources) == 1
        )
        self.source = step_input.sources[0] if plain else None
        self.loaded_message = (
            loaded_input_message(name, DEFAULT_IO_MANAGER, self.source)
            if self.source is not None
            else ""
        )
        # What an IO manager's InputContext shows of it.
        self.definition_metadata = input_definition_metadata(step, name)
        self.dagster_type = input_context_type(step, name)
        # The type checked: the declared one, else the parameter's annotation.
        label = type_label(self.dagster_type if in_def is not None else None)
        self.got_message = f'Got input "{name}" of type "{label}". (Type check passed).'


class OutputFacts:
    """One declared output of a step.

    Attributes:
        name: the output's name.
        handle: ``(step key, output name)``.
        out_def: its declaration (``None`` for an output the op does not declare).
        is_nothing: whether it passes no value.
        asset_key: the asset it materializes, if any.
        target: what its IO manager is given with it; ``None`` for a value kept in memory.
        yielded_message: the ``STEP_OUTPUT`` message.
        handled_message: the ``HANDLED_OUTPUT`` message.
    """

    __slots__ = (
        "asset_key",
        "handle",
        "handled_message",
        "is_nothing",
        "name",
        "out_def",
        "target",
        "yielded_message",
    )

    def __init__(
        self, job: JobDefinition, step: Step, handle: str, name: str, out_def: Out | None
    ) -> None:
        self.name = name
        self.handle = (step.key, name)
        self.out_def = out_def
        self.is_nothing = out_def is not None and out_def.is_nothing
        layer = job.asset_layer
        self.asset_key: AssetKey | None = (
            layer.key_by_output.get((handle, name)) if layer is not None else None
        )
        # An undeclared output has no manager: handing it over fails (see _StepRun.output).
        self.target: OutputTarget | None = (
            output_target(job, step, name) if out_def is not None else None
        )
        # The type checked: the declared one, else the return annotation's.
        self.yielded_message = yielded_message(
            name, output_type(step.op_def, name) if out_def is not None else None
        )
        shown = self.target.manager_key if self.target is not None else DEFAULT_IO_MANAGER
        self.handled_message = handled_message(name, shown)


class AssetFacts:
    """One asset a step materializes, as its ``ASSET_MATERIALIZATION`` events read it.

    Attributes:
        key: the asset's key.
        name: its user string (``"warehouse/orders"``).
        spec: its spec in the step's assets definition.
        upstream: the user strings of the assets it depends on, whose data versions its
            own derives from.
        message: the event's message.
    """

    __slots__ = ("key", "message", "name", "spec", "upstream")

    def __init__(self, assets_def: AssetsDefinition, key: AssetKey) -> None:
        self.key = key
        self.name = key.to_user_string()
        self.spec = assets_def.spec_for_key(key)
        self.upstream = tuple(dep.to_user_string() for dep in self.spec.dep_keys)
        self.message = f"Materialized value {key.path[-1]}."


class StepFacts:
    """What running one step reads of its job (see the module docstring).

    Attributes:
        job: the job they were read from.
        types: the resolved types of the op's inputs and outputs.
        has_context: whether the op's function takes a context.
        assets_def: the assets the step materializes (an op inside a graph-backed asset:
            the graph's).
        own_assets_def: ``assets_def``, unless graph-backed (its ops' outputs are their own).
        is_check: whether the step is an asset check's.
        check_outputs: output name → the check spec whose result it returns.
        check_scope: the assets and check specs its check results may refer to.
        start_message: the ``STEP_START`` message.
        inputs: its inputs that pass a value, in order.
        outputs: its declared outputs, by name.
        output_handles: the handles of ``outputs`` (all produced: the step succeeded).
        ready_when: outputs whose being produced lets it run (see ``skips.skip_reason``).
    """

    __slots__ = (
        "_assets",
        "assets_def",
        "check_outputs",
        "check_scope",
        "has_context",
        "inputs",
        "is_check",
        "job",
        "output_handles",
        "outputs",
        "own_assets_def",
        "ready_when",
        "start_message",
        "types",
    )

    def __init__(self, state: RunState, step: Step) -> None:
        job = state.job
        op_def = step.op_def
        self.job = job
        self.types: _OpTypes = op_types(op_def)
        self.has_context: bool = op_def.signature.has_context
        assets_def = state.assets_def_for(step)
        self.assets_def: AssetsDefinition | None = assets_def
        graph_backed = assets_def is not None and assets_def.is_graph_backed
        self.own_assets_def = None if graph_backed else assets_def
        layer = job.asset_layer
        handle = step.handle
        self.is_check = layer is not None and handle in layer.check_def_by_node
        self.check_outputs: dict[str, Any] = (
            state.check_outputs(step) if self.own_assets_def is None else {}
        )
        self.check_scope: CheckScope = state.check_scope(step)
        self.start_message = f'Started execution of step "{step.key}".'
        self.inputs = tuple(InputFacts(step, i) for i in step.inputs if not i.is_nothing)
        self.outputs = {
            name: OutputFacts(job, step, handle, name, out_def)
            for name, out_def in op_def.output_defs.items()
        }
        self.output_handles = frozenset(o.handle for o in self.outputs.values())
        self.ready_when = frozenset(
            i.sources[0] if i.sources and not i.is_fan_in else i.collect_of
            for i in step.inputs
            if (i.sources and not i.is_fan_in) or i.collect_of is not None
        )
        self._assets: dict[AssetKey, AssetFacts] = {}

    def asset(self, key: AssetKey) -> AssetFacts:
        """The facts of asset ``key``, which the step's assets definition materializes
        (worked out on its first materialization)."""
        found = self._assets.get(key)
        if found is None:
            assert self.assets_def is not None  # only asset steps materialize
            found = self._assets[key] = AssetFacts(self.assets_def, key)
        return found

    def yielded(self, name: str) -> str:
        """The ``STEP_OUTPUT`` message of output ``name`` (untyped, if the op does not
        declare it)."""
        found = self.outputs.get(name)
        return found.yielded_message if found is not None else yielded_message(name, None)

    def output(self, step: Step, name: str) -> OutputFacts:
        """The facts of output ``name`` of ``step`` (made anew for one it does not declare)."""
        found = self.outputs.get(name)
        if found is None:
            found = OutputFacts(self.job, step, step.handle, name, None)
        return found


def facts_for(state: RunState, step: Step) -> StepFacts:
    """The facts of ``step`` in the job ``state`` runs, built on its first run there."""
    facts: StepFacts | None = step.facts
    if facts is None or facts.job is not state.job:
        facts = StepFacts(state, step)
        # A cache on a frozen value: facts are a function of the step and its job.
        object.__setattr__(step, "facts", facts)
    return facts
