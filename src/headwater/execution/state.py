"""One run, as a process that runs its steps holds it: its identity and config, and the
three parts that change as steps run.

- ``events`` (``run_events.RunEvents``): what is pending, and when it reaches the instance;
- ``outputs`` (``outputs.RunOutputs``): what the steps produced;
- ``outcomes`` (``outcomes.StepOutcomes``): which steps failed or were skipped.

Each part is written only through its own methods. The in-process executor keeps one
``RunState`` for the whole run; out-of-process executors keep one in the orchestrating
process and build one per step in the step's process.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from headwater.events import ERROR, ErrorInfo, EventType, RunEvent
from headwater.execution.asset_events import CheckScope
from headwater.execution.outcomes import StepOutcomes
from headwater.execution.outputs import RunOutputs
from headwater.execution.partitions import RunPartitions
from headwater.execution.run_events import RunEvents
from headwater.loggers import RunLoggers
from headwater.resources import Resources
from headwater.resources.context import context_view
from headwater.storage import Instance, Run

if TYPE_CHECKING:
    from headwater.asset_key import AssetKey
    from headwater.assets.definition import AssetsDefinition
    from headwater.execution.plan import Step
    from headwater.jobs.job import JobDefinition

__all__ = ["GroupedResourceEvents", "ResourceEvents", "RunState"]

# The scope of a step that can evaluate no check (read only, never added to).
_NO_CHECKS = CheckScope([], [])


class RunState:
    """One run in one process: who it is, its config and resources, and its three parts."""

    __slots__ = (
        "_layer",
        "_op_resources",
        "_op_resources_of",
        "events",
        "instance",
        "job",
        "job_inputs",
        "job_name",
        "outcomes",
        "outputs",
        "partition_key",
        "partitions",
        "processed",
        "resources",
        "retries_enabled",
        "run",
        "run_config",
        "run_id",
        "selected_keys",
    )

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
        events: type[RunEvents] = RunEvents,
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
        # The loggers run config `loggers:` selects, built in each process that runs steps.
        loggers = RunLoggers.for_run(job, run_config, processed, run.run_id)
        self.events = events(instance, run.run_id, job.name, loggers)
        self.outputs = RunOutputs()
        self.outcomes = StepOutcomes()
        self._op_resources: dict[Any, tuple[Resources, Resources]] = {}
        self._op_resources_of: Resources | None = None
        # Executor config `retries: {disabled: {}}` turns RetryPolicy and RetryRequested off.
        self.retries_enabled = True
        layer = job.asset_layer
        self._layer = layer
        self.selected_keys: frozenset[Any] = layer.selected_keys if layer else frozenset()

    def assets_def_for(self, step: Step) -> AssetsDefinition | None:
        """The assets a step materializes: its node's, or, for an op inside a graph-backed
        asset, the graph's."""
        if self._layer is None:
            return None
        definition: AssetsDefinition | None = self._layer.assets_def_by_node.get(step.path[0])
        return definition

    def output_keys(self, step: Step) -> dict[str, AssetKey]:
        """Output name → the asset it materializes, for the outputs of ``step`` that do."""
        layer = self._layer
        if layer is None:
            return {}
        handle = step.handle
        return {
            name: key
            for name in step.op_def.output_defs
            if (key := layer.key_by_output.get((handle, name))) is not None
        }

    def check_outputs(self, step: Step) -> dict[str, Any]:
        """Output name → the ``AssetCheckSpec`` whose result it returns, for ``step``'s
        outputs that return one (ops inside graph-backed assets)."""
        layer = self._layer
        if layer is None or not layer.check_spec_by_output:
            return {}
        handle = step.handle
        return {
            name: spec
            for name in step.op_def.output_defs
            if (spec := layer.check_spec_by_output.get((handle, name))) is not None
        }

    def asset_key_for(self, node: str, output: str) -> AssetKey | None:
        """The asset an output materializes, if any."""
        return self._layer.key_by_output.get((node, output)) if self._layer else None

    def input_data_versions(self, names: Iterable[str]) -> dict[str, str]:
        """The latest data version of each upstream asset (``names``: their user strings):
        this run's, else the instance's."""
        versions = {}
        data_versions = self.outputs.data_versions
        for name in names:
            version = data_versions.get(name)
            if version is None:
                event = self.instance.latest_materialization(name)
                if event is None:  # a source asset: the version it was last observed with
                    record = self.instance.get_latest_data_version_record(name, is_source=True)
                    event = record.event if record is not None else None
                version = _data_version_of(event)
            if version is not None:
                versions[name] = str(version)
        return versions

    def op_resources(self, op_def: Any) -> tuple[Resources, Resources]:
        """The resources ``op_def`` requires, and the view of them its context shows (built
        once per op and run, the resources being open for the whole run)."""
        if self._op_resources_of is not self.resources:  # opened anew (a step process)
            self._op_resources, self._op_resources_of = {}, self.resources
        found = self._op_resources.get(op_def)
        if found is None:
            resources = Resources(
                {k: getattr(self.resources, k) for k in op_def.required_resource_keys}
            )
            found = self._op_resources[op_def] = (resources, context_view(resources))
        return found

    def type_check_resources(self, keys: frozenset[str]) -> Resources:
        """The resources type checks reading ``keys`` receive (one per key set and run)."""
        if self._op_resources_of is not self.resources:  # opened anew (a step process)
            self._op_resources, self._op_resources_of = {}, self.resources
        found = self._op_resources.get(keys)
        if found is None:
            found = self._op_resources[keys] = (
                Resources({k: getattr(self.resources, k) for k in keys}),
                Resources(),
            )
        return found[0]

    def check_scope(self, step: Step) -> CheckScope:
        """The assets and check specs a step's check results may refer to (worked out once
        per job: ``StepFacts.check_scope`` keeps them)."""
        if self._layer is None:  # no assets, no checks: every op job's steps
            return _NO_CHECKS
        definition = self.assets_def_for(step)
        if definition is not None and definition.is_graph_backed:
            # An op inside a graph-backed asset evaluates the checks whose results its
            # outputs return.
            return CheckScope(sorted(definition.keys), list(self.check_outputs(step).values()))
        if definition is not None:
            # A subset run of a multi-asset evaluates only the checks of the selected keys.
            keys = [k for k in sorted(definition.keys) if k in self.selected_keys]
            specs = [s for s in definition.check_specs if s.asset_key in self.selected_keys]
            return CheckScope(keys, specs)
        check = self._layer.check_def_by_node.get(step.handle)
        if check is not None:
            specs = check.check_specs
            if check.can_subset:  # only the checks of the assets this run selects
                specs = [s for s in specs if s.asset_key in self.selected_keys]
            return CheckScope(check.asset_keys, specs)
        return CheckScope([], [])

    def node_config(self, path: tuple[str, ...]) -> Any:
        """The processed run config of the op at ``path`` (``{"config": ..., "inputs": ...}``)."""
        node: Any = (self.processed.get("ops") or {}).get(path[0])
        for name in path[1:]:  # an op inside graphs: under each graph's `ops`
            node = ((node or {}).get("ops") or {}).get(name)
        return node


