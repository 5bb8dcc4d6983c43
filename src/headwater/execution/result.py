"""What ``execute_in_process`` returns: success, events and output values of a run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.assets.key import AssetKey, CoercibleToAssetKey
from headwater.assets.results import AssetMaterialization
from headwater.errors import InvalidInvocationError
from headwater.events import EventType, RunEvent
from headwater.metadata import metadata_from_wire

if TYPE_CHECKING:
    from headwater.execution.plan import ExecutionPlan
    from headwater.execution.state import RunState
    from headwater.jobs.job import JobDefinition
    from headwater.storage import Run

__all__ = ["ExecuteInProcessResult"]


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
        self.success = state.succeeded
        self._events: list[RunEvent] | None = None

    @property
    def all_events(self) -> list[RunEvent]:
        """Every event of the run, in order, as the instance recorded them."""
        # Read from the instance, the single record of the run: the run loop keeps no
        # second copy, so a long run's memory stays flat.
        if self._events is None:
            self._events = self._state.instance.all_logs(self.run_id)
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
    def all_node_events(self) -> list[RunEvent]:
        """Events that concern a step."""
        return [e for e in self.all_events if e.step_key is not None]

    def events_for_node(self, node_name: str) -> list[RunEvent]:
        """Events of the step(s) of ``node_name`` (a nested graph covers its ops)."""
        prefix = node_name + "."
        return [
            e
            for e in self.all_events
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

    def get_job_success_event(self) -> RunEvent:
        """The ``RUN_SUCCESS`` event (raises if the run failed)."""
        found = self._events_of(EventType.RUN_SUCCESS)
        if not found:
            raise InvalidInvocationError(f"run {self.run_id} did not succeed")
        return found[0]

    def get_job_failure_event(self) -> RunEvent:
        """The ``RUN_FAILURE`` event (raises if the run succeeded)."""
        found = self._events_of(EventType.RUN_FAILURE)
        if not found:
            raise InvalidInvocationError(f"run {self.run_id} did not fail")
        return found[0]

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

    def output_for_node(self, node_str: str, output_name: str = "result") -> Any:
        """The value of output ``output_name`` of node ``node_str`` (``"graph.op"`` nests).

        Raises:
            InvalidInvocationError: no such node or output, or it was not produced.
        """
        target = self._plan.resolve_output(node_str, output_name)
        if target is None:
            raise InvalidInvocationError(
                f"no node '{node_str}' with output '{output_name}' in job '{self.job_def.name}'; "
                f"steps are {sorted(self._plan.by_key)}"
            )
        outputs = self._state.outputs
        if target not in outputs:
            raise InvalidInvocationError(
                f"output '{output_name}' of node '{node_str}' was not produced in run "
                f"{self.run_id} (the step failed, was skipped, or did not yield it)"
            )
        return outputs[target]

    def output_value(self, output_name: str = "result") -> Any:
        """The value of the job's (top-level graph's) output ``output_name``."""
        target = self._plan.resolve_output("", output_name)
        if target is None or target not in self._state.outputs:
            raise InvalidInvocationError(
                f"job '{self.job_def.name}' has no produced output '{output_name}'"
            )
        return self._state.outputs[target]

    def asset_value(self, asset_key: CoercibleToAssetKey) -> Any:
        """The value this run computed for ``asset_key`` (kept in memory by the run).

        Raises:
            InvalidInvocationError: the run did not materialize the asset with a value.
        """
        key = AssetKey.from_coercible(asset_key)
        layer = self.job_def.asset_layer
        for (node, output), produced in layer.key_by_output.items() if layer else ():
            if produced == key and (node, output) in self._state.outputs:
                return self._state.outputs[(node, output)]
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

    def asset_materializations_for_node(self, node_name: str) -> list[AssetMaterialization]:
        """The materializations the step(s) of ``node_name`` recorded, as values."""
        return [
            AssetMaterialization(
                AssetKey.from_user_string(e.data["asset_key"]),
                description=e.data.get("description"),
                metadata=metadata_from_wire(e.data.get("metadata") or {}),
                partition=e.data.get("partition"),
            )
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
