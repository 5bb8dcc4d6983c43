"""Parity scenarios: evaluating automation conditions across successive evaluations.

Each scenario defines assets, then alternates materializations and
``evaluate_automation_conditions`` calls at fixed evaluation times, carrying the cursor, and
records what each evaluation requested.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from _harness import IMPL, dg, scenario

AC = dg.AutomationCondition
UTC = datetime.timezone.utc
T0 = datetime.datetime(2024, 1, 5, 10, 30, tzinfo=UTC)
DAILY = dg.DailyPartitionsDefinition(start_date="2024-01-01")
ABC = dg.StaticPartitionsDefinition(["a", "b", "c"])


class Ticks:
    """Evaluates ``defs`` again and again, carrying the cursor, recording each result."""

    def __init__(self, obs: Any, defs: Any, keys: Sequence[str], **kwargs: Any) -> None:
        self.obs, self.defs, self.keys, self.kwargs = obs, defs, keys, kwargs
        self.instance = dg.DagsterInstance.ephemeral()
        self.cursor: Any = None
        self.n = 0

    def tick(self, minutes: float = 0, defs: Any = None) -> Any:
        self.n += 1
        result = dg.evaluate_automation_conditions(
            defs=defs or self.defs,
            instance=self.instance,
            evaluation_time=T0 + datetime.timedelta(minutes=minutes),
            cursor=self.cursor,
            **self.kwargs,
        )
        self.cursor = result.cursor
        requested = {
            k: sorted(
                "-" if p is None else p for p in result.get_requested_partitions(dg.AssetKey(k))
            )
            for k in self.keys
        }
        self.obs.record(
            f"tick{self.n}",
            {
                "total": result.total_requested,
                "requested": {k: v for k, v in requested.items() if v},
            },
        )
        return result

    def materialize(self, assets: Sequence[Any], **kwargs: Any) -> None:
        dg.materialize(list(assets), instance=self.instance, **kwargs)


def _noop() -> None:
    return None


@scenario
def eager_missing_asset_requested_once(obs):
    @dg.asset(automation_condition=AC.eager())
    def a(): ...

    t = Ticks(obs, [a], ["a"])
    t.tick(0)
    t.tick(1)
    t.tick(2)


@scenario
def eager_waits_for_missing_parent_then_requests_on_update(obs):
    @dg.asset
    def up(): ...

    @dg.asset(deps=[up], automation_condition=AC.eager())
    def down(): ...

    t = Ticks(obs, [up, down], ["up", "down"])
    t.tick(0)
    t.materialize([up])
    t.tick(1)
    t.tick(2)
    t.materialize([down])
    t.tick(3)
    t.materialize([up])
    t.tick(4)
    t.tick(5)


@scenario
def eager_ignores_parent_updated_in_the_same_run(obs):
    @dg.asset
    def up(): ...

    @dg.asset(deps=[up], automation_condition=AC.eager())
    def down(): ...

    t = Ticks(obs, [up, down], ["up", "down"])
    t.materialize([up, down])
    t.tick(0)
    t.materialize([up, down])
    t.tick(1)
    t.materialize([up])
    t.tick(2)


@scenario
def eager_chain_requests_child_with_parent(obs):
    @dg.asset(automation_condition=AC.eager())
    def a(): ...

    @dg.asset(deps=[a], automation_condition=AC.eager())
    def b(): ...

    @dg.asset(deps=[b], automation_condition=AC.eager())
    def c(): ...

    t = Ticks(obs, [a, b, c], ["a", "b", "c"])
    t.tick(0)
    t.tick(1)
    t.materialize([a, b, c])
    t.tick(2)
    t.materialize([a])
    t.tick(3)


@scenario
def eager_in_progress_dependency_blocks(obs):
    @dg.asset
    def up(): ...

    @dg.asset(deps=[up], automation_condition=AC.eager())
    def down(): ...

    t = Ticks(obs, [up, down], ["down"])
    t.materialize([up])
    t.tick(0)
    t.tick(1)


@scenario
def on_missing_requests_once_when_parents_exist(obs):
    @dg.asset
    def up(): ...

    @dg.asset(deps=[up], automation_condition=AC.on_missing())
    def down(): ...

    t = Ticks(obs, [up, down], ["down"])
    t.tick(0)
    t.materialize([up])
    t.tick(1)
    t.tick(2)
    t.materialize([up])
    t.tick(3)


@scenario
def on_missing_root_asset(obs):
    @dg.asset(automation_condition=AC.on_missing())
    def a(): ...

    t = Ticks(obs, [a], ["a"])
    t.tick(0)
    t.tick(1)
    t.materialize([a])
    t.tick(2)


@scenario
def missing_is_true_until_materialized(obs):
    @dg.asset(automation_condition=AC.missing())
    def a(): ...

    t = Ticks(obs, [a], ["a"])
    t.tick(0)
    t.tick(1)
    t.materialize([a])
    t.tick(2)


@scenario
def newly_missing_only_on_first_evaluation(obs):
    @dg.asset(automation_condition=AC.newly_missing())
    def a(): ...

    t = Ticks(obs, [a], ["a"])
    t.tick(0)
    t.tick(1)


@scenario
def newly_true_of_not_missing_fires_once_after_materialization(obs):
    @dg.asset(automation_condition=(~AC.missing()).newly_true())
    def a(): ...

    t = Ticks(obs, [a], ["a"])
    t.tick(0)
    t.materialize([a])
    t.tick(1)
    t.tick(2)
    t.materialize([a])
    t.tick(3)


@scenario
def on_cron_not_requested_on_first_evaluation(obs):
    @dg.asset(automation_condition=AC.on_cron("0 * * * *"))
    def a(): ...

    t = Ticks(obs, [a], ["a"])
    t.tick(0)
    t.tick(10)
    t.tick(40)
    t.tick(50)
    t.tick(95)


@scenario
def on_cron_waits_for_parent_updated_since_tick(obs):
    @dg.asset
    def up(): ...

    @dg.asset(deps=[up], automation_condition=AC.on_cron("0 * * * *"))
    def down(): ...

    t = Ticks(obs, [up, down], ["down"])
    t.tick(0)
    t.materialize([up])
    t.tick(10)
    t.tick(40)
    t.materialize([up])
    t.tick(45)
    t.tick(50)


@scenario
def on_cron_daily_in_a_timezone(obs):
    @dg.asset(automation_condition=AC.on_cron("0 12 * * *", "Europe/Paris"))
    def a(): ...

    t = Ticks(obs, [a], ["a"])
    t.tick(0)
    t.tick(30)
    t.tick(60)
    t.tick(60 * 24)


@scenario
def cron_tick_passed_true_once_per_tick(obs):
    @dg.asset(automation_condition=AC.cron_tick_passed("*/15 * * * *"))
    def a(): ...

    t = Ticks(obs, [a], ["a"])
    t.tick(0)
    t.tick(5)
    t.tick(20)
    t.tick(50)
    t.tick(51)


@scenario
def newly_updated_true_after_a_materialization(obs):
    @dg.asset(automation_condition=AC.newly_updated())
    def a(): ...

    t = Ticks(obs, [a], ["a"])
    t.materialize([a])
    t.tick(0)
    t.materialize([a])
    t.tick(1)
    t.tick(2)


@scenario
def newly_requested_skips_the_evaluation_after_a_request(obs):
    @dg.asset(automation_condition=AC.missing() & ~AC.newly_requested())
    def a(): ...

    t = Ticks(obs, [a], ["a"])
    t.tick(0)
    t.tick(1)
    t.tick(2)
    t.tick(3)


@scenario
def since_holds_from_trigger_until_reset(obs):
    cond = AC.cron_tick_passed("0 * * * *").since(AC.newly_updated())

    @dg.asset(automation_condition=cond)
    def a(): ...

    t = Ticks(obs, [a], ["a"])
    t.tick(0)
    t.tick(40)
    t.tick(45)
    t.materialize([a])
    t.tick(50)
    t.tick(55)


@scenario
def initial_evaluation_only_first(obs):
    @dg.asset(automation_condition=AC.initial_evaluation())
    def a(): ...

    t = Ticks(obs, [a], ["a"])
    t.tick(0)
    t.tick(1)


@scenario
def code_version_change_requests_once(obs):
    @dg.asset(code_version="1", automation_condition=AC.code_version_changed())
    def a(): ...

    @dg.asset(code_version="2", automation_condition=AC.code_version_changed(), name="a")
    def a2(): ...

    t = Ticks(obs, [a], ["a"])
    t.tick(0)
    t.tick(1)
    t.tick(2, defs=[a2])
    t.tick(3, defs=[a2])


@scenario
def any_deps_missing_and_updated_as_conditions(obs):
    @dg.asset
    def up(): ...

    @dg.asset(deps=[up], automation_condition=AC.any_deps_missing())
    def miss(): ...

    @dg.asset(deps=[up], automation_condition=AC.any_deps_updated())
    def upd(): ...

    t = Ticks(obs, [up, miss, upd], ["miss", "upd"])
    t.tick(0)
    t.materialize([up])
    t.tick(1)
    t.tick(2)


@scenario
def any_deps_match_with_allow(obs):
    @dg.asset
    def x(): ...

    @dg.asset
    def y(): ...

    cond = AC.any_deps_match(AC.newly_updated()).allow(dg.AssetSelection.assets("x"))

    @dg.asset(deps=[x, y], automation_condition=cond)
    def z(): ...

    t = Ticks(obs, [x, y, z], ["z"])
    t.tick(0)
    t.materialize([y])
    t.tick(1)
    t.materialize([x])
    t.tick(2)


@scenario
def any_deps_match_with_ignore(obs):
    @dg.asset
    def x(): ...

    @dg.asset
    def y(): ...

    cond = AC.any_deps_match(AC.missing()).ignore(dg.AssetSelection.assets("y"))

    @dg.asset(deps=[x, y], automation_condition=cond)
    def z(): ...

    t = Ticks(obs, [x, y, z], ["z"])
    t.tick(0)
    t.materialize([x])
    t.tick(1)


@scenario
def all_deps_match_missing(obs):
    @dg.asset
    def x(): ...

    @dg.asset
    def y(): ...

    @dg.asset(deps=[x, y], automation_condition=AC.all_deps_match(~AC.missing()))
    def z(): ...

    t = Ticks(obs, [x, y, z], ["z"])
    t.tick(0)
    t.materialize([x])
    t.tick(1)
    t.materialize([y])
    t.tick(2)


@scenario
def all_deps_updated_since_cron(obs):
    @dg.asset
    def x(): ...

    @dg.asset
    def y(): ...

    cond = AC.all_deps_updated_since_cron("0 * * * *")

    @dg.asset(deps=[x, y], automation_condition=cond)
    def z(): ...

    t = Ticks(obs, [x, y, z], ["z"])
    t.tick(0)
    t.tick(40)
    t.materialize([x])
    t.tick(42)
    t.materialize([y])
    t.tick(44)
    t.tick(46)


@scenario
def will_be_requested_of_a_parent(obs):
    @dg.asset(automation_condition=AC.missing())
    def up(): ...

    @dg.asset(deps=[up], automation_condition=AC.any_deps_match(AC.will_be_requested()))
    def down(): ...

    t = Ticks(obs, [up, down], ["up", "down"])
    t.tick(0)
    t.materialize([up])
    t.tick(1)


@scenario
def boolean_operators_combine(obs):
    @dg.asset
    def up(): ...

    @dg.asset(deps=[up], automation_condition=AC.missing() | AC.any_deps_updated())
    def either(): ...

    @dg.asset(deps=[up], automation_condition=~AC.missing() & ~AC.any_deps_missing())
    def both(): ...

    t = Ticks(obs, [up, either, both], ["either", "both"])
    t.tick(0)
    t.materialize([up, either, both])
    t.tick(1)
    t.materialize([up])
    t.tick(2)


@scenario
def in_progress_false_when_runs_finished(obs):
    @dg.asset(automation_condition=AC.missing() & ~AC.in_progress())
    def a(): ...

    @dg.asset(automation_condition=AC.in_progress())
    def b(): ...

    t = Ticks(obs, [a, b], ["a", "b"])
    t.tick(0)
    t.materialize([b])
    t.tick(1)


@scenario
def execution_failed_after_a_failed_run(obs):
    @dg.asset(automation_condition=AC.execution_failed())
    def flaky():
        raise ValueError("no")

    t = Ticks(obs, [flaky], ["flaky"])
    t.tick(0)
    t.materialize([flaky], raise_on_error=False)
    t.tick(1)
    t.tick(2)


@scenario
def any_checks_match_check_failed(obs):
    @dg.asset(
        check_specs=[dg.AssetCheckSpec("positive", asset="a")],
        automation_condition=AC.any_checks_match(AC.check_failed()),
    )
    def a():
        yield dg.Output(1)
        yield dg.AssetCheckResult(passed=False)

    t = Ticks(obs, [a], ["a"])
    t.tick(0)
    t.materialize([a])
    t.tick(1)


@scenario
def checks_match_passed_and_missing(obs):
    @dg.asset(
        check_specs=[dg.AssetCheckSpec("ok", asset="a")],
        automation_condition=AC.all_checks_match(AC.check_passed()),
    )
    def a():
        yield dg.Output(1)
        yield dg.AssetCheckResult(passed=True)

    @dg.asset(
        check_specs=[dg.AssetCheckSpec("ok", asset="b")],
        automation_condition=AC.any_checks_match(AC.missing()),
    )
    def b():
        yield dg.Output(1)
        yield dg.AssetCheckResult(passed=True)

    t = Ticks(obs, [a, b], ["a", "b"])
    t.tick(0)
    t.materialize([a, b])
    t.tick(1)


@scenario
def daily_partitions_missing_in_latest_window(obs):
    @dg.asset(partitions_def=DAILY, automation_condition=AC.missing() & AC.in_latest_time_window())
    def d(): ...

    t = Ticks(obs, [d], ["d"])
    t.tick(0)
    t.materialize([d], partition_key="2024-01-04")
    t.tick(1)
    t.tick(60 * 24)


@scenario
def daily_partitions_missing_with_lookback(obs):
    cond = AC.missing() & AC.in_latest_time_window(datetime.timedelta(days=2))

    @dg.asset(partitions_def=DAILY, automation_condition=cond)
    def d(): ...

    t = Ticks(obs, [d], ["d"])
    t.tick(0)


@scenario
def daily_partitions_all_missing(obs):
    @dg.asset(partitions_def=DAILY, automation_condition=AC.missing())
    def d(): ...

    t = Ticks(obs, [d], ["d"])
    t.tick(0)
    t.materialize([d], partition_key="2024-01-02")
    t.tick(1)


@scenario
def eager_daily_partitioned_requests_new_partition(obs):
    @dg.asset(partitions_def=DAILY, automation_condition=AC.eager())
    def d(): ...

    t = Ticks(obs, [d], ["d"])
    t.tick(0)
    t.tick(1)
    t.materialize([d], partition_key="2024-01-04")
    t.tick(2)
    t.tick(60 * 24)


@scenario
def eager_daily_child_follows_parent_partition(obs):
    @dg.asset(partitions_def=DAILY)
    def up(): ...

    @dg.asset(partitions_def=DAILY, deps=[up], automation_condition=AC.eager())
    def down(): ...

    t = Ticks(obs, [up, down], ["down"])
    t.tick(0)
    t.materialize([up], partition_key="2024-01-04")
    t.tick(1)
    t.tick(2)
    t.materialize([up], partition_key="2024-01-03")
    t.tick(3)


@scenario
def static_partitions_missing_each(obs):
    @dg.asset(partitions_def=ABC, automation_condition=AC.missing())
    def s(): ...

    t = Ticks(obs, [s], ["s"])
    t.tick(0)
    t.materialize([s], partition_key="b")
    t.tick(1)


@scenario
def static_partitions_eager_child_follows_parent(obs):
    @dg.asset(partitions_def=ABC)
    def up(): ...

    @dg.asset(partitions_def=ABC, deps=[up], automation_condition=AC.eager())
    def down(): ...

    t = Ticks(obs, [up, down], ["down"])
    t.tick(0)
    t.materialize([up], partition_key="a")
    t.tick(1)
    t.materialize([up], partition_key="c")
    t.materialize([down], partition_key="a")
    t.tick(2)


@scenario
def unpartitioned_child_of_static_parent(obs):
    @dg.asset(partitions_def=ABC)
    def up(): ...

    @dg.asset(deps=[up], automation_condition=AC.any_deps_updated())
    def down(): ...

    t = Ticks(obs, [up, down], ["down"])
    t.tick(0)
    t.materialize([up], partition_key="a")
    t.tick(1)
    t.tick(2)


@scenario
def run_tags_conditions(obs):
    @dg.asset(automation_condition=AC.executed_with_tags(tag_keys={"team"}))
    def a(): ...

    cond = AC.any_new_update_has_run_tags(tag_values={"team": "x"})

    @dg.asset(automation_condition=cond)
    def b(): ...

    t = Ticks(obs, [a, b], ["a", "b"])
    t.tick(0)
    t.materialize([a, b], tags={"team": "x"})
    t.tick(1)
    t.tick(2)
    t.materialize([a, b])
    t.tick(3)


@scenario
def asset_selection_limits_evaluation(obs):
    @dg.asset(automation_condition=AC.missing())
    def a(): ...

    @dg.asset(automation_condition=AC.missing())
    def b(): ...

    t = Ticks(obs, [a, b], ["a", "b"], asset_selection=dg.AssetSelection.assets("b"))
    t.tick(0)


@scenario
def definitions_object_and_results(obs):
    @dg.asset(automation_condition=AC.missing())
    def a(): ...

    @dg.asset
    def plain(): ...

    @dg.asset(deps=[a], automation_condition=AC.eager())
    def b(): ...

    defs = dg.Definitions(assets=[a, plain, b])
    t = Ticks(obs, defs, ["a", "b", "plain"])
    result = t.tick(0)
    obs.record(
        "results",
        [[r.key, r.true_subset.size, type(r.condition).__name__] for r in result.results],
    )
    obs.record("num_a", result.get_num_requested(dg.AssetKey("a")))
    obs.record("num_plain", result.get_num_requested(dg.AssetKey("plain")))


@scenario
def custom_condition_subclass(obs):
    class EvenHour(dg.AutomationCondition):
        @property
        def name(self) -> str:
            return "even_hour"

        def evaluate(self, context):
            if context.evaluation_time.hour % 2 == 0:
                true = context.candidate_subset
            else:
                true = context.get_empty_subset()
            return dg.AutomationResult(context=context, true_subset=true)

    @dg.asset(automation_condition=EvenHour() & AC.missing())
    def a(): ...

    t = Ticks(obs, [a], ["a"])
    t.tick(0)
    t.tick(60)
    t.materialize([a])
    t.tick(120)


@scenario
def custom_condition_reads_previous_state(obs):
    class EveryOther(dg.AutomationCondition):
        def evaluate(self, context):
            fire = context.cursor != "fired"
            true = context.candidate_subset if fire else context.get_empty_subset()
            return dg.AutomationResult(
                context=context, true_subset=true, cursor="fired" if fire else "rested"
            )

    @dg.asset(automation_condition=EveryOther())
    def a(): ...

    t = Ticks(obs, [a], ["a"])
    t.tick(0)
    t.tick(1)
    t.tick(2)
    t.tick(3)


@scenario
def evaluate_automation_conditions_signature(obs):
    obs.signature("evaluate", dg.evaluate_automation_conditions)
    obs.signature("result", dg.AutomationResult)


@scenario
def condition_sensor_cannot_be_called(obs):
    s = dg.AutomationConditionSensorDefinition("s", target=dg.AssetSelection.all())
    ctx = dg.build_sensor_context()
    obs.raises(lambda: s(ctx), "Automation condition sensors cannot be evaluated")


# -- the deprecated AutoMaterializePolicy and AutoMaterializeRule, as values -------------------

AMP = dg.AutoMaterializePolicy
AMR = dg.AutoMaterializeRule


def _policy_tree(c: Any) -> Any:
    """A condition tree with rule nodes shown by their rule's class."""
    rule = getattr(c, "rule", None)
    shown = type(rule).__name__ if rule is not None else c.name
    return [type(c).__name__, shown, c.description, [_policy_tree(x) for x in c.children]]


