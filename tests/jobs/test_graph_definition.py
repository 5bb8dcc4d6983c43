"""GraphDefinition's reference parameters (input_assets, kwargs) and PendingNodeInvocation."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError, InvalidInvocationError


class _Load(dg.IOManager):
    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        raise AssertionError("nothing is stored")

    def load_input(self, context: dg.InputContext) -> str:
        return f"loaded {context.asset_key.to_user_string()}"


@dg.op
def shout(x: str) -> str:
    return x + "!"


def test_input_assets_load_through_the_assets_io_manager() -> None:
    raw = dg.SourceAsset("raw", io_manager_key="loader")
    graph = dg.GraphDefinition(name="g", node_defs=[shout], input_assets={"shout": {"x": raw}})
    result = graph.to_job(resource_defs={"loader": _Load()}).execute_in_process()
    assert result.output_for_node("shout") == "loaded raw!"


def test_node_input_source_assets_is_the_old_name() -> None:
    raw = dg.SourceAsset("raw", io_manager_key="loader")
    graph = dg.GraphDefinition(
        name="g", node_defs=[shout], node_input_source_assets={"shout": {"x": raw}}
    )
    assert set(graph.input_assets) == {"shout"}
    with pytest.raises(InvalidDefinitionError, match="not both"):
        dg.GraphDefinition(
            name="g",
            node_defs=[shout],
            input_assets={"shout": {"x": raw}},
            node_input_source_assets={"shout": {"x": raw}},
        )


def test_input_assets_must_name_nodes_and_inputs_of_the_graph() -> None:
    raw = dg.SourceAsset("raw")
    with pytest.raises(InvalidDefinitionError, match="node 'other'"):
        dg.GraphDefinition(name="g", node_defs=[shout], input_assets={"other": {"x": raw}})
    with pytest.raises(InvalidDefinitionError, match="input 'y'"):
        dg.GraphDefinition(name="g", node_defs=[shout], input_assets={"shout": {"y": raw}})


def test_unknown_keyword_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="'bogus'"):
        dg.GraphDefinition(name="g", node_defs=[shout], bogus=1)
    assert dg.GraphDefinition(name="g", node_defs=[shout], positional_inputs=[]).name == "g"


def test_nested_graph_dict_config_is_fixed() -> None:
    @dg.op(config_schema={"n": int})
    def read(context: dg.OpExecutionContext) -> int:
        return int(context.op_config["n"])

    @dg.graph(config={"read": {"config": {"n": 4}}})
    def inner() -> Any:
        return read()

    @dg.job
    def outer() -> None:
        inner()

    assert outer.execute_in_process().output_for_node("inner") == 4
    given = {"ops": {"inner": {"config": {"anything": 1}}}}
    assert outer.execute_in_process(given).output_for_node("inner") == 4


def test_pending_graph_becomes_a_job_with_its_alias_and_hooks() -> None:
    ran: list[str] = []

    @dg.success_hook
    def note(context: dg.HookContext) -> None:
        ran.append(context.op.name)

    @dg.op
    def word() -> str:
        return "a"

    @dg.graph
    def g() -> None:
        shout.alias("s")(word())

    pending = g.alias("renamed").with_hooks({note})
    job = pending.to_job()
    assert job.name == "renamed"
    assert job.execute_in_process().success
    assert sorted(ran) == ["s", "word"]
    with pytest.raises(InvalidInvocationError, match="needs a graph"):
        shout.alias("x").execute_in_process()
