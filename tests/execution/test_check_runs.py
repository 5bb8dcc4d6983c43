"""Asset checks in runs: separate check steps, inline results, blocking and severity."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

import headwater as dg
from headwater.errors import AssetCheckFailedError, InvariantViolationError

EV = dg.EventType


def evaluations(result: dg.ExecuteInProcessResult) -> list[Mapping[str, Any]]:
    return [e.data for e in result.all_events if e.event_type is EV.ASSET_CHECK_EVALUATION]


def started(result: dg.ExecuteInProcessResult) -> list[str]:
    return [e.step_key or "" for e in result.all_events if e.event_type is EV.STEP_START]


def run_failure(result: dg.ExecuteInProcessResult) -> dg.RunEvent:
    return next(e for e in result.all_events if e.event_type is EV.RUN_FAILURE)


def materialized(result: dg.ExecuteInProcessResult) -> list[str]:
    return [e.data["asset_key"] for e in result.get_asset_materialization_events()]


@dg.asset
def orders() -> list[int]:
    return [3, -1, 4]


@dg.asset
def totals(orders: list[int]) -> int:
    return sum(orders)


@dg.asset
def unrelated() -> int:
    return 1


@dg.asset_check(asset=orders, blocking=True, description="No order is negative.")
def no_negatives(orders: list[int]) -> dg.AssetCheckResult:
    bad = [o for o in orders if o < 0]
    return dg.AssetCheckResult(passed=not bad, metadata={"bad": len(bad)})


@dg.asset_check(asset=orders)
def few_orders(orders: list[int]) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=len(orders) < 2, severity=dg.AssetCheckSeverity.WARN)


def test_check_step_loads_the_asset_value_through_its_io_manager() -> None:
    @dg.asset_check(asset=orders)
    def seen(orders: list[int]) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=orders == [3, -1, 4])

    result = dg.materialize([orders, seen])
    assert result.success
    check_events = [e for e in result.all_events if e.step_key == "orders_seen"]
    assert [e.event_type for e in check_events] == [
        EV.STEP_START,
        EV.LOADED_INPUT,
        EV.STEP_INPUT,
        EV.STEP_OUTPUT,
        EV.ASSET_CHECK_EVALUATION,
        EV.STEP_SUCCESS,
    ]
    assert check_events[1].message == (
        'Loaded input "orders" using input manager "io_manager", from output "result" of '
        'step "orders"'
    )
    assert evaluations(result)[0]["passed"] is True


def test_check_evaluation_event_records_the_outcome_in_wire_form() -> None:
    result = dg.materialize([orders, no_negatives], raise_on_error=False)
    [event] = [e for e in result.all_events if e.event_type is EV.ASSET_CHECK_EVALUATION]
    assert event.step_key == "orders_no_negatives"
    assert event.message == "Asset check 'no_negatives' on 'orders' did not pass."
    assert event.data == {
        "asset_key": "orders",
        "check_name": "no_negatives",
        "passed": False,
        "severity": "ERROR",
        "blocking": True,
        "metadata": {"bad": {"type": "int", "raw_value": 1}},
        "description": None,
    }


def test_blocking_check_failure_fails_its_step_and_leaves_dependents_unrun() -> None:
    result = dg.materialize([orders, totals, unrelated, no_negatives], raise_on_error=False)
    assert not result.success
    assert materialized(result) == ["orders", "unrelated"]
    # as in the reference: the check's step fails; what depends on it never starts
    assert "totals" not in started(result)
    assert result.get_failed_step_keys() == {"orders_no_negatives"}
    failure = run_failure(result)
    assert failure.message == (
        'Execution of run for "__ephemeral_asset_job__" failed. Steps failed: '
        "['orders_no_negatives']."
    )
    assert failure.data == {"failed_steps": ["orders_no_negatives"]}
    msg = "1 blocking asset check failed with ERROR severity:\norders: no_negatives"
    with pytest.raises(AssetCheckFailedError, match=re.escape(msg)):
        dg.materialize([orders, totals, unrelated, no_negatives])


def test_dependents_of_a_blocking_check_wait_for_it() -> None:
    result = dg.materialize([orders, totals, no_negatives], raise_on_error=False)
    starts = [e.step_key for e in result.all_events if e.event_type is EV.STEP_START]
    assert starts == ["orders", "orders_no_negatives"]


def test_blocking_check_that_passes_lets_dependents_run() -> None:
    @dg.asset(key="orders")
    def good_orders() -> list[int]:
        return [1, 2]

    result = dg.materialize([good_orders, totals, no_negatives])
    assert result.success
    assert result.output_for_node("totals") == 3


def test_warn_failure_of_a_blocking_check_never_blocks() -> None:
    @dg.asset_check(asset=orders, blocking=True)
    def only_warns(orders: list[int]) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN)

    result = dg.materialize([orders, totals, only_warns])
    assert result.success
    assert evaluations(result)[0]["severity"] == "WARN"
    assert evaluations(result)[0]["blocking"] is True
    assert materialized(result) == ["orders", "totals"]


def test_non_blocking_error_failure_is_recorded_but_blocks_nothing() -> None:
    @dg.asset_check(asset=orders)
    def lenient(orders: list[int]) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=False)

    result = dg.materialize([orders, totals, lenient])
    assert result.success
    assert [(d["passed"], d["blocking"]) for d in evaluations(result)] == [(False, False)]


def test_check_without_data_parameter_runs_after_the_asset() -> None:
    @dg.asset_check(asset=orders)
    def after_orders() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True)

    result = dg.materialize([orders, after_orders])
    starts = [e.step_key for e in result.all_events if e.event_type is EV.STEP_START]
    assert starts == ["orders", "orders_after_orders"]
    loads = [e for e in result.all_events if e.event_type is EV.LOADED_INPUT]
    assert loads == []


def test_checks_of_an_unselected_asset_do_not_run() -> None:
    result = dg.materialize([orders, unrelated, no_negatives], selection=[unrelated])
    assert result.success
    assert evaluations(result) == []


def test_check_evaluations_are_stored_in_the_instance() -> None:
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([orders, few_orders], instance=instance)
    stored = [
        e for e in instance.run_events(result.run_id) if e.event_type is EV.ASSET_CHECK_EVALUATION
    ]
    assert [e.data["check_name"] for e in stored] == ["few_orders"]


def test_inline_check_results_come_with_the_materialize_result() -> None:
    @dg.asset(check_specs=[dg.AssetCheckSpec("positive", asset="scored", blocking=True)])
    def scored() -> dg.MaterializeResult:
        return dg.MaterializeResult(
            metadata={"rows": 2},
            check_results=[dg.AssetCheckResult(passed=True, metadata={"min": 1})],
        )

    result = dg.materialize([scored])
    assert result.success
    assert evaluations(result) == [
        {
            "asset_key": "scored",
            "check_name": "positive",
            "passed": True,
            "severity": "ERROR",
            "blocking": True,
            "metadata": {"min": {"type": "int", "raw_value": 1}},
            "description": None,
        }
    ]


def test_inline_blocking_failure_keeps_the_materialization_and_skips_dependents() -> None:
    @dg.asset(check_specs=[dg.AssetCheckSpec("positive", asset="scored", blocking=True)])
    def scored() -> Iterator[Any]:
        yield dg.Output(-5)
        yield dg.AssetCheckResult(passed=False, description="-5 is not positive")

    @dg.asset
    def uses_score(scored: int) -> int:
        return scored

    result = dg.materialize([scored, uses_score], raise_on_error=False)
    assert not result.success
    assert materialized(result) == ["scored"]
    assert evaluations(result)[0]["description"] == "-5 is not positive"
    assert started(result) == ["scored"]
    assert result.is_node_failed("scored")


def test_multi_asset_blocking_check_failure_fails_the_whole_step() -> None:
    @dg.multi_asset(
        specs=[dg.AssetSpec("left"), dg.AssetSpec("right")],
        check_specs=[dg.AssetCheckSpec("ok", asset="left", blocking=True)],
    )
    def pair() -> Iterator[Any]:
        yield dg.MaterializeResult(asset_key="left")
        yield dg.MaterializeResult(asset_key="right")
        yield dg.AssetCheckResult(asset_key="left", check_name="ok", passed=False)

    @dg.asset(deps=["left"])
    def after_left() -> None:
        return None

    @dg.asset(deps=["right"])
    def after_right() -> None:
        return None

    result = dg.materialize([pair, after_left, after_right], raise_on_error=False)
    # The blocking failure fails the multi-asset's step, so nothing downstream of it runs
    # (as in the reference).
    assert sorted(materialized(result)) == ["left", "right"]
    assert started(result) == ["pair"]
    assert evaluations(result)[0]["asset_key"] == "left"


def test_check_result_for_an_undeclared_check_fails_the_step() -> None:
    @dg.asset
    def no_specs() -> dg.MaterializeResult:
        return dg.MaterializeResult(check_results=[dg.AssetCheckResult(passed=True)])

    msg = (
        "step 'no_specs' returned an AssetCheckResult for check 'check' on asset 'no_specs', "
        "which it does not evaluate; it declares none. Declare it in "
        "check_specs=[AssetCheckSpec(...)], or set check_name= (and asset_key= for a "
        "multi-asset) to one of them"
    )
    # Dagster raises DagsterInvariantViolationError: a framework rule, not user code, failed.
    with pytest.raises(dg.DagsterInvariantViolationError, match=re.escape(msg)):
        dg.materialize([no_specs])


def test_check_result_with_a_wrong_name_lists_the_declared_checks() -> None:
    @dg.asset(check_specs=[dg.AssetCheckSpec("pos", asset="named")])
    def named() -> dg.MaterializeResult:
        return dg.MaterializeResult(
            check_results=[dg.AssetCheckResult(check_name="other", passed=True)]
        )

    msg = (
        "step 'named' returned an AssetCheckResult for check 'other' on asset 'named', which "
        "it does not evaluate; its checks of 'named' are ['pos']."
    )
    result = dg.materialize([named], raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type is EV.STEP_FAILURE)
    assert failure.error is not None and msg in failure.error.message
    assert materialized(result) == []


def test_declared_inline_check_without_a_result_fails_the_step() -> None:
    @dg.asset(check_specs=[dg.AssetCheckSpec("pos", asset="silent", blocking=True)])
    def silent() -> int:
        return 1

    msg = (
        "step 'silent' declares check(s) 'pos' on 'silent' but returned no "
        "AssetCheckResult for them; return MaterializeResult(check_results=[...]) or yield an "
        "AssetCheckResult for each"
    )
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        dg.materialize([silent])


def test_check_step_raising_fails_like_any_step_and_skips_gated_dependents() -> None:
    @dg.asset_check(asset=orders, blocking=True)
    def crashes(orders: list[int]) -> dg.AssetCheckResult:
        raise ValueError("database unreachable")

    result = dg.materialize([orders, totals, crashes], raise_on_error=False)
    assert not result.success
    assert started(result) == ["orders", "orders_crashes"]
    assert run_failure(result).data == {"failed_steps": ["orders_crashes"]}


def test_check_reads_resources_and_config() -> None:
    @dg.asset_check(asset=orders, required_resource_keys={"limits"}, config_schema={"n": int})
    def bounded(context: dg.OpExecutionContext, orders: list[int]) -> dg.AssetCheckResult:
        limit = context.resources.limits["max"] + context.op_config["n"]
        return dg.AssetCheckResult(passed=len(orders) <= limit)

    result = dg.materialize(
        [orders, bounded],
        resources={"limits": {"max": 2}},
        run_config={"ops": {"orders_bounded": {"config": {"n": 1}}}},
    )
    assert [d["passed"] for d in evaluations(result)] == [True]
