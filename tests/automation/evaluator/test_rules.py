"""The rules of the deprecated ``AutoMaterializePolicy``, evaluated over successive ticks
with materializations between them (the expected requests are the reference's)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import headwater as hw
from headwater.automation.evaluator.context import child_node_id, rule_node_id
from headwater.automation.policy import RuleCondition
from headwater.errors import InvariantViolationError, UnsupportedFeatureError

AMR = hw.AutoMaterializeRule
T0 = datetime(2024, 1, 5, 10, 30, tzinfo=timezone.utc)
DAILY = hw.DailyPartitionsDefinition(start_date="2024-01-01")


def _policy(make: Callable[[], Any]) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return make()


EAGER = _policy(hw.AutoMaterializePolicy.eager)


class Ticks:
    """Evaluates ``assets`` again and again, carrying the cursor."""

    def __init__(self, assets: Sequence[Any]) -> None:
        self.assets = list(assets)
        self.instance = hw.DagsterInstance.ephemeral()
        self.cursor: Any = None

    def tick(self, minutes: float = 0) -> dict[str, list[str | None]]:
        result = hw.evaluate_automation_conditions(
            defs=self.assets,
            instance=self.instance,
            evaluation_time=T0 + timedelta(minutes=minutes),
            cursor=self.cursor,
        )
        self.cursor = result.cursor
        found = {
            a.key.to_user_string(): result.get_requested_partitions(a.key) for a in self.assets
        }
        return {k: sorted(v, key=lambda p: p or "") for k, v in found.items() if v}

    def materialize(self, *assets: Any, partition_key: str | None = None) -> None:
        hw.materialize(list(assets), instance=self.instance, partition_key=partition_key)


def _asset(name: str, deps: Sequence[Any] = (), policy: Any = None, **kwargs: Any) -> Any:
    def fn() -> None: ...

    fn.__name__ = name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return hw.asset(deps=list(deps), auto_materialize_policy=policy, **kwargs)(fn)


def test_eager_policy_requests_missing_root_once_and_waits_for_missing_parent() -> None:
    a = _asset("a", policy=EAGER)
    b = _asset("b", [a], EAGER)
    up = _asset("up")
    c = _asset("c", [up, b], EAGER)
    t = Ticks([a, b, up, c])
    # b comes with a (its parent is requested now); c waits for the missing `up`.
    assert t.tick(0) == {"a": [None], "b": [None]}
    assert t.tick(1) == {}
    t.materialize(a, b)
    assert t.tick(2) == {}  # b came with a in one run: a is not newer than b
    t.materialize(up)
    assert t.tick(3) == {"c": [None]}
    t.materialize(c)
    assert t.tick(4) == {}
    t.materialize(a)
    assert t.tick(5) == {"b": [None], "c": [None]}
    assert t.tick(6) == {}


def test_skip_on_parent_outdated_waits_for_the_parent_to_catch_up() -> None:
    up = _asset("up")
    mid = _asset("mid", [up])
    down = _asset("down", [up, mid], EAGER)
    no_skip = _policy(lambda: EAGER.without_rules(AMR.skip_on_parent_outdated()))
    down2 = _asset("down2", [up, mid], no_skip)
    t = Ticks([up, mid, down, down2])
    t.tick(0)
    t.materialize(up, mid)
    assert t.tick(1) == {"down": [None], "down2": [None]}
    t.materialize(down, down2)
    t.tick(2)
    t.materialize(up)  # mid is now older than up: down waits for it, down2 does not
    assert t.tick(3) == {"down2": [None]}
    assert t.tick(4) == {}
    t.materialize(mid)
    assert t.tick(5) == {"down": [None], "down2": [None]}


def test_skip_on_not_all_parents_updated_waits_for_every_parent() -> None:
    p1, p2 = _asset("p1"), _asset("p2")
    policy = _policy(
        lambda: EAGER.with_rules(AMR.skip_on_not_all_parents_updated()).without_rules(
            AMR.materialize_on_missing()
        )
    )
    d = _asset("d", [p1, p2], policy)
    t = Ticks([p1, p2, d])
    assert t.tick(0) == {}
    t.materialize(p1, p2)
    assert t.tick(1) == {"d": [None]}
    t.materialize(d)
    t.tick(2)
    t.materialize(p1)
    assert t.tick(3) == {}
    t.materialize(p2)
    assert t.tick(4) == {"d": [None]}


def test_lazy_policy_requests_nothing_without_freshness_but_added_rules_apply() -> None:
    up = _asset("up")
    lazy = _asset("lazy", [up], _policy(hw.AutoMaterializePolicy.lazy))
    missing = _policy(
        lambda: hw.AutoMaterializePolicy.lazy().with_rules(AMR.materialize_on_missing())
    )
    lazy2 = _asset("lazy2", [up], missing)
    t = Ticks([up, lazy, lazy2])
    assert t.tick(0) == {}
    t.materialize(up)
    assert t.tick(1) == {"lazy2": [None]}
    assert t.tick(2) == {}


def test_rate_limit_keeps_newest_partitions_and_discards_the_rest_for_good() -> None:
    limited = _policy(lambda: hw.AutoMaterializePolicy.eager(max_materializations_per_minute=2))
    a = _asset("a", policy=limited, partitions_def=DAILY)
    t = Ticks([a])
    assert t.tick(0) == {"a": ["2024-01-03", "2024-01-04"]}
    assert t.tick(1) == {}
    assert t.tick(2) == {}


def test_materialize_on_cron_requests_once_per_tick() -> None:
    hourly = _policy(lambda: EAGER.with_rules(AMR.materialize_on_cron("0 * * * *")))
    cr = _asset("cr", policy=hourly)
    t = Ticks([cr])
    assert t.tick(0) == {"cr": [None]}
    t.materialize(cr)
    assert t.tick(1) == {}
    assert t.tick(40) == {"cr": [None]}  # 11:00 passed
    assert t.tick(41) == {}


def test_skip_until_parents_updated_since_cron() -> None:
    p1 = _asset("p1")
    policy = _policy(
        lambda: EAGER.with_rules(AMR.skip_on_not_all_parents_updated_since_cron("0 * * * *"))
    )
    d = _asset("d", [p1], policy)
    t = Ticks([p1, d])
    assert t.tick(0) == {}
    t.materialize(p1)
    assert t.tick(1) == {"d": [None]}
    assert t.tick(35) == {}
    t.materialize(p1)
    assert t.tick(36) == {"d": [None]}


def test_rule_nodes_keep_their_id_wherever_they_sit() -> None:
    node = RuleCondition(rule=AMR.skip_on_parent_missing())
    assert child_node_id(node, "x", 0, None) == child_node_id(node, "y", 3, None)
    assert child_node_id(node, "x", 0, None) == rule_node_id(node)
    other = RuleCondition(rule=AMR.skip_on_parent_outdated())
    assert rule_node_id(other) != rule_node_id(node)


def test_parent_filter_with_tags_is_refused_naming_the_replacement() -> None:
    filtered = _policy(
        lambda: hw.AutoMaterializePolicy.eager().with_rules(
            AMR.materialize_on_parent_updated(
                hw.AutoMaterializeAssetPartitionsFilter({"team": "a"})
            )
        )
    )
    up = _asset("up")
    down = _asset("down", [up], filtered)
    t = Ticks([up, down])
    t.materialize(up)
    with pytest.raises(UnsupportedFeatureError, match="executed_with_tags"):
        t.tick(0)


def test_run_in_progress_rule_refuses_partitioned_assets() -> None:
    policy = _policy(lambda: EAGER.with_rules(AMR.skip_on_run_in_progress()))
    a = _asset("a", policy=policy, partitions_def=DAILY)
    with pytest.raises(InvariantViolationError, match="only supported for unpartitioned"):
        Ticks([a]).tick(0)


def test_the_policys_rules_share_one_legacy_view_per_asset(monkeypatch: Any) -> None:
    # Each view re-derives which parents updated from every parent partition's events; the
    # eager policy's rules must share one per asset evaluation, not build one each.
    from headwater.automation.evaluator.legacy import LegacyView

    built: list[Any] = []

    def counting(ctx: Any) -> Any:
        built.append(ctx.root_context.key)
        return LegacyView(ctx)

    monkeypatch.setattr("headwater.automation.evaluator.rules.LegacyView", counting)
    up = _asset("up", policy=EAGER)
    down = _asset("down", [up], EAGER)
    t = Ticks([up, down])
    t.tick(0)
    assert sorted(k.to_user_string() for k in built) == ["down", "up"]
