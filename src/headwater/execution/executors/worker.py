"""The step runner: runs ONE step of a run in whatever process it is called in.

Out-of-process executors (step processes, reused workers, Dask workers) call
:func:`run_step_task` with a :class:`StepTask`: a pointer to the job, the instance's home,
the run id and the step key.
It loads the job (once per process), builds the resources the step needs, loads inputs
through IO managers, runs the step with its retries, stores outputs through IO managers,
writes its events to the instance in batches as it runs (``live_state.py``: a process
that dies loses at most its last tenth of a second), tears the step's resources down, and
returns a :class:`StepReport` for the orchestrating process once its events are stored.
"""

from __future__ import annotations

import ctypes
import logging
import os
import threading
import time
import traceback
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from headwater._dataclass import dataclass
from headwater.errors import HeadwaterError
from headwater.events import ErrorInfo, EventType, RunEvent
from headwater.execution.executors import split_execution
from headwater.execution.executors.live_state import LiveEvents
from headwater.execution.executors.scopes import LongLivedResources, resource_scope
from headwater.execution.io import seed_upstream_output
from headwater.execution.partitions import resolve_run_partitions
from headwater.execution.reconstruct import ReconstructableJob
from headwater.execution.run import (
    plan_for,
    process_run_config,
    resource_configs,
    resource_keys_for,
)
from headwater.execution.state import ResourceEvents, RunState
from headwater.execution.step import RetryLater, run_step
from headwater.resources import ResourceDefinition, open_resources
from headwater.storage import Instance

if TYPE_CHECKING:
    from headwater.execution.plan import ExecutionPlan
    from headwater.jobs.job import JobDefinition

__all__ = [
    "StepReport",
    "StepTask",
    "StepTerminated",
    "close_run_resources",
    "close_worker_resources",
    "interrupt_step",
    "run_step_task",
    "warm_up",
    "with_default_io_manager",
]


class StepTerminated(BaseException):
    """Raised inside a running step when its run is terminated.

    A ``BaseException`` like ``KeyboardInterrupt``: user code that catches ``Exception``
    does not swallow it, and resource teardown still runs on the way out.
    """


@dataclass(frozen=True, slots=True)
class StepTask:
    """Everything a process needs to run one step of a run.

    Attributes:
        job: where to load the job from.
        instance_home: the instance's home folder (its ``headwater.yaml`` names the storage).
        run_id: the run the step belongs to.
        step_key: the step to run.
        op_selection: the run's op selection, if it had one.
        partition_key: the run's partition, if any.
        sources: ``(step_key, output_name, run_id)`` of every upstream output produced so
            far (by this run, or by the run a re-execution comes from).
        retries_enabled: whether ``RetryPolicy``/``RetryRequested`` retry the step.
        at_least_once: the launcher may deliver the task twice (Dask recomputes a result
            lost with its worker): a step that already ended reports that instead of
            running again.
        reused_process: the process serves more than one step (a warm pool worker, a
            Dask worker), so resource scopes ``run`` and ``worker`` apply, and retries run
            in place; in a process of its own every resource lives for the step, and each
            attempt gets a process of its own (a retry is reported, not made).
        announced_at: when the orchestrator asked for the step's process (``time.time()``);
            given, the process records ``STEP_WORKER_STARTING`` as of then and
            ``STEP_WORKER_STARTED``, as the reference's multiprocess executor does.
        retry_number: the attempt this task makes (``0``: the first).
        mappings: ``(step_key, output_name, mapping keys or None)`` of every dynamic
            output resolved so far: the process resolves its plan with them to find a
            mapped or collecting step and the values it reads.
    """

    job: ReconstructableJob
    instance_home: str
    run_id: str
    step_key: str
    op_selection: tuple[str, ...] | None
    partition_key: str | None
    sources: tuple[tuple[str, str, str], ...]
    retries_enabled: bool = True
    at_least_once: bool = False
    reused_process: bool = True
    announced_at: float | None = None
    retry_number: int = 0
    mappings: tuple[tuple[str, str, tuple[str, ...] | None], ...] = ()