def _rules(rules: Any) -> list[str]:
    return sorted(repr(r) for r in rules)


@scenario
def policy_eager_and_lazy_values(obs):
    for name in ("eager", "lazy"):
        p = getattr(AMP, name)()
        obs.record(f"{name}_rules", _rules(p.rules))
        obs.record(f"{name}_materialize", _rules(p.materialize_rules))
        obs.record(f"{name}_skip", _rules(p.skip_rules))
        obs.record(f"{name}_type", p.policy_type.name)
        obs.record(f"{name}_limit", p.max_materializations_per_minute)
    obs.record("equal", AMP.eager() == AMP.eager())
    obs.record(
        "unlimited", AMP.eager(max_materializations_per_minute=None).max_materializations_per_minute
    )


@scenario
def policy_to_automation_condition_tree(obs):
    obs.record("eager", _policy_tree(AMP.eager().to_automation_condition()))
    obs.record("lazy", _policy_tree(AMP.lazy(None).to_automation_condition()))


@scenario
def policy_with_and_without_rules(obs):
    cron = AMR.materialize_on_cron("0 * * * *")
    p = AMP.eager().with_rules(cron).without_rules(AMR.materialize_on_missing())
    obs.record("rules", _rules(p.rules))
    obs.record("type", p.policy_type.name)
    q = p.with_rules(AMR.materialize_on_cron("@daily", timezone="Europe/Paris"))
    obs.record("replaced", _rules(q.materialize_rules))
    obs.raises(
        lambda: AMP.lazy().without_rules(AMR.materialize_on_missing()),
        "do not exist in this policy",
    )


