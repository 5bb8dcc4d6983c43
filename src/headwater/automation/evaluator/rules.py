"""How each rule of an ``AutoMaterializePolicy`` is evaluated (its ``RuleCondition`` node).

A policy is the tree ``(m1 | m2 ...) & ~(s1 | s2 ...) & ~discard``; the ``and``/``or``/``not``
nodes are headwater's own, only the rule leaves are evaluated here. Like the reference's
rules, most look again only at partitions whose parents changed (or that are new
candidates) and carry their previous answer forward for the others.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from headwater.automation.evaluator.context import AutomationContext, AutomationResult
from headwater.automation.evaluator.cron_rules import (
    materialize_on_cron,
    skip_on_not_all_parents_updated_since_cron,
)
from headwater.automation.evaluator.legacy import (
    LegacyView,
    discarded,
    handled_since_previous,
    partition_order,
    previous_true,
    result,
)
from headwater.automation.evaluator.subset import PartitionKey
from headwater.automation.policy import rules as r
from headwater.errors import InvariantViolationError, UnsupportedFeatureError
from headwater.partitions.multi import MultiPartitionsDefinition
from headwater.partitions.time_window import TimeWindowPartitionsDefinition

__all__ = ["rule_condition"]


def _skip(
    ctx: AutomationContext, lv: LegacyView, test: Callable[[PartitionKey], bool]
) -> AutomationResult:
    """A skip rule: test new candidates and those whose parents changed; keep the previous
    answer for the rest."""
    candidates = ctx.candidate_subset.partition_keys
    before = ctx.previous_candidate_subset
    new_candidates = candidates if before is None else candidates - before.partition_keys
    to_evaluate = new_candidates | (candidates & lv.parent_has_or_will_update)
    fresh = {p for p in to_evaluate if test(p)}
    return result(ctx, fresh | (previous_true(ctx) - to_evaluate))


# -- materialize rules ------------------------------------------------------------------------


def materialize_on_missing(rule: Any, ctx: AutomationContext, lv: LegacyView) -> AutomationResult:
    """Missing partitions, each requested once. A root asset remembers what it handled; an
    asset with parents looks only at partitions whose parents changed."""
    if lv.is_root:
        stored = ctx.cursor
        before = (
            frozenset(stored)
            if isinstance(stored, list)
            else frozenset(p for p in lv.view.partition_keys(lv.key) if lv.exists(lv.key, p))
        )
        handled = handled_since_previous(ctx, lv) | before
        true = ctx.candidate_subset.partition_keys - handled
        return result(ctx, true, structured_cursor=sorted(handled, key=partition_order))
    to_evaluate = set(ctx.candidate_subset.partition_keys & lv.parent_has_or_will_update)
    new_last = _new_last_time_partition(ctx, lv)
    if new_last is not None:
        to_evaluate.add(new_last)
    missing = {p for p in to_evaluate if not lv.exists(lv.key, p)}
    return result(ctx, (missing | previous_true(ctx)) - lv.previous_requested(discarded(ctx)))


def _new_last_time_partition(ctx: AutomationContext, lv: LegacyView) -> PartitionKey:
    """The latest time partition, when it appeared since the previous evaluation."""
    pdef = lv.view.partitions_def(lv.key)
    if not isinstance(pdef, TimeWindowPartitionsDefinition):
        return None
    now = lv.view.partition_keys(lv.key)
    before_time = ctx.root_context.previous_evaluation_time or datetime.fromtimestamp(
        0, timezone.utc
    )
    before = pdef.get_partition_keys(current_time=before_time)
    last = now[-1] if now else None
    return last if last != (before[-1] if before else None) else None


def materialize_on_parent_updated(
    rule: Any, ctx: AutomationContext, lv: LegacyView
) -> AutomationResult:
    """Partitions with a parent updated after them, or requested on this evaluation; true
    until the partition is materialized or requested."""
    tags_filter = rule.updated_parent_filter
    if tags_filter is not None and tags_filter.latest_run_required_tags is not None:
        raise UnsupportedFeatureError(
            "AutoMaterializeAssetPartitionsFilter(latest_run_required_tags=...)",
            "the deprecated AutoMaterializePolicy rules",
            "use automation_condition=AutomationCondition.eager() with "
            "AutomationCondition.any_deps_updated() narrowed by "
            "AutomationCondition.executed_with_tags(...) instead",
        )
    fresh = set()
    for p in lv.parent_has_or_will_update:
        parents = lv.parent_partitions(lv.key, p)
        updated = lv.updated_after_child(lv.key, p, parents, {lv.key})
        will = any(lv.will_update(parent, pp) for parent, keys in parents.items() for pp in keys)
        if updated or will:
            fresh.add(p)
    return result(ctx, fresh | (previous_true(ctx) - handled_since_previous(ctx, lv)))


def materialize_on_required_for_freshness(
    rule: Any, ctx: AutomationContext, lv: LegacyView
) -> AutomationResult:
    """Legacy freshness policies are not evaluated (as ``freshness_result``): never true."""
    return result(ctx, ())


# -- skip rules -------------------------------------------------------------------------------


def skip_on_parent_outdated(rule: Any, ctx: AutomationContext, lv: LegacyView) -> AutomationResult:
    """Skip while an ancestor's update has not reached a parent that will not run with it."""

    def test(p: PartitionKey) -> bool:
        return any(
            lv.outdated_ancestors(parent, pp)
            for parent, pp in lv.not_updating_now(p)
            if parent != lv.key
        )

    return _skip(ctx, lv, test)