@dataclass(frozen=True, slots=True)
class StepReport:
    """What a step process tells the orchestrator when the step is over.

    Attributes:
        step_key: the step.
        status: ``success``, ``failure``, ``retry`` (its attempt asked for another, to run
            in a new process), ``terminated`` or ``crashed`` (its process died).
        produced: names of the outputs it produced.
        message: why it failed, for the run's failure event.
        pid: the process that ran it.
        retry_number: with ``retry``, the next attempt's number.
        retry_delay: with ``retry``, seconds to wait before the next attempt.
        mapping_keys: ``(output_name, mapping keys)`` of each dynamic output it produced.
    """

    step_key: str
    status: str
    produced: tuple[str, ...] = ()
    message: str = ""
    pid: int = 0
    retry_number: int = 0
    retry_delay: float = 0.0
    mapping_keys: tuple[tuple[str, tuple[str, ...]], ...] = ()


_INSTANCES: dict[str, Instance] = {}
_LONG_LIVED = LongLivedResources()
# step → the thread running it, so that a Dask worker can interrupt it (no signals there).
_RUNNING: dict[tuple[str, str], int] = {}


def with_default_io_manager(job: JobDefinition) -> JobDefinition:
    """``job`` with the filesystem IO manager bound when it binds no ``io_manager``: outputs
    must cross processes, so out-of-process runs cannot keep them in memory."""
    if "io_manager" in job.resource_defs:
        return job
    from headwater.io.filesystem import default_fs_io_manager  # deferred: in-process only

    return job.with_resources({"io_manager": default_fs_io_manager})


@dataclass(slots=True)
class _RunContext:
    job: JobDefinition
    plan: ExecutionPlan
    full_plan: ExecutionPlan
    processed: Mapping[str, Any]
    job_inputs: dict[str, Any]
    state_args: dict[str, Any]


_RUNS: dict[str, _RunContext] = {}


def _instance(home: str) -> Instance:
    instance = _INSTANCES.get(home)
    if instance is None:
        instance = _INSTANCES[home] = Instance.from_config(home)
    return instance


def _run_context(task: StepTask, instance: Instance) -> _RunContext:
    context = _RUNS.get(task.run_id)
    if context is not None:
        return context
    job = with_default_io_manager(task.job.get_definition())
    run = instance.get_run(task.run_id)
    if run is None:
        raise HeadwaterError(f"run {task.run_id} is not in the instance at {task.instance_home}")
    full_plan = plan_for(job)
    plan = full_plan.subset(task.op_selection) if task.op_selection else full_plan
    # Config is validated again here: env vars resolve in the process that uses them, and
    # secrets never travel in the task.
    # `execution` was validated by the launching process, in any of its spellings.
    rest, _ = split_execution(run.run_config)
    processed, job_inputs = process_run_config(job, rest, None)
    partitions = resolve_run_partitions(job, task.partition_key, run.tags, instance)
    context = _RunContext(
        job,
        plan,
        full_plan,
        processed,
        job_inputs,
        {"job": job, "run": run, "instance": instance, "partitions": partitions},
    )
    if len(_RUNS) > 16:  # a long-lived worker serves many runs; keep the recent ones
        _RUNS.clear()
    _RUNS[task.run_id] = context
    return context


class _QuietFor:
    """Resource events for step-scoped resources only; long-lived ones were built earlier."""

    def __init__(self, inner: ResourceEvents, quiet: set[str]) -> None:
        self.inner = inner
        self.quiet = quiet

    def on_init_started(self, key: str) -> None:
        if key not in self.quiet:
            self.inner.on_init_started(key)

    def on_init_succeeded(self, key: str, seconds: float) -> None:
        if key not in self.quiet:
            self.inner.on_init_succeeded(key, seconds)

    def on_init_failed(self, key: str, error: BaseException) -> None:
        self.inner.on_init_failed(key, error)

    def on_teardown_failed(self, key: str, error: BaseException) -> None:
        self.inner.on_teardown_failed(key, error)


