"""How each built-in operator (a node with children) is evaluated."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from headwater.asset_key import AssetKey
from headwater.automation import condition as c
from headwater.automation.evaluator.context import AutomationContext, AutomationResult
from headwater.automation.evaluator.subset import EntitySubset, PartitionKey
from headwater.errors import InvalidDefinitionError

__all__ = ["OPERATORS"]

Timing = Mapping[PartitionKey, float]


def and_(node: Any, ctx: AutomationContext) -> AutomationResult:
    """Each operand narrows the candidates of the next."""
    results = []
    true = ctx.candidate_subset
    for i, child in enumerate(node.operands):
        result = ctx.for_child_condition(child, [i], true).evaluate()
        results.append(result)
        true = true.compute_intersection(result.true_subset)
    return AutomationResult(ctx, true, child_results=results)


def or_(node: Any, ctx: AutomationContext) -> AutomationResult:
    """The union of the operands, each evaluated over every candidate."""
    results = [
        ctx.for_child_condition(child, [i], ctx.candidate_subset).evaluate()
        for i, child in enumerate(node.operands)
    ]
    true = ctx.get_empty_subset()
    for result in results:
        true = true.compute_union(result.true_subset)
    return AutomationResult(ctx, true, child_results=results)


def not_(node: Any, ctx: AutomationContext) -> AutomationResult:
    """The candidates the operand is false for."""
    result = ctx.for_child_condition(node.operand, [0], ctx.candidate_subset).evaluate()
    return AutomationResult(
        ctx, ctx.candidate_subset.compute_difference(result.true_subset), child_results=[result]
    )


def newly_true(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True where the operand is true now and was not on the previous evaluation."""
    # The operand is evaluated over every partition, so that what it was true for last time
    # does not depend on the candidates of that time.
    full = ctx.view.full_subset(ctx.key)
    result = ctx.for_child_condition(node.operand, [0], full).evaluate()
    before = ctx.cursor
    previous = ctx.get_empty_subset() if before is None else ctx.candidate_subset.with_keys(before)
    fresh = result.true_subset.compute_difference(previous)
    return AutomationResult(
        ctx,
        ctx.candidate_subset.compute_intersection(fresh),
        child_results=[result],
        structured_cursor=sorted(result.true_subset.partition_keys, key=_order),
    )


def _order(key: PartitionKey) -> tuple[bool, str]:
    return (key is not None, key or "")


