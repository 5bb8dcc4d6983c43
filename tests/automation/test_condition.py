from __future__ import annotations

import re

import pytest

import headwater as hw
from headwater.automation.condition import describe_tree
from headwater.errors import InvalidDefinitionError, InvariantViolationError

AC = hw.AutomationCondition


def test_and_merges_unlabelled_operands_only() -> None:
    merged = AC.missing() & AC.newly_updated() & AC.will_be_requested()
    assert [c.name for c in merged.children] == ["missing", "newly_updated", "will_be_requested"]
    labelled = (AC.missing() & AC.newly_updated()).with_label("both") & AC.missing()
    assert [c.get_label() for c in labelled.children] == ["both", None]


def test_conditions_are_values() -> None:
    assert AC.on_cron("@daily") == AC.on_cron("@daily")
    assert AC.on_cron("@daily") != AC.on_cron("@hourly")
    assert AC.missing() != AC.run_in_progress()
    assert len({AC.eager(), AC.eager()}) == 1
    assert AC.missing().with_label("x") != AC.missing()


def test_eager_tree_names_and_labels() -> None:
    tree = describe_tree(AC.eager())
    assert (tree["class"], tree["name"], tree["label"]) == (
        "AndAutomationCondition",
        "AND",
        "eager",
    )
    assert [c["label"] for c in tree["children"]][3:] == [None, None]
    assert AC.on_cron("0 * * * *", "Europe/Paris").get_label() == "on_cron(0 * * * *, Europe/Paris)"


def test_replace_by_label_and_without() -> None:
    replaced = AC.eager().replace("any_deps_updated", AC.missing())
    assert "any_deps_updated" not in str(describe_tree(replaced))
    shorter = AC.eager().without(~AC.in_progress())
    assert len(shorter.children) == 4
    msg = "missing is not an operand of eager; without() removes one of its direct operands"
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        AC.eager().without(AC.missing())


def test_dependency_conditions_name_their_selection() -> None:
    allowed = AC.any_deps_match(AC.missing()).allow(hw.AssetSelection.keys("a"))
    assert allowed.name.startswith("ANY_DEPS_MATCH(allow_selection=")


def test_assets_carry_their_condition() -> None:
    @hw.asset(automation_condition=AC.eager())
    def automated() -> int:
        return 1

    assert automated.automation_conditions_by_key == {hw.AssetKey("automated"): AC.eager()}


def test_condition_sensor_is_evaluated_by_the_daemon_only() -> None:
    sensor = hw.AutomationConditionSensorDefinition("auto", target=hw.AssetSelection.all())
    assert (sensor.name, sensor.minimum_interval_seconds) == ("auto", 30)
    with pytest.raises(NotImplementedError, match="the automation daemon evaluates sensor"):
        sensor(hw.build_sensor_context())
    msg = (
        "automation condition sensor 'auto2' has a default_condition, which is supported only "
        "with use_user_code_server=True"
    )
    with (
        pytest.warns(Warning),
        pytest.raises(InvalidDefinitionError, match=re.escape(msg)),
    ):
        hw.AutomationConditionSensorDefinition(
            "auto2", target=hw.AssetSelection.all(), default_condition=AC.eager()
        )
