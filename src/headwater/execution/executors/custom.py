"""The launcher of an executor whose creation function returns its own ``Executor``.

That object's ``execute(plan_context, execution_plan)`` runs here with the run's
orchestration context; the steps run when it delegates to a built-in executor's
``execute`` (an ``EngineChoice``), which asks the context to launch that engine. An
executor that never delegates runs no steps: the run then ends as it stands.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from headwater.errors import InvalidDefinitionError, UnmetExecutorRequirementsError
from headwater.events import RunEvent
from headwater.execution.executors import resolve_engine
from headwater.execution.executors.launcher import LaunchRequest, load_launcher
from headwater.execution.plan import ExecutionPlan
from headwater.execution.run import finish_run
from headwater.jobs.executor import EngineChoice, Executor
from headwater.storage import Run

__all__ = ["LAUNCHER", "CustomLauncher", "PlanOrchestrationContext"]


class PlanOrchestrationContext:
    """What a custom ``Executor.execute`` receives: the run it executes.

    Attributes:
        run_id: the run's id.
        job_name: the job's name.
        instance: the instance the run is recorded in.
        run_config: the run's config.
    """

    def __init__(self, request: LaunchRequest) -> None:
        self._request = request
        self.run_id = request.state.run_id
        self.job_name = request.state.job_name
        self.instance = request.state.instance
        self.run_config: Mapping[str, Any] = request.prepared.run_config
        self.launched = False

    @property
    def dagster_run(self) -> Run | None:
        """The run as stored."""
        return self.instance.get_run(self.run_id)

    @property
    def job(self) -> Any:
        """The run's ``ReconstructableJob``."""
        return self._request.pointer

    def run_engine(self, choice: EngineChoice, execution_plan: ExecutionPlan) -> Iterator[RunEvent]:
        """Run the steps with the built-in engine ``choice`` names; yield the run's events.

        Raises:
            InvalidDefinitionError: the plan is not this run's, or the engine already ran.
            UnmetExecutorRequirementsError: an engine running steps in other processes with
                an ephemeral instance.
        """
        if self.launched:
            raise InvalidDefinitionError(
                f"the executor of run {self.run_id} ran its steps twice; delegate to one "
                "built-in executor's execute() once"
            )
        if execution_plan is not self._request.prepared.plan:
            raise InvalidDefinitionError(
                "an Executor's execute() must pass on the execution_plan it received"
            )
        definition, config = resolve_engine(choice, path="execution.config")
        launcher = load_launcher(definition.launcher or "", executor_name=definition.name)
        if not launcher.runs_in_process and self.instance.home is None:
            raise UnmetExecutorRequirementsError(
                f"the {definition.name} executor runs steps in other processes, which must "
                "reach the same instance; use a persistent one (Instance.get(), "
                "Instance.local_temp()) instead of an ephemeral instance"
            )
        self.launched = True
        launcher.launch(replace(self._request, config=config))
        yield from self.instance.run_events(self.run_id)


class CustomLauncher:
    """Runs a user ``Executor`` here; it runs the steps through a built-in engine."""

    runs_in_process = True

    def launch(self, request: LaunchRequest) -> None:
        """Call the executor's ``execute`` and finish the run if it did not."""
        executor = request.config.get("executor")
        if not isinstance(executor, Executor):
            raise InvalidDefinitionError(
                f"the custom executor launcher needs an Executor, got {executor!r}"
            )
        context = PlanOrchestrationContext(request)
        state = request.state
        try:
            for _ in executor.execute(context, request.prepared.plan):
                pass  # the events are stored as they happen; the result reads them there
        except Exception as exc:  # user code: it fails the run, with its own error
            state.outcomes.record_error(exc)
            if not context.launched:
                finish_run(state)
            return
        if not context.launched:
            finish_run(state)


LAUNCHER = CustomLauncher()