@scenario
def policy_from_automation_condition(obs):
    p = AMP.from_automation_condition(AC.eager())
    obs.record("rules", _rules(p.rules))
    obs.record("limit", p.max_materializations_per_minute)
    obs.record("type", p.policy_type.name)
    obs.record("same_condition", p.to_automation_condition() == AC.eager())


@scenario
def rule_values_and_descriptions(obs):
    rules = [
        AMR.materialize_on_missing(),
        AMR.materialize_on_parent_updated(),
        AMR.materialize_on_required_for_freshness(),
        AMR.materialize_on_cron("0 9 * * *", timezone="US/Central", all_partitions=True),
        AMR.skip_on_parent_outdated(),
        AMR.skip_on_parent_missing(),
        AMR.skip_on_not_all_parents_updated(True),
        AMR.skip_on_not_all_parents_updated_since_cron("@daily"),
        AMR.skip_on_required_but_nonexistent_parents(),
        AMR.skip_on_backfill_in_progress(all_partitions=True),
        AMR.skip_on_run_in_progress(),
    ]
    obs.record(
        "rules",
        [[repr(r), r.decision_type.name, r.description, r.to_snapshot().class_name] for r in rules],
    )
    obs.record("conditions", [_policy_tree(r.to_asset_condition()) for r in rules[:2]])
    obs.record("equal", AMR.materialize_on_missing() == AMR.materialize_on_missing())
    f = dg.AutoMaterializeAssetPartitionsFilter(latest_run_required_tags={"team": "a"})
    obs.record("filter", repr(AMR.materialize_on_parent_updated(updated_parent_filter=f)))


