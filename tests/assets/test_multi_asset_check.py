"""@multi_asset_check: several checks, of one or more assets, evaluated by one op."""

from __future__ import annotations

from collections.abc import Iterator

import headwater as dg
from headwater.errors import AssetCheckFailedError


@dg.asset
def left() -> int:
    return 1


@dg.asset
def right() -> int:
    return 2


def test_checks_of_two_assets_run_in_one_step_after_both() -> None:
    @dg.multi_asset_check(
        specs=[dg.AssetCheckSpec("l_ok", asset=left), dg.AssetCheckSpec("r_ok", asset="right")]
    )
    def both() -> Iterator[dg.AssetCheckResult]:
        yield dg.AssetCheckResult(asset_key="left", check_name="l_ok", passed=True)
        yield dg.AssetCheckResult(asset_key="right", check_name="r_ok", passed=False)

    assert both.check_keys == {
        dg.AssetCheckKey(dg.AssetKey("left"), "l_ok"),
        dg.AssetCheckKey(dg.AssetKey("right"), "r_ok"),
    }
    result = dg.materialize([left, right, both])
    starts = [e.step_key for e in result.all_events if e.event_type_value == "STEP_START"]
    assert starts == ["left", "right", "both"]
    outcomes = {(e.check_name, e.passed) for e in result.get_asset_check_evaluations()}
    assert outcomes == {("l_ok", True), ("r_ok", False)}


def test_a_failed_blocking_check_fails_its_step_and_stops_downstream() -> None:
    @dg.multi_asset_check(specs=[dg.AssetCheckSpec("r_ok", asset=right, blocking=True)])
    def gate() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(asset_key="right", check_name="r_ok", passed=False)

    @dg.asset(deps=[right])
    def after() -> int:
        return 3

    result = dg.materialize([right, after, gate], raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert failure.step_key == "gate"
    assert "after" not in {e.step_key for e in result.all_events}
    try:
        dg.materialize([right, after, gate])
    except AssetCheckFailedError as exc:
        assert str(exc) == "1 blocking asset check failed with ERROR severity:\nright: r_ok"
    else:
        raise AssertionError("the blocking failure was not raised")


def test_a_subsettable_check_evaluates_only_the_checks_of_selected_assets() -> None:
    seen: list[set[str]] = []

    @dg.multi_asset_check(
        specs=[dg.AssetCheckSpec("l_ok", asset=left), dg.AssetCheckSpec("r_ok", asset="right")],
        can_subset=True,
    )
    def both(context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult]:
        seen.append({k.to_user_string() for k in context.selected_asset_check_keys})
        assert [s.name for s in context.check_specs] == ["l_ok"]
        for key in context.selected_asset_check_keys:
            yield dg.AssetCheckResult(asset_key=key.asset_key, check_name=key.name, passed=True)

    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([left, both], instance=instance)
    assert seen == [{"left:l_ok"}]
    evaluated = [
        (e.asset_key.to_user_string(), e.check_name) for e in result.get_asset_check_evaluations()
    ]
    assert evaluated == [("left", "l_ok")]
    planned = [
        e
        for e in instance.run_events(result.run_id)
        if e.event_type is dg.DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED
    ]
    assert len(planned) == 1
