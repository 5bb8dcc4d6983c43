"""Parity scenarios: AutomationCondition as a value (its evaluation comes with the daemon)."""

from typing import Any

from _harness import dg, scenario

AC = dg.AutomationCondition


def _tree(c: Any) -> Any:
    """A condition as nested [class, name, label, children]."""
    return [type(c).__name__, c.name, c.get_label(), [_tree(x) for x in c.children]]


def _constructor(name: str, *args: Any) -> Any:
    def run(obs: Any) -> None:
        c = getattr(AC, name)(*args)
        obs.record("tree", _tree(c))
        obs.record("label", c.label)
        obs.record("description", c.description)
        obs.record("is_condition", isinstance(c, AC))

    return run


for _name, _args in [
    ("eager", ()),
    ("on_cron", ("@daily",)),
    ("on_cron", ("0 * * * *", "Europe/Paris")),
    ("on_missing", ()),
    ("missing", ()),
    ("in_progress", ()),
    ("run_in_progress", ()),
    ("backfill_in_progress", ()),
    ("execution_failed", ()),
    ("newly_updated", ()),
    ("newly_requested", ()),
    ("newly_missing", ()),
    ("will_be_requested", ()),
    ("initial_evaluation", ()),
    ("in_latest_time_window", ()),
    ("any_deps_updated", ()),
    ("any_deps_missing", ()),
    ("any_deps_in_progress", ()),
    ("all_deps_updated_since_cron", ("@hourly",)),
    ("cron_tick_passed", ("@daily",)),
    ("code_version_changed", ()),
    ("data_version_changed", ()),
    ("any_downstream_conditions", ()),
    ("all_deps_blocking_checks_passed", ()),
    ("check_passed", ()),
    ("check_failed", ()),
]:
    _suffix = "_".join(
        str(a).replace("@", "").replace(" ", "").replace("*", "x").replace("/", "_") for a in _args
    )
    scenario(_constructor(_name, *_args), name=f"ctor_{_name}{'_' + _suffix if _suffix else ''}")


@scenario
def and_operator(obs):
    c = AC.missing() & AC.in_progress()
    obs.record("tree", _tree(c))


@scenario
def and_operator_flattens(obs):
    c = AC.missing() & AC.in_progress() & AC.newly_updated()
    obs.record("tree", _tree(c))


@scenario
def or_operator(obs):
    c = AC.missing() | AC.newly_updated() | AC.will_be_requested()
    obs.record("tree", _tree(c))


@scenario
def not_operator(obs):
    c = ~AC.in_progress()
    obs.record("tree", _tree(c))


@scenario
def double_not(obs):
    c = ~~AC.missing()
    obs.record("tree", _tree(c))


@scenario
def with_label(obs):
    c = (AC.missing() & AC.in_progress()).with_label("my label")
    obs.record("label", c.label)
    obs.record("get_label", c.get_label())
    obs.record("tree", _tree(c))


@scenario
def with_label_keeps_original(obs):
    base = AC.missing()
    base.with_label("x")
    obs.record("label", base.label)


@scenario
def since_operator(obs):
    c = AC.newly_updated().since(AC.newly_requested())
    obs.record("tree", _tree(c))


@scenario
def since_last_handled(obs):
    c = AC.missing().since_last_handled()
    obs.record("tree", _tree(c))


@scenario
def newly_true(obs):
    c = AC.missing().newly_true()
    obs.record("tree", _tree(c))


@scenario
def any_deps_match(obs):
    c = AC.any_deps_match(AC.missing())
    obs.record("tree", _tree(c))


@scenario
def all_deps_match(obs):
    c = AC.all_deps_match(AC.newly_updated())
    obs.record("tree", _tree(c))


@scenario
def equality(obs):
    obs.record("eager_eq", AC.eager() == AC.eager())
    obs.record("cron_eq", AC.on_cron("@daily") == AC.on_cron("@daily"))
    obs.record("cron_ne", AC.on_cron("@daily") == AC.on_cron("@hourly"))
    obs.record("and_eq", (AC.missing() & AC.in_progress()) == (AC.missing() & AC.in_progress()))


@scenario
def hashable(obs):
    obs.record("in_set", len({AC.missing(), AC.missing(), AC.in_progress()}))


@scenario
def eager_without_in_progress(obs):
    c = AC.eager().without(~AC.in_progress())
    obs.record("tree", _tree(c))


@scenario
def eager_without_missing_rejected(obs):
    obs.raises(lambda: AC.eager().without(AC.missing()))


@scenario
def replace_by_label(obs):
    c = AC.eager().replace("any_deps_updated", AC.any_deps_match(AC.newly_updated()))
    obs.record("tree", _tree(c))


