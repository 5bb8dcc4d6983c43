"""AutoMaterializePolicy and AutoMaterializeRule as values, and the deprecated parameter."""

from __future__ import annotations

import re
import warnings
from typing import Any

import pytest

import headwater as hw
from headwater.automation.policy import RuleCondition
from headwater.errors import InvalidDefinitionError, InvariantViolationError

AMP = hw.AutoMaterializePolicy
AMR = hw.AutoMaterializeRule


def _quiet(fn: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return fn()


def test_eager_warns_twice_and_holds_its_rules() -> None:
    with pytest.warns(DeprecationWarning) as caught:
        policy = AMP.eager()
    messages = [str(w.message) for w in caught]
    assert messages[0] == (
        "Function `AutoMaterializePolicy.eager` is deprecated and will be removed in 1.10.0. "
        "Use `AutomationCondition.eager()` instead."
    )
    assert messages[1].startswith("Class `AutoMaterializePolicy` is deprecated")
    assert AMR.materialize_on_missing() in policy.rules
    assert policy.policy_type.name == "EAGER"
    assert _quiet(AMP.lazy).policy_type.name == "LAZY"


def test_to_automation_condition_orders_rules_by_description() -> None:
    policy = _quiet(lambda: AMP.eager(max_materializations_per_minute=2))
    condition = policy.to_automation_condition()
    materialize, skip, discard = condition.children
    assert [c.description for c in materialize.children] == [
        "materialization is missing",
        "required to meet this or downstream asset's freshness policy",
        "upstream data has changed since latest materialization",
    ]
    assert all(isinstance(c, RuleCondition) for c in skip.children[0].children)
    assert discard.children[0].description == "exceeds 2 materialization(s) per minute"


def test_with_rules_replaces_the_same_kind_and_without_checks() -> None:
    policy = _quiet(AMP.eager)
    hourly = _quiet(lambda: policy.with_rules(AMR.materialize_on_cron("0 * * * *")))
    daily = _quiet(lambda: hourly.with_rules(AMR.materialize_on_cron("@daily")))
    crons = [r for r in daily.rules if type(r).__name__ == "MaterializeOnCronRule"]
    assert crons == [AMR.materialize_on_cron("@daily")]
    with pytest.raises(InvalidDefinitionError, match="do not exist in this policy"):
        _quiet(AMP.lazy).without_rules(AMR.materialize_on_missing())


def test_bad_policies_and_rules_are_refused() -> None:
    with pytest.raises(InvalidDefinitionError, match="must be positive, got 0"):
        _quiet(lambda: AMP.eager(max_materializations_per_minute=0))
    with pytest.raises(InvalidDefinitionError, match="exactly one of `rules` or `asset_condition`"):
        _quiet(lambda: AMP(rules=set()))
    with pytest.raises(InvalidDefinitionError, match="not supported with `asset_condition`"):
        _quiet(lambda: AMP(rules=set(), asset_condition=hw.AutomationCondition.eager()))
    with pytest.raises(InvalidDefinitionError, match="cron_schedule 'often' must be a valid cron"):
        AMR.materialize_on_cron("often")


def test_from_automation_condition_keeps_the_condition() -> None:
    policy = _quiet(lambda: AMP.from_automation_condition(hw.AutomationCondition.eager()))
    assert policy.to_automation_condition() == hw.AutomationCondition.eager()
    assert policy.max_materializations_per_minute is None


def test_asset_parameter_becomes_the_condition() -> None:
    with pytest.warns(DeprecationWarning) as caught:

        @hw.asset(auto_materialize_policy=_quiet(AMP.eager))
        def a() -> None: ...

    assert [str(w.message) for w in caught] == [
        "Parameter `auto_materialize_policy` of function `asset` is deprecated and will be "
        "removed in 1.10.0. use `automation_condition` instead.",
        "Parameter `auto_materialize_policy` is deprecated and will be removed in 1.9. Use "
        "`automation_condition` instead.",
    ]
    condition = a.automation_conditions_by_key[hw.AssetKey("a")]
    assert condition == _quiet(AMP.eager).to_automation_condition()
    spec = _quiet(lambda: hw.AssetSpec("s", auto_materialize_policy=_quiet(AMP.lazy)))
    assert spec.automation_condition == _quiet(AMP.lazy).to_automation_condition()


def test_asset_parameter_errors() -> None:
    msg = "Cannot supply both `automation_condition` and `auto_materialize_policy`"
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        _quiet(
            lambda: hw.AssetSpec(
                "s",
                automation_condition=hw.AutomationCondition.eager(),
                auto_materialize_policy=_quiet(AMP.eager),
            )
        )
    with pytest.raises(TypeError, match="got an unexpected keyword argument 'colour'"):
        hw.AssetSpec("s", colour="red")


def test_evaluating_a_policy_requests_what_its_rules_say() -> None:
    def a() -> None: ...

    asset = _quiet(lambda: hw.asset(auto_materialize_policy=_quiet(AMP.eager))(a))
    instance = hw.DagsterInstance.ephemeral()
    selection = hw.AssetSelection.all()
    first = hw.evaluate_automation_conditions([asset], instance, asset_selection=selection)
    assert first.get_requested_partitions("a") == {None}  # missing
    again = hw.evaluate_automation_conditions(
        [asset], instance, asset_selection=selection, cursor=first.cursor
    )
    assert again.total_requested == 0  # requested already
