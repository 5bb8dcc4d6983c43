"""Running a job in this process: validate config, open resources, run steps in order."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from headwater.config import process_config
from headwater.errors import HeadwaterError
from headwater.events import ErrorInfo, EventType, RunEvent
from headwater.execution.asset_events import CheckScope
from headwater.execution.io import io_resource_keys
from headwater.execution.partitions import RunPartitions, resolve_run_partitions
from headwater.execution.plan import ExecutionPlan, build_plan
from headwater.execution.result import ExecuteInProcessResult
from headwater.execution.step import run_step
from headwater.jobs.run_config import merged_run_config
from headwater.resources import Resources, open_resources, resource_init_order
from headwater.storage import Instance, Run

if TYPE_CHECKING:
    from headwater.assets.definition import AssetsDefinition
    from headwater.assets.key import AssetKey
    from headwater.execution.plan import Step
    from headwater.jobs.job import JobDefinition

__all__ = ["RunState", "execute_job_in_process", "plan_for"]


def _unwrap_value(value: Any) -> Any:
    # Run config may give an input as a plain value or as {"value": v}.
    if isinstance(value, Mapping) and len(value) == 1 and "value" in value:
        return value["value"]
    return value


def plan_for(job: JobDefinition) -> ExecutionPlan:
    """The job's plan, built once: planning is pure, and a job never changes."""
    plan = job._plan
    if plan is None:
        plan = job._plan = build_plan(job)
    return plan  # type: ignore[no-any-return]  # cached on the job as Any to keep layers apart


