"""Re-executing a run: a new run of the same job that reruns some steps and loads the
outputs of the others from the runs that stored them (through their IO managers)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field
from typing import TYPE_CHECKING

from headwater._dataclass import dataclass
from headwater.errors import InvalidInvocationError
from headwater.events import EventType
from headwater.storage import RunStatus

if TYPE_CHECKING:
    from headwater.execution.plan import ExecutionPlan
    from headwater.storage import Instance, Run

__all__ = ["ReexecutionOptions", "ReexecutionPlan", "plan_reexecution"]

PARENT_RUN_TAG = "dagster/parent_run_id"
ROOT_RUN_TAG = "dagster/root_run_id"


@dataclass(frozen=True, slots=True)
class ReexecutionOptions:
    """Which run to re-execute and which of its steps to run again.

    Attributes:
        parent_run_id: the run to re-execute.
        step_selection: step keys (or op names) to rerun; empty (and ``only_failed``
            unset) means every step.
        only_failed: rerun only the steps that did not succeed (failed, skipped, stopped
            by termination or never started), in the parent run or the runs it re-executed.
    """

    parent_run_id: str
    step_selection: Sequence[str]
    only_failed: bool

    def __init__(
        self,
        parent_run_id: str,
        step_selection: Sequence[str] = [],  # the reference's default; copied
    ) -> None:
        object.__setattr__(self, "parent_run_id", parent_run_id)
        object.__setattr__(self, "step_selection", tuple(step_selection))
        # Only from_failure sets it: Dagster's constructor takes no such parameter.
        object.__setattr__(self, "only_failed", False)

    @staticmethod
    def from_failure(run_id: str, instance: Instance) -> ReexecutionOptions:
        """Options to rerun the failed and not-run steps of ``run_id`` (see ``only_failed``).

        Raises:
            InvalidInvocationError: the run does not exist, has not finished, or succeeded.
        """
        run = instance.get_run(run_id)
        if run is None:
            raise InvalidInvocationError(f"no run with id {run_id!r} in this instance")
        if run.status not in (RunStatus.FAILURE, RunStatus.CANCELED):
            raise InvalidInvocationError(
                f"run {run_id} is {run.status.value}; only a failed or canceled run can be "
                "re-executed from failure (re-execute it whole instead)"
            )
        options = ReexecutionOptions(run_id)
        object.__setattr__(options, "only_failed", True)
        return options


@dataclass(frozen=True, slots=True)
class ReexecutionPlan:
    """What a re-execution runs and what it loads.

    Attributes:
        parent: the run being re-executed.
        plan: the steps to run again (inputs from other steps load from earlier runs).
        produced_by: ``(step, output) → run id`` of outputs stored by earlier runs.
        done_before: steps not rerun (they succeeded earlier).
        root_run_id: the first run of the chain.
    """

    parent: Run
    plan: ExecutionPlan
    produced_by: dict[tuple[str, str], str]
    done_before: frozenset[str]
    root_run_id: str
    # Dynamic outputs of steps not rerun: (step, output) → their mapping keys, in order.
    mapping_keys: dict[tuple[str, str], list[str]] = field(default_factory=dict)


_History = tuple[
    dict[str, str],
    dict[tuple[str, str], str],
    set[tuple[str, str]],
    dict[tuple[str, str], list[str]],
]


def _history(instance: Instance, run: Run) -> _History:
    """Per step, the nearest run of the chain where it succeeded, that run's outputs,
    which of those an IO manager stored, and the mapping keys of its dynamic outputs."""
    succeeded: dict[str, str] = {}
    outputs: dict[tuple[str, str], str] = {}
    handled: set[tuple[str, str]] = set()
    mapping_keys: dict[tuple[str, str], list[str]] = {}
    current: Run | None = run
    seen: set[str] = set()
    while current is not None and current.run_id not in seen:
        seen.add(current.run_id)
        events = instance.run_events(current.run_id)
        new = {
            e.step_key
            for e in events
            if e.event_type is EventType.STEP_SUCCESS and e.step_key and e.step_key not in succeeded
        }
        for step_key in new:
            succeeded[step_key] = current.run_id
        for e in events:
            if e.step_key in new and e.event_type is EventType.STEP_OUTPUT:
                outputs[(e.step_key, e.data["output_name"])] = current.run_id
                if "mapping_key" in e.data:
                    handle = (e.step_key, e.data["output_name"])
                    mapping_keys.setdefault(handle, []).append(e.data["mapping_key"])
            if e.step_key in new and e.event_type is EventType.HANDLED_OUTPUT:
                handled.add((e.step_key, e.data["output_name"]))
        parent = current.parent_run_id
        current = instance.get_run(parent) if parent else None
    return succeeded, outputs, handled, mapping_keys


def plan_reexecution(
    plan: ExecutionPlan, instance: Instance, options: ReexecutionOptions
) -> ReexecutionPlan:
    """Decide what a re-execution of ``options.parent_run_id`` runs and loads.

    Raises:
        InvalidInvocationError: the parent run is unknown or unfinished, the selection names
            no step, nothing is left to run, or a rerun step needs an output that was kept
            in memory (no IO manager stored it).
    """
    parent = instance.get_run(options.parent_run_id)
    if parent is None:
        raise InvalidInvocationError(f"no run with id {options.parent_run_id!r} to re-execute")
    if not parent.is_finished:
        raise InvalidInvocationError(
            f"run {parent.run_id} is {parent.status.value}; wait for it to finish (or "
            "terminate it) before re-executing it"
        )
    succeeded, outputs, handled, mapping_keys = _history(instance, parent)
    base = plan
    # The parent's mapped copies and collectors, to choose from.
    plan, _ = _regrown(base, succeeded, mapping_keys, rerun=set())
    if options.step_selection:
        wanted = set(options.step_selection)
        to_run = [s.key for s in plan.steps if s.key in wanted or s.name in wanted]
        unknown = sorted(wanted - {s.key for s in plan.steps} - {s.name for s in plan.steps})
        if unknown:
            raise InvalidInvocationError(
                f"step selection names {unknown}, which are not steps of job "
                f"'{parent.job_name}'; steps are {sorted(plan.by_key)}"
            )
    elif options.only_failed:
        to_run = [s.key for s in plan.steps if s.key not in succeeded]
        if not to_run:
            raise InvalidInvocationError(
                f"every step of run {parent.run_id} succeeded; nothing to re-execute from failure"
            )
    else:
        to_run = [s.key for s in plan.steps]
    rerun = set(to_run)
    # Dynamic outputs of rerun steps resolve again as they run; the others as before.
    plan, kept = _regrown(base, succeeded, mapping_keys, rerun=rerun)
    subset = plan.only(to_run)
    produced_by = {k: v for k, v in outputs.items() if k[0] not in rerun}
    for step in subset.steps:
        for step_input in step.inputs:
            for source in step_input.sources:
                if source in produced_by and source not in handled:
                    raise InvalidInvocationError(
                        f"step '{step.key}' needs output '{source[1]}' of step '{source[0]}', "
                        f"which run {produced_by[source]} kept in memory (no IO manager "
                        "stored it); bind an IO manager such as fs_io_manager to the job, "
                        "or re-execute the whole run"
                    )
    done_before = frozenset(k for k in succeeded if k not in rerun and k in plan.by_key)
    return ReexecutionPlan(
        parent, subset, produced_by, done_before, parent.root_run_id or parent.run_id, kept
    )


def _regrown(
    plan: ExecutionPlan,
    succeeded: dict[str, str],
    mapping_keys: dict[tuple[str, str], list[str]],
    *,
    rerun: set[str],
) -> tuple[ExecutionPlan, dict[tuple[str, str], list[str]]]:
    """``plan`` grown by the dynamic outputs of steps that succeeded earlier and are not
    rerun, and their mapping keys (a required output that yielded nothing has none)."""
    resolved: dict[tuple[str, str], list[str]] = {}
    if not plan.is_dynamic:
        return plan, resolved
    for step in plan.steps:
        if step.key not in succeeded or step.key in rerun:
            continue
        for name, out_def in step.op_def.output_defs.items():
            keys = mapping_keys.get((step.key, name))
            if keys is not None or (out_def.is_dynamic and out_def.is_required):
                resolved[(step.key, name)] = keys or []
    grown, _ = plan.resolve(resolved)
    return grown, resolved
