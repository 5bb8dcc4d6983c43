"""The cron rules of an ``AutoMaterializePolicy``: ``materialize_on_cron`` and
``skip_on_not_all_parents_updated_since_cron``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from headwater.asset_key import AssetKey
from headwater.automation.cron import (
    iter_execution_times,
    previous_execution_time,
    resolve_timezone,
)
from headwater.automation.evaluator.context import AutomationContext, AutomationResult
from headwater.automation.evaluator.legacy import (
    LegacyView,
    handled_since_previous,
    partition_order,
    previous_true,
    result,
)
from headwater.automation.evaluator.subset import PartitionKey
from headwater.errors import UnsupportedFeatureError
from headwater.partitions.multi import MultiPartitionsDefinition
from headwater.partitions.time_window import TimeWindowPartitionsDefinition

__all__ = ["materialize_on_cron", "skip_on_not_all_parents_updated_since_cron"]

_TICK = timedelta(microseconds=1)


def materialize_on_cron(rule: Any, ctx: AutomationContext, lv: LegacyView) -> AutomationResult:
    """The partitions of each cron tick passed since the previous evaluation, true until
    materialized or requested."""
    tz = resolve_timezone(rule.timezone, subject="materialize_on_cron")
    now = ctx.evaluation_time
    previous = ctx.root_context.previous_evaluation_time
    first = ctx.previous_true_subset is None or previous is None
    if first or previous is None:
        # First evaluation: only the latest tick counts as missed.
        ticks = [previous_execution_time([rule.cron_schedule], now + _TICK, tz)]
    else:
        ticks = []
        for tick in iter_execution_times([rule.cron_schedule], previous - _TICK, tz):
            if tick > now:
                break
            ticks.append(tick)
    new = _cron_partitions(rule, lv, ticks)
    if first and ticks:
        since = ticks[-1].timestamp()
        new -= {
            p for p in new if any(u.timestamp > since for u in lv.updates_after(lv.key, p, None))
        }
    return result(ctx, new | (previous_true(ctx) - handled_since_previous(ctx, lv)))


def _cron_partitions(rule: Any, lv: LegacyView, ticks: list[datetime]) -> set[PartitionKey]:
    if not ticks:
        return set()
    pdef = lv.view.partitions_def(lv.key)
    keys = lv.view.partition_keys(lv.key)
    if pdef is None:
        return {None}
    if rule.all_partitions:
        return set(keys)
    if isinstance(pdef, MultiPartitionsDefinition) and pdef.time_window_dimension is not None:
        raise UnsupportedFeatureError(
            "AutoMaterializeRule.materialize_on_cron on a multi-partitioned asset",
            "the deprecated AutoMaterializePolicy rules",
            "use automation_condition=AutomationCondition.on_cron(...) instead",
        )
    if not isinstance(pdef, TimeWindowPartitionsDefinition):
        return {keys[-1]} if keys else set()
    found: set[PartitionKey] = set()
    for tick in ticks:
        at_tick = pdef.get_partition_keys(current_time=tick)
        if at_tick:
            found.add(at_tick[-1])
    return found


def skip_on_not_all_parents_updated_since_cron(
    rule: Any, ctx: AutomationContext, lv: LegacyView
) -> AutomationResult:
    """Skip until every parent has the data of the latest cron interval: a time-partitioned
    parent has all the interval's partitions, any other parent was updated since its end."""
    tz = resolve_timezone(rule.timezone, subject="skip_on_not_all_parents_updated_since_cron")
    end = previous_execution_time([rule.cron_schedule], ctx.evaluation_time + _TICK, tz)
    start = previous_execution_time([rule.cron_schedule], end, tz)
    previous = ctx.root_context.previous_evaluation_time
    new_window = previous is None or end > previous
    stored = ctx.cursor if isinstance(ctx.cursor, dict) else None
    first = stored is None or previous is None or lv.since is None or new_window
    updated: dict[AssetKey, frozenset[PartitionKey]] = {}
    for parent in lv.parents(lv.key):
        if isinstance(lv.view.partitions_def(parent), TimeWindowPartitionsDefinition):
            continue  # their partitions say which intervals they hold
        keys = lv.view.partition_keys(parent)
        if first:
            since_end = {
                p
                for p in keys
                if any(u.timestamp > end.timestamp() for u in lv.updates_after(parent, p, None))
            }
        else:
            assert stored is not None
            since_end = set(stored.get(parent.to_user_string(), ()))
            since_end |= {p for p in keys if lv.updates_after(parent, p, lv.since)}
        updated[parent] = frozenset(since_end)

    def has_window(p: PartitionKey) -> bool:
        for parent, keys in lv.parent_partitions(lv.key, p).items():
            pdef = lv.view.partitions_def(parent)
            if isinstance(pdef, TimeWindowPartitionsDefinition):
                needed = [
                    k
                    for k in lv.view.partition_keys(parent)
                    if k is not None
                    and pdef.time_window_for_partition_key(k).start >= start
                    and pdef.time_window_for_partition_key(k).end <= end
                ]
                if not all(lv.exists(parent, k) for k in needed):
                    return False
                continue
            waiting = keys - updated.get(parent, frozenset())
            if any(not lv.will_update(parent, pp) for pp in waiting):
                return False
        return True

    candidates = ctx.candidate_subset.partition_keys
    if new_window:
        to_evaluate = candidates
    else:
        before = ctx.previous_candidate_subset
        new_candidates = candidates if before is None else candidates - before.partition_keys
        to_evaluate = new_candidates | (candidates & lv.parent_has_or_will_update)
    ready = {p for p in to_evaluate if has_window(p)}
    if not new_window:
        before = ctx.previous_candidate_subset
        was_ready = (frozenset() if before is None else before.partition_keys) - previous_true(ctx)
        ready |= was_ready
    cursor = {k.to_user_string(): sorted(v, key=partition_order) for k, v in updated.items()}
    return result(ctx, candidates - ready, structured_cursor=cursor)
