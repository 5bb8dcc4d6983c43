"""Execution plans: pure ordering of a job's ops into steps (no resources, no I/O)."""

from __future__ import annotations

import re
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError
from headwater.execution.plan import ExecutionPlan, Step, StepInput, _ordered, build_plan
from headwater.jobs.io import NoValue


@dg.op
def one() -> int:
    return 1


@dg.op
def add(x: int, y: int = 0) -> int:
    return x + y


@dg.op
def total(xs: list[int]) -> int:
    return sum(xs)


@dg.op(ins={"after": dg.In(dg.Nothing)})
def last() -> None: ...


@dg.graph
def inner(x: int) -> Any:
    return add(add(x))


@dg.job
def pipeline_job() -> None:
    first = one()
    nested = inner(first)
    total([first, nested])
    last(after=nested)


def test_plan_flattens_nested_graphs_into_dotted_step_keys() -> None:
    plan = build_plan(pipeline_job)
    # Level by level, each level by step key, as the reference orders in-process steps.
    assert [s.key for s in plan.steps] == ["one", "inner.add", "inner.add_2", "last", "total"]
    step = plan.by_key["inner.add_2"]
    assert step.path == ("inner", "add_2")
    assert step.name == "add_2"
    assert step.op_def is add


def test_step_inputs_point_at_upstream_outputs() -> None:
    plan = build_plan(pipeline_job)
    (x, y) = plan.by_key["inner.add"].inputs
    assert x == StepInput("x", (("one", "result"),), False, False, None, NoValue)
    assert y.sources == () and y.default == 0
    assert plan.by_key["inner.add"].upstream == frozenset({"one"})


def test_fan_in_and_nothing_inputs_are_marked() -> None:
    plan = build_plan(pipeline_job)
    (xs,) = plan.by_key["total"].inputs
    assert xs.is_fan_in
    assert xs.sources == (("one", "result"), ("inner.add_2", "result"))
    (after,) = plan.by_key["last"].inputs
    assert after.is_nothing
    assert plan.by_key["last"].upstream == frozenset({"inner.add_2"})


def test_graph_outputs_resolve_to_the_step_that_makes_them() -> None:
    plan = build_plan(pipeline_job)
    assert plan.resolve_output("inner", "result") == ("inner.add_2", "result")
    assert plan.resolve_output("one", "result") == ("one", "result")
    assert plan.resolve_output("nope", "result") is None


def test_top_level_graph_inputs_are_marked_as_job_inputs() -> None:
    plan = build_plan(inner.to_job())
    assert plan.by_key["add"].inputs[0].from_job_input == "x"
    assert plan.by_key["add"].inputs[0].sources == ()


def test_tags_and_retry_policies_combine_op_invocation_and_job() -> None:
    own = dg.RetryPolicy(max_retries=1)
    per_call = dg.RetryPolicy(max_retries=2)
    job_wide = dg.RetryPolicy(max_retries=3)

    @dg.op(tags={"a": "op", "b": "op"}, retry_policy=own)
    def tagged() -> None: ...

    @dg.graph
    def g() -> None:
        tagged()
        tagged.tag({"b": "call"}).with_retry_policy(per_call)()
        one()

    plan = build_plan(g.to_job(op_retry_policy=job_wide))
    assert plan.by_key["tagged"].tags == {"a": "op", "b": "op"}
    assert plan.by_key["tagged_2"].tags == {"a": "op", "b": "call"}
    assert plan.by_key["tagged"].retry_policy is own
    assert plan.by_key["tagged_2"].retry_policy is per_call
    assert plan.by_key["one"].retry_policy is job_wide


def test_subset_keeps_selected_steps_by_key_or_name() -> None:
    plan = build_plan(pipeline_job)
    small = plan.subset(["one", "inner.add"])
    assert [s.key for s in small.steps] == ["one", "inner.add"]
    assert [s.key for s in plan.subset(["add_2", "add", "one"]).steps] == [
        "one",
        "inner.add",
        "inner.add_2",
    ]


def test_subset_drops_nothing_dependencies_on_left_out_steps() -> None:
    plan = build_plan(pipeline_job).subset(["last"])
    (step,) = plan.steps
    assert step.upstream == frozenset()
    assert step.inputs[0].sources == ()


def test_subset_that_starves_an_input_is_an_error() -> None:
    msg = (
        "op_selection leaves input 'xs' of op 'total' without a value (it comes from "
        "['one', 'inner.add_2']); select those ops too"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        build_plan(pipeline_job).subset(["total"])


def test_subset_of_unknown_names_lists_the_steps() -> None:
    msg = (
        "op_selection names ['ghost'], which are not ops of this job; ops are "
        "['inner.add', 'inner.add_2', 'last', 'one', 'total']"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        build_plan(pipeline_job).subset(["one", "ghost"])


def _step(key: str, upstream: set[str]) -> Step:
    return Step(key, (key,), one, (), frozenset(upstream), {}, None)


def test_ordering_puts_every_step_after_its_upstream_steps() -> None:
    steps = [_step("c", {"b"}), _step("a", set()), _step("b", {"a"}), _step("d", set())]
    assert [s.key for s in _ordered(steps)] == ["a", "d", "b", "c"]


def test_ordering_reports_a_cycle() -> None:
    msg = "the ops ['x', 'y'] depend on each other in a cycle"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        _ordered([_step("x", {"y"}), _step("y", {"x"}), _step("z", set())])


def test_plan_building_is_pure_and_repeatable() -> None:
    first, second = build_plan(pipeline_job), build_plan(pipeline_job)
    assert [s.key for s in first.steps] == [s.key for s in second.steps]
    assert isinstance(first, ExecutionPlan)
