"""Running a job: validate config, record the run, then run its steps (here, in process).

The pieces are shared with the out-of-process executors: ``prepare_run`` validates,
``start_run`` records the run and builds its ``RunState``, ``finish_run`` writes the run's
last event. ``execute_job_in_process`` strings them together with the in-process loop.
"""

from __future__ import annotations

import os
import time
import weakref
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater._dataclass import dataclass
from headwater.config import process_config
from headwater.errors import HeadwaterError, InvalidDefinitionError
from headwater.events import ERROR, ErrorInfo, EventType
from headwater.execution.io import DEFAULT_IO_MANAGER, io_resource_keys
from headwater.execution.partitions import resolve_run_partitions
from headwater.execution.plan import ExecutionPlan, Step, build_plan
from headwater.execution.result import ExecuteInProcessResult
from headwater.execution.skips import record_skip, skip_reason
from headwater.execution.state import GroupedResourceEvents, RunState
from headwater.execution.step import config_input_value, run_step
from headwater.execution.step_facts import facts_for
from headwater.execution.typecheck import type_resource_users
from headwater.jobs.run_config import merged_run_config
from headwater.resources import open_resources, resource_init_order
from headwater.storage import Instance, RunStatus

if TYPE_CHECKING:
    from headwater.config.run_config import RunConfig
    from headwater.jobs.job import JobDefinition

__all__ = [
    "PreparedRun",
    "RunState",
    "execute_job_in_process",
    "finish_run",
    "plan_for",
    "prepare_run",
    "process_run_config",
    "resource_configs",
    "resource_keys_for",
    "start_run",
]

# How often a run loop asks the instance whether someone asked to terminate the run.
CANCEL_POLL_S = 0.25


def plan_for(job: JobDefinition) -> ExecutionPlan:
    """The job's plan, built once: planning is pure, and a job never changes."""
    plan = job._plan
    if plan is None:
        plan = job._plan = build_plan(job)
    return plan  # type: ignore[no-any-return]  # cached on the job as Any to keep layers apart


@dataclass(frozen=True, slots=True)
class PreparedRun:
    """A validated run that has not started: what every executor starts from.

    Attributes:
        job: the job (with resources given at launch bound).
        plan: the steps to run (a subset when ops were selected).
        run_config: the run config as recorded (job defaults merged in, env unresolved).
        processed: the validated config with defaults filled and env resolved.
        job_inputs: values of the job's top-level inputs.
        resource_keys: the resources the steps need, in init order.
    """

    job: JobDefinition
    plan: ExecutionPlan
    run_config: dict[str, Any]
    processed: Mapping[str, Any]
    job_inputs: dict[str, Any]
    resource_keys: list[str]


def process_run_config(
    job: JobDefinition, merged: Mapping[str, Any], input_values: Mapping[str, Any] | None
) -> tuple[Mapping[str, Any], dict[str, Any]]:
    """Validate ``merged`` for ``job``: the processed config and the job's input values.

    Raises:
        InvalidConfigError: every problem of the run config, with its path.
        InvalidDefinitionError: a value given for an input the job does not have.
    """
    for name in input_values or ():
        if name not in job.graph.input_defs:
            raise InvalidDefinitionError(
                f"Error when constructing JobDefinition '{job.name}': Input value provided for "
                f"key '{name}', but job has no top-level input with that name; its inputs are "
                f"{sorted(job.graph.input_defs)}"
            )
    # Values given in Python fill the job's root `inputs` too, so config validation does
    # not ask for them; they stay out of the recorded run config (they need not be JSON).
    to_check: Mapping[str, Any] = merged
    if input_values:
        to_check = {**merged, "inputs": {**(merged.get("inputs") or {}), **input_values}}
    processed: Mapping[str, Any] = process_config(job.run_config_schema, to_check).value_or_raise(
        subject=f"run config for job '{job.name}'"
    )
    job_inputs = {k: config_input_value(v) for k, v in (processed.get("inputs") or {}).items()}
    job_inputs.update(input_values or {})
    return processed, job_inputs


