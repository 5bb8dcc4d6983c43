"""Running a plan that grows: the in-process loop of a job with dynamic outputs, and what
every run loop does when a step producing dynamic outputs ends.

A plain plan runs in its fixed order (``run.py``). A plan with dynamic outputs learns its
mapped copies and collectors only as the outputs resolve, so it runs as a queue: steps join
it when their upstream steps have ended (in plan order, new steps after the plan's), and
run first come, first served, as the reference's in-process executor runs them. Steps that
must skip are skipped as soon as they are ready, before the next step runs.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from headwater.execution.skips import record_skip, skip_reason
from headwater.execution.step import run_step

if TYPE_CHECKING:
    from headwater.execution.plan import ExecutionPlan, Step
    from headwater.execution.run import CancelWatch
    from headwater.execution.state import RunState

__all__ = ["resolve_after", "run_growing"]


def resolve_after(
    state: RunState, plan: ExecutionPlan, step: Step
) -> tuple[ExecutionPlan, list[Step]]:
    """The plan once ``step`` (ended: succeeded, failed or skipped) has resolved its dynamic
    outputs, and the steps that made concrete.

    A required dynamic output that yielded nothing resolves to no mapping key (what
    collects it gets an empty list); one not produced resolves to ``None`` (what maps over
    it never runs; what collects it skips, or is left untouched after a failure).
    """
    dynamic = plan.dynamic
    if dynamic is None or not dynamic.waits_on(step.key):
        return plan, []
    succeeded = step.key not in state.outcomes.failed and step.key not in state.outcomes.skipped
    mappings: dict[tuple[str, str], list[str] | None] = {}
    for name, out_def in step.op_def.output_defs.items():
        if not out_def.is_dynamic:
            continue
        handle = (step.key, name)
        keys = state.outputs.mapping_keys.get(handle)
        if keys is None and succeeded and out_def.is_required:
            keys = state.outputs.resolve(handle, ())
        mappings[handle] = keys
    return plan.resolve(mappings)


def run_growing(state: RunState, plan: ExecutionPlan, watch: CancelWatch | None) -> list[str]:
    """Run ``plan``'s steps in process as they become ready, resolving dynamic outputs as
    their steps end; return the keys left unrun because the run was terminated."""
    pending: dict[str, Step] = {s.key: s for s in plan.steps}
    ready: deque[Step] = deque()
    # Steps of the job outside this plan (a re-execution's, done earlier) count as ended.
    templates = plan.dynamic.templates if plan.dynamic is not None else ()
    known = {*pending, *(t.key for t in templates)}
    ended: set[str] = set()

    def end(step: Step) -> None:
        nonlocal plan
        ended.add(step.key)
        plan, made = resolve_after(state, plan, step)
        pending.update((s.key, s) for s in made)
        known.update(s.key for s in made)

    def admit() -> None:
        progressed = True
        while progressed:  # a skip can make its dependents ready at once
            progressed = False
            for key, step in list(pending.items()):
                if not all(u in ended or u not in known for u in step.upstream):
                    continue
                del pending[key]
                skip = skip_reason(state, step)
                if skip is None:
                    ready.append(step)
                    continue
                record_skip(state, step, skip[0], announced=skip[1])
                end(step)
                progressed = True

    admit()
    while ready:
        if watch is not None and watch.is_canceling():
            return [s.key for s in ready] + list(pending)
        step = ready.popleft()
        run_step(state, step)
        end(step)
        admit()
    return []