class ResourceEvents:
    """Turns resource lifecycle callbacks into run events."""

    def __init__(
        self, state: RunState, scope: str | None = None, step_key: str | None = None
    ) -> None:
        self.state = state
        self.step_key = step_key
        # Out-of-process executors name the resource's scope (step, run, worker) in events.
        self.scope = scope

    def _data(self, key: str, **extra: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"resource_key": key, **extra}
        if self.scope is not None:
            data["scope"] = self.scope
        return data

    def _where(self) -> str:
        return f" (scope: {self.scope})" if self.scope is not None else ""

    def on_init_started(self, key: str) -> None:
        self.state.events.run_event(
            EventType.RESOURCE_INIT_STARTED,
            f"Starting initialization of resource '{key}'{self._where()}.",
            data=self._data(key),
            step_key=self.step_key,
        )

    def on_init_succeeded(self, key: str, seconds: float) -> None:
        self.state.events.run_event(
            EventType.RESOURCE_INIT_SUCCESS,
            f"Finished initialization of resource '{key}' in {seconds * 1000:.3g}ms.",
            data=self._data(key, duration_ms=seconds * 1000),
            step_key=self.step_key,
        )

    def on_init_failed(self, key: str, error: BaseException) -> None:
        self.state.events.run_event(
            EventType.RESOURCE_INIT_FAILURE,
            f"Initialization of resource '{key}' failed.",
            level=ERROR,
            data=self._data(key),
            error=ErrorInfo.from_exception(error),
            step_key=self.step_key,
        )

    def on_teardown_failed(self, key: str, error: BaseException) -> None:
        # The reference has no event kind of its own for this: an engine event with the error.
        self.state.events.run_event(
            EventType.ENGINE_EVENT,
            f"Teardown of resources [{key}] failed.",
            level=ERROR,
            data=self._data(key),
            error=ErrorInfo.from_exception(error),
            step_key=self.step_key,
        )