def resource_keys_for(
    job: JobDefinition,
    steps: Sequence[Step],
    *,
    io_steps: Sequence[Step] | None = None,
    extra: Iterable[str] = (),
) -> list[str]:
    """The resources to open for running ``steps``, in init order.

    Only what their ops require, the IO managers of ``io_steps`` (default: ``steps``), the
    ``extra`` keys (a step process adds the managers holding its inputs) and what those
    need: a run initializes nothing the steps being run do not use.

    Raises:
        InvalidDefinitionError: a needed resource is missing, or resources form a cycle.
    """
    needed = {k for s in steps for k in s.op_def.required_resource_keys}
    needed.update(k for s in steps for hook in s.hooks for k in hook.required_resource_keys)
    needed |= io_resource_keys(job, steps if io_steps is None else io_steps)
    needed.update(extra)
    # Keys only a type (or its loader) reads: a missing one is named with the type.
    by_type: dict[str, str] = {}
    for step in steps:
        for key, user in type_resource_users(step.op_def).items():
            if key not in needed:
                by_type.setdefault(key, user)
    needed.update(by_type)
    return resource_init_order(
        job.resource_defs, sorted(needed), owner=f"job '{job.name}'", needed_by=by_type
    )


# job → (its plan, the resources that plan's steps need, in init order). A pure function of
# the two, which neither changes; recomputing it walked every step of every run (a tenth of
# a trivial op's cost). A selection's plan is new each run, and simply replaces the entry.
_PLAN_RESOURCES: weakref.WeakKeyDictionary[JobDefinition, tuple[ExecutionPlan, list[str]]] = (
    weakref.WeakKeyDictionary()
)


def _plan_resource_keys(job: JobDefinition, plan: ExecutionPlan) -> list[str]:
    cached = _PLAN_RESOURCES.get(job)
    if cached is None or cached[0] is not plan:
        cached = _PLAN_RESOURCES[job] = (plan, resource_keys_for(job, plan.steps))
    return list(cached[1])


def prepare_run(
    job: JobDefinition,
    *,
    run_config: Mapping[str, Any] | RunConfig | None,
    op_selection: Sequence[str] | None = None,
    input_values: Mapping[str, Any] | None = None,
    partition_key: str | None = None,
) -> PreparedRun:
    """Plan and validate a run of ``job`` without side effects.

    Raises:
        InvalidConfigError: the run config has problems.
        InvalidDefinitionError: a resource is missing, or the selection is unusable.
    """
    plan = plan_for(job)
    if op_selection:
        plan = plan.subset(op_selection)
    job.check_resources()
    resource_keys = _plan_resource_keys(job, plan)
    merged = merged_run_config(job.config, run_config, partition_key)
    if job.input_values:
        input_values = {**job.input_values, **(input_values or {})}
    processed, job_inputs = process_run_config(job, merged, input_values)
    return PreparedRun(job, plan, merged, processed, job_inputs, resource_keys)


# A queued run's record exists before its process starts it (see start_run).
_STARTABLE = frozenset({RunStatus.QUEUED, RunStatus.STARTING})


def start_run(
    prepared: PreparedRun,
    instance: Instance,
    *,
    partition_key: str | None,
    tags: Mapping[str, str] | None,
    run_id: str | None = None,
    parent_run_id: str | None = None,
    root_run_id: str | None = None,
) -> RunState:
    """Record the run in ``instance`` and return its state with ``RUN_START`` emitted."""
    job = prepared.job
    partitions = resolve_run_partitions(job, partition_key, tags or {}, instance)
    queued = instance.get_run(run_id) if run_id is not None else None
    if queued is not None and queued.status in _STARTABLE:
        # A run submitted to the queue, started by the run worker the daemon launched: its
        # record (run config, tags) was written when it was submitted.
        run = queued
    else:
        run = instance.create_run(
            job_name=job.name,
            run_config=prepared.run_config,
            tags={**job.run_tags, **(tags or {}), **partitions.tags},
            run_id=run_id,
            parent_run_id=parent_run_id,
            root_run_id=root_run_id,
        )
    state = RunState(
        job=job,
        run=run,
        instance=instance,
        run_config=prepared.run_config,
        processed=prepared.processed,
        job_inputs=prepared.job_inputs,
        partitions=partitions,
    )
    if job.asset_layer is not None:
        record_planned(state, prepared.plan)
    state.events.run_event(EventType.RUN_START, f'Started execution of run for "{job.name}".')
    return state


