"""How each built-in operand (a leaf of a condition tree) is evaluated.

Each function takes the node and its context and returns the partitions of the candidate
subset it is true for. They read only the context: the graph view, the instance snapshot
and the previous evaluation's state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from headwater.assets.checks import AssetCheckKey
from headwater.automation import condition as c
from headwater.automation.cron import previous_execution_time, resolve_timezone
from headwater.automation.evaluator.context import AutomationContext, AutomationResult
from headwater.automation.evaluator.state import RunInfo
from headwater.automation.evaluator.subset import EntitySubset, PartitionKey
from headwater.storage.runs import RunStatus

__all__ = ["OPERANDS"]


def _where(ctx: AutomationContext, test: Callable[[PartitionKey], bool]) -> EntitySubset:
    return ctx.candidate_subset.with_keys(p for p in ctx.candidate_subset.partition_keys if test(p))


def _result(ctx: AutomationContext, subset: EntitySubset, **kwargs: Any) -> AutomationResult:
    return AutomationResult(ctx, subset.compute_intersection(ctx.candidate_subset), **kwargs)


def _observes(ctx: AutomationContext) -> bool:
    # An external asset is updated by observations as well as materializations.
    return ctx.view.is_external(ctx.key)


def _latest_run(ctx: AutomationContext, p: PartitionKey) -> RunInfo | None:
    update = ctx.view.state.latest_update((ctx.key, p), observations=_observes(ctx))
    return None if update is None else ctx.view.state.runs.get(update.run_id)


def _check_evaluations(ctx: AutomationContext) -> list[Any]:
    return list(ctx.view.state.check_evaluations.get(ctx.key, ()))


def missing(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True for partitions never materialized (nor observed, for external assets); for a
    check, never evaluated."""
    if isinstance(ctx.key, AssetCheckKey):
        return _result(ctx, _where(ctx, lambda p: not _check_evaluations(ctx)))
    state, observes = ctx.view.state, _observes(ctx)
    return _result(
        ctx, _where(ctx, lambda p: state.latest_update((ctx.key, p), observations=observes) is None)
    )