class GroupedResourceEvents:
    """Resource lifecycle as the reference records it in process: one event before the
    resources are initialized, one after all of them (or one failure), naming them all.

    ``keys`` are the names shown (the default ``io_manager`` included even when values stay
    in memory, as the reference initializes one); ``step_key`` is set for a one-step plan.
    """

    def __init__(self, state: RunState, keys: list[str], step_key: str | None) -> None:
        self.state = state
        self.keys = keys
        self.step_key = step_key
        self.seconds: dict[str, float] = {}

    def started(self) -> None:
        """Record ``RESOURCE_INIT_STARTED`` (nothing when no resource is used)."""
        if self.keys:
            self.state.events.run_event(
                EventType.RESOURCE_INIT_STARTED,
                f"Starting initialization of resources [{', '.join(self.keys)}].",
                data={"marker_start": "resources", "resource_keys": self.keys},
                step_key=self.step_key,
            )

    def succeeded(self) -> None:
        """Record ``RESOURCE_INIT_SUCCESS`` with each resource's init time."""
        if self.keys:
            times = {k: f"{self.seconds.get(k, 0.0) * 1000:.3g}ms" for k in self.keys}
            self.state.events.run_event(
                EventType.RESOURCE_INIT_SUCCESS,
                f"Finished initialization of resources [{', '.join(self.keys)}].",
                data={
                    "marker_end": "resources",
                    "resource_keys": self.keys,
                    "metadata": {f"{k}:init_time": t for k, t in times.items()},
                },
                step_key=self.step_key,
            )

    def on_init_started(self, key: str) -> None:
        pass

    def on_init_succeeded(self, key: str, seconds: float) -> None:
        self.seconds[key] = seconds

    def on_init_failed(self, key: str, error: BaseException) -> None:
        failed_first = [key, *(k for k in self.keys if k != key)]
        # The event records the resource's own exception, as the reference does; the run's
        # failure records the wrapping DagsterResourceFunctionError.
        error = getattr(error, "user_exception", None) or error
        self.state.events.run_event(
            EventType.RESOURCE_INIT_FAILURE,
            f"Initialization of resources [{', '.join(failed_first)}] failed.",
            level=ERROR,
            data={"marker_end": "resources", "resource_keys": failed_first, "resource_key": key},
            error=ErrorInfo.from_exception(error),
            step_key=self.step_key,
        )

    def on_teardown_failed(self, key: str, error: BaseException) -> None:
        self.state.events.run_event(
            EventType.ENGINE_EVENT,
            f"Teardown of resources [{key}] failed.",
            level=ERROR,
            data={"resource_key": key},
            error=ErrorInfo.from_exception(error),
            step_key=self.step_key,
        )


def _data_version_of(event: RunEvent | None) -> str | None:
    # A materialization records its version apart; an observation an op logged itself
    # carries it only as a tag.
    if event is None:
        return None
    data = event.data
    version = data.get("data_version")
    return version if version is not None else (data.get("tags") or {}).get("dagster/data_version")
