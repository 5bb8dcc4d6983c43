"""The pure evaluator over hand-made instance snapshots, and its edge that reads an instance."""

from __future__ import annotations

import re
import warnings
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import headwater as hw
from headwater.assets.graph import AssetGraph
from headwater.automation.evaluator import (
    AssetDaemonCursor,
    InstanceState,
    evaluate_conditions,
    read_instance_state,
)
from headwater.automation.evaluator.state import AssetUpdate, PartitionRef, RunInfo
from headwater.errors import InvalidDefinitionError, InvalidInvocationError
from headwater.storage.runs import RunStatus

AC = hw.AutomationCondition
T0 = datetime(2024, 1, 5, 10, 30, tzinfo=timezone.utc)
KEY = hw.AssetKey


@hw.asset
def up() -> None: ...


@hw.asset(deps=[up], automation_condition=AC.eager())
def down() -> None: ...


GRAPH = AssetGraph([up, down])


def _state(
    updates: dict[str, list[int]], runs: dict[str, RunStatus] | None = None
) -> InstanceState:
    """A snapshot where each asset was materialized at the given storage ids (run "r<id>")."""
    materializations: dict[PartitionRef, list[AssetUpdate]] = {
        (KEY(k), None): [AssetUpdate(i, float(i), f"r{i}") for i in ids]
        for k, ids in updates.items()
    }
    all_ids = [i for ids in updates.values() for i in ids]
    known = {f"r{i}": RunInfo(RunStatus.SUCCESS, {}) for i in all_ids}
    known.update({r: RunInfo(s, {}) for r, s in (runs or {}).items()})
    return InstanceState(max(all_ids, default=0), materializations, runs=known)


def _requested(evaluation: Any) -> dict[str, int]:
    return {k.to_user_string(): s.size for k, s in evaluation.requested.items()}


def test_pure_evaluation_follows_snapshots_and_cursor() -> None:
    first = evaluate_conditions(
        GRAPH, _state({}), evaluation_time=T0, cursor=AssetDaemonCursor.empty(), keys={KEY("down")}
    )
    assert _requested(first) == {}  # the parent is missing
    assert first.cursor.evaluation_id == 1
    second = evaluate_conditions(
        GRAPH, _state({"up": [3]}), evaluation_time=T0, cursor=first.cursor, keys={KEY("down")}
    )
    assert _requested(second) == {"down": 1}
    third = evaluate_conditions(
        GRAPH, _state({"up": [3]}), evaluation_time=T0, cursor=second.cursor, keys={KEY("down")}
    )
    assert _requested(third) == {}  # requested last time: handled


def test_a_running_parent_blocks_eager() -> None:
    state = _state({"up": [3]})
    planned: dict[PartitionRef, AssetUpdate] = {(KEY("up"), None): AssetUpdate(5, 5.0, "running")}
    running = InstanceState(
        5,
        state.materializations,
        planned=planned,
        runs={**state.runs, "running": RunInfo(RunStatus.STARTED, {})},
    )
    first = evaluate_conditions(
        GRAPH, _state({}), evaluation_time=T0, cursor=AssetDaemonCursor.empty(), keys={KEY("down")}
    )
    blocked = evaluate_conditions(
        GRAPH, running, evaluation_time=T0, cursor=first.cursor, keys={KEY("down")}
    )
    assert _requested(blocked) == {}


def test_cursor_round_trips_through_json() -> None:
    instance = hw.DagsterInstance.ephemeral()
    hw.materialize([up], instance=instance)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = hw.evaluate_automation_conditions([up, down], instance, evaluation_time=T0)
    text = result.cursor.to_json()
    assert AssetDaemonCursor.from_json(text) == result.cursor
    with pytest.raises(InvalidInvocationError, match="not an automation cursor"):
        AssetDaemonCursor.from_json("{}")