def skip_on_parent_missing(rule: Any, ctx: AutomationContext, lv: LegacyView) -> AutomationResult:
    """Skip while a parent that will not run with it was never materialized."""

    def test(p: PartitionKey) -> bool:
        return any(
            lv.is_executable(parent) and not lv.exists(parent, pp)
            for parent, pp in lv.not_updating_now(p)
        )

    return _skip(ctx, lv, test)


def skip_on_not_all_parents_updated(
    rule: Any, ctx: AutomationContext, lv: LegacyView
) -> AutomationResult:
    """Skip until every parent (or every parent partition) was updated after the asset.

    As in the reference, a parent requested on this same evaluation does not count as
    updated.
    """

    def test(p: PartitionKey) -> bool:
        parents = lv.parent_partitions(lv.key, p)
        updated = lv.updated_after_child(lv.key, p, parents, set())
        if rule.require_update_for_all_parent_partitions:
            waiting = {
                parent
                for parent, keys in parents.items()
                for pp in keys
                if (parent, pp) not in updated
            }
        else:
            waiting = set(lv.parents(lv.key)) - {parent for parent, _ in updated}
        return bool(waiting - {lv.key})

    return _skip(ctx, lv, test)


def skip_on_required_but_nonexistent_parents(
    rule: Any, ctx: AutomationContext, lv: LegacyView
) -> AutomationResult:
    """Skip partitions that need parent partitions which do not exist."""

    def test(p: PartitionKey) -> bool:
        return any(
            lv.view.nonexistent_parent_keys(lv.key, p, parent) for parent in lv.parents(lv.key)
        )

    return _skip(ctx, lv, test)


def skip_on_backfill_in_progress(
    rule: Any, ctx: AutomationContext, lv: LegacyView
) -> AutomationResult:
    """Skip the candidates a requested backfill targets (every candidate, with
    ``all_partitions``, once it targets any partition of the asset).

    Unlike ``backfill_in_progress``, every partition the backfill targets counts until it
    ends, also those it has materialized already; and, as in the reference, the answer is
    fresh on every evaluation rather than carried forward.
    """
    targeted = lv.view.backfill_partitions(lv.key, in_progress=False)
    if not targeted:
        return result(ctx, ())
    candidates = ctx.candidate_subset.partition_keys
    return result(ctx, candidates if rule.all_partitions else candidates & targeted)


