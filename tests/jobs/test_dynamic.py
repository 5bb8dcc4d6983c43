"""Dynamic outputs as definitions: DynamicOut, DynamicOutput and map/collect in graph bodies."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError, InvalidInvocationError
from headwater.jobs.composition import CollectHandle, DynamicHandle, MappedHandle


@dg.op(out=dg.DynamicOut())
def emit() -> Any:
    for i in range(2):
        yield dg.DynamicOutput(i, mapping_key=f"k{i}")


@dg.op
def ident(x: Any) -> Any:
    return x


def test_dynamic_output_keeps_value_key_name_and_normalized_metadata() -> None:
    out = dg.DynamicOutput([1], "a_1", output_name="rows", metadata={"n": 3})
    assert (out.value, out.mapping_key, out.output_name) == ([1], "a_1", "rows")
    assert out.metadata["n"] == dg.MetadataValue.int(3)
    assert out == dg.DynamicOutput([1], "a_1", output_name="rows", metadata={"n": 3})
    assert out != dg.DynamicOutput([1], "a_2", output_name="rows", metadata={"n": 3})
    assert not isinstance(out, dg.Output)


@pytest.mark.parametrize("key", ["a-b", "a b", "", "é"])
def test_mapping_key_with_other_characters_is_refused(key: str) -> None:
    with pytest.raises(InvalidDefinitionError, match="is not a valid name"):
        dg.DynamicOutput(1, mapping_key=key)


def test_mapping_key_and_output_name_must_be_strings() -> None:
    with pytest.raises(InvalidInvocationError, match="must be a str, got 1"):
        dg.DynamicOutput(1, mapping_key=1)  # type: ignore[arg-type]
    with pytest.raises(InvalidInvocationError, match="output_name must be a str"):
        dg.DynamicOutput(1, "k", output_name=None)


def test_dynamic_out_is_an_out_that_is_dynamic() -> None:
    out = dg.DynamicOut(int, description="values", is_required=False)
    assert isinstance(out, dg.Out)
    assert out.is_dynamic and not dg.Out().is_dynamic
    assert (out.dagster_type, out.description, out.is_required) == (int, "values", False)


def test_map_and_collect_record_the_wiring() -> None:
    seen: list[Any] = []

    @dg.graph
    def g() -> Any:
        handle = emit()
        seen.append(handle)

        def body(x: Any) -> Any:
            seen.append(x)
            return ident(x)

        mapped = handle.map(body)
        seen.append(mapped)
        collected = mapped.collect()
        seen.append(collected)
        return ident.alias("last")(collected)

    handle, piece, mapped, collected = seen
    assert type(handle) is DynamicHandle and type(piece) is MappedHandle
    assert type(mapped) is DynamicHandle and mapped.node_name == "ident"
    assert type(collected) is CollectHandle
    # The graph records a plain wiring for the mapped input and the collect marker.
    assert type(g.nodes["ident"].inputs["x"]).__name__ == "OutputHandle"
    assert g.nodes["last"].inputs["x"] == CollectHandle("ident", "result")


def test_passing_a_dynamic_output_directly_is_refused() -> None:
    with pytest.raises(InvalidDefinitionError, match=r"directly.*map or collect"):

        @dg.job
        def j() -> None:
            ident(emit())


def test_map_takes_a_function() -> None:
    with pytest.raises(InvalidDefinitionError, match="takes a function"):

        @dg.job
        def j() -> None:
            emit().map(5)


def test_a_graph_passing_on_a_dynamic_output_declares_it_dynamic() -> None:
    @dg.graph
    def g() -> Any:
        return emit()

    assert g.output_defs["result"].is_dynamic

    @dg.job
    def j() -> None:
        g().map(ident)

    assert j.execute_in_process().output_for_node("ident") == {"k0": 0, "k1": 1}


def test_direct_invocation_returns_the_dynamic_outputs() -> None:
    assert [(o.value, o.mapping_key) for o in emit()] == [(0, "k0"), (1, "k1")]
