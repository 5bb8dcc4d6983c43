"""Which steps do not run, and whether that is announced with ``STEP_SKIPPED``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.events import EventType
from headwater.execution.step_facts import facts_for

if TYPE_CHECKING:
    from headwater.execution.plan import Step
    from headwater.execution.state import RunState

__all__ = ["record_skip", "skip_reason"]


def skip_reason(state: RunState, step: Step) -> tuple[str, bool] | None:
    """Why ``step`` must not run, and whether that is announced with ``STEP_SKIPPED``;
    ``None`` when it can run.

    As in the reference, a step downstream of a failure is left untouched (no event); one
    whose input was not produced (an optional output, a skipped step, a failed blocking
    check) is skipped with an event.
    """
    # Guarded by emptiness: in a healthy run nothing failed, and this runs per step.
    outcomes = state.outcomes
    failed, skipped = outcomes.failed, outcomes.skipped
    if failed or skipped:
        bad = sorted(k for k in step.upstream if k in failed or k in skipped)
        if bad:
            announced = not any(k in failed or k in outcomes.untouched for k in bad)
            return f"upstream step(s) {bad} did not succeed", announced
    produced = state.outputs.produced
    if produced.issuperset(facts_for(state, step).ready_when):
        return None  # what it reads first was produced: the common case, decided in C
    for step_input in step.inputs:
        sources = step_input.sources
        if step_input.is_fan_in or not sources:
            root = step_input.collect_of
            if root is not None and root not in produced:
                return f"optional output '{root[1]}' of step '{root[0]}' was not produced", True
            continue
        # The first source produced settles it (and is all a plain input has).
        if sources[0] in produced:
            continue
        if not any(src in produced for src in sources):
            key, out = sources[0]
            return f"optional output '{out}' of step '{key}' was not produced", True
    return None


def record_skip(state: RunState, step: Step, reason: str, *, announced: bool) -> None:
    """Leave ``step`` unrun: announced with ``STEP_SKIPPED``, or silently (downstream of a
    failure, where the reference records nothing for the step)."""
    state.outcomes.skip(step.key, announced=announced)
    if not announced:
        return
    state.events.run_event(
        EventType.STEP_SKIPPED,
        f'Skipped execution of step "{step.key}".',
        data={"reason": reason},
        step_key=step.key,
    )