@scenario
def asset_automation_condition(obs):
    cond = AC.eager()

    @dg.asset(automation_condition=cond)
    def automated() -> int:
        return 1

    got = automated.automation_conditions_by_key[dg.AssetKey("automated")]
    obs.record("same", got == cond)
    obs.record("label", got.get_label())


@scenario
def asset_without_condition(obs):
    @dg.asset
    def plain() -> int:
        return 1

    obs.record("cond", plain.automation_conditions_by_key[dg.AssetKey("plain")])


@scenario
def asset_spec_automation_condition(obs):
    spec = dg.AssetSpec("spec_asset", automation_condition=AC.on_missing())
    obs.record("label", spec.automation_condition.get_label())


@scenario
def multi_asset_spec_conditions(obs):
    @dg.multi_asset(specs=[dg.AssetSpec("m1", automation_condition=AC.eager()), dg.AssetSpec("m2")])
    def both():
        yield dg.MaterializeResult(asset_key="m1")
        yield dg.MaterializeResult(asset_key="m2")

    conds = both.automation_conditions_by_key
    obs.record("m1", conds[dg.AssetKey("m1")].get_label())
    obs.record("m2", conds.get(dg.AssetKey("m2")))


@scenario
def sensor_definition(obs):
    s = dg.AutomationConditionSensorDefinition("auto_sensor", target=dg.AssetSelection.all())
    obs.record("name", s.name)
    obs.record("interval", s.minimum_interval_seconds)
    obs.record("status", s.default_status.value)
    obs.record("is_sensor", isinstance(s, dg.SensorDefinition))


@scenario
def sensor_definition_options(obs):
    s = dg.AutomationConditionSensorDefinition(
        "auto2",
        target=["a", "b"],
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
        run_tags={"x": "y"},
        description="d",
    )
    obs.record("interval", s.minimum_interval_seconds)
    obs.record("status", s.default_status.value)
    obs.record("run_tags", dict(s.run_tags))
    obs.record("description", s.description)


@scenario
def sensor_definition_in_definitions(obs):
    @dg.asset(automation_condition=AC.eager())
    def auto_asset() -> int:
        return 1

    s = dg.AutomationConditionSensorDefinition("auto3", target=dg.AssetSelection.all())
    defs = dg.Definitions(assets=[auto_asset], sensors=[s])
    obs.record("name", defs.get_sensor_def("auto3").name)


@scenario
def sensor_direct_call_rejected(obs):
    s = dg.AutomationConditionSensorDefinition("auto4", target=dg.AssetSelection.all())
    obs.raises(lambda: s(dg.build_sensor_context()))


for _name in ["freshness_passed", "freshness_failed", "freshness_warned"]:
    scenario(_constructor(_name), name=f"ctor_{_name}")


@scenario
def ctor_executed_with_tags(obs):
    c = AC.executed_with_tags(tag_keys={"a"}, tag_values={"b": "c"})
    obs.record("tree", _tree(c))
    obs.record("description", c.description)


@scenario
def ctor_any_new_update_has_run_tags(obs):
    c = AC.any_new_update_has_run_tags(tag_keys={"team"})
    obs.record("tree", _tree(c))


@scenario
def ctor_all_new_updates_have_run_tags(obs):
    c = AC.all_new_updates_have_run_tags(tag_values={"team": "data"})
    obs.record("tree", _tree(c))


@scenario
def ctor_asset_matches(obs):
    c = AC.asset_matches("other", AC.missing())
    obs.record("tree", _tree(c))


@scenario
def ctor_any_job_root_assets_match(obs):
    c = AC.any_job_root_assets_match(AC.missing())
    obs.record("tree", _tree(c))


@scenario
def ctor_all_job_root_assets_match(obs):
    c = AC.all_job_root_assets_match(AC.newly_updated())
    obs.record("tree", _tree(c))


@scenario
def ctor_in_latest_time_window_lookback(obs):
    import datetime

    c = AC.in_latest_time_window(lookback_delta=datetime.timedelta(hours=2))
    obs.record("tree", _tree(c))
    obs.record("description", c.description)


@scenario
def all_checks_match_tree(obs):
    c = AC.all_checks_match(AC.check_passed())
    obs.record("tree", _tree(c))


@scenario
def any_checks_match_blocking(obs):
    c = AC.any_checks_match(AC.check_failed(), blocking_only=True)
    obs.record("tree", _tree(c))


@scenario
def deps_allow_selection(obs):
    c = AC.any_deps_match(AC.missing()).allow(dg.AssetSelection.groups("g"))
    obs.record("tree", _tree(c))
    obs.record("is_condition", isinstance(c, AC))