def test_read_instance_state_sees_materializations_and_runs() -> None:
    instance = hw.DagsterInstance.ephemeral()
    hw.materialize([up], instance=instance)
    state = read_instance_state(instance)
    (update,) = state.materializations[(KEY("up"), None)]
    assert state.runs[update.run_id].status is RunStatus.SUCCESS
    assert state.max_storage_id >= update.storage_id
    assert (KEY("up"), None) in state.planned


def test_evaluation_time_defaults_to_now_and_requests_read_by_key() -> None:
    instance = hw.DagsterInstance.ephemeral()

    @hw.asset(automation_condition=AC.missing())
    def lonely() -> None: ...

    selection = hw.AssetSelection.all()
    result = hw.evaluate_automation_conditions([lonely], instance, asset_selection=selection)
    assert result.get_requested_partitions("lonely") == {None}
    assert result.get_num_requested(KEY("other")) == 0
    assert result.total_requested == 1
    assert [r.key for r in result.results] == [KEY("lonely")]


def test_bad_arguments_are_named() -> None:
    instance = hw.DagsterInstance.ephemeral()
    with pytest.raises(InvalidInvocationError, match="defs must be a Definitions or a list"):
        hw.evaluate_automation_conditions(42, instance)
    with pytest.raises(InvalidInvocationError, match="instance must be an Instance"):
        hw.evaluate_automation_conditions([up], "inst")  # type: ignore[arg-type]
    with pytest.raises(InvalidInvocationError, match="cursor must be the `cursor` of a previous"):
        hw.evaluate_automation_conditions([up], instance, cursor="c")  # type: ignore[arg-type]