def run_step_task(task: StepTask) -> StepReport:
    """Run one step as ``task`` describes and report how it ended.

    Never raises for the step: its own failures are events and a ``failure`` report; a
    termination is a ``terminated`` report; a failure to load the job or the run, before
    the step could record anything, is an ``error`` report carrying the exception.
    """
    try:
        return _run_step_task(task)
    except StepTerminated:
        return StepReport(task.step_key, "terminated", message="terminated", pid=os.getpid())
    except Exception as exc:
        text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return StepReport(task.step_key, "error", message=text, pid=os.getpid())


def _run_step_task(task: StepTask) -> StepReport:
    instance = _instance(task.instance_home)
    if task.at_least_once:
        earlier = _earlier_report(instance, task)
        if earlier is not None:
            return earlier
    context = _run_context(task, instance)
    plan, full_plan = context.plan, context.full_plan
    if task.mappings:  # a plan with dynamic outputs, grown as far as the run has
        mappings = {(key, out): keys for key, out, keys in task.mappings}
        plan, _ = plan.resolve(mappings)
        full_plan, _ = full_plan.resolve(mappings)
    step = plan.by_key[task.step_key]
    state = RunState(
        run_config=context.state_args["run"].run_config,
        processed=context.processed,
        job_inputs=context.job_inputs,
        events=LiveEvents,
        **context.state_args,
    )
    state.retries_enabled = task.retries_enabled
    for key, out, keys in task.mappings:
        if keys is not None:  # resolved to mapping keys: produced, if only with no value
            state.outputs.resolve((key, out), keys)
    for source_step, output, run_id in task.sources:
        seed_upstream_output(state, full_plan.by_key[source_step], output, run_id)
    if task.announced_at is not None:
        _announce(cast(LiveEvents, state.events), step.key, task.announced_at)
    _RUNNING[(task.run_id, task.step_key)] = threading.get_ident()
    try:
        retry = _run_with_resources(state, context, step, task)
    except StepTerminated:
        state.outcomes.fail(step.key)
        state.events.run_event(
            EventType.STEP_FAILURE,
            f'Step "{step.key}" was terminated: its run is being canceled.',
            level=logging.ERROR,
            data={"terminated": True},
            step_key=step.key,
        )
        return StepReport(step.key, "terminated", message="terminated", pid=os.getpid())
    finally:
        _RUNNING.pop((task.run_id, task.step_key), None)
        state.events.flush()
    if retry is not None:
        return StepReport(
            step.key,
            "retry",
            pid=os.getpid(),
            retry_number=retry.retry_number,
            retry_delay=retry.delay,
        )
    return _report(state, step.key)


def _announce(events: LiveEvents, key: str, asked_at: float) -> None:
    """Record the launch of the step's process: ``STEP_WORKER_STARTING`` as of when the
    orchestrator asked for it, then ``STEP_WORKER_STARTED``, in one write. Written here
    rather than by the orchestrator, the two are stored in order, and the orchestrator
    never waits on the database between deciding to start a step and starting it."""
    together = [
        RunEvent(
            EventType.STEP_WORKER_STARTING,
            events.run_id,
            events.job_name,
            asked_at,
            f'Launching subprocess for "{key}".',
            key,
        ),
        RunEvent(
            EventType.STEP_WORKER_STARTED,
            events.run_id,
            events.job_name,
            time.time(),
            f'Executing step "{key}" in subprocess.',
            key,
            data={"pid": os.getpid()},
        ),
    ]
    events.emit_together(together)


def _earlier_report(instance: Instance, task: StepTask) -> StepReport | None:
    records = instance.get_event_records(
        task.run_id, event_types=(EventType.STEP_SUCCESS, EventType.STEP_OUTPUT)
    )
    mine = [r.event for r in records if r.event.step_key == task.step_key]
    if not any(e.event_type is EventType.STEP_SUCCESS for e in mine):
        return None
    produced = tuple(sorted(e.data["output_name"] for e in mine if "output_name" in e.data))
    return StepReport(task.step_key, "success", produced=produced, pid=os.getpid())


