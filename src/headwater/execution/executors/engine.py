"""The orchestrating loop of out-of-process executors.

It runs in the launching process and never runs user code: it decides which steps are
ready (by the plan), which of them must skip, which may start under the concurrency
limits, hands them to a :class:`Launcher` (a process per step, reused workers, Dask), and
turns the reports that come back into the run's state (a retry asked for by a step whose
attempts each get a process goes back to wait out its delay). Steps write their own
events to the instance; the loop writes the run's events and the failure of a step whose
process died.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

from headwater._dataclass import dataclass
from headwater.events import ErrorInfo, EventType
from headwater.execution.dynamic_loop import resolve_after
from headwater.execution.executors.worker import StepReport, StepTask
from headwater.execution.run import CANCEL_POLL_S, CancelWatch, finish_run
from headwater.execution.skips import record_skip, skip_reason

if TYPE_CHECKING:
    from headwater.execution.executors.limits import StepLimits
    from headwater.execution.plan import ExecutionPlan, Step
    from headwater.execution.reconstruct import ReconstructableJob
    from headwater.execution.state import RunState

__all__ = ["Launcher", "StepSource", "orchestrate"]

# How long terminated steps get to tear down their resources before they are killed.
TERMINATE_GRACE_S = 10.0


class Launcher(Protocol):
    """Where steps run: submit tasks, collect their reports, stop them."""

    def submit(self, task: StepTask) -> None:
        """Start running ``task``."""

    def wait(self, timeout: float) -> list[StepReport]:
        """Reports of steps that ended, waiting up to ``timeout`` seconds for one."""

    def interrupt(self, run_id: str, step_keys: Iterable[str]) -> None:
        """Ask running steps to stop (they raise ``StepTerminated`` and tear down)."""

    def kill(self, step_keys: Iterable[str]) -> list[StepReport]:
        """Stop steps that ignored :meth:`interrupt`; their reports."""


@dataclass(frozen=True, slots=True)
class StepSource:
    """What the step processes need to find the run: the job, the instance, the run."""

    job: ReconstructableJob
    instance_home: str
    op_selection: tuple[str, ...] | None
    partition_key: str | None
    retries_enabled: bool
    at_least_once: bool = False
    reused_process: bool = True
    announce: bool = False


def orchestrate(
    state: RunState,
    plan: ExecutionPlan,
    launcher: Launcher,
    limits: StepLimits,
    source: StepSource,
    *,
    produced_by: dict[tuple[str, str], str],
    done_before: frozenset[str] = frozenset(),
    before_finish: Callable[[], None] | None = None,
) -> None:
    """Run ``plan``'s steps through ``launcher`` and finish the run.

    Args:
        state: the run (its ``RUN_START`` already emitted).
        plan: the steps to run.
        launcher: where they run.
        limits: admission under concurrency limits.
        source: what each task carries to find the run.
        produced_by: ``(step, output) → run id`` of outputs already stored (a
            re-execution's parent run's); extended as steps of this run produce outputs.
        done_before: steps of the job that succeeded in an earlier run (not in ``plan``).
        before_finish: records the executor's last events, just before the run's end.
    """
    loop = _Loop(state, plan, launcher, limits, source, produced_by, done_before)
    try:
        loop.run()
    except BaseException as exc:  # Ctrl-C in the launching process: stop what runs
        loop.stop_running(grace=2.0)
        limits.release_all()
        finish_run(state, interrupted=exc)
        raise
    limits.release_all()
    if before_finish is not None:
        before_finish()
    if loop.canceling:
        finish_run(state, canceled=[s.key for s in loop.pending], stopped=loop.stopped)
    else:
        finish_run(state)


class _Loop:
    def __init__(
        self,
        state: RunState,
        plan: ExecutionPlan,
        launcher: Launcher,
        limits: StepLimits,
        source: StepSource,
        produced_by: dict[tuple[str, str], str],
        done_before: frozenset[str],
    ) -> None:
        self.state = state
        self.launcher = launcher
        self.limits = limits
        self.source = source
        self.produced_by = produced_by
        # Outputs stored by earlier runs count as produced for the skip rules.
        state.outputs.mark_all_produced(produced_by)
        self.plan = plan  # grows as dynamic outputs resolve
        self.pending: list[Step] = list(plan.steps)
        self.running: dict[str, Step] = {}
        # step → (its next attempt's number, when it may start): retries asked for by steps
        # whose every attempt runs in a new process.
        self.retries: dict[str, tuple[int, float]] = {}
        self.finished: set[str] = set(done_before)
        self.stopped: list[str] = []
        self.canceling = False
        self.watch = CancelWatch(state.instance, state.run_id)

    def run(self) -> None:
        while self.pending or self.running:
            if not self.canceling and self.watch.is_canceling():
                self.canceling = True
                self.state.events.run_event(
                    EventType.ENGINE_EVENT,
                    f"Terminating run: stopping steps {sorted(self.running)}.",
                    data={"stopping_steps": sorted(self.running)},
                )
                self.stop_running(grace=TERMINATE_GRACE_S)
            if self.canceling:
                return
            self.launch_ready()
            self.state.events.flush()
            if not self.running:
                if not self.pending:
                    return
                time.sleep(CANCEL_POLL_S / 5)  # every ready step waits on a pool slot
                continue
            for report in self.launcher.wait(self._next_wake()):
                self.apply(report)
            self.state.events.flush()

    def _next_wake(self) -> float:
        """How long to wait for reports: until the next retry is due, at most a poll."""
        now = time.monotonic()
        dues = [due - now for key, (_, due) in self.retries.items() if key not in self.running]
        return max(min([CANCEL_POLL_S, *dues]), 0.0)

    def launch_ready(self) -> None:
        admitted: list[Step] = []
        progressed = True
        while progressed:  # a skip can make its dependents ready at once
            progressed = False
            for step in list(self.pending):
                if not step.upstream <= self.finished:
                    continue
                if step.key in self.retries and self.retries[step.key][1] > time.monotonic():
                    continue  # waiting out its retry delay
                skip = skip_reason(self.state, step)
                if skip is not None:
                    record_skip(self.state, step, skip[0], announced=skip[1])
                    self.finished.add(step.key)
                    self.pending.remove(step)
                    self._grow(step)
                    progressed = True
                    continue
                if not self.limits.try_acquire(step):
                    continue
                self.pending.remove(step)
                self.running[step.key] = step
                admitted.append(step)
        for step in admitted:
            self.launcher.submit(self._task(step))

    def _task(self, step: Step) -> StepTask:
        wanted = {src for i in step.inputs for src in i.sources}
        sources = tuple(
            (key, out, run_id)
            for (key, out), run_id in self.produced_by.items()
            if (key, out) in wanted
        )
        src = self.source
        dynamic = self.plan.dynamic
        return StepTask(
            mappings=()
            if dynamic is None
            else tuple((k, o, keys) for (k, o), keys in dynamic.resolved.items()),
            job=src.job,
            instance_home=src.instance_home,
            run_id=self.state.run_id,
            step_key=step.key,
            op_selection=src.op_selection,
            partition_key=src.partition_key,
            sources=sources,
            retries_enabled=src.retries_enabled,
            at_least_once=src.at_least_once,
            reused_process=src.reused_process,
            announced_at=time.time() if src.announce else None,
            retry_number=self.retries.get(step.key, (0, 0.0))[0],
        )

    def apply(self, report: StepReport) -> None:
        step = self.running.pop(report.step_key)
        self.limits.release(step)
        if report.status == "retry" and not self.canceling:
            # The next attempt runs in a new process once its delay has passed.
            due = time.monotonic() + report.retry_delay
            self.retries[step.key] = (report.retry_number, due)
            self.pending.insert(0, step)
            return
        self.finished.add(step.key)
        state = self.state
        if report.status == "success":
            for out in report.produced:
                state.outputs.mark_produced((step.key, out))
                self.produced_by[(step.key, out)] = state.run_id
            for out, keys in report.mapping_keys:
                state.outputs.resolve((step.key, out), keys)
            self._grow(step)
            return
        state.outcomes.fail(step.key)
        self._grow(step)
        if self.canceling or report.status == "terminated":
            self.stopped.append(step.key)
        if report.status in ("crashed", "error"):
            # The step's process could not report its own failure: say it for it.
            what = "its process died" if report.status == "crashed" else "its process failed"
            message = f'Step "{step.key}" failed: {what} ({report.message}).'
            state.events.run_event(
                EventType.STEP_FAILURE,
                message,
                level=logging.ERROR,
                data={"crashed": report.status == "crashed", "pid": report.pid},
                error=ErrorInfo("StepProcessCrashed", report.message),
                step_key=step.key,
            )

    def _grow(self, step: Step) -> None:
        """Add the steps that ``step``'s dynamic outputs make concrete (if any)."""
        if self.plan.dynamic is not None:
            self.plan, made = resolve_after(self.state, self.plan, step)
            for new in made:
                if new.key not in self.finished:
                    self.pending.append(new)

    def stop_running(self, *, grace: float) -> None:
        if not self.running:
            return
        self.launcher.interrupt(self.state.run_id, list(self.running))
        deadline = time.monotonic() + grace
        while self.running and time.monotonic() < deadline:
            for report in self.launcher.wait(min(0.25, max(deadline - time.monotonic(), 0.01))):
                self.apply(report)
        if self.running:
            keys = list(self.running)
            for report in self.launcher.kill(keys):
                self.apply(report)
            for key in [k for k in keys if k in self.running]:
                self.apply(StepReport(key, "crashed", message="killed after termination"))
        self.state.events.flush()