@scenario
def asset_auto_materialize_policy_param_becomes_condition(obs):
    @dg.asset(auto_materialize_policy=AMP.eager())
    def a(): ...

    condition = a.automation_conditions_by_key[dg.AssetKey("a")]
    obs.record("tree", _policy_tree(condition))
    spec = dg.AssetSpec("s", auto_materialize_policy=AMP.lazy())
    obs.record("spec_tree", _policy_tree(spec.automation_condition))

    def both():
        @dg.asset(auto_materialize_policy=AMP.eager(), automation_condition=AC.eager())
        def b(): ...

    obs.raises(both, "Cannot supply both `automation_condition` and `auto_materialize_policy`")


# -- more shapes of graphs and partitions ------------------------------------------------------


@scenario
def eager_child_reads_previous_day_through_offset_mapping(obs):
    @dg.asset(partitions_def=DAILY)
    def up(): ...

    mapping = dg.TimeWindowPartitionMapping(start_offset=-1, end_offset=-1)

    @dg.asset(
        partitions_def=DAILY,
        deps=[dg.AssetDep(up, partition_mapping=mapping)],
        automation_condition=AC.eager(),
    )
    def down(): ...

    t = Ticks(obs, [up, down], ["down"])
    t.tick(0)
    t.materialize([up], partition_key="2024-01-03")
    t.tick(1)
    t.materialize([up], partition_key="2024-01-04")
    t.tick(2)


