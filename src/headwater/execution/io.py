"""Handing step outputs to IO managers and loading step inputs from them.

When a job binds no ``io_manager`` (and its outputs name no other manager), values stay in
memory and no IO manager is called: the fast path of ``execute_in_process``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from headwater.errors import InvariantViolationError, StepExecutionError
from headwater.events import DEBUG, EventType, event_from_fields
from headwater.execution.partitions import UNPARTITIONED, upstream_partition_facts
from headwater.execution.step_messages import step_error_fields
from headwater.execution.typecheck import input_type, output_type

if TYPE_CHECKING:
    from headwater.asset_key import AssetKey
    from headwater.execution.plan import Step
    from headwater.execution.state import RunState
    from headwater.execution.step_facts import InputFacts
    from headwater.jobs.job import JobDefinition

__all__ = [
    "input_partition_facts",
    "input_partition_keys",
    "load_through",
    "handle_output",
    "io_resource_keys",
    "load_from_upstream",
    "loaded_input_event",
    "input_context_type",
    "input_definition_metadata",
    "loaded_input_message",
    "manager_key_for",
    "OutputTarget",
    "output_target",
    "record_logged_event",
    "seed_upstream_output",
    "step_input_context",
]

DEFAULT_IO_MANAGER = "io_manager"
# A global: an enum member read as a class attribute goes through the enum's metaclass.
_LOADED_INPUT = EventType.LOADED_INPUT


def manager_key_for(job: JobDefinition, step: Step, output_name: str) -> str | None:
    """The IO manager that stores output ``output_name`` of ``step``; ``None`` for a value
    kept in memory (no manager bound, or a ``Nothing`` output)."""
    out_def = step.op_def.output_defs[output_name]
    if out_def.is_nothing:
        return None
    key = out_def.io_manager_key
    layer = job.asset_layer
    if key is None and layer is not None:
        asset_key = layer.key_by_output.get((step.handle, output_name))
        if asset_key is not None:
            key = layer.io_manager_key_by_key.get(asset_key)
    key = key or DEFAULT_IO_MANAGER
    if key == DEFAULT_IO_MANAGER and key not in job.resource_defs:
        return None
    return key


def io_resource_keys(job: JobDefinition, steps: Sequence[Step]) -> set[str]:
    """IO manager keys the steps will call (to initialize with the other resources)."""
    keys: set[str] = set()
    layer = job.asset_layer
    for step in steps:
        for name in step.op_def.output_defs:
            key = manager_key_for(job, step, name)
            if key is not None:
                keys.add(key)
        keys.update(
            d.input_manager_key for d in step.op_def.input_defs.values() if d.input_manager_key
        )
        if layer is None:
            continue
        for step_input in step.inputs:
            upstream = layer.upstream_by_input.get((step.handle, step_input.name))
            if upstream is not None and not step_input.sources and not step_input.is_nothing:
                key = layer.io_manager_key_by_key.get(upstream, DEFAULT_IO_MANAGER)
                if key != DEFAULT_IO_MANAGER or key in job.resource_defs:
                    keys.add(key)
    return keys


def _output_partitions(state: RunState, partitions_def: Any) -> Mapping[str, Any]:
    if partitions_def is None:
        return UNPARTITIONED
    return {
        "partition_key": state.partitions.key,
        "asset_partition_keys": list(state.partitions.keys),
        "asset_partition_key_range": state.partitions.key_range,
        "asset_partitions_def": partitions_def,
    }


def input_partition_facts(
    state: RunState, step: Step, asset_key: AssetKey | None
) -> Mapping[str, Any]:
    if asset_key is None:
        return {"partition_key": state.partitions.key}
    layer = state.job.asset_layer
    upstream = layer.partitions_def_by_key.get(asset_key) if layer is not None else None
    if upstream is None:  # read as one value, whatever the run's partitions
        return UNPARTITIONED
    downstream = state.assets_def_for(step)
    return upstream_partition_facts(
        state.partitions, downstream, asset_key, upstream, state.instance
    )


def input_partition_keys(state: RunState, step: Step, input_name: str) -> list[str]:
    """The partition keys of the upstream asset that input ``input_name`` of ``step`` reads.

    Raises:
        InvariantViolationError: the input reads no asset, or an unpartitioned one.
    """
    layer = state.job.asset_layer
    key = layer.upstream_by_input.get((step.handle, input_name)) if layer else None
    facts = input_partition_facts(state, step, key) if key is not None else {}
    if not facts.get("asset_partitions_def"):
        raise InvariantViolationError(
            f"input '{input_name}' of step '{step.key}' does not read a partitioned asset; "
            "asset_partition_keys_for_input needs one"
        )
    return list(facts.get("asset_partition_keys") or [facts["partition_key"]])


class OutputTarget:
    """What every ``OutputContext`` of one step output shares: the IO manager that stores
    it, its asset and the asset's spec, its definition metadata and type. They depend on the
    step and its job only: worked out once per job (``step_facts`` keeps them).

    Attributes:
        name: the output's name.
        manager_key: the IO manager's key.
        asset_key: the asset it materializes, if any.
        asset_spec: that asset's spec, as the reference gives it.
        definition_metadata: the asset's metadata, then the ``Out``'s.
        dagster_type: the output's type.
        partitions_def: the asset's partitions definition, if any.
    """

    __slots__ = (
        "asset_key",
        "asset_spec",
        "dagster_type",
        "definition_metadata",
        "manager_key",
        "name",
        "partitions_def",
    )

    def __init__(self, job: JobDefinition, step: Step, name: str, manager_key: str) -> None:
        self.name = name
        self.manager_key = manager_key
        out_def = step.op_def.output_defs[name]
        layer = job.asset_layer
        asset_key = layer.key_by_output.get((step.handle, name)) if layer is not None else None
        self.asset_key: AssetKey | None = asset_key
        metadata = dict(out_def.metadata)
        spec = None
        self.partitions_def: Any = None
        if layer is not None and asset_key is not None:
            assets_def = layer.assets_def_by_node.get(step.path[0])
            if assets_def is not None:
                spec = assets_def.spec_for_key(asset_key)
                metadata = {**spec.metadata, **metadata}
            self.partitions_def = layer.partitions_def_by_key.get(asset_key)
        self.asset_spec: Any = spec
        self.definition_metadata = metadata
        self.dagster_type = output_type(step.op_def, name)


def output_target(job: JobDefinition, step: Step, name: str) -> OutputTarget | None:
    """The target of output ``name`` of ``step``; ``None`` for a value kept in memory.

    Raises:
        KeyError: ``step``'s op declares no such output.
    """
    manager_key = manager_key_for(job, step, name)
    return OutputTarget(job, step, name, manager_key) if manager_key is not None else None


def _output_context(
    state: RunState,
    step: Step,
    target: OutputTarget,
    log: Any,
    run_id: str,
    mapping_key: str | None = None,
    output_metadata: Mapping[str, Any] | None = None,
) -> Any:
    from headwater.io import OutputContext

    return OutputContext(
        step_key=step.key,
        name=target.name,
        job_name=state.job_name,
        run_id=run_id,
        definition_metadata=target.definition_metadata,
        op_def=step.op_def,
        resources=state.resources,
        log=log,
        asset_key=target.asset_key,
        instance=state.instance,
        code_version=step.op_def.version,
        mapping_key=mapping_key,
        asset_spec=target.asset_spec,
        output_metadata=output_metadata,
        dagster_type=target.dagster_type,
        **_output_partitions(state, target.partitions_def),
    )


def seed_upstream_output(state: RunState, step: Step, name: str, run_id: str) -> str | None:
    """Record that run ``run_id`` stored output ``name`` of ``step`` through its IO manager,
    so that steps run in another process (or a later run) load it from there.

    Returns:
        The IO manager key, or ``None`` when the output has no manager (kept in memory).
    """
    target = output_target(state.job, step, name)
    state.outputs.mark_produced((step.key, name))
    if target is None:
        return None
    if step.op_def.output_defs[name].is_dynamic:  # one stored value per mapping key
        keys = state.outputs.mapping_keys.get((step.key, name)) or ()
        contexts = {k: _output_context(state, step, target, None, run_id, k) for k in keys}
        state.outputs.stored((step.key, name), target.manager_key, contexts)
    else:
        context = _output_context(state, step, target, None, run_id)
        state.outputs.stored((step.key, name), target.manager_key, context)
    return target.manager_key


def handle_output(
    state: RunState,
    step: Step,
    name: str,
    value: Any,
    log: Any,
    mapping_key: str | None = None,
    output_metadata: Mapping[str, Any] | None = None,
    target: OutputTarget | None = None,
) -> tuple[str | None, dict[str, Any]]:
    """Give an output to its IO manager (``mapping_key``: one value of a dynamic output;
    ``output_metadata``: what the step attached to the output, the manager's
    ``context.output_metadata``; ``target``: the output's, if the caller has it at hand).

    Returns:
        The manager's key (``None`` for a value kept in memory) and the metadata it logged.
        The caller records ``HANDLED_OUTPUT`` after the output's materialization, as the
        reference orders them.

    Raises:
        StepExecutionError: the manager raised (the message names step, output, asset and
            manager; ``__cause__`` is its exception).
    """
    if target is None:
        target = output_target(state.job, step, name)
        if target is None:
            return None, {}
    manager_key = target.manager_key
    context = _output_context(state, step, target, log, state.run_id, mapping_key, output_metadata)
    manager = getattr(state.resources, manager_key)
    # Built in C (a partial, not a closure): on the path of every stored output.
    context.record_event = partial(record_logged_event, state, step.key)
    events = state.events
    was_live = events.enter_user_code()
    try:
        manager.handle_output(context, value)
    except Exception as exc:
        from headwater.io import describe_io_failure  # deferred: IO is optional

        raise StepExecutionError(
            describe_io_failure(context, manager_key=manager_key, manager=manager, error=exc),
            **step_error_fields(step),
            user_exception=exc,
            original_exc_info=(type(exc), exc, exc.__traceback__),
        ) from exc
    finally:
        events.leave_user_code(was_live)
    if mapping_key is None:
        state.outputs.stored((step.key, name), manager_key, context)
    else:
        state.outputs.stored_piece((step.key, name), manager_key, mapping_key, context)
    context.record_event = None  # the context is kept (for loading): log_event no longer records
    return manager_key, context.consume_logged_metadata()


def record_logged_event(state: RunState, step_key: str, event: Any) -> None:
    """Record an event user code logged or yielded in step ``step_key`` (what an IO manager
    logs with ``context.log_event`` while storing an output, as it logs it; what a body
    yielded)."""
    from headwater.execution.logged import logged_event  # steps that log events only

    state.events.emit(
        logged_event(
            event,
            run_id=state.run_id,
            job_name=state.job_name,
            step_key=step_key,
            partition=state.partition_key,
        )
    )


def load_from_upstream(
    state: RunState,
    step: Step,
    input_name: str,
    source: tuple[str, str],
    mapping_key: str | None = None,
    *,
    facts: InputFacts | None = None,
) -> Any:
    """Load an input from the IO manager that stored the upstream output (``mapping_key``:
    one value of a dynamic output; ``facts``: the input's, if the caller has them)."""
    manager_key, upstream = state.outputs.io_outputs[source]
    if mapping_key is not None:
        upstream = upstream[mapping_key]
    asset_key = upstream.asset_key if upstream.has_asset_key else None
    context = step_input_context(
        state,
        step,
        input_name,
        upstream,
        asset_key,
        input_partition_facts(state, step, asset_key),
        facts=facts,
    )
    return load_through(state, step, manager_key, context, input_name, source)


def step_input_context(
    state: RunState,
    step: Step,
    input_name: str,
    upstream: Any,
    asset_key: AssetKey | None,
    partitions: Mapping[str, Any],
    *,
    facts: InputFacts | None = None,
) -> Any:
    """The ``InputContext`` an IO or input manager loads input ``input_name`` of ``step``
    with (``upstream``: its ``upstream_output``; ``partitions``: from
    ``input_partition_facts``; ``facts``: the input's, if the caller has them, which spares
    resolving its metadata and type again)."""
    from headwater.io import InputContext

    metadata: Mapping[str, Any]
    if facts is not None:
        metadata, dagster_type = facts.definition_metadata, facts.dagster_type
    else:
        metadata = input_definition_metadata(step, input_name)
        dagster_type = input_context_type(step, input_name)
    return InputContext(
        name=input_name,
        job_name=state.job_name,
        op_def=step.op_def,
        upstream_output=upstream,
        resources=state.resources,
        asset_key=asset_key,
        instance=state.instance,
        definition_metadata=metadata,
        dagster_type=dagster_type,
        **partitions,
    )


def input_definition_metadata(step: Step, input_name: str) -> Mapping[str, Any]:
    """The ``definition_metadata`` of an input's ``InputContext``: its ``In``'s metadata."""
    # Also called to read a step's output back for a result (no such input): no metadata.
    in_def = step.op_def.input_defs.get(input_name)
    return in_def.metadata if in_def is not None else {}


def input_context_type(step: Step, input_name: str) -> Any:
    """The ``dagster_type`` of an input's ``InputContext``."""
    # The IO manager reads the input's declared or annotated type (``context.dagster_type``);
    # reading a step's output back for a result has no such input, so no type.
    if input_name not in step.op_def.input_defs:
        return None
    return input_type(step.op_def, input_name)


def load_through(
    state: RunState,
    step: Step,
    manager_key: str,
    context: Any,
    input_name: str,
    source: tuple[str, str] | None = None,
) -> Any:
    manager = getattr(state.resources, manager_key)
    was_live = state.events.enter_user_code()
    try:
        value = manager.load_input(context)
    except Exception as exc:
        from headwater.io import describe_io_failure  # loaded: the context is its

        raise StepExecutionError(
            describe_io_failure(context, manager_key=manager_key, manager=manager, error=exc),
            **step_error_fields(step),
            user_exception=exc,
            original_exc_info=(type(exc), exc, exc.__traceback__),
        ) from exc
    finally:
        state.events.leave_user_code(was_live)
    loaded_input_event(state, step.key, input_name, manager_key, source)
    return value


def loaded_input_message(input_name: str, manager_key: str, source: tuple[str, str] | None) -> str:
    """The message of a ``LOADED_INPUT`` event (``source``: the upstream output, if any)."""
    message = f'Loaded input "{input_name}" using input manager "{manager_key}"'
    if source is None:
        return message
    return f'{message}, from output "{source[1]}" of step "{source[0]}"'


def loaded_input_event(
    state: RunState,
    step_key: str,
    input_name: str,
    manager_key: str,
    source: tuple[str, str] | None,
    message: str | None = None,
) -> None:
    """Record ``LOADED_INPUT`` (also for a value passed in memory: the reference's default
    IO manager "loads" it); ``message``: its ``loaded_input_message``, if the caller keeps it."""
    if message is None:
        message = loaded_input_message(input_name, manager_key, source)
    if source is None:
        data: dict[str, Any] = {"input_name": input_name, "manager_key": manager_key}
    else:
        data = {
            "input_name": input_name,
            "manager_key": manager_key,
            "upstream_step_key": source[0],
            "upstream_output_name": source[1],
        }
    # On every step's path: the event is made from its fields, as a step's own are.
    fields = (
        _LOADED_INPUT,
        state.run_id,
        state.job_name,
        time.time(),
        message,
        step_key,
        DEBUG,
        data,
        None,
    )
    state.events.emit(event_from_fields(fields))