class RunState:
    """Everything one in-process run accumulates: events, outputs, failures."""

    def __init__(
        self,
        *,
        job: JobDefinition,
        run: Run,
        instance: Instance,
        run_config: Mapping[str, Any],
        processed: Mapping[str, Any],
        job_inputs: Mapping[str, Any],
        partitions: RunPartitions,
    ) -> None:
        self.job = job
        self.run = run
        self.run_id = run.run_id
        self.job_name = job.name
        self.instance = instance
        self.run_config = run_config
        self.processed = processed
        self.job_inputs = job_inputs
        self.partitions = partitions
        self.partition_key = partitions.key
        self.resources = Resources()
        self.events: list[RunEvent] = []
        self._pending: list[RunEvent] = []
        self.outputs: dict[tuple[str, str], Any] = {}
        self.failed: set[str] = set()
        self.skipped: set[str] = set()
        self.first_error: BaseException | None = None
        # (step, output) pairs produced, with or without a value kept in memory.
        self.produced: set[tuple[str, str]] = set()
        # (step, output) → the blocking check that failed on it: its dependents skip.
        self.blocked: dict[tuple[str, str], str] = {}
        self.data_versions: dict[str, str] = {}
        # (step, output) → (IO manager key, its OutputContext) for outputs a manager stored.
        self.io_outputs: dict[tuple[str, str], tuple[str, Any]] = {}
        self.failed_checks: list[str] = []
        self.blocked_steps: dict[str, str] = {}
        layer = job.asset_layer
        self._layer = layer
        self.selected_keys: frozenset[Any] = layer.selected_keys if layer else frozenset()

    def emit(self, event: RunEvent) -> None:
        self.events.append(event)
        self._pending.append(event)

    def flush(self) -> None:
        """Write pending events to the instance as one batch."""
        if self._pending:
            batch, self._pending = self._pending, []
            self.instance.store_events(batch)

    def run_event(
        self,
        event_type: EventType,
        message: str,
        *,
        level: int = logging.DEBUG,
        data: Mapping[str, Any] | None = None,
        error: ErrorInfo | None = None,
    ) -> None:
        self.emit(
            RunEvent(
                event_type,
                self.run_id,
                self.job_name,
                time.time(),
                message,
                None,
                level,
                dict(data or {}),
                error,
            )
        )

    @property
    def succeeded(self) -> bool:
        """Whether nothing failed: no step, no resource, no blocking check."""
        return self.first_error is None and not self.failed and not self.failed_checks

    def record_error(self, exc: BaseException) -> None:
        if self.first_error is None:
            self.first_error = exc

    def assets_def_for(self, step: Step) -> AssetsDefinition | None:
        """The assets a step materializes (asset jobs are flat: one node per step)."""
        if self._layer is None or len(step.path) != 1:
            return None
        definition: AssetsDefinition | None = self._layer.assets_def_by_node.get(step.path[0])
        return definition

    def asset_key_for(self, node: str, output: str) -> AssetKey | None:
        """The asset an output materializes, if any."""
        return self._layer.key_by_output.get((node, output)) if self._layer else None

    def input_data_versions(self, keys: Iterable[AssetKey]) -> dict[str, str]:
        """The latest data version of each upstream asset: this run's, else the instance's."""
        versions = {}
        for key in keys:
            name = key.to_user_string()
            version = self.data_versions.get(name)
            if version is None:
                event = self.instance.get_latest_materialization_event(name)
                version = event.data.get("data_version") if event is not None else None
            if version is not None:
                versions[name] = str(version)
        return versions

    def check_scope(self, step: Step) -> CheckScope:
        """The assets and check specs a step's check results may refer to."""
        definition = self.assets_def_for(step)
        if definition is not None:
            # A subset run of a multi-asset evaluates only the checks of the selected keys.
            keys = [k for k in sorted(definition.keys) if k in self.selected_keys]
            specs = [s for s in definition.check_specs if s.asset_key in self.selected_keys]
            return CheckScope(keys, specs)
        check = self._layer.check_def_by_node.get(step.path[-1]) if self._layer else None
        if check is not None:
            return CheckScope([check.asset_key], check.check_specs)
        return CheckScope([], [])

    def block(
        self, step_key: str, asset_key: str | None, check_name: str, *, whole_step: bool
    ) -> None:
        """A blocking check failed: what depends on the asset (or on the step) skips."""
        label = f"'{check_name}' on '{asset_key}'"
        self.failed_checks.append(label)
        if whole_step:  # a separate check step: its dependents wait on it by ordering
            self.blocked_steps[step_key] = label
            return
        for (node, output), key in self._layer.key_by_output.items() if self._layer else ():
            if node == step_key and (asset_key is None or key.to_user_string() == asset_key):
                self.blocked[(step_key, output)] = label

    def node_config(self, path: tuple[str, ...]) -> Any:
        """The processed run config of the op at ``path`` (``{"config": ..., "inputs": ...}``)."""
        node: Any = self.processed.get("ops") or {}
        for i, name in enumerate(path):
            node = (node or {}).get(name)
            if i < len(path) - 1:
                node = (node or {}).get("ops")
        return node


class _ResourceEvents:
    """Turns resource lifecycle callbacks into run events."""

    def __init__(self, state: RunState) -> None:
        self.state = state

    def on_init_started(self, key: str) -> None:
        self.state.run_event(
            EventType.RESOURCE_INIT_STARTED,
            f"Starting initialization of resource '{key}'.",
            data={"resource_key": key},
        )

    def on_init_succeeded(self, key: str, seconds: float) -> None:
        self.state.run_event(
            EventType.RESOURCE_INIT_SUCCESS,
            f"Finished initialization of resource '{key}' in {seconds * 1000:.3g}ms.",
            data={"resource_key": key, "duration_ms": seconds * 1000},
        )

    def on_init_failed(self, key: str, error: BaseException) -> None:
        self.state.run_event(
            EventType.RESOURCE_INIT_FAILURE,
            f"Initialization of resource '{key}' failed.",
            level=logging.ERROR,
            data={"resource_key": key},
            error=ErrorInfo.from_exception(error),
        )

    def on_teardown_failed(self, key: str, error: BaseException) -> None:
        self.state.run_event(
            EventType.RESOURCE_TEARDOWN_FAILURE,
            f"Teardown of resource '{key}' failed.",
            level=logging.ERROR,
            data={"resource_key": key},
            error=ErrorInfo.from_exception(error),
        )


