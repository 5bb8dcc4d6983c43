"""The in-process executor's launcher: every step in the launching process, in plan order,
with the run's resources opened once (``in_process_executor``)."""

from __future__ import annotations

from headwater.execution.executors.launcher import LaunchRequest
from headwater.execution.io import seed_upstream_output
from headwater.execution.run import run_prepared_in_process

__all__ = ["LAUNCHER", "InProcessLauncher"]


class InProcessLauncher:
    """Runs a run's steps here; outputs of earlier runs (a re-execution) are seeded first."""

    runs_in_process = True

    def launch(self, request: LaunchRequest) -> None:
        """Run every step of ``request`` in this process and finish the run."""
        state, produced_by = request.state, request.produced_by
        for (step_key, output), source_run in produced_by.items():
            seed_upstream_output(state, request.full_plan.by_key[step_key], output, source_run)
        prepared = request.prepared
        run_prepared_in_process(state, prepared.plan, prepared.resource_keys)
        produced_by.update(
            {k: state.run_id for k in state.outputs.produced if k not in produced_by}
        )


LAUNCHER = InProcessLauncher()