@scenario
def daily_child_of_hourly_parent(obs):
    hourly = dg.HourlyPartitionsDefinition(start_date="2024-01-04-00:00")

    @dg.asset(partitions_def=hourly)
    def up(): ...

    @dg.asset(partitions_def=DAILY, deps=[up], automation_condition=AC.any_deps_updated())
    def down(): ...

    t = Ticks(obs, [up, down], ["down"])
    t.tick(0)
    t.materialize([up], partition_key="2024-01-04-05:00")
    t.tick(1)


@scenario
def dynamic_partitions_missing(obs):
    fruits = dg.DynamicPartitionsDefinition(name="fruits")

    @dg.asset(partitions_def=fruits, automation_condition=AC.missing())
    def f(): ...

    t = Ticks(obs, [f], ["f"])
    t.tick(0)
    t.instance.add_dynamic_partitions("fruits", ["apple", "pear"])
    t.tick(1)
    t.materialize([f], partition_key="pear")
    t.tick(2)


@scenario
def on_cron_daily_partitioned_asset(obs):
    @dg.asset(partitions_def=DAILY, automation_condition=AC.on_cron("0 0 * * *"))
    def d(): ...

    t = Ticks(obs, [d], ["d"])
    t.tick(0)
    t.tick(60 * 14)
    t.tick(60 * 15)
    t.tick(60 * 24 * 2)


@scenario
def execution_failed_partition(obs):
    @dg.asset(partitions_def=ABC, automation_condition=AC.execution_failed())
    def s(context):
        if context.partition_key == "b":
            raise ValueError("no")

    t = Ticks(obs, [s], ["s"])
    t.materialize([s], partition_key="a")
    t.materialize([s], partition_key="b", raise_on_error=False)
    t.tick(0)
    t.materialize([s], partition_key="b", raise_on_error=False)
    t.tick(1)


@scenario
def condition_replace_and_without(obs):
    eager = AC.eager()
    replaced = eager.replace("in_latest_time_window", AC.initial_evaluation())
    trimmed = eager.without(~AC.in_progress())

    @dg.asset(automation_condition=replaced)
    def a(): ...

    @dg.asset(automation_condition=trimmed)
    def b(): ...

    t = Ticks(obs, [a, b], ["a", "b"])
    t.tick(0)
    t.tick(1)


@scenario
def multi_asset_outs_carry_conditions(obs):
    @dg.multi_asset(
        outs={
            "x": dg.AssetOut(automation_condition=AC.missing()),
            "y": dg.AssetOut(automation_condition=AC.newly_updated()),
        },
        can_subset=True,
    )
    def xy(context):
        for key in sorted(context.selected_output_names):
            yield dg.Output(None, key)

    t = Ticks(obs, [xy], ["x", "y"])
    t.tick(0)
    t.materialize([xy])
    t.tick(1)
    t.tick(2)


@scenario
def all_deps_blocking_checks_passed(obs):
    @dg.asset(check_specs=[dg.AssetCheckSpec("ok", asset="up", blocking=True)])
    def up():
        yield dg.Output(1)
        yield dg.AssetCheckResult(passed=False)

    cond = AC.all_deps_blocking_checks_passed()

    @dg.asset(deps=[up], automation_condition=cond)
    def down(): ...

    t = Ticks(obs, [up, down], ["down"])
    t.tick(0)
    t.materialize([up], raise_on_error=False)
    t.tick(1)


