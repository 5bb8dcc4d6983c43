"""``ExecuteInProcessResult``: outputs, events per node, and what failed."""

from __future__ import annotations

import re
from typing import Any

import pytest

import headwater as dg
from headwater.events import EventType


@dg.op
def one() -> int:
    return 1


@dg.op
def add_one(x: int) -> int:
    return x + 1


@dg.graph
def inner(x: int) -> Any:
    return add_one(add_one(x))


@dg.graph(out={"final": dg.Out()})
def outer() -> Any:
    return {"final": add_one(inner(one()))}


@pytest.fixture(scope="module")
def result() -> dg.ExecuteInProcessResult:
    return outer.to_job().execute_in_process()


def test_result_reports_success_and_run_id(result: dg.ExecuteInProcessResult) -> None:
    assert result.success
    assert result.run_id == result.all_events[0].run_id
    assert result.run.run_id == result.run_id
    assert result.dagster_run.run_id == result.run_id
    assert repr(result) == f"<ExecuteInProcessResult run_id={result.run_id} success=True>"


def test_output_for_node_reads_ops_nested_ops_and_graph_nodes(
    result: dg.ExecuteInProcessResult,
) -> None:
    assert result.output_for_node("one") == 1
    assert result.output_for_node("inner.add_one") == 2
    assert result.output_for_node("inner.add_one_2") == 3
    assert result.output_for_node("inner") == 3
    assert result.output_for_node("add_one") == 4
    assert result.output_value("final") == 4


def test_output_for_unknown_node_lists_the_steps(result: dg.ExecuteInProcessResult) -> None:
    msg = (
        "outer has no op named nope. Its steps are "
        "['add_one', 'inner.add_one', 'inner.add_one_2', 'one']."
    )
    with pytest.raises(dg.DagsterInvariantViolationError, match=re.escape(msg)):
        result.output_for_node("nope")
    with pytest.raises(dg.DagsterInvariantViolationError, match="one has no output named x"):
        result.output_for_node("one", "x")


def test_output_value_of_an_unknown_output_names_the_job(
    result: dg.ExecuteInProcessResult,
) -> None:
    msg = "Could not find top-level output 'result' in 'outer'."
    with pytest.raises(dg.DagsterInvariantViolationError, match=re.escape(msg)):
        result.output_value()


def test_events_for_node_cover_a_nested_graph(result: dg.ExecuteInProcessResult) -> None:
    keys = {e.step_key for e in result.events_for_node("inner")}
    assert keys == {"inner.add_one", "inner.add_one_2"}
    assert [e.event_type for e in result.events_for_node("one")] == [
        EventType.STEP_START,
        EventType.STEP_OUTPUT,
        EventType.HANDLED_OUTPUT,
        EventType.STEP_SUCCESS,
    ]
    assert all(e.step_key for e in result.all_node_events)
    assert len(result.all_node_events) == 22


def test_node_status_helpers(result: dg.ExecuteInProcessResult) -> None:
    assert result.is_node_success("inner")
    assert not result.is_node_failed("one")
    assert not result.is_node_skipped("one")
    node = result.result_for_node("inner")
    assert node.success and not node.skipped
    assert node.output_value() == 3
    assert len(node.events) == 12
    assert result.result_for_solid("one").output_value() == 1


def test_job_success_and_failure_events(result: dg.ExecuteInProcessResult) -> None:
    assert result.get_run_success_event().event_type is EventType.RUN_SUCCESS
    with pytest.raises(
        dg.DagsterError, match=re.escape("No event of type DagsterEventType.PIPELINE_FAILURE")
    ):
        result.get_run_failure_event()


def test_failed_run_result_says_what_failed() -> None:
    @dg.op
    def breaks(x: int) -> int:
        raise ValueError(f"bad {x}")

    @dg.job
    def failing() -> None:
        add_one(breaks(one()))

    result = failing.execute_in_process(raise_on_error=False)
    assert not result.success
    assert result.is_node_failed("breaks")
    assert result.is_node_untouched("add_one")
    assert not result.result_for_node("breaks").success
    msg = "No event of type DagsterEventType.PIPELINE_SUCCESS found."
    with pytest.raises(dg.DagsterError, match=re.escape(msg)):
        result.get_run_success_event()
    (failure,) = result.get_step_failure_events()
    assert failure.error is not None and failure.error.cause is not None
    assert failure.error.cause.message == "bad 1"
    assert result.get_failed_step_keys() == {"breaks"}
    assert [e.step_key for e in result.get_step_success_events()] == ["one"]
    msg = "No outputs found for output 'result' from node 'breaks'."
    with pytest.raises(dg.DagsterInvariantViolationError, match=re.escape(msg)):
        result.output_for_node("breaks")


def test_events_are_stored_in_the_instance_and_the_run_ends_with_its_status() -> None:
    instance = dg.Instance.ephemeral()
    result = outer.to_job().execute_in_process(instance=instance)
    assert [e.event_type for e in instance.run_events(result.run_id)] == [
        e.event_type for e in result.all_events
    ]
    stored = instance.get_run(result.run_id)
    assert stored is not None and stored.status is dg.RunStatus.SUCCESS