def _resource_configs(processed: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: (value or {}).get("config")
        for key, value in (processed.get("resources") or {}).items()
    }


def _run_steps(state: RunState, plan: ExecutionPlan, resource_keys: list[str]) -> None:
    with open_resources(
        state.job.resource_defs,
        keys=resource_keys,
        configs=_resource_configs(state.processed),
        run_id=state.run_id,
        instance=state.instance,
        log=None,
        listener=_ResourceEvents(state),
        owner=f"job '{state.job_name}'",
    ) as resources:
        state.resources = resources
        state.flush()
        for step in plan.steps:
            run_step(state, step)
            state.flush()


def execute_job_in_process(
    job: JobDefinition,
    *,
    run_config: Mapping[str, Any] | None,
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
    plan = plan_for(job)
    if op_selection:
        plan = plan.subset(op_selection)
    job.check_resources()
    # Only what the steps being run need (and what that needs) is initialized.
    needed = sorted(
        {k for s in plan.steps for k in s.op_def.required_resource_keys}
        | io_resource_keys(job, plan.steps)
    )
    resource_keys = resource_init_order(job.resource_defs, needed, owner=f"job '{job.name}'")
    merged = merged_run_config(job.config, run_config)
    # Values given in Python fill the job's root `inputs` too, so config validation does
    # not ask for them; they stay out of the recorded run config (they need not be JSON).
    to_check = merged
    if input_values:
        to_check = {**merged, "inputs": {**(merged.get("inputs") or {}), **input_values}}
    processed = process_config(job.run_config_schema, to_check).value_or_raise(
        subject=f"run config for job '{job.name}'"
    )
    job_inputs = {k: _unwrap_value(v) for k, v in (processed.get("inputs") or {}).items()}
    job_inputs.update(input_values or {})
    instance = instance if instance is not None else Instance.ephemeral()
    partitions = resolve_run_partitions(job, partition_key, tags or {}, instance)
    run = instance.create_run(
        job_name=job.name,
        run_config=merged,
        tags={**job.tags, **(tags or {}), **partitions.tags},
        run_id=run_id,
    )
    state = RunState(
        job=job,
        run=run,
        instance=instance,
        run_config=merged,
        processed=processed,
        job_inputs=job_inputs,
        partitions=partitions,
    )
    state.run_event(EventType.RUN_START, f'Started execution of run for "{job.name}".')
    try:
        _run_steps(state, plan, resource_keys)
    except HeadwaterError as exc:  # resource init failed: the steps never ran
        state.record_error(exc)
    except BaseException as exc:
        # Ctrl-C or SystemExit: the run did not finish; record that, then let it propagate.
        state.record_error(exc)
        _finish(state, interrupted=exc)
        raise
    _finish(state)
    if raise_on_error and state.first_error is not None:
        raise state.first_error
    return ExecuteInProcessResult(state, plan)


def _finish(state: RunState, interrupted: BaseException | None = None) -> None:
    if interrupted is not None:
        state.run_event(
            EventType.RUN_CANCELED,
            f'Execution of run for "{state.job_name}" was interrupted '
            f"({type(interrupted).__name__}).",
            level=logging.ERROR,
        )
    elif state.succeeded:
        state.run_event(EventType.RUN_SUCCESS, f'Finished execution of run for "{state.job_name}".')
    else:
        failed = sorted(state.failed)
        detail = f" Steps failed: {failed}." if failed else ""
        if state.failed_checks:
            detail += f" Blocking checks failed: {', '.join(state.failed_checks)}."
        error = None
        if not failed and state.first_error is not None:
            error = ErrorInfo.from_exception(state.first_error)
        state.run_event(
            EventType.RUN_FAILURE,
            f'Execution of run for "{state.job_name}" failed.{detail}',
            level=logging.ERROR,
            data={"failed_steps": failed},
            error=error,
        )
    state.flush()
