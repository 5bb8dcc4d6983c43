"""What ``execute_in_process`` returns: success, events and output values of a run."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from headwater.asset_key import AssetKey, CoercibleToAssetKey
from headwater.errors import HeadwaterError, InvalidInvocationError, InvariantViolationError
from headwater.events import EventType, RunEvent

if TYPE_CHECKING:
    from headwater.assets.results import AssetMaterialization
    from headwater.execution.plan import ExecutionPlan
    from headwater.execution.state import RunState
    from headwater.jobs.job import JobDefinition
    from headwater.storage import Run

__all__ = ["ExecuteInProcessResult", "run_events_of"]


# Recorded in the instance's log of a run but not part of what the run itself yields: the
# messages code logged, and what the run planned before it started.
_NOT_RUN_EVENTS = frozenset(
    {
        EventType.LOG_MESSAGE,
        EventType.ASSET_MATERIALIZATION_PLANNED,
        EventType.ASSET_CHECK_EVALUATION_PLANNED,
    }
)


def run_events_of(stored: Iterable[RunEvent]) -> list[RunEvent]:
    """The run's events among its stored log lines, as ``result.all_events`` lists them."""
    return [e for e in stored if e.event_type not in _NOT_RUN_EVENTS]


class ExecuteInProcessResult:
    """The outcome of one in-process run.

    Attributes:
        success: whether every step succeeded and the run ended well.
        run_id: the run's id.
        all_events: every event of the run, in order.
    """

    def __init__(self, state: RunState, plan: ExecutionPlan) -> None:
        self._state = state
        self._plan = plan
        self.run_id = state.run_id
        self.job_def: JobDefinition = state.job
        self.success = state.outcomes.succeeded
        self._events: list[RunEvent] | None = None

    @property
    def all_events(self) -> list[RunEvent]:
        """Every event of the run, in order, as the instance recorded them (the messages
        its code logged are in ``instance.all_logs(run_id)``, not here)."""
        # Read from the instance, the single record of the run: the run loop keeps no
        # second copy, so a long run's memory stays flat.
        if self._events is None:
            self._events = run_events_of(self._state.instance.run_events(self.run_id))
        return self._events

    @all_events.setter
    def all_events(self, events: list[RunEvent]) -> None:
        self._events = events

    @property
    def run(self) -> Run:
        """The run's record as the instance holds it now."""
        run = self._state.instance.get_run(self.run_id)
        return run if run is not None else self._state.run

    @property
    def dagster_run(self) -> Run:
        """The run's record (the reference's spelling)."""
        return self.run

    @property
    def planned_step_keys(self) -> list[str]:
        """The keys of the steps the run planned (after any op selection), in order."""
        return [step.key for step in self._plan.steps]

    @property
    def all_node_events(self) -> list[RunEvent]:
        """Events of the steps' own kinds (start, inputs, outputs, success, failure...)."""
        return [e for e in self.all_events if e.is_step_event]

    def filter_events(self, event_filter: Callable[[RunEvent], bool]) -> list[RunEvent]:
        """The run's events for which ``event_filter`` returns true."""
        return [e for e in self.all_events if event_filter(e)]

    def compute_events_for_handle(self, handle: Any) -> list[RunEvent]:
        """The step events of the node ``handle`` names (a node name or handle)."""
        name = str(getattr(handle, "name", handle))
        return [e for e in self.all_node_events if e.step_key == name]

    def events_for_node(self, node_name: str) -> list[RunEvent]:
        """Step events of the step(s) of ``node_name`` (a nested graph covers its ops)."""
        prefix = node_name + "."
        return [
            e
            for e in self.all_node_events
            if e.step_key is not None and (e.step_key == node_name or e.step_key.startswith(prefix))
        ]

    def _events_of(self, event_type: EventType) -> list[RunEvent]:
        return [e for e in self.all_events if e.event_type is event_type]

    def get_step_success_events(self) -> list[RunEvent]:
        """``STEP_SUCCESS`` events."""
        return self._events_of(EventType.STEP_SUCCESS)

    def get_step_failure_events(self) -> list[RunEvent]:
        """``STEP_FAILURE`` events."""
        return self._events_of(EventType.STEP_FAILURE)

    def get_step_skipped_events(self) -> list[RunEvent]:
        """``STEP_SKIPPED`` events."""
        return self._events_of(EventType.STEP_SKIPPED)

    def get_failed_step_keys(self) -> set[str]:
        """Keys of the steps that failed."""
        return {
            e.step_key
            for e in self.all_events
            if (e.is_step_failure or e.is_resource_init_failure) and e.step_key is not None
        }

    def _single(self, event_type: EventType) -> RunEvent:
        found = self._events_of(event_type)
        if not found:
            raise HeadwaterError(f"No event of type DagsterEventType.{event_type.value} found.")
        return found[0]

    def get_run_success_event(self) -> RunEvent:
        """The run's ``PIPELINE_SUCCESS`` event.

        Raises:
            DagsterError: the run did not succeed.
        """
        return self._single(EventType.RUN_SUCCESS)

    def get_run_failure_event(self) -> RunEvent:
        """The run's ``PIPELINE_FAILURE`` event.

        Raises:
            DagsterError: the run did not fail.
        """
        return self._single(EventType.RUN_FAILURE)

    get_job_success_event = get_run_success_event
    get_job_failure_event = get_run_failure_event

    def is_node_success(self, node_name: str) -> bool:
        """Whether the step(s) of ``node_name`` succeeded."""
        events = self.events_for_node(node_name)
        return any(e.is_step_success for e in events) and not any(e.is_step_failure for e in events)

    def is_node_failed(self, node_name: str) -> bool:
        """Whether a step of ``node_name`` failed."""
        return any(e.is_step_failure for e in self.events_for_node(node_name))

    def is_node_skipped(self, node_name: str) -> bool:
        """Whether the step of ``node_name`` was skipped."""
        return any(e.event_type is EventType.STEP_SKIPPED for e in self.events_for_node(node_name))

    def is_node_untouched(self, node_name: str) -> bool:
        """Whether no step of ``node_name`` recorded an event (it never ran)."""
        return not self.events_for_node(node_name)

    def failure_data_for_node(self, node_name: str) -> Any:
        """The ``StepFailureData`` of the node's failed step, or ``None``."""
        for event in self.events_for_node(node_name):
            if event.is_step_failure:
                return event.step_failure_data
        return None

    def retry_attempts_for_node(self, node_name: str) -> int:
        """How many times the node's step was retried."""
        return sum(1 for e in self.events_for_node(node_name) if e.is_step_restarted)

    def output_for_node(self, node_str: str, output_name: str = "result") -> Any:
        """The value of output ``output_name`` of node ``node_str`` (``"graph.op"`` nests).

        Raises:
            DagsterInvariantViolationError: no such node or output, or it was not produced.
        """
        target = self._plan.resolve_output(node_str, output_name)
        if target is None:
            if not self._plan.has_node(node_str):
                raise InvariantViolationError(
                    f"{self.job_def.name} has no op named {node_str}. Its steps are "
                    f"{sorted(self._plan.by_key)}."
                )
            raise InvariantViolationError(f"{node_str} has no output named {output_name}.")
        outputs = self._state.outputs.kept
        if target not in outputs and self._plan.dynamic is not None:
            # A mapped step: its copies' values, by mapping key.
            root = self._plan.dynamic.roots.get(target[0])
            keys = self._state.outputs.mapping_keys.get(root) or () if root is not None else ()
            by_key = {k: (f"{target[0]}[{k}]", target[1]) for k in keys}
            found = {k: outputs[copy] for k, copy in by_key.items() if copy in outputs}
            if found:
                return found
        if target not in outputs:
            raise InvariantViolationError(
                f"No outputs found for output '{output_name}' from node '{node_str}'. The "
                f"step failed, was skipped, or did not yield it in run {self.run_id}."
            )
        return outputs[target]

    def output_value(self, output_name: str = "result") -> Any:
        """The value of the job's (top-level graph's) output ``output_name``.

        Raises:
            DagsterInvariantViolationError: the job has no such output, or it was not
                produced.
        """
        target = self._plan.resolve_output("", output_name)
        if target is None and not self._plan.has_outputs():
            raise InvariantViolationError(
                f"Attempted to retrieve top-level outputs for '{self.job_def.name}', which "
                "has no outputs."
            )
        if target is None:
            raise InvariantViolationError(
                f"Could not find top-level output '{output_name}' in '{self.job_def.name}'."
            )
        if target not in self._state.outputs.kept:
            raise InvariantViolationError(
                f"No outputs found for output '{output_name}' of job '{self.job_def.name}'."
            )
        return self._state.outputs.kept[target]

    def asset_value(self, asset_key: CoercibleToAssetKey) -> Any:
        """The value this run computed for ``asset_key`` (kept in memory by the run).

        Raises:
            InvalidInvocationError: the run did not materialize the asset with a value.
        """
        key = AssetKey.from_coercible(asset_key)
        layer = self.job_def.asset_layer
        for (node, output), produced in layer.key_by_output.items() if layer else ():
            if produced == key and (node, output) in self._state.outputs.kept:
                return self._state.outputs.kept[(node, output)]
        raise InvalidInvocationError(
            f"run {self.run_id} holds no value for asset '{key.to_user_string()}' (it was "
            "not selected, its step failed or was skipped, or it returned a MaterializeResult)"
        )

    def get_asset_materialization_events(self) -> list[RunEvent]:
        """``ASSET_MATERIALIZATION`` events."""
        return self._events_of(EventType.ASSET_MATERIALIZATION)

    def get_asset_observation_events(self) -> list[RunEvent]:
        """``ASSET_OBSERVATION`` events."""
        return self._events_of(EventType.ASSET_OBSERVATION)

    def get_asset_materialization_planned_events(self) -> list[RunEvent]:
        """``ASSET_MATERIALIZATION_PLANNED`` events (none for an in-process run)."""
        return self._events_of(EventType.ASSET_MATERIALIZATION_PLANNED)

    def get_asset_check_evaluations(self) -> list[Any]:
        """The ``AssetCheckEvaluation`` of every check the run evaluated, in order."""
        return [
            e.asset_check_evaluation_data for e in self._events_of(EventType.ASSET_CHECK_EVALUATION)
        ]

    def asset_observations_for_node(self, node_name: str) -> list[Any]:
        """The observations the step(s) of ``node_name`` recorded, as values."""
        return [
            e.asset_observation_data.asset_observation
            for e in self.events_for_node(node_name)
            if e.event_type is EventType.ASSET_OBSERVATION
        ]

    def expectation_results_for_node(self, node_name: str) -> list[Any]:
        """The expectation results the step(s) of ``node_name`` recorded, as values."""
        return [
            e.event_specific_data.expectation_result
            for e in self.events_for_node(node_name)
            if e.event_type is EventType.STEP_EXPECTATION_RESULT
        ]

    def asset_materializations_for_node(self, node_name: str) -> list[AssetMaterialization]:
        """The materializations the step(s) of ``node_name`` recorded, as values."""
        return [
            e.materialization
            for e in self.events_for_node(node_name)
            if e.event_type is EventType.ASSET_MATERIALIZATION
        ]

    def result_for_node(self, node_name: str) -> NodeResult:
        """The outcome of one node: its success and its outputs."""
        return NodeResult(self, node_name)

    result_for_solid = result_for_node

    def __repr__(self) -> str:
        return f"<ExecuteInProcessResult run_id={self.run_id} success={self.success}>"


class NodeResult:
    """One node's part of a run result (``result.result_for_solid("load")``)."""

    def __init__(self, result: ExecuteInProcessResult, node_name: str) -> None:
        self._result = result
        self.node_name = node_name

    @property
    def success(self) -> bool:
        """Whether the node's step(s) succeeded."""
        return self._result.is_node_success(self.node_name)

    @property
    def skipped(self) -> bool:
        """Whether the node's step was skipped."""
        return self._result.is_node_skipped(self.node_name)

    def output_value(self, output_name: str = "result") -> Any:
        """The value of the node's output ``output_name``."""
        return self._result.output_for_node(self.node_name, output_name)

    @property
    def events(self) -> list[RunEvent]:
        """The node's events."""
        return self._result.events_for_node(self.node_name)
