"""``AssetCheckSpec``, ``@asset_check`` and ``AssetChecksDefinition``: definitions only."""

from __future__ import annotations

import re

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError
from headwater.jobs.io import Nothing


@dg.asset
def orders() -> list[int]:
    return [1, 2, 3]


def test_spec_coerces_its_asset_and_defaults_to_non_blocking() -> None:
    spec = dg.AssetCheckSpec("not_empty", asset="sales/orders")
    assert spec.asset_key == dg.AssetKey(["sales", "orders"])
    assert spec.blocking is False
    assert spec.description is None
    assert spec.metadata == {}
    assert spec.key == (dg.AssetKey(["sales", "orders"]), "not_empty")


def test_spec_accepts_an_asset_definition_and_copies_its_metadata() -> None:
    facts = {"owner": "ops"}
    spec = dg.AssetCheckSpec(
        "fresh", asset=orders, blocking=True, description="recent", metadata=facts
    )
    facts["owner"] = "changed"
    assert spec.asset_key == dg.AssetKey("orders")
    assert (spec.blocking, spec.description, spec.metadata) == (True, "recent", {"owner": "ops"})


def test_specs_with_the_same_fields_are_equal_and_frozen() -> None:
    first = dg.AssetCheckSpec("a", asset="x", blocking=True)
    assert first == dg.AssetCheckSpec("a", asset=dg.AssetKey("x"), blocking=True)
    with pytest.raises(AttributeError):
        first.name = "b"  # type: ignore[misc]


def test_asset_check_takes_name_and_description_from_the_function() -> None:
    @dg.asset_check(asset=orders)
    def orders_not_empty(orders: list[int]) -> dg.AssetCheckResult:
        """There is at least one order."""
        return dg.AssetCheckResult(passed=bool(orders))

    assert isinstance(orders_not_empty, dg.AssetChecksDefinition)
    assert orders_not_empty.spec == dg.AssetCheckSpec(
        "orders_not_empty", asset="orders", description="There is at least one order."
    )
    assert orders_not_empty.check_specs == (orders_not_empty.spec,)
    assert orders_not_empty.asset_key == dg.AssetKey("orders")
    assert orders_not_empty.asset_keys_by_input == {"orders": dg.AssetKey("orders")}
    assert repr(orders_not_empty) == "<AssetChecksDefinition 'orders_not_empty' on orders>"


def test_check_op_is_named_after_the_asset_and_the_check() -> None:
    @dg.asset_check(asset="sales/orders", name="positive", blocking=True)
    def check_fn(orders: list[int]) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True)

    assert check_fn.node_name == "sales__orders_positive"
    assert check_fn.op.name == "sales__orders_positive"
    assert check_fn.spec.name == "positive"
    assert check_fn.spec.blocking is True


def test_check_without_data_parameter_waits_on_the_asset_through_a_nothing_input() -> None:
    @dg.asset_check(asset=orders)
    def ran_after() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True)

    assert ran_after.asset_keys_by_input == {"orders": dg.AssetKey("orders")}
    [(name, in_def)] = ran_after.op.input_defs.items()
    assert name == "orders"
    assert in_def.dagster_type is Nothing


def test_check_declares_resources_config_and_tags_on_its_op() -> None:
    @dg.asset_check(
        asset=orders,
        required_resource_keys={"warehouse"},
        config_schema={"limit": int},
        op_tags={"team": "data"},
        description="explicit",
    )
    def under_limit(context: dg.OpExecutionContext, orders: list[int]) -> dg.AssetCheckResult:
        """Docstring loses to description=."""
        return dg.AssetCheckResult(passed=len(orders) < context.op_config["limit"])

    assert under_limit.required_resource_keys == frozenset({"warehouse"})
    assert under_limit.op.tags == {"team": "data"}
    assert under_limit.spec.description == "explicit"


def test_check_with_two_data_parameters_is_refused_naming_them() -> None:
    msg = (
        "asset check 'compares' takes data parameters ['orders', 'other']; a check takes at "
        "most one, which receives the checked asset's value"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.asset_check(asset=orders)
        def compares(orders: list[int], other: list[int]) -> dg.AssetCheckResult:
            return dg.AssetCheckResult(passed=True)


def test_calling_a_check_directly_evaluates_it_on_a_value() -> None:
    @dg.asset_check(asset=orders)
    def all_positive(orders: list[int]) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=all(o > 0 for o in orders), metadata={"n": len(orders)})

    assert all_positive([1, 2]) == dg.AssetCheckResult(passed=True, metadata={"n": 2})
    assert all_positive(orders=[-1]).passed is False


def test_check_result_defaults_to_error_severity() -> None:
    result = dg.AssetCheckResult(passed=False, asset_key="a/b", check_name="c")
    assert result.severity is dg.AssetCheckSeverity.ERROR
    assert result.asset_key == dg.AssetKey(["a", "b"])
    assert [s.value for s in dg.AssetCheckSeverity] == ["WARN", "ERROR"]


def test_asset_check_specs_must_target_the_asset_they_are_declared_on() -> None:
    msg = (
        "check spec 'x' targets asset 'other', which this definition does not compute; it "
        "computes ['mine']"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.asset(check_specs=[dg.AssetCheckSpec("x", asset="other")])
        def mine() -> int:
            return 1


def test_asset_keeps_its_inline_check_specs() -> None:
    spec = dg.AssetCheckSpec("positive", asset="scored", blocking=True)

    @dg.asset(check_specs=[spec])
    def scored() -> dg.MaterializeResult:
        return dg.MaterializeResult(check_results=[dg.AssetCheckResult(passed=True)])

    assert scored.check_specs == (spec,)


def test_a_check_of_an_unknown_asset_makes_it_external() -> None:
    @dg.asset_check(asset="nope")
    def orphan() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True)

    graph = dg.Definitions(assets=[orders], asset_checks=[orphan]).resolve_asset_graph()
    assert graph.external_asset_keys == {dg.AssetKey("nope")}


def test_definitions_refuse_two_checks_with_one_name_on_one_asset() -> None:
    @dg.asset_check(asset=orders)
    def same() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True)

    @dg.asset_check(asset=orders, name="same")
    def other_fn() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True)

    msg = (
        "two asset checks are named 'same' on asset 'orders'; check names must be unique per asset"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.Definitions(assets=[orders], asset_checks=[same, other_fn]).resolve_asset_graph()
