"""@graph_asset, @graph_multi_asset and AssetsDefinition.from_graph/from_op."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError, InvariantViolationError


@dg.op
def add_one(x: int) -> int:
    return x + 1


@dg.op
def double(x: int) -> int:
    return x * 2


@dg.asset
def numbers() -> int:
    return 3


@dg.op
def one() -> int:
    return 1


def _started(result: Any) -> list[str]:
    return [e.step_key for e in result.all_events if e.event_type_value == "STEP_START"]


def test_graph_asset_runs_each_op_as_a_step_and_stores_only_its_output() -> None:
    @dg.graph_asset
    def doubled(numbers: int) -> Any:
        return double(add_one(numbers))

    assert isinstance(doubled.node_def, dg.GraphDefinition)
    assert doubled.keys_by_input_name == {"numbers": dg.AssetKey("numbers")}
    result = dg.materialize_to_memory([numbers, doubled])
    assert _started(result) == ["numbers", "doubled.add_one", "doubled.double"]
    materialized = [
        (e.step_key, e.asset_key.to_user_string())
        for e in result.all_events
        if e.event_type_value == "ASSET_MATERIALIZATION"
    ]
    assert materialized == [("numbers", "numbers"), ("doubled.double", "doubled")]
    assert result.output_for_node("doubled") == 8
    assert result.output_for_node("doubled.add_one") == 4


def test_graph_asset_op_property_refuses_a_graph() -> None:
    @dg.graph_asset
    def g() -> Any:
        return add_one(one())

    with pytest.raises(InvalidDefinitionError, match="use node_def"):
        _ = g.op


def test_graph_asset_name_and_key_prefix_name_the_graph() -> None:
    @dg.graph_asset(key_prefix=["pre"], name="renamed")
    def g() -> Any:
        return add_one(one())

    assert g.key == dg.AssetKey(["pre", "renamed"])
    assert g.node_def.name == "pre__renamed"


def test_graph_multi_asset_subset_runs_what_the_selected_outputs_need() -> None:
    seen: list[set[str]] = []

    @dg.op(out={"a": dg.Out(is_required=False), "b": dg.Out(is_required=False)})
    def split(context: dg.OpExecutionContext) -> Any:
        seen.append(set(context.selected_output_names))
        for name in sorted(context.selected_output_names):
            yield dg.Output(1, name)

    @dg.graph_multi_asset(outs={"left": dg.AssetOut(), "right": dg.AssetOut()}, can_subset=True)
    def both() -> Any:
        a, b = split()
        return {"left": a, "right": b}

    result = dg.materialize_to_memory([both], selection=["right"])
    assert seen == [{"b"}]
    assert [e.asset_key for e in result.get_asset_materialization_events()] == [
        dg.AssetKey("right")
    ]


def test_graph_multi_asset_without_subset_refuses_a_partial_selection() -> None:
    @dg.op(out={"a": dg.Out(), "b": dg.Out()})
    def split() -> tuple[int, int]:
        return 1, 2

    @dg.graph_multi_asset(outs={"a": dg.AssetOut(), "b": dg.AssetOut()})
    def both() -> Any:
        a, b = split()
        return {"a": a, "b": b}

    with pytest.raises(InvalidDefinitionError, match="cannot compute a subset"):
        dg.materialize_to_memory([both], selection=["a"])


def test_check_specs_are_graph_outputs_returning_results() -> None:
    @dg.op
    def judge(x: int) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=x > 0)

    @dg.graph_asset(check_specs=[dg.AssetCheckSpec("positive", asset="checked")])
    def checked() -> Any:
        value = add_one(one())
        return {"result": value, "checked_positive": judge(value)}

    result = dg.materialize_to_memory([checked])
    evaluations = result.get_asset_check_evaluations()
    assert [(e.check_name, e.passed) for e in evaluations] == [("positive", True)]
    handled = [e.step_key for e in result.all_events if e.event_type_value == "HANDLED_OUTPUT"]
    assert "checked.judge" not in handled


def test_check_output_must_return_a_check_result() -> None:
    @dg.graph_asset(check_specs=[dg.AssetCheckSpec("c", asset="wrong")])
    def wrong() -> Any:
        value = add_one(one())
        return {"result": value, "wrong_c": double(value)}

    with pytest.raises(InvariantViolationError, match="return AssetCheckResult"):
        dg.materialize_to_memory([wrong])


def test_check_spec_of_another_asset_is_refused() -> None:
    with pytest.raises(InvalidDefinitionError, match="does not compute"):

        @dg.graph_asset(check_specs=[dg.AssetCheckSpec("c", asset="elsewhere")])
        def g() -> Any:
            return add_one(one())


def test_graph_asset_unknown_keyword_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="'nope'"):
        dg.graph_asset(nope=1)


def test_from_graph_needs_a_key_for_every_output() -> None:
    @dg.op(out={"x": dg.Out(), "y": dg.Out()})
    def two() -> tuple[int, int]:
        return 1, 2

    @dg.graph(out={"x": dg.GraphOut(), "y": dg.GraphOut()})
    def g() -> Any:
        return two()

    with pytest.raises(InvalidDefinitionError, match="give a key for every output"):
        dg.AssetsDefinition.from_graph(g, keys_by_output_name={"x": dg.AssetKey("x")})
    made = dg.AssetsDefinition.from_graph(g, key_prefix="p", group_name="grp")
    assert made.keys == {dg.AssetKey(["p", "x"]), dg.AssetKey(["p", "y"])}
    assert set(made.group_names_by_key.values()) == {"grp"}


def test_from_op_internal_asset_deps_leave_unnamed_assets_without_deps() -> None:
    @dg.op(out={"x": dg.Out(), "y": dg.Out()})
    def two(up: int) -> tuple[int, int]:
        return up, up

    made = dg.AssetsDefinition.from_op(two, internal_asset_deps={"y": {dg.AssetKey("up")}})
    assert made.asset_deps == {
        dg.AssetKey("x"): set(),
        dg.AssetKey("y"): {dg.AssetKey("up")},
    }
    with pytest.raises(InvalidDefinitionError, match="'nope'"):
        dg.AssetsDefinition.from_op(two, internal_asset_deps={"nope": set()})


def test_constructor_takes_facts_by_key() -> None:
    @dg.op(out={"x": dg.Out(), "y": dg.Out()})
    def two(up: int) -> tuple[int, int]:
        return up, up

    made = dg.AssetsDefinition(
        keys_by_input_name={"up": dg.AssetKey("up")},
        keys_by_output_name={"x": dg.AssetKey("x"), "y": dg.AssetKey("y")},
        node_def=two,
        group_names_by_key={dg.AssetKey("x"): "gx"},
        selected_asset_keys={dg.AssetKey("x")},
    )
    assert made.keys == {dg.AssetKey("x")}
    assert made.group_names_by_key == {dg.AssetKey("x"): "gx"}
    with pytest.raises(InvariantViolationError, match="no output named zz"):
        dg.AssetsDefinition(keys_by_output_name={"zz": dg.AssetKey("x")}, node_def=two)
    with pytest.raises(InvalidDefinitionError, match="node_def="):
        dg.AssetsDefinition()