def _run_with_resources(
    state: RunState, context: _RunContext, step: Any, task: StepTask
) -> RetryLater | None:
    job = context.job
    owner = f"job '{job.name}'"
    configs = resource_configs(context.processed)
    try:
        keys = resource_keys_for(
            job, [step], extra=[manager_key for manager_key, _ in state.outputs.io_outputs.values()]
        )
        defs: dict[str, ResourceDefinition] = dict(job.resource_defs)
        long_lived: set[str] = set()
        for key in keys:
            scope = resource_scope(defs[key]) if task.reused_process else "step"
            if scope == "step":
                continue
            value = _LONG_LIVED.get(
                job.resource_defs,
                key=key,
                scope=scope,
                owner=owner,
                configs=configs,
                run_id=state.run_id,
                instance=state.instance,
                listener=ResourceEvents(state, scope, step.key),
            )
            defs[key] = ResourceDefinition.hardcoded_resource(value)
            long_lived.add(key)
        if long_lived:
            state.events.run_event(
                EventType.ENGINE_EVENT,
                f"Using long-lived resources {sorted(long_lived)} in process {os.getpid()}.",
                data={"resources": {k: resource_scope(job.resource_defs[k]) for k in long_lived}},
                step_key=step.key,
            )
        with open_resources(
            defs,
            keys=keys,
            configs=configs,
            run_id=state.run_id,
            instance=state.instance,
            listener=_QuietFor(ResourceEvents(state, "step", step.key), long_lived),
            owner=owner,
            ordered=True,  # resource_keys_for closed and ordered them
        ) as resources:
            state.resources = resources
            return run_step(
                state,
                step,
                first_attempt=task.retry_number,
                single_attempt=not task.reused_process,
            )
    except HeadwaterError as exc:  # a resource failed to build or tear down: the step fails
        if step.key not in state.outcomes.failed:
            state.outcomes.fail(step.key, exc)
            state.events.run_event(
                EventType.STEP_FAILURE,
                f'Execution of step "{step.key}" failed: {exc}',
                level=logging.ERROR,
                error=ErrorInfo.from_exception(exc),
                step_key=step.key,
            )
    return None


def _report(state: RunState, key: str) -> StepReport:
    failed = key in state.outcomes.failed
    message = ""
    if failed and state.outcomes.first_error is not None:
        message = f"{type(state.outcomes.first_error).__name__}: {state.outcomes.first_error}"
    return StepReport(
        key,
        "failure" if failed else "success",
        produced=tuple(sorted(out for k, out in state.outputs.produced if k == key)),
        message=message,
        pid=os.getpid(),
        mapping_keys=tuple(
            (out, tuple(keys)) for (k, out), keys in state.outputs.mapping_keys.items() if k == key
        ),
    )


def warm_up(task: StepTask) -> None:
    """Prepare ``task``'s run in this process ahead of its steps: load the job, open the
    instance, read the run and validate its config, then release the instance's
    connections, so that processes forked from here start with all of it ready and open
    connections of their own (a database connection must never cross a fork).

    Raises:
        HeadwaterError: the job or the run cannot be loaded (each step then reports it).
    """
    instance = _instance(task.instance_home)
    try:
        _run_context(task, instance)
    finally:
        instance.storage.close()


def close_run_resources(run_id: str) -> None:
    """Tear down this process's ``run``-scoped resources of ``run_id``."""
    _LONG_LIVED.close_run(run_id)
    _RUNS.pop(run_id, None)


def close_worker_resources() -> None:
    """Tear down every long-lived resource of this process (it is stopping)."""
    _LONG_LIVED.close_all()
    for instance in _INSTANCES.values():
        instance.dispose()
    _INSTANCES.clear()


def interrupt_step(run_id: str, step_key: str) -> bool:
    """Raise :class:`StepTerminated` in the thread of this process running the step.

    Returns:
        Whether the step was running here.
    """
    ident = _RUNNING.get((run_id, step_key))
    if ident is None:
        return False
    # The exception lands at the thread's next bytecode: a step blocked in one long C call
    # is stopped when that call returns.
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(ident), ctypes.py_object(StepTerminated)
    )
    return True