@scenario
def deps_ignore_selection(obs):
    c = AC.any_deps_updated().ignore(dg.AssetSelection.keys("x"))
    obs.record("tree", _tree(c))
    obs.record("label", c.get_label())


@scenario
def not_description(obs):
    obs.record("description", (~AC.missing()).description)
    obs.record("or_description", (AC.missing() | AC.in_progress()).description)


@scenario
def since_description(obs):
    obs.record("description", AC.missing().since(AC.newly_requested()).description)
    obs.record("newly_true", AC.missing().newly_true().description)
    obs.record("deps", AC.any_deps_match(AC.missing()).description)


@scenario
def with_label_on_operand(obs):
    c = AC.missing().with_label("gone")
    obs.record("tree", _tree(c))
    obs.record("eq_unlabelled", c == AC.missing())


@scenario
def labelled_and_not_flattened(obs):
    left = (AC.missing() & AC.in_progress()).with_label("left")
    c = left & AC.newly_updated()
    obs.record("tree", _tree(c))


@scenario
def or_with_labelled_or_not_flattened(obs):
    c = AC.in_progress() | AC.missing()
    obs.record("tree", _tree(c))


@scenario
def replace_by_condition(obs):
    c = (AC.missing() & AC.in_progress()).replace(AC.missing(), AC.newly_updated())
    obs.record("tree", _tree(c))


@scenario
def replace_nothing_matches(obs):
    base = AC.on_missing()
    obs.record("same", base.replace("nonexistent", AC.missing()) == base)


@scenario
def on_cron_replace_cron_label(obs):
    c = AC.on_cron("@daily").replace("all_deps_updated_since_cron(@daily, UTC)", AC.missing())
    obs.record("tree", _tree(c))


@scenario
def asset_with_on_cron_and_partitions(obs):
    @dg.asset(
        partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"),
        automation_condition=AC.on_cron("0 1 * * *"),
    )
    def daily_auto() -> int:
        return 1

    obs.record(
        "label", daily_auto.automation_conditions_by_key[dg.AssetKey("daily_auto")].get_label()
    )


@scenario
def multi_asset_outs_conditions(obs):
    @dg.multi_asset(
        outs={"o1": dg.AssetOut(automation_condition=AC.on_missing()), "o2": dg.AssetOut()}
    )
    def outs():
        return 1, 2

    conds = outs.automation_conditions_by_key
    obs.record("keys", sorted(k.to_user_string() for k in conds))
    obs.record("o1", conds[dg.AssetKey("o1")].get_label())


@scenario
def asset_spec_replace_condition(obs):
    spec = dg.AssetSpec("s").replace_attributes(automation_condition=AC.eager())
    obs.record("label", spec.automation_condition.get_label())


@scenario
def sensor_definition_default_condition(obs):
    s = dg.AutomationConditionSensorDefinition(
        "auto5", target=dg.AssetSelection.all(), default_condition=AC.on_missing()
    )
    obs.record("name", s.name)


@scenario
def sensor_definition_default_condition_user_code(obs):
    s = dg.AutomationConditionSensorDefinition(
        "auto6",
        target=dg.AssetSelection.all(),
        default_condition=AC.on_missing(),
        use_user_code_server=True,
    )
    obs.record("label", s.default_condition.get_label())


@scenario
def distinct_operands_compare_equal(obs):
    obs.record("eq", AC.missing() == AC.run_in_progress())
    obs.record("set", len({AC.missing(), AC.run_in_progress(), AC.newly_updated()}))


@scenario
def signature_sensor_definition(obs):
    obs.signature("signature", dg.AutomationConditionSensorDefinition)


@scenario
def constructor_signatures(obs):
    import inspect

    names = sorted(
        n
        for n in dir(AC)
        if not n.startswith("_") and isinstance(inspect.getattr_static(AC, n), staticmethod)
    )
    obs.record("names", names)
    for n in names:
        obs.signature(f"sig_{n}", getattr(AC, n))


@scenario
def signature_automation_condition(obs):
    obs.signature("signature", dg.AutomationCondition)


@scenario
def automation_condition_annotation_with_its_key_kind(obs):
    import typing

    alias = dg.AutomationCondition[dg.AssetKey]
    obs.record("origin_is_class", typing.get_origin(alias) is dg.AutomationCondition)
    obs.record("args", [a.__name__ for a in typing.get_args(alias)])
    optional = dg.AutomationCondition[dg.AssetKey] | None
    obs.record("optional_args", len(typing.get_args(optional)))
