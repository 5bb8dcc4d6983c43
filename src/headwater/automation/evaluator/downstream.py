"""``any_downstream_conditions()``: the conditions of the assets downstream, evaluated for
this one, so an asset updates when something below it would want it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field
from typing import Any

from headwater._dataclass import dataclass
from headwater.asset_key import AssetKey
from headwater.automation import condition as c
from headwater.automation.evaluator.context import AutomationContext, AutomationResult
from headwater.automation.policy.rules import RuleCondition

__all__ = ["DownstreamConditionWrapperCondition", "any_downstream_conditions"]


@dataclass(frozen=True)
class DownstreamConditionWrapperCondition(c._Node):
    """A downstream condition evaluated for the asset above it; named by the downstream keys."""

    downstream_keys: tuple[AssetKey, ...] = ()
    operand: c.AutomationCondition = field(default_factory=c.MissingAutomationCondition)

    @property
    def name(self) -> str:
        return ", ".join(k.to_user_string() for k in self.downstream_keys)

    @property
    def children(self) -> Sequence[c.AutomationCondition]:
        return (self.operand,)


def wrapped(node: Any, ctx: AutomationContext) -> AutomationResult:
    """The wrapped downstream condition, evaluated over the candidates."""
    result = ctx.for_child_condition(node.operand, [0], ctx.candidate_subset).evaluate()
    return AutomationResult(ctx, result.true_subset, child_results=[result])


def _has_rule(condition: c.AutomationCondition) -> bool:
    return isinstance(condition, RuleCondition) or any(_has_rule(x) for x in condition.children)


def _strip(condition: c.AutomationCondition) -> c.AutomationCondition | None:
    """The condition with nested ``any_downstream_conditions()`` read as false (``None``:
    false altogether); labelled nodes are kept whole."""
    if condition.get_label() is not None:
        return condition
    if isinstance(condition, c.AnyDownstreamConditionsCondition):
        return None
    if isinstance(condition, (c.AndAutomationCondition, c.OrAutomationCondition)):
        return _strip_operands(condition)
    return condition


def _strip_operands(
    condition: c.AndAutomationCondition | c.OrAutomationCondition,
) -> c.AutomationCondition | None:
    kept = []
    for operand in condition.operands:
        stripped = _strip(operand)
        if stripped is None and isinstance(condition, c.AndAutomationCondition):
            return None
        if stripped is not None:
            kept.append(stripped)
    if kept == list(condition.operands):
        return condition
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else type(condition)(operands=tuple(kept))


def _downstream_conditions(
    ctx: AutomationContext, key: AssetKey
) -> dict[c.AutomationCondition, set[AssetKey]]:
    found: dict[c.AutomationCondition, set[AssetKey]] = {}
    graph = ctx.asset_graph
    for child in graph.downstream_closure([key]) - {key}:
        definition = graph.def_by_key[child]
        condition = definition.automation_conditions_by_key.get(child)
        if condition is None or _has_rule(condition):
            continue
        stripped = _strip(condition)
        if stripped is not None:
            found.setdefault(stripped, set()).add(child)
    return found


def any_downstream_conditions(node: Any, ctx: AutomationContext) -> AutomationResult:
    """True where any downstream asset's condition is true for this asset."""
    ignored = set()
    walk: AutomationContext | None = ctx
    while walk is not None:  # conditions already being evaluated would recurse forever
        ignored.add(walk.condition)
        walk = walk.parent_context
    conditions = _downstream_conditions(ctx, ctx.key)
    ordered = sorted(conditions.items(), key=lambda item: sorted(k.path for k in item[1]))
    true = ctx.get_empty_subset()
    results = []
    for i, (condition, keys) in enumerate(ordered):
        if condition in ignored:
            continue
        wrapper = DownstreamConditionWrapperCondition(
            downstream_keys=tuple(sorted(keys, key=lambda k: k.path)), operand=condition
        )
        result = ctx.for_child_condition(wrapper, [i], ctx.candidate_subset).evaluate()
        results.append(result)
        true = true.compute_union(result.true_subset)
    return AutomationResult(ctx, true, child_results=results)