def since(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True from the evaluation the trigger was true until the reset is."""
    full = ctx.view.full_subset(ctx.key)
    trigger = ctx.for_child_condition(node.trigger_condition, [0], full).evaluate()
    reset = ctx.for_child_condition(node.reset_condition, [1], full).evaluate()
    true = ctx.previous_true_subset or ctx.get_empty_subset()
    true = true.compute_union(trigger.true_subset).compute_difference(reset.true_subset)
    # Both true on one evaluation: the trigger wins where it happened later than the reset,
    # when both know when they happened.
    both = trigger.true_subset.compute_intersection(reset.true_subset)
    if not both.is_empty and trigger.timing_metadata and reset.timing_metadata:
        later = _later(trigger.timing_metadata, reset.timing_metadata)
        true = true.compute_union(both.with_keys(both.partition_keys & later))
    metadata = dict(ctx.previous_metadata)
    if not trigger.true_subset.is_empty:
        metadata["trigger_evaluation_id"] = ctx.evaluation_id
        metadata["trigger_timestamp"] = ctx.evaluation_time.timestamp()
    if not reset.true_subset.is_empty:
        metadata["reset_evaluation_id"] = ctx.evaluation_id
        metadata["reset_timestamp"] = ctx.evaluation_time.timestamp()
    return AutomationResult(
        ctx,
        true,
        child_results=[trigger, reset],
        timing_metadata=trigger.timing_metadata,
        metadata=metadata,
    )


def _later(first: Timing, second: Timing) -> set[PartitionKey]:
    return {p for p, ts in first.items() if p in second and ts > second[p]}


def entity_matches(node: Any, ctx: AutomationContext) -> AutomationResult:
    """The operand evaluated for another asset, mapped back onto the evaluated one."""
    target = ctx.view.map_subset(ctx.candidate_subset, node.key)
    result = ctx.for_child_condition(node.operand, [0], target).evaluate()
    true = ctx.view.map_subset(result.true_subset, ctx.key)
    timing = None
    if result.timing_metadata:
        timing = _mapped_timing(ctx, result.true_subset, result.timing_metadata)
    return AutomationResult(ctx, true, child_results=[result], timing_metadata=timing)


def _mapped_timing(ctx: AutomationContext, subset: EntitySubset, timing: Timing) -> Timing:
    mapped: dict[PartitionKey, float] = {}
    for p, ts in timing.items():
        for q in ctx.view.map_subset(subset.with_keys([p]), ctx.key).partition_keys:
            mapped[q] = max(ts, mapped.get(q, ts))
    return mapped


def _dep_keys(node: Any, ctx: AutomationContext) -> list[AssetKey]:
    keys = ctx.view.parents(ctx.key)
    if node.allow_selection is not None:
        keys &= _resolve(node.allow_selection, ctx)
    if node.ignore_selection is not None:
        keys -= _resolve(node.ignore_selection, ctx)
    return sorted(keys, key=lambda k: k.path)


def _resolve(selection: Any, ctx: AutomationContext) -> set[AssetKey]:
    return set(selection.resolve(ctx.asset_graph))


def _dep_results(node: Any, ctx: AutomationContext) -> list[AutomationResult]:
    return [
        ctx.for_child_condition(
            c.EntityMatchesCondition(key=dep, operand=node.operand), [None, i], ctx.candidate_subset
        ).evaluate()
        for i, dep in enumerate(_dep_keys(node, ctx))
    ]


def any_deps(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True where the operand is true for at least one dependency."""
    results = _dep_results(node, ctx)
    true = ctx.get_empty_subset()
    timing: dict[PartitionKey, float] = {}
    for result in results:
        true = true.compute_union(result.true_subset)
        for p, ts in (result.timing_metadata or {}).items():
            timing[p] = max(ts, timing.get(p, ts))
    return AutomationResult(
        ctx,
        ctx.candidate_subset.compute_intersection(true),
        child_results=results,
        timing_metadata=timing or None,
    )


def all_deps(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True where the operand is true for every dependency (or there is none)."""
    results = _dep_results(node, ctx)
    true = ctx.candidate_subset
    for result in results:
        true = true.compute_intersection(result.true_subset)
    return AutomationResult(ctx, true, child_results=results)


def _check_results(node: Any, ctx: AutomationContext) -> list[AutomationResult]:
    keys = ctx.view.check_keys(ctx.key, blocking_only=node.blocking_only)
    return [
        ctx.for_child_condition(
            c.EntityMatchesCondition(key=check, operand=node.operand),
            [None, i],
            ctx.candidate_subset,
        ).evaluate()
        for i, check in enumerate(keys)
    ]


def any_checks(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True where the operand is true for at least one of the asset's checks."""
    results = _check_results(node, ctx)
    true = ctx.get_empty_subset()
    for result in results:
        true = true.compute_union(result.true_subset)
    return AutomationResult(
        ctx, ctx.candidate_subset.compute_intersection(true), child_results=results
    )


def all_checks(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True where the operand is true for every one of the asset's checks."""
    true = ctx.candidate_subset
    results = _check_results(node, ctx)
    for result in results:
        true = true.compute_intersection(result.true_subset)
    return AutomationResult(ctx, true, child_results=results)


def not_evaluated(node: Any, ctx: AutomationContext) -> AutomationResult:
    """Operators headwater cannot evaluate yet fail loudly rather than never being true."""
    raise InvalidDefinitionError(
        f"the automation condition of '{ctx.root_context.key.to_user_string()}' uses "
        f"{node.name}, which headwater does not evaluate yet; replace it with conditions on "
        "the asset and its dependencies"
    )


OPERATORS: dict[type, Callable[[Any, AutomationContext], AutomationResult]] = {
    c.AndAutomationCondition: and_,
    c.OrAutomationCondition: or_,
    c.NotAutomationCondition: not_,
    c.NewlyTrueCondition: newly_true,
    c.SinceCondition: since,
    c.EntityMatchesCondition: entity_matches,
    c.AnyDepsCondition: any_deps,
    c.AllDepsCondition: all_deps,
    c.AnyChecksCondition: any_checks,
    c.AllChecksCondition: all_checks,
    c.AnyJobRootAssetsMatchCondition: not_evaluated,
    c.AllJobRootAssetsMatchCondition: not_evaluated,
}