def record_planned(state: RunState, plan: ExecutionPlan) -> None:
    """Record what the run intends to materialize and check, before it starts, as the
    reference does (these events are in the instance's log, not in ``result.all_events``)."""
    layer = state.job.asset_layer
    if layer is None:
        return
    job_name = state.job_name
    for step in plan.steps:
        node = step.handle
        for output in step.op_def.output_defs:
            key = layer.key_by_output.get((node, output))
            if key is None:
                continue
            state.events.run_event(
                EventType.ASSET_MATERIALIZATION_PLANNED,
                f"{job_name} intends to materialize asset {key.to_string()}",
                data={"asset_key": key.to_user_string(), "partition": state.partition_key},
                step_key=step.key,
            )
        for spec in facts_for(state, step).check_scope.specs:
            state.events.run_event(
                EventType.ASSET_CHECK_EVALUATION_PLANNED,
                f"{job_name} intends to execute asset check {spec.name} on asset "
                f"{spec.asset_key.to_string()}",
                data={"asset_key": spec.asset_key.to_user_string(), "check_name": spec.name},
                step_key=step.key,
            )


def resource_configs(processed: Mapping[str, Any]) -> dict[str, Any]:
    """The processed config of each resource, by key."""
    return {
        key: (value or {}).get("config")
        for key, value in (processed.get("resources") or {}).items()
    }


class CancelWatch:
    """Asks the instance, at most every ``CANCEL_POLL_S``, whether the run is terminating."""

    __slots__ = ("_instance", "_next", "_run_id")

    def __init__(self, instance: Instance, run_id: str) -> None:
        self._instance = instance
        self._run_id = run_id
        self._next = time.monotonic() + CANCEL_POLL_S

    def is_canceling(self, *, now: float | None = None) -> bool:
        """Whether someone asked to terminate the run (checked only once per interval)."""
        now = time.monotonic() if now is None else now
        if now < self._next:
            return False
        self._next = now + CANCEL_POLL_S
        run = self._instance.get_run(self._run_id)
        return run is not None and run.status in (RunStatus.CANCELING, RunStatus.CANCELED)


def shown_resource_keys(plan: ExecutionPlan, resource_keys: Sequence[str]) -> list[str]:
    """The resources the run's resource events name: those opened, plus the default
    ``io_manager`` when a step has an output (the reference always initializes one; here
    values then simply stay in memory)."""
    keys = set(resource_keys)
    if DEFAULT_IO_MANAGER not in keys and any(s.op_def.output_defs for s in plan.steps):
        keys.add(DEFAULT_IO_MANAGER)
    return sorted(keys)


def _run_steps(state: RunState, plan: ExecutionPlan, resource_keys: list[str]) -> list[str]:
    """Run the steps in order; return the keys left unrun because the run was terminated."""
    watch = None if state.instance.is_ephemeral else CancelWatch(state.instance, state.run_id)
    steps = plan.steps
    listener = GroupedResourceEvents(
        state,
        shown_resource_keys(plan, resource_keys),
        steps[0].key if len(steps) == 1 and not plan.is_dynamic else None,
    )
    listener.started()
    with open_resources(
        state.job.resource_defs,
        keys=resource_keys,
        configs=resource_configs(state.processed),
        run_id=state.run_id,
        instance=state.instance,
        log=None,
        listener=listener,
        owner=f"job '{state.job_name}'",
        ordered=True,  # closed and ordered once, when the run was prepared
    ) as resources:
        state.resources = resources
        listener.succeeded()
        pid = os.getpid()
        state.events.run_event(
            EventType.LOGS_CAPTURED,
            f"Capturing logs for process (pid: {pid}).",
            data={"step_keys": [s.key for s in steps]},
        )
        state.events.flush()
        if plan.is_dynamic:  # the plan grows as dynamic outputs resolve
            from headwater.execution.dynamic_loop import run_growing

            return run_growing(state, plan, watch)
        done: set[str] = set()
        skipped, produced = state.outcomes.skipped, state.outputs.produced
        for i, step in enumerate(steps):
            if step.key in done:
                continue
            if watch is not None and watch.is_canceling():
                return [s.key for s in steps[i:] if s.key not in done]
            run_step(state, step)
            if step.key in skipped or not produced.issuperset(
                facts_for(state, step).output_handles
            ):
                _skip_now(state, steps, i + 1, done)
            # No flush here: a step's last events are written with the next step's first
            # ones, before its body runs (RunEvents.enter_user_code), or by finish_run: one
            # transaction per step.
    return []


def _skip_now(state: RunState, steps: Sequence[Step], start: int, done: set[str]) -> None:
    """Skip at once the later steps that can no longer run for want of an input, as the
    reference does: its skips come right after the step that did not produce it."""
    finished = {s.key for s in steps[:start]} | done
    for step in steps[start:]:
        if step.key in done or not step.upstream <= finished:
            continue
        skip = skip_reason(state, step)
        if skip is not None and skip[1]:
            record_skip(state, step, skip[0], announced=True)
            done.add(step.key)
            finished.add(step.key)