@scenario
def allow_by_group_selection(obs):
    @dg.asset(group_name="raw")
    def x(): ...

    @dg.asset(group_name="other")
    def y(): ...

    cond = AC.any_deps_updated().allow(dg.AssetSelection.groups("raw"))

    @dg.asset(deps=[x, y], automation_condition=cond)
    def z(): ...

    t = Ticks(obs, [x, y, z], ["z"])
    t.tick(0)
    t.materialize([y])
    t.tick(1)
    t.materialize([x])
    t.tick(2)


@scenario
def asset_matches_another_asset(obs):
    @dg.asset
    def other(): ...

    @dg.asset(automation_condition=AC.asset_matches("other", AC.newly_updated()))
    def a(): ...

    t = Ticks(obs, [other, a], ["a"])
    t.tick(0)
    t.materialize([other])
    t.tick(1)
    t.tick(2)


@scenario
def policy_backed_asset_is_evaluated(obs):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)

        @dg.asset(auto_materialize_policy=AMP.eager())
        def a(): ...

    t = Ticks(obs, [a], ["a"])
    t.tick(0)
    t.tick(1)


def _policy_asset(name: str, deps: Sequence[Any] = (), policy: Any = None, **kwargs: Any) -> Any:
    """An asset with the deprecated ``auto_materialize_policy`` (its warnings silenced)."""
    import warnings

    def fn(): ...

    fn.__name__ = name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return dg.asset(name=name, deps=list(deps), auto_materialize_policy=policy, **kwargs)(fn)


def _quiet_policy(make: Any) -> Any:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return make()


@scenario
def policy_eager_chain_waits_for_missing_parent(obs):
    eager = _quiet_policy(AMP.eager)
    a = _policy_asset("a", policy=eager)
    b = _policy_asset("b", [a], eager)
    up = _policy_asset("up")
    c = _policy_asset("c", [up, b], eager)
    t = Ticks(obs, [a, b, up, c], ["a", "b", "up", "c"])
    t.tick(0)
    t.tick(1)
    t.materialize([a, b])
    t.tick(2)
    t.materialize([up])
    t.tick(3)
    t.materialize([c])
    t.tick(4)
    t.materialize([a])
    t.tick(5)
    t.tick(6)
    t.materialize([up])
    t.materialize([b])
    t.tick(7)


@scenario
def policy_eager_skips_while_parent_outdated(obs):
    eager = _quiet_policy(AMP.eager)
    up = _policy_asset("up")
    mid = _policy_asset("mid", [up])
    down = _policy_asset("down", [up, mid], eager)
    no_skip = _quiet_policy(lambda: eager.without_rules(AMR.skip_on_parent_outdated()))
    down2 = _policy_asset("down2", [up, mid], no_skip)
    t = Ticks(obs, [up, mid, down, down2], ["down", "down2"])
    t.tick(0)
    t.materialize([up, mid])
    t.tick(1)
    t.materialize([down, down2])
    t.tick(2)
    t.materialize([up])
    t.tick(3)
    t.tick(4)
    t.materialize([mid])
    t.tick(5)
    t.tick(6)


@scenario
def policy_lazy_requests_only_what_added_rules_ask(obs):
    up = _policy_asset("up")
    lazy = _policy_asset("lazy", [up], _quiet_policy(AMP.lazy))
    missing = _quiet_policy(lambda: AMP.lazy().with_rules(AMR.materialize_on_missing()))
    lazy_missing = _policy_asset("lazy_missing", [up], missing)
    t = Ticks(obs, [up, lazy, lazy_missing], ["up", "lazy", "lazy_missing"])
    t.tick(0)
    t.materialize([up])
    t.tick(1)
    t.tick(2)
    t.materialize([up])
    t.tick(3)


@scenario
def policy_with_added_and_removed_rules(obs):
    p1 = _policy_asset("p1")
    p2 = _policy_asset("p2")
    every_parent = _quiet_policy(
        lambda: (
            AMP.eager()
            .with_rules(AMR.skip_on_not_all_parents_updated())
            .without_rules(AMR.materialize_on_missing())
        )
    )
    d = _policy_asset("d", [p1, p2], every_parent)
    every_partition = _quiet_policy(
        lambda: AMP.eager().with_rules(AMR.skip_on_not_all_parents_updated(True))
    )
    e = _policy_asset("e", [p1, p2], every_partition)
    no_missing_skip = _quiet_policy(
        lambda: (
            AMP.eager()
            .with_rules(AMR.skip_on_run_in_progress())
            .without_rules(AMR.skip_on_parent_missing())
        )
    )
    f = _policy_asset("f", [p1, p2], no_missing_skip)
    t = Ticks(obs, [p1, p2, d, e, f], ["d", "e", "f"])
    t.tick(0)
    t.materialize([p1])
    t.tick(1)
    t.materialize([p2])
    t.tick(2)
    t.materialize([d, e, f])
    t.tick(3)
    t.materialize([p1])
    t.tick(4)
    t.materialize([p2])
    t.tick(5)
    t.tick(6)


@scenario
def policy_rate_limit_discards_older_partitions(obs):
    limited = _quiet_policy(lambda: AMP.eager(max_materializations_per_minute=2))
    a = _policy_asset("a", policy=limited, partitions_def=DAILY)
    unlimited = _quiet_policy(lambda: AMP.eager(max_materializations_per_minute=None))
    b = _policy_asset("b", [a], unlimited, partitions_def=DAILY)
    t = Ticks(obs, [a, b], ["a", "b"])
    t.tick(0)
    t.tick(1)
    t.tick(2)
    t.materialize([a], partition_key="2024-01-01")
    t.tick(3)


