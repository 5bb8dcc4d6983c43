"""``@graph``: composing ops by calling them, nesting graphs, aliases and naming."""

from __future__ import annotations

import re
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError
from headwater.jobs.composition import GraphInputHandle, OutputHandle


@dg.op
def one() -> int:
    return 1


@dg.op
def add_one(x: int) -> int:
    return x + 1


@dg.op
def total(xs: list[int]) -> int:
    return sum(xs)


@dg.op(out={"evens": dg.Out(), "odds": dg.Out()})
def split(xs: list[int]) -> tuple[list[int], list[int]]:
    return [x for x in xs if x % 2 == 0], [x for x in xs if x % 2]


def test_graph_body_records_nodes_and_their_input_sources() -> None:
    @dg.graph
    def chain() -> None:
        add_one(one())

    assert isinstance(chain, dg.GraphDefinition)
    assert list(chain.nodes) == ["one", "add_one"]
    assert chain.nodes["add_one"].inputs == {"x": OutputHandle("one", "result")}
    assert chain.node_defs == [one, add_one]


def test_repeated_invocations_are_numbered_op_op_2_op_3() -> None:
    @dg.graph
    def three() -> None:
        one()
        one()
        one()

    assert list(three.nodes) == ["one", "one_2", "one_3"]


def test_alias_names_the_node_and_numbering_skips_taken_names() -> None:
    @dg.graph
    def aliased() -> None:
        one.alias("one_2")()
        one()
        one()

    assert list(aliased.nodes) == ["one_2", "one", "one_3"]
    assert aliased.nodes["one_2"].definition is one


def test_two_nodes_aliased_to_the_same_name_are_an_error() -> None:
    msg = "graph 'twice' invokes two nodes named 'same'; give each a distinct name with .alias(...)"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.graph
        def twice() -> None:
            one.alias("same")()
            one.alias("same")()


def test_tag_and_retry_policy_apply_to_one_invocation() -> None:
    policy = dg.RetryPolicy(max_retries=3)

    @dg.graph
    def tagged() -> None:
        one.tag({"k": "v"}).with_retry_policy(policy).alias("first")()
        one()

    assert tagged.nodes["first"].tags == {"k": "v"}
    assert tagged.nodes["first"].retry_policy is policy
    assert tagged.nodes["one"].tags == {}
    assert tagged.nodes["one"].retry_policy is None


def test_multiple_outputs_unpack_and_are_reachable_by_name() -> None:
    @dg.graph
    def g() -> None:
        evens, _odds = split()
        total.alias("sum_evens")(evens)
        handles = split.alias("again")()
        total.alias("sum_odds")(handles.odds)

    assert g.nodes["sum_evens"].inputs["xs"] == OutputHandle("split", "evens")
    assert g.nodes["sum_odds"].inputs["xs"] == OutputHandle("again", "odds")


def test_unknown_output_name_on_handles_lists_the_outputs() -> None:
    msg = "no output named 'nope'; outputs are ['evens', 'odds']"
    with pytest.raises(AttributeError, match=re.escape(msg)):

        @dg.graph
        def g() -> None:
            split().nope


def test_fan_in_records_every_source_in_order() -> None:
    @dg.graph
    def fan() -> None:
        total([one(), one(), add_one(one())])

    sources = fan.nodes["total"].inputs["xs"]
    assert sources == (
        OutputHandle("one", "result"),
        OutputHandle("one_2", "result"),
        OutputHandle("add_one", "result"),
    )


def test_passing_a_plain_value_inside_a_graph_is_an_error() -> None:
    msg = (
        "in graph 'g', node 'add_one' received 3 for input 'x'; inside a graph, inputs must "
        "be outputs of other ops (or graph inputs), not values"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.graph
        def g() -> None:
            add_one(3)


def test_too_many_positional_inputs_is_an_error() -> None:
    msg = "in graph 'g', node 'add_one' was called with 2 positional inputs but takes 1: ['x']"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.graph
        def g() -> None:
            add_one(one(), one())


def test_unknown_keyword_input_lists_the_inputs() -> None:
    msg = "in graph 'g', node 'add_one' has no input 'y'; its inputs are ['x']"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.graph
        def g() -> None:
            add_one(y=one())


def test_input_given_positionally_and_by_keyword_is_an_error() -> None:
    msg = "in graph 'g', node 'add_one' got input 'x' twice"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.graph
        def g() -> None:
            add_one(one(), x=one())


def test_graph_parameters_are_inputs_taking_facts_from_the_ops_they_feed() -> None:
    @dg.graph
    def inner(x: int) -> object:
        return add_one(x)

    assert inner.input_names == ["x"]
    assert inner.input_defs["x"].dagster_type is int
    assert inner.nodes["add_one"].inputs["x"] == GraphInputHandle("x")
    assert inner.output_mappings == {"result": OutputHandle("add_one", "result")}


def test_graph_returning_a_dict_maps_named_outputs() -> None:
    @dg.graph(out={"evens": dg.Out(), "odds": dg.Out()})
    def both() -> dict[str, OutputHandle]:
        evens, odds = split()
        return {"evens": evens, "odds": odds}

    assert both.output_names == ["evens", "odds"]
    assert both.output_mappings["odds"] == OutputHandle("split", "odds")


def test_graph_returning_a_tuple_matches_out_in_order() -> None:
    @dg.graph(out={"a": dg.Out(), "b": dg.Out()})
    def pair() -> Any:
        return split()

    assert pair.output_mappings == {
        "a": OutputHandle("split", "evens"),
        "b": OutputHandle("split", "odds"),
    }


def test_graph_returning_the_wrong_number_of_outputs_is_an_error() -> None:
    msg = "graph 'pair' returns 2 outputs but declares 3 in out=: ['a', 'b', 'c']"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.graph(out={"a": dg.Out(), "b": dg.Out(), "c": dg.Out()})
        def pair() -> object:
            return split()


def test_graph_returning_a_value_is_an_error() -> None:
    msg = (
        "graph 'g' returned 5; a graph returns an op's output, a dict of outputs by name, "
        "or a tuple matching out={...}"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.graph
        def g() -> int:
            return 5


def test_nested_graph_is_a_node_of_its_parent() -> None:
    @dg.graph
    def inner(x: int) -> object:
        return add_one(add_one(x))

    @dg.graph
    def outer() -> None:
        add_one(inner(one()))

    assert list(outer.nodes) == ["one", "inner", "add_one"]
    assert outer.nodes["inner"].definition is inner
    assert outer.nodes["add_one"].inputs["x"] == OutputHandle("inner", "result")


def test_calling_a_graph_outside_a_body_is_an_error() -> None:
    @dg.graph
    def g() -> None:
        one()

    msg = "'g' can only be called inside a @graph or @job body"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        g()


def test_graph_options_are_kept() -> None:
    @dg.graph(name="etl", description="nightly", tags={"k": "v"}, config={"ops": {}})
    def whatever() -> None:
        """Docstring loses."""
        one()

    assert (whatever.name, whatever.description, whatever.tags) == ("etl", "nightly", {"k": "v"})
    assert whatever.config == {"ops": {}}


def test_graph_execute_in_process_runs_it_as_an_ad_hoc_job() -> None:
    @dg.op(required_resource_keys={"base"})
    def base(context: dg.OpExecutionContext) -> Any:
        return context.resources.base

    @dg.graph
    def g() -> object:
        return add_one(base())

    result = g.execute_in_process(resources={"base": 41})
    assert result.success
    assert result.output_for_node("add_one") == 42
    assert result.output_value() == 42