def execute_job_in_process(
    job: JobDefinition,
    *,
    run_config: Mapping[str, Any] | RunConfig | None,
    instance: Instance | None,
    partition_key: str | None,
    raise_on_error: bool,
    op_selection: list[str] | None,
    run_id: str | None,
    input_values: Mapping[str, Any] | None,
    tags: Mapping[str, str] | None,
    resources: Mapping[str, object] | None,
) -> ExecuteInProcessResult:
    """Run ``job`` once in this process; see ``JobDefinition.execute_in_process``."""
    if resources:
        job = job.with_resources(resources)
    prepared = prepare_run(
        job,
        run_config=run_config,
        op_selection=op_selection,
        input_values=input_values,
        partition_key=partition_key,
    )
    instance = instance if instance is not None else Instance.ephemeral()
    state = start_run(prepared, instance, partition_key=partition_key, tags=tags, run_id=run_id)
    run_prepared_in_process(state, prepared.plan, prepared.resource_keys)
    if raise_on_error and state.outcomes.first_error is not None:
        raise state.outcomes.first_error
    return ExecuteInProcessResult(state, prepared.plan)


def run_prepared_in_process(state: RunState, plan: ExecutionPlan, resource_keys: list[str]) -> None:
    """The in-process executor: every step here, in plan order, resources opened once."""
    unrun: list[str] = []
    pid = os.getpid()
    step_keys = str([s.key for s in plan.steps])
    state.events.run_event(
        EventType.ENGINE_EVENT,
        f"Executing steps in process (pid: {pid})",
        data={"metadata": {"pid": str(pid), "step_keys": step_keys}},
    )
    started = time.perf_counter()
    try:
        unrun = _run_steps(state, plan, resource_keys)
    except HeadwaterError as exc:  # resource init failed: the steps never ran
        state.outcomes.record_error(exc)
        finish_run(state)
        return
    except BaseException as exc:
        # Ctrl-C or SystemExit: the run did not finish; record that, then let it propagate.
        state.outcomes.record_error(exc)
        finish_run(state, interrupted=exc)
        raise
    elapsed_ms = (time.perf_counter() - started) * 1000
    took = f"{elapsed_ms:.3g}ms" if elapsed_ms < 1000 else f"{elapsed_ms / 1000:.3g}s"
    state.events.run_event(
        EventType.ENGINE_EVENT,
        f"Finished steps in process (pid: {pid}) in {took}",
        data={"metadata": {"pid": str(pid), "step_keys": step_keys}},
    )
    finish_run(state, canceled=unrun or None)


def finish_run(
    state: RunState,
    interrupted: BaseException | None = None,
    canceled: Sequence[str] | None = None,
    stopped: Sequence[str] = (),
) -> None:
    """Write the run's last event (success, failure or canceled) and flush.

    Args:
        state: the run.
        interrupted: the exception (Ctrl-C, SystemExit) that stopped the run loop.
        canceled: when the run was terminated, the steps that never started.
        stopped: when the run was terminated, the steps stopped while running.
    """
    if interrupted is not None:
        state.events.run_event(
            EventType.RUN_CANCELED,
            f'Execution of run for "{state.job_name}" was interrupted '
            f"({type(interrupted).__name__}).",
            level=ERROR,
        )
    elif canceled is not None:
        detail = f" Steps stopped while running: {sorted(stopped)}." if stopped else ""
        if canceled:
            detail += f" Steps not run: {sorted(canceled)}."
        state.events.run_event(
            EventType.RUN_CANCELED,
            f'Execution of run for "{state.job_name}" was terminated.{detail}',
            level=ERROR,
            data={"stopped_steps": sorted(stopped), "not_run_steps": sorted(canceled)},
        )
    elif state.outcomes.succeeded:
        state.events.run_event(
            EventType.RUN_SUCCESS, f'Finished execution of run for "{state.job_name}".'
        )
    else:
        failed = sorted(state.outcomes.failed)
        detail = f" Steps failed: {failed}." if failed else ""
        if not failed and state.outcomes.first_error is not None:
            detail = " An exception was thrown during execution."
        error = None
        if not failed and state.outcomes.first_error is not None:
            error = ErrorInfo.from_exception(state.outcomes.first_error)
        state.events.run_event(
            EventType.RUN_FAILURE,
            f'Execution of run for "{state.job_name}" failed.{detail}',
            level=ERROR,
            data={"failed_steps": failed},
            error=error,
        )
    state.events.flush()
    state.events.end()