def run_in_progress(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True for partitions that an unfinished run plans to materialize."""
    if isinstance(ctx.key, AssetCheckKey):
        return _result(ctx, ctx.get_empty_subset())

    def test(p: PartitionKey) -> bool:
        found = ctx.view.state.planned_run((ctx.key, p))
        return found is not None and not found[1].status.is_finished

    return _result(ctx, _where(ctx, test))


def backfill_in_progress(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True for partitions a requested backfill will still materialize: a run of it for
    them is in flight or still to run, and none of its runs materialized them yet. A check
    is never backfilled."""
    if isinstance(ctx.key, AssetCheckKey):
        return _result(ctx, ctx.get_empty_subset())
    keys = ctx.view.backfill_partitions(ctx.key, in_progress=True)
    return _result(ctx, ctx.candidate_subset.with_keys(keys))


def execution_failed(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True for partitions whose latest planned run failed without materializing them."""
    if isinstance(ctx.key, AssetCheckKey):
        return _result(ctx, ctx.get_empty_subset())
    state = ctx.view.state

    def test(p: PartitionKey) -> bool:
        found = state.planned_run((ctx.key, p))
        if found is None or found[1].status is not RunStatus.FAILURE:
            return False
        return not state.materialized_by((ctx.key, p), found[0])

    return _result(ctx, _where(ctx, test))


def newly_updated(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True for partitions updated since the previous evaluation (never on the first)."""
    since = ctx.root_context.previous_max_storage_id
    if since is None:
        return _result(ctx, ctx.get_empty_subset())
    if isinstance(ctx.key, AssetCheckKey):
        fresh = [e for e in _check_evaluations(ctx) if e.storage_id > since]
        return _result(ctx, ctx.candidate_subset if fresh else ctx.get_empty_subset())
    timing: dict[PartitionKey, float] = {}
    for p in ctx.candidate_subset.partition_keys:
        updates = ctx.view.state.updates_after((ctx.key, p), since, observations=_observes(ctx))
        if updates:
            timing[p] = updates[-1].timestamp
    subset = ctx.candidate_subset.with_keys(timing)
    return _result(ctx, subset, timing_metadata=timing or None)


def newly_requested(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True for partitions the previous evaluation requested."""
    previous = ctx.get_previous_requested_subset(ctx.key) or ctx.get_empty_subset()
    subset = previous.compute_intersection(ctx.candidate_subset)
    when = ctx.root_context.previous_evaluation_time
    timing = None if subset.is_empty or when is None else _timed(subset, when.timestamp())
    return _result(ctx, subset, timing_metadata=timing)


def _timed(subset: EntitySubset, timestamp: float) -> dict[PartitionKey, float]:
    return dict.fromkeys(subset.partition_keys, timestamp)


def will_be_requested(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True for partitions of another asset requested earlier in this evaluation, when they
    can run in the same run as the evaluated asset."""
    requested = ctx.request_subsets_by_key.get(ctx.key)
    if requested is None or not _same_run(ctx, ctx.key, ctx.root_context.key):
        return _result(ctx, ctx.get_empty_subset())
    return _result(ctx, requested.with_keys(requested.partition_keys))


def _same_run(ctx: AutomationContext, parent: Any, child: Any) -> bool:
    view = ctx.view
    if isinstance(parent, AssetCheckKey) or isinstance(child, AssetCheckKey):
        return True
    return not view.is_external(parent) and view.partitions_def(parent) == view.partitions_def(
        child
    )


def initial_evaluation(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True on the asset's first evaluation (or the first after its partitions changed)."""
    first = ctx.root_context.previous_evaluation_time is None
    return _result(ctx, ctx.candidate_subset if first else ctx.get_empty_subset())


def in_latest_time_window(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True for the partitions of the latest time window (all, without a time dimension)."""
    lookback: timedelta | None = node.lookback_delta
    return _result(ctx, ctx.view.latest_time_window_subset(ctx.key, lookback))


def cron_tick_passed(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True when a tick of the schedule passed since the previous evaluation."""
    previous = ctx.root_context.previous_evaluation_time
    if previous is None:
        return _result(ctx, ctx.get_empty_subset())
    tz = resolve_timezone(node.cron_timezone, subject="cron_tick_passed")
    # The latest tick at or before the evaluation time.
    tick = previous_execution_time(
        [node.cron_schedule], ctx.evaluation_time + timedelta(microseconds=1), tz
    )
    if tick < previous:
        return _result(ctx, ctx.get_empty_subset())
    return _result(
        ctx, ctx.candidate_subset, timing_metadata=_timed(ctx.candidate_subset, tick.timestamp())
    )


def code_version_changed(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True when the asset's code version differs from the one seen last evaluation."""
    before, now = ctx.cursor, ctx.view.code_version(ctx.key)
    changed = before is not None and before != now
    return _result(ctx, ctx.candidate_subset if changed else ctx.get_empty_subset(), cursor=now)


def data_version_changed(node: Any, ctx: AutomationContext) -> AutomationResult:
    """Data versions are not compared yet: never true."""
    return _result(ctx, ctx.get_empty_subset())


def executed_with_root_target(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True for partitions whose latest update came from a run that also targeted the asset
    being evaluated (so that asset is being updated by that run already)."""
    root = ctx.root_context.key
    if ctx.key == root:
        return _result(ctx, ctx.get_empty_subset())

    def test(p: PartitionKey) -> bool:
        run = _latest_run(ctx, p)
        return run is not None and root in run.targets

    return _result(ctx, _where(ctx, test))


def _tags_match(run: RunInfo | None, node: Any) -> bool:
    if run is None:
        return False
    if node.tag_keys and not all(k in run.tags for k in node.tag_keys):
        return False
    return not node.tag_values or all(run.tags.get(k) == v for k, v in node.tag_values)


def executed_with_tags(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True for partitions whose latest update came from a run with the given tags."""
    return _result(ctx, _where(ctx, lambda p: _tags_match(_latest_run(ctx, p), node)))


def _new_update_runs(ctx: AutomationContext, p: PartitionKey) -> list[RunInfo | None]:
    since = ctx.root_context.previous_max_storage_id
    if not since:
        # Also nothing when the previous evaluation had read no event at all.
        return []
    updates = ctx.view.state.updates_after((ctx.key, p), since, observations=_observes(ctx))
    return [ctx.view.state.runs.get(u.run_id) for u in updates]


def _any_new(runs: Iterable[RunInfo | None], node: Any) -> bool:
    return any(_tags_match(r, node) for r in runs)


def any_new_update_has_run_tags(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True for partitions with an update since the previous evaluation from a run with the
    given tags."""
    return _result(ctx, _where(ctx, lambda p: _any_new(_new_update_runs(ctx, p), node)))


def all_new_updates_have_run_tags(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True for partitions updated since the previous evaluation only by runs with the given
    tags."""

    def test(p: PartitionKey) -> bool:
        runs = _new_update_runs(ctx, p)
        return bool(runs) and all(_tags_match(r, node) for r in runs)

    return _result(ctx, _where(ctx, test))


def check_result(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True for a check whose latest evaluation passed (``check_passed``) or failed."""
    evaluations = _check_evaluations(ctx) if isinstance(ctx.key, AssetCheckKey) else []
    hit = bool(evaluations) and evaluations[-1].passed == node.passed
    return _result(ctx, ctx.candidate_subset if hit else ctx.get_empty_subset())


def freshness_result(node: Any, ctx: AutomationContext) -> AutomationResult:
    """Freshness policies are not evaluated yet: never true."""
    return _result(ctx, ctx.get_empty_subset())


OPERANDS: dict[type, Callable[[Any, AutomationContext], AutomationResult]] = {
    c.MissingAutomationCondition: missing,
    c.RunInProgressAutomationCondition: run_in_progress,
    c.BackfillInProgressAutomationCondition: backfill_in_progress,
    c.ExecutionFailedAutomationCondition: execution_failed,
    c.NewlyUpdatedCondition: newly_updated,
    c.NewlyRequestedCondition: newly_requested,
    c.WillBeRequestedCondition: will_be_requested,
    c.InitialEvaluationCondition: initial_evaluation,
    c.InLatestTimeWindowCondition: in_latest_time_window,
    c.CronTickPassedCondition: cron_tick_passed,
    c.CodeVersionChangedCondition: code_version_changed,
    c.DataVersionChangedCondition: data_version_changed,
    c.LatestRunExecutedWithRootTargetCondition: executed_with_root_target,
    c.LatestRunExecutedWithTagsCondition: executed_with_tags,
    c.AnyNewUpdateHasRunTagsCondition: any_new_update_has_run_tags,
    c.AllNewUpdatesHaveRunTagsCondition: all_new_updates_have_run_tags,
    c.CheckResultCondition: check_result,
    c.FreshnessResultCondition: freshness_result,
}