@scenario
def policy_partitioned_parent_and_unpartitioned_child(obs):
    up = _policy_asset("up", partitions_def=DAILY)
    eager = _quiet_policy(lambda: AMP.eager(max_materializations_per_minute=None))
    down = _policy_asset("down", [up], eager, partitions_def=DAILY)
    agg = _policy_asset("agg", [up], _quiet_policy(AMP.eager))
    t = Ticks(obs, [up, down, agg], ["down", "agg"])
    t.tick(0)
    t.materialize([up], partition_key="2024-01-02")
    t.tick(1)
    t.tick(2)
    t.materialize([up], partition_key="2024-01-04")
    t.tick(3)
    t.tick(60 * 24)


@scenario
def policy_cron_rules(obs):
    hourly = _quiet_policy(
        lambda: (
            AMP.eager()
            .with_rules(AMR.materialize_on_cron("0 * * * *"))
            .without_rules(AMR.materialize_on_missing())
        )
    )
    a = _policy_asset("a", policy=hourly, partitions_def=DAILY)
    noon = _quiet_policy(lambda: AMP.lazy().with_rules(AMR.materialize_on_cron("0 12 * * *")))
    b = _policy_asset("b", policy=noon)
    p = _policy_asset("p")
    since_cron = _quiet_policy(
        lambda: AMP.eager().with_rules(AMR.skip_on_not_all_parents_updated_since_cron("0 * * * *"))
    )
    d = _policy_asset("d", [p], since_cron)
    t = Ticks(obs, [a, b, p, d], ["a", "b", "d"])
    t.tick(0)
    t.materialize([p])
    t.tick(10)
    t.materialize([a], partition_key="2024-01-04")
    t.tick(40)
    t.materialize([d])
    t.tick(41)
    t.materialize([p])
    t.tick(42)
    t.tick(100)
    t.materialize([b])
    t.tick(120)


@scenario
def policy_cron_all_partitions_and_partitioned_child(obs):
    every = _quiet_policy(
        lambda: AMP.lazy(None).with_rules(AMR.materialize_on_cron("0 * * * *", all_partitions=True))
    )
    z = _policy_asset("z", policy=every, partitions_def=DAILY)
    w = _policy_asset("w", [z], _quiet_policy(lambda: AMP.eager(None)), partitions_def=DAILY)
    t = Ticks(obs, [z, w], ["z", "w"])
    t.tick(0)
    t.materialize([z], partition_key="2024-01-02")
    t.tick(1)
    t.tick(40)
    t.tick(41)
    t.tick(60 * 14)


@scenario
def policy_with_unexecutable_and_observable_parents(obs):
    src = dg.AssetSpec("src")
    eager = _quiet_policy(AMP.eager)
    x = _policy_asset("x", [src], eager)

    @dg.observable_source_asset
    def watched():
        return dg.DataVersion("1")

    y = _policy_asset("y", [watched], eager)
    t = Ticks(obs, [src, x, watched, y], ["x", "y"])
    t.tick(0)
    t.tick(1)
    t.materialize([x])
    t.tick(2)


@scenario
def any_downstream_conditions_is_evaluated(obs):
    @dg.asset(automation_condition=AC.any_downstream_conditions())
    def up(): ...

    @dg.asset(deps=[up], automation_condition=AC.missing())
    def down(): ...

    t = Ticks(obs, [up, down], ["up", "down"])
    t.tick(0)


@scenario
def eager_unpartitioned_child_of_daily_parent(obs):
    @dg.asset(partitions_def=DAILY)
    def up(): ...

    @dg.asset(deps=[up], automation_condition=AC.eager())
    def down(): ...

    t = Ticks(obs, [up, down], ["down"])
    t.tick(0)
    t.materialize([up], partition_key="2024-01-04")
    t.tick(1)
    for day in ("2024-01-01", "2024-01-02", "2024-01-03"):
        t.materialize([up], partition_key=day)
    t.tick(2)
    t.tick(3)


@scenario
def on_missing_static_partitions_with_parent(obs):
    @dg.asset(partitions_def=ABC)
    def up(): ...

    @dg.asset(partitions_def=ABC, deps=[up], automation_condition=AC.on_missing())
    def down(): ...

    t = Ticks(obs, [up, down], ["down"])
    t.tick(0)
    t.materialize([up], partition_key="a")
    t.materialize([up], partition_key="b")
    t.tick(1)
    t.tick(2)
    t.materialize([up], partition_key="c")
    t.tick(3)


@scenario
def hourly_eager_across_hours(obs):
    hourly = dg.HourlyPartitionsDefinition(start_date="2024-01-05-00:00")

    @dg.asset(partitions_def=hourly, automation_condition=AC.eager())
    def h(): ...

    t = Ticks(obs, [h], ["h"])
    t.tick(0)
    t.tick(20)
    t.tick(40)
    t.tick(95)


@scenario
def check_with_its_own_condition(obs):
    @dg.asset
    def a(): ...

    @dg.asset_check(asset=a, automation_condition=AC.any_deps_updated())
    def a_ok():
        return dg.AssetCheckResult(passed=True)

    spec = dg.AssetCheckSpec(
        "fresh", asset="b", automation_condition=AC.cron_tick_passed("0 * * * *")
    )

    @dg.asset(check_specs=[spec])
    def b():
        yield dg.Output(1)
        yield dg.AssetCheckResult(passed=True)

    t = Ticks(obs, [a, a_ok, b], ["a", "b"])
    result = t.tick(0)
    obs.record("checks1", sorted([r.key.name, r.true_subset.size] for r in result.results))
    t.materialize([a])
    result = t.tick(40)
    obs.record("checks2", sorted([r.key.name, r.true_subset.size] for r in result.results))
    result = t.tick(45)
    obs.record("checks3", sorted([r.key.name, r.true_subset.size] for r in result.results))


