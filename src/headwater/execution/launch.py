"""``execute_job``: run a reconstructable job with its executor, recorded in an instance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from headwater.errors import InvalidInvocationError, UnmetExecutorRequirementsError
from headwater.execution.executors import resolve_executor, split_execution
from headwater.execution.executors.launcher import LaunchRequest, load_launcher
from headwater.execution.io import load_from_upstream, seed_upstream_output
from headwater.execution.plan import ExecutionPlan
from headwater.execution.result import ExecuteInProcessResult, run_events_of
from headwater.execution.run import (
    plan_for,
    prepare_run,
    resource_configs,
    resource_keys_for,
    start_run,
)
from headwater.jobs.run_config import run_config_dict
from headwater.resources import open_resources, resource_init_order

if TYPE_CHECKING:
    from headwater.asset_key import AssetKey
    from headwater.execution.reconstruct import ReconstructableJob
    from headwater.execution.reexecute import ReexecutionOptions
    from headwater.execution.state import RunState
    from headwater.jobs.job import JobDefinition
    from headwater.storage import Instance

__all__ = ["JobExecutionResult", "execute_job", "launch_job", "run_job", "runs_in_process"]

PARTITION_TAG = "dagster/partition"


class JobExecutionResult(ExecuteInProcessResult):
    """The outcome of ``execute_job``: events come from the instance, output values are
    loaded through the IO managers that stored them.

    Use it as a context manager (``with execute_job(...) as result:``) to tear down the IO
    managers opened for loading outputs; otherwise they close when it is garbage-collected.
    """

    def __init__(
        self,
        state: RunState,
        plan: ExecutionPlan,
        *,
        full_plan: ExecutionPlan,
        produced_by: Mapping[tuple[str, str], str],
    ) -> None:
        super().__init__(state, plan)
        self._full_plan = full_plan
        self._produced_by = dict(produced_by)
        self.all_events = run_events_of(state.instance.run_events(self.run_id))
        self._stack = ExitStack()
        self._opened: dict[str, Any] = {}

    def __enter__(self) -> JobExecutionResult:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def _value_of(self, target: tuple[str, str], what: str) -> Any:
        run_id = self._produced_by.get(target)
        plan = self._full_plan
        mapping_keys = self._state.outputs.mapping_keys
        if plan.dynamic is not None:
            plan, _ = plan.resolve({k: tuple(v) for k, v in mapping_keys.items()})
            root = plan.dynamic.roots.get(target[0]) if plan.dynamic is not None else None
            if run_id is None and root is not None:  # a mapped step: its copies' values
                copies = {k: (f"{target[0]}[{k}]", target[1]) for k in mapping_keys.get(root, ())}
                found = {k: c for k, c in copies.items() if c in self._produced_by}
                if found:
                    return {k: self._value_of(c, what) for k, c in found.items()}
        if run_id is None:
            raise InvalidInvocationError(
                f"{what} was not produced in run {self.run_id} (the step failed, was skipped, "
                "or did not yield it)"
            )
        state, step = self._state, plan.by_key[target[0]]
        manager_key = seed_upstream_output(state, step, target[1], run_id)
        if manager_key is None:
            raise InvalidInvocationError(f"{what} was not stored by an IO manager")
        if manager_key not in self._opened:
            defs = state.job.resource_defs
            keys = resource_init_order(defs, [manager_key], owner=f"job '{state.job_name}'")
            resources = self._stack.enter_context(
                open_resources(
                    defs,
                    keys=keys,
                    configs=resource_configs(state.processed),
                    run_id=self.run_id,
                    instance=state.instance,
                    ordered=True,
                )
            )
            self._opened[manager_key] = resources
        state.resources = self._opened[manager_key]
        if step.op_def.output_defs[target[1]].is_dynamic:  # one stored value per mapping key
            keys = mapping_keys.get(target) or []
            return {k: load_from_upstream(state, step, target[1], target, k) for k in keys}
        return load_from_upstream(state, step, target[1], target)

    def output_for_node(self, node_str: str, output_name: str = "result") -> Any:
        """The value of output ``output_name`` of node ``node_str``, loaded through the IO
        manager that stored it.

        Raises:
            InvalidInvocationError: no such node or output, or it was not produced.
        """
        target = self._full_plan.resolve_output(node_str, output_name)
        if target is None:
            raise InvalidInvocationError(
                f"no node '{node_str}' with output '{output_name}' in job '{self.job_def.name}'; "
                f"steps are {sorted(self._full_plan.by_key)}"
            )
        return self._value_of(target, f"output '{output_name}' of node '{node_str}'")

    def output_value(self, output_name: str = "result") -> Any:
        """The value of the job's (top-level graph's) output ``output_name``."""
        target = self._full_plan.resolve_output("", output_name)
        if target is None:
            raise InvalidInvocationError(f"job '{self.job_def.name}' has no output '{output_name}'")
        return self._value_of(target, f"output '{output_name}' of job '{self.job_def.name}'")

    def asset_value(self, asset_key: Any) -> Any:
        """The value this run (or the run it re-executed) stored for ``asset_key``."""
        from headwater.asset_key import AssetKey

        key = AssetKey.from_coercible(asset_key)
        layer = self.job_def.asset_layer
        for (node, output), produced in layer.key_by_output.items() if layer else ():
            if produced == key:
                return self._value_of((node, output), f"asset '{key.to_user_string()}'")
        raise InvalidInvocationError(f"job '{self.job_def.name}' does not materialize '{key}'")

    def __repr__(self) -> str:
        return f"<JobExecutionResult run_id={self.run_id} success={self.success}>"


def execute_job(
    job: ReconstructableJob | JobDefinition,
    instance: Instance,
    run_config: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    raise_on_error: bool = False,
    op_selection: Sequence[str] | None = None,
    reexecution_options: ReexecutionOptions | None = None,
    asset_selection: Sequence[AssetKey] | None = None,
) -> JobExecutionResult:
    """Run a job with its executor (``executor_def``, or as run config selects), recorded
    in ``instance``. A job naming no executor gets the reference's default,
    ``multi_or_in_process_executor``: a process per step unless run config says
    ``execution: {config: {in_process: {}}}``.

    Outputs go through IO managers (the filesystem IO manager unless the job binds an
    ``io_manager``), so steps in other processes, later re-executions and the result can
    read them.

    Args:
        job: ``reconstructable(my_job)`` (a job defined at module level is accepted as is).
        instance: where the run is recorded; executors that run steps in other processes
            need a persistent one (``Instance.get()``, ``Instance.local_temp()``).
        run_config: the run config (a re-execution defaults to its parent's).
        tags: run tags; ``dagster/partition`` selects a partition.
        raise_on_error: raise the first error of a step run in this process (the
            in-process executor) instead of returning a failed result; steps run in other
            processes fail the run and the result says why.
        op_selection: run only these ops.
        reexecution_options: re-execute an earlier run (``ReexecutionOptions.from_failure``).
        asset_selection: of an asset job, the ``AssetKey``s to materialize (with their
            checks); the other assets' steps do not run.

    Returns:
        The result; ``with execute_job(...) as result:`` closes what loading outputs opens.

    Raises:
        InvalidConfigError: the run config (or the executor's config) has problems.
        UnmetExecutorRequirementsError: an out-of-process executor with an ephemeral instance.
        InvalidInvocationError: an impossible re-execution.
    """
    # Here: a run the CLI starts in its own process (run_job) needs no pointer.
    from headwater.execution.reconstruct import ReconstructableJob, reconstructable

    pointer = reconstructable(job) if not isinstance(job, ReconstructableJob) else job
    if asset_selection is not None:
        op_selection = pointer.get_definition().nodes_for_assets(asset_selection)
    return launch_job(
        pointer,
        instance,
        run_config=run_config,
        tags=tags,
        raise_on_error=raise_on_error,
        op_selection=op_selection,
        reexecution_options=reexecution_options,
    )


def launch_job(
    pointer: ReconstructableJob,
    instance: Instance,
    *,
    run_config: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    raise_on_error: bool = False,
    op_selection: Sequence[str] | None = None,
    reexecution_options: ReexecutionOptions | None = None,
    run_id: str | None = None,
) -> JobExecutionResult:
    """``execute_job``, with the new run's id chosen by the caller (``run_id``; default a
    new UUID) so that its events can be followed as they are stored."""
    from headwater.execution.executors.worker import with_default_io_manager

    job_def = with_default_io_manager(pointer.get_definition())
    rerun = None
    tags = dict(tags or {})
    if reexecution_options is not None:
        parent = instance.get_run(reexecution_options.parent_run_id)
        if run_config is None and parent is not None:
            run_config = parent.run_config
        if parent is not None:
            tags = {
                **{k: v for k, v in parent.tags.items() if not k.startswith("headwater/")},
                **tags,
            }
    rest, execution = split_execution(dict(run_config_dict(run_config) or {}))
    # A job naming no executor gets the reference's default, multi_or_in_process_executor.
    executor, executor_config = resolve_executor(
        job_def.executor_def, execution, job=pointer, instance=instance
    )
    prepared = prepare_run(
        job_def, run_config=rest, op_selection=op_selection, partition_key=tags.get(PARTITION_TAG)
    )
    if execution is not None:
        prepared = replace(prepared, run_config={**prepared.run_config, "execution": execution})
    produced_by: dict[tuple[str, str], str] = {}
    done_before: frozenset[str] = frozenset()
    parent_run_id = root_run_id = None
    if reexecution_options is not None:
        # Here: only re-executions need it, and every `headwater job execute` loads this.
        from headwater.execution.reexecute import PARENT_RUN_TAG, ROOT_RUN_TAG, plan_reexecution

        rerun = plan_reexecution(prepared.plan, instance, reexecution_options)
        # Loading the outputs of earlier runs needs the IO managers of every step.
        keys = resource_keys_for(job_def, rerun.plan.steps, io_steps=plan_for(job_def).steps)
        prepared = replace(prepared, plan=rerun.plan, resource_keys=keys)
        produced_by, done_before = dict(rerun.produced_by), rerun.done_before
        parent_run_id, root_run_id = rerun.parent.run_id, rerun.root_run_id
        tags.update({PARENT_RUN_TAG: parent_run_id, ROOT_RUN_TAG: root_run_id})
    launcher = load_launcher(executor.launcher or "", executor_name=executor.name)
    if not launcher.runs_in_process and instance.home is None:
        raise UnmetExecutorRequirementsError(
            f"the {executor.name} executor runs steps in other processes, which must reach "
            "the same instance; use a persistent one (Instance.get(), "
            "Instance.local_temp()) instead of an ephemeral instance"
        )
    state = start_run(
        prepared,
        instance,
        partition_key=tags.get(PARTITION_TAG),
        tags=tags,
        run_id=run_id,
        parent_run_id=parent_run_id,
        root_run_id=root_run_id,
    )
    state.retries_enabled = "disabled" not in (executor_config.get("retries") or {})
    full_plan = plan_for(job_def)
    if rerun is not None and rerun.mapping_keys:
        # Values of dynamic outputs stored by earlier runs, and the copies they made.
        for handle, keys in rerun.mapping_keys.items():
            state.outputs.resolve(handle, keys)
        full_plan, _ = full_plan.resolve(rerun.mapping_keys)
    launcher.launch(
        LaunchRequest(
            state=state,
            prepared=prepared,
            pointer=pointer,
            config=executor_config,
            op_selection=tuple(op_selection) if op_selection else None,
            full_plan=full_plan,
            produced_by=produced_by,
            done_before=done_before,
        )
    )
    if raise_on_error and state.outcomes.first_error is not None:
        raise state.outcomes.first_error
    # As in the reference, a step that failed in another process fails the run without
    # raising here: its error is in the step's events.
    return JobExecutionResult(state, prepared.plan, full_plan=full_plan, produced_by=produced_by)


def runs_in_process(job: JobDefinition, run_config: Mapping[str, Any]) -> bool:
    """Whether a run of ``job`` with ``run_config`` uses the in-process executor.

    A job naming no executor runs in process here (the CLI and the daemon's run workers):
    asset jobs are built in memory, where step processes could not find them again.
    """
    named = job.executor_def if job.has_specified_executor else None
    executor, _ = resolve_executor(named, run_config.get("execution"))
    return load_launcher(executor.launcher or "", executor_name=executor.name).runs_in_process


def run_job(
    job: JobDefinition,
    *,
    pointer: ReconstructableJob | None,
    instance: Instance,
    run_config: Mapping[str, Any],
    tags: Mapping[str, str],
    run_id: str | None = None,
    partition_key: str | None = None,
    asset_selection: Sequence[AssetKey] | None = None,
) -> ExecuteInProcessResult:
    """Run ``job`` with its executor, as the CLI and the daemon's run workers do.

    In this process, unless the job's executor (or ``execution`` in run config) runs steps
    in other processes; those load the job again through ``pointer``. A failed run does
    not raise.

    Args:
        job: the job, loaded.
        pointer: where step processes find it; ``None`` runs in this process.
        instance: where the run is recorded.
        run_config: the run config.
        tags: the run's tags (``dagster/partition`` for a partition of a partitioned job).
        run_id: the run's id: new, or a queued run this process starts.
        partition_key: the partition, for the in-process path.
        asset_selection: of an asset job, only these assets (and their checks) run.

    Raises:
        InvalidConfigError: the run config has problems; no run was recorded.
    """
    op_selection = job.nodes_for_assets(asset_selection) if asset_selection is not None else None
    if pointer is not None and not runs_in_process(job, run_config):
        tags = dict(tags)
        if partition_key is not None:
            tags[PARTITION_TAG] = partition_key
        return launch_job(
            pointer,
            instance,
            run_config=run_config,
            tags=tags,
            run_id=run_id,
            op_selection=op_selection,
        )
    return job.execute_in_process(
        run_config=dict(run_config),
        instance=instance,
        tags=dict(tags),
        raise_on_error=False,
        partition_key=partition_key,
        run_id=run_id,
        op_selection=op_selection,
    )