def _evaluate(assets: list[Any], instance: Any = None, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return hw.evaluate_automation_conditions(
            assets, instance or hw.DagsterInstance.ephemeral(), evaluation_time=T0, **kwargs
        )


def test_custom_condition_must_return_a_result() -> None:
    class Wrong(hw.AutomationCondition):
        def evaluate(self, context: Any) -> Any:
            return context.candidate_subset

    @hw.asset(automation_condition=Wrong())
    def a() -> None: ...

    msg = (
        "condition Wrong.evaluate returned EntitySubset; "
        "return AutomationResult(context, true_subset=...)"
    )
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        _evaluate([a])


def test_custom_condition_cursor_must_be_json() -> None:
    class Stateful(hw.AutomationCondition):
        def evaluate(self, context: Any) -> Any:
            return hw.AutomationResult(context, context.get_empty_subset(), cursor=object())  # type: ignore[arg-type]

    @hw.asset(automation_condition=Stateful())
    def a() -> None: ...

    result = _evaluate([a])
    with pytest.raises(InvalidDefinitionError, match="return a JSON-able value"):
        _evaluate([a], cursor=result.cursor)


def test_async_custom_condition_can_await_children() -> None:
    class Either(hw.AutomationCondition):
        async def evaluate(self, context: Any) -> Any:
            child = context.for_child_condition(AC.missing(), [0], context.candidate_subset)
            result = await child.evaluate_async()
            return hw.AutomationResult(context, result.true_subset, child_results=[result])

    @hw.asset(automation_condition=Either())
    def a() -> None: ...

    result = _evaluate([a])
    assert result.total_requested == 1
    assert [c.condition.name for c in result.results[0].child_results] == ["missing"]


def test_unevaluated_operators_fail_with_advice() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        condition = AC.any_job_root_assets_match(AC.missing())

    @hw.asset(automation_condition=condition)
    def a() -> None: ...

    with pytest.raises(InvalidDefinitionError, match="uses ANY_JOB_ROOT_ASSETS_MATCH, which"):
        _evaluate([a])


def test_partitions_change_restarts_state() -> None:
    daily = hw.DailyPartitionsDefinition(start_date="2024-01-01")

    @hw.asset(automation_condition=AC.initial_evaluation())
    def a() -> None: ...

    @hw.asset(name="a", partitions_def=daily, automation_condition=AC.initial_evaluation())
    def a_daily() -> None: ...

    first = _evaluate([a])
    assert first.total_requested == 1
    assert _evaluate([a], cursor=first.cursor).total_requested == 0
    again = _evaluate([a_daily], cursor=first.cursor)
    assert again.get_num_requested("a") == 4  # every partition up to 2024-01-04


def test_lookback_and_latest_window_of_a_multi_partitioned_asset() -> None:
    multi = hw.MultiPartitionsDefinition(
        {
            "day": hw.DailyPartitionsDefinition(start_date="2024-01-01"),
            "region": hw.StaticPartitionsDefinition(["eu", "us"]),
        }
    )

    @hw.asset(partitions_def=multi, automation_condition=AC.in_latest_time_window())
    def m() -> None: ...

    requested = _evaluate([m]).get_requested_partitions("m")
    assert sorted(str(k) for k in requested) == ["2024-01-04|eu", "2024-01-04|us"]

    @hw.asset(
        name="m",
        partitions_def=multi,
        automation_condition=AC.in_latest_time_window(timedelta(days=2)),
    )
    def m2() -> None: ...

    assert _evaluate([m2]).get_num_requested("m") == 4


def test_any_downstream_conditions_borrows_the_conditions_below() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lazy = AC.any_downstream_conditions()

    @hw.asset(automation_condition=lazy)
    def top() -> None: ...

    @hw.asset(deps=[top], automation_condition=lazy | AC.missing())
    def middle() -> None: ...

    @hw.asset(deps=[middle], automation_condition=AC.newly_updated())
    def bottom() -> None: ...

    result = _evaluate([top, middle, bottom])
    assert result.get_num_requested("top") == 1  # middle's `missing()`, read for top
    (top_result,) = (r for r in result.results if r.key == KEY("top"))
    assert [c.condition.name for c in top_result.child_results] == ["bottom", "middle"]


def test_user_conditions_start_unlabelled_and_can_be_labelled() -> None:
    class Plain(hw.AutomationCondition):
        pass

    plain = Plain()
    labelled = plain.with_label("mine")
    assert (plain.get_label(), labelled.get_label()) == (None, "mine")
    assert (AC.missing() & plain).replace("missing", labelled).children == (labelled, plain)


def test_checks_with_conditions_are_evaluated_after_their_asset() -> None:
    @hw.asset(automation_condition=AC.missing())
    def a() -> None: ...

    @hw.asset_check(asset=a, automation_condition=AC.any_deps_updated() | AC.missing())
    def a_ok() -> Any:
        return hw.AssetCheckResult(passed=True)

    first = _evaluate([a, a_ok])
    assert [r.key for r in first.results] == [KEY("a"), hw.AssetCheckKey(KEY("a"), "a_ok")]
    assert first.total_requested == 2  # the asset and its (never evaluated) check
    assert first.get_requested_partitions("a") == {None}
    assert AssetDaemonCursor.from_json(first.cursor.to_json()) == first.cursor


def test_execution_failed_ignores_a_failed_run_that_materialized_the_asset() -> None:
    @hw.asset(automation_condition=AC.execution_failed())
    def flaky() -> None: ...

    graph = AssetGraph([flaky])
    ref: PartitionRef = (KEY("flaky"), None)

    def state(materialized_by: str | None) -> InstanceState:
        updates = {ref: [AssetUpdate(2, 2.0, materialized_by)]} if materialized_by else {}
        return InstanceState(
            2,
            updates,
            planned={ref: AssetUpdate(1, 1.0, "failed")},
            runs={"failed": RunInfo(RunStatus.FAILURE, {})},
        )

    def requested(snapshot: InstanceState) -> dict[str, int]:
        evaluation = evaluate_conditions(
            graph, snapshot, evaluation_time=T0, cursor=AssetDaemonCursor(), keys={KEY("flaky")}
        )
        return _requested(evaluation)

    assert requested(state(None)) == {"flaky": 1}
    assert requested(state("failed")) == {}