# -- backfills ---------------------------------------------------------------------------------
# A backfill is started through each implementation's own (non-public) API: the reference's
# `PartitionBackfill` added to the instance, headwater's record as `headwater backfill
# launch` writes it. No daemon works through them: what the conditions see is a requested
# backfill with nothing materialized yet, then the same backfill ended.


def _start_backfill(t: Ticks, defs: Any, select: Sequence[str], partitions: Sequence[str]) -> str:
    if IMPL == "dagster":
        from dagster._core.execution.backfill import PartitionBackfill

        backfill = PartitionBackfill.from_asset_partitions(
            backfill_id="bf",
            asset_graph=dg.Definitions(assets=defs).resolve_asset_graph(),
            partition_names=list(partitions),
            asset_selection=[dg.AssetKey(k) for k in select],
            backfill_timestamp=T0.timestamp(),
            tags={},
            dynamic_partitions_store=t.instance,
            all_partitions=False,
            title=None,
            description=None,
            run_config=None,
        )
        t.instance.add_backfill(backfill)
        return "bf"
    from headwater.daemon.backfills import launch_backfill, plan_backfill
    from headwater.location.code import CodePointer

    job, selection, final, units = plan_backfill(
        dg.Definitions(assets=defs),
        select=" ".join(select),
        partition_keys=list(partitions),
        instance=t.instance,
    )
    record = launch_backfill(
        t.instance,
        code=CodePointer(module_name="scenario_code"),
        job_name=job,
        asset_selection=selection,
        final_selection=final,
        units=units,
    )
    return record.backfill_id


def _end_backfill(t: Ticks, backfill_id: str, status: str) -> None:
    if IMPL == "dagster":
        from dagster._core.execution.backfill import BulkActionStatus

        ended = t.instance.get_backfill(backfill_id).with_status(BulkActionStatus[status])
        t.instance.update_backfill(ended)
        return
    from headwater.storage.backfills import update_backfill

    update_backfill(t.instance, backfill_id, only_from=("REQUESTED",), status=status)


@scenario
def backfill_in_progress_holds_eager_and_policies_until_it_ends(obs):
    @dg.asset(partitions_def=ABC)
    def up(): ...

    @dg.asset(partitions_def=ABC, deps=[up], automation_condition=AC.eager())
    def down(): ...

    @dg.asset(partitions_def=ABC, automation_condition=AC.backfill_in_progress())
    def probe(): ...

    @dg.asset(partitions_def=ABC, deps=[up], automation_condition=AC.in_progress())
    def not_backfilled(): ...

    eager = AMP.eager(max_materializations_per_minute=None)

    @dg.asset(partitions_def=ABC, deps=[up], auto_materialize_policy=eager)
    def legacy(): ...

    every = eager.with_rules(AMR.skip_on_backfill_in_progress(all_partitions=True))

    @dg.asset(partitions_def=ABC, deps=[up], auto_materialize_policy=every)
    def legacy_all(): ...

    assets = [up, down, probe, not_backfilled, legacy, legacy_all]
    t = Ticks(obs, assets, ["up", "down", "probe", "not_backfilled", "legacy", "legacy_all"])
    backfill_id = _start_backfill(t, assets, ["down", "probe", "legacy", "legacy_all"], ["a", "b"])
    t.tick(0)
    t.materialize([up], partition_key="a")
    t.materialize([up], partition_key="c")
    t.tick(1)
    t.tick(2)
    _end_backfill(t, backfill_id, "CANCELED")
    t.tick(3)
    t.tick(4)


@scenario
def backfill_in_progress_of_a_range_and_its_unpartitioned_asset(obs):
    policy = dg.BackfillPolicy.single_run()

    @dg.asset(
        partitions_def=DAILY, backfill_policy=policy, automation_condition=AC.backfill_in_progress()
    )
    def day(): ...

    @dg.asset(deps=[day], automation_condition=AC.backfill_in_progress())
    def report(): ...

    @dg.asset(deps=[report], automation_condition=AC.any_deps_in_progress())
    def after(): ...

    @dg.asset(partitions_def=DAILY, deps=[day], automation_condition=AC.any_deps_in_progress())
    def day_child(): ...

    assets = [day, report, after, day_child]
    t = Ticks(obs, assets, ["day", "report", "after", "day_child"])
    backfill_id = _start_backfill(t, assets, ["day", "report"], ["2024-01-02", "2024-01-03"])
    t.tick(0)
    _end_backfill(t, backfill_id, "COMPLETED_SUCCESS")
    t.tick(1)


@scenario
def backfill_skip_rule_holds_targeted_partitions_until_it_ends(obs):
    eager = AMP.eager(max_materializations_per_minute=None)

    @dg.asset(partitions_def=ABC)
    def up(): ...

    @dg.asset(partitions_def=ABC, deps=[up], auto_materialize_policy=eager)
    def legacy(): ...

    every = eager.with_rules(AMR.skip_on_backfill_in_progress(all_partitions=True))

    @dg.asset(partitions_def=ABC, deps=[up], auto_materialize_policy=every)
    def legacy_all(): ...

    assets = [up, legacy, legacy_all]
    t = Ticks(obs, assets, ["legacy", "legacy_all"])
    t.tick(0)
    backfill_id = _start_backfill(t, assets, ["legacy", "legacy_all"], ["a"])
    for p in "abc":
        t.materialize([up], partition_key=p)
    t.tick(1)
    # What one of the backfill's runs materializes: still targeted while it is requested.
    t.materialize([legacy, legacy_all], partition_key="a", tags={"dagster/backfill": backfill_id})
    t.tick(2)
    _end_backfill(t, backfill_id, "CANCELED")
    t.tick(3)
    t.tick(4)