def skip_on_run_in_progress(rule: Any, ctx: AutomationContext, lv: LegacyView) -> AutomationResult:
    """Skip while the newest run that planned the asset is unfinished."""
    if lv.view.partitions_def(lv.key) is not None:
        raise InvariantViolationError(
            f"AutoMaterializeRule.skip_on_run_in_progress() is only supported for "
            f"unpartitioned assets, and '{lv.key.to_user_string()}' is partitioned; use "
            "automation_condition=AutomationCondition.eager(), which waits for in-progress "
            "runs, instead"
        )
    found = lv.state.planned_run((lv.key, None))
    running = found is not None and not found[1].status.is_finished
    return result(ctx, ctx.candidate_subset.partition_keys if running else ())


def discard_on_max_materializations_exceeded(
    rule: Any, ctx: AutomationContext, lv: LegacyView
) -> AutomationResult:
    """The candidates beyond the rate limit: newest time partitions are kept first."""
    keys = lv.view.partition_keys(lv.key)
    position = {p: i for i, p in enumerate(keys)}
    newest_first = _has_time_dimension(lv)
    ordered = sorted(
        ctx.candidate_subset.partition_keys,
        key=lambda p: -position.get(p, 0) if newest_first else position.get(p, 0),
    )
    return result(ctx, ordered[rule.limit :])


def _has_time_dimension(lv: LegacyView) -> bool:
    pdef = lv.view.partitions_def(lv.key)
    return isinstance(pdef, TimeWindowPartitionsDefinition) or (
        isinstance(pdef, MultiPartitionsDefinition) and pdef.time_window_dimension is not None
    )


_RULES: dict[type, Callable[[Any, AutomationContext, LegacyView], AutomationResult]] = {
    r.MaterializeOnMissingRule: materialize_on_missing,
    r.MaterializeOnParentUpdatedRule: materialize_on_parent_updated,
    r.MaterializeOnRequiredForFreshnessRule: materialize_on_required_for_freshness,
    r.MaterializeOnCronRule: materialize_on_cron,
    r.SkipOnParentOutdatedRule: skip_on_parent_outdated,
    r.SkipOnParentMissingRule: skip_on_parent_missing,
    r.SkipOnNotAllParentsUpdatedRule: skip_on_not_all_parents_updated,
    r.SkipOnNotAllParentsUpdatedSinceCronRule: skip_on_not_all_parents_updated_since_cron,
    r.SkipOnRequiredButNonexistentParentsRule: skip_on_required_but_nonexistent_parents,
    r.SkipOnBackfillInProgressRule: skip_on_backfill_in_progress,
    r.SkipOnRunInProgressRule: skip_on_run_in_progress,
    r.DiscardOnMaxMaterializationsExceededRule: discard_on_max_materializations_exceeded,
}


def rule_condition(node: Any, ctx: AutomationContext) -> AutomationResult:
    """Evaluate the rule of a ``RuleCondition`` node for the asset being evaluated."""
    evaluate = _RULES.get(type(node.rule))
    if evaluate is None:
        raise UnsupportedFeatureError(
            f"AutoMaterializeRule {type(node.rule).__name__}",
            "the deprecated AutoMaterializePolicy rules",
            "write the policy as an AutomationCondition (e.g. AutomationCondition.eager()) instead",
        )
    return evaluate(node.rule, ctx, _legacy_view(ctx))


# One LegacyView per asset evaluation, shared by the policy's rules: its facts depend only on
# the root context, and each rule re-deriving them (parent_updated walks every parent
# partition's events) multiplied that work by the number of rules. Weak keys: a view lives
# as long as the evaluation it belongs to.
_VIEWS: weakref.WeakKeyDictionary[AutomationContext, LegacyView] = weakref.WeakKeyDictionary()


def _legacy_view(ctx: AutomationContext) -> LegacyView:
    root = ctx.root_context
    view = _VIEWS.get(root)
    if view is None:
        view = _VIEWS[root] = LegacyView(root)
    return view
