"""materialize_to_memory: which IO manager keys it keeps in memory, and what it refuses."""

from __future__ import annotations

import warnings

import pytest

import headwater as dg
from headwater.assets.binding import io_manager_keys_of


class _Store(dg.IOManager):
    def handle_output(self, context: dg.OutputContext, obj: object) -> None:
        pass

    def load_input(self, context: dg.InputContext) -> str:
        return "from-store"


@dg.asset(io_manager_key="warehouse")
def stored() -> int:
    return 1


@dg.asset
def down(stored: int) -> int:
    return stored + 1


@dg.multi_asset(
    outs={"m1": dg.AssetOut(io_manager_key="k1"), "m2": dg.AssetOut(io_manager_key="k2")}
)
def multi() -> tuple[int, int]:
    return 1, 2


@dg.op(out=dg.Out(io_manager_key="inner"))
def inner_op() -> int:
    return 3


@dg.op
def outer_op(x: int) -> int:
    return x * 2


@dg.graph_asset
def graphed() -> int:
    return outer_op(inner_op())


def test_every_output_key_counts_and_input_managers_and_bare_specs_do_not() -> None:
    @dg.asset(ins={"stored": dg.AssetIn(input_manager_key="loader")})
    def via_loader(stored: int) -> int:
        return stored

    src = dg.SourceAsset("src", io_manager_key="src_io")
    spec = dg.AssetSpec("ext").with_io_manager_key("ext_io")
    keys = io_manager_keys_of([stored, down, multi, graphed, via_loader, src, spec])
    assert keys == {"warehouse", "io_manager", "k1", "k2", "inner", "src_io"}


def test_a_check_result_counts_as_the_default_key() -> None:
    @dg.asset_check(asset=stored)
    def positive() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True)

    assert io_manager_keys_of([stored]) == {"warehouse"}
    assert io_manager_keys_of([stored, positive]) == {"warehouse", "io_manager"}


def test_every_key_gets_a_manager_that_keeps_values_in_memory() -> None:
    result = dg.materialize_to_memory([stored, down, multi, graphed])
    assert result.output_for_node("down") == 2
    assert result.output_for_node("multi", "m1") == 1
    assert result.output_for_node("multi", "m2") == 2
    assert result.output_for_node("graphed") == 6


@pytest.mark.parametrize(
    ("assets", "resources", "key"),
    [
        ([stored], {"warehouse": _Store()}, "warehouse"),
        ([multi], {"k2": _Store()}, "k2"),
        ([graphed], {"inner": _Store()}, "inner"),
        ([stored, down], {"io_manager": _Store()}, "io_manager"),
        (dg.with_resources([stored], {"warehouse": _Store()}), {}, "warehouse"),
    ],
)
def test_a_resource_for_a_kept_key_is_refused_naming_it(
    assets: list[object], resources: dict[str, object], key: str
) -> None:
    with pytest.raises(dg.DagsterInvariantViolationError, match=f"io manager key '{key}'"):
        dg.materialize_to_memory(assets, resources=resources)


def test_an_asset_io_manager_def_is_refused() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.BetaWarning)

        @dg.asset(io_manager_def=dg.IOManagerDefinition.hardcoded_io_manager(_Store()))
        def with_def() -> int:
            return 1

    with pytest.raises(dg.DagsterInvariantViolationError, match="use materialize"):
        dg.materialize_to_memory([with_def])


def test_an_io_manager_no_asset_stores_with_and_other_resources_are_used() -> None:
    @dg.asset(io_manager_key="warehouse", required_resource_keys={"db"})
    def reads_db(context: dg.AssetExecutionContext) -> str:
        return str(context.resources.db)

    result = dg.materialize_to_memory([reads_db], resources={"io_manager": _Store(), "db": "c"})
    assert result.output_for_node("reads_db") == "c"


def test_an_input_manager_still_comes_from_resources() -> None:
    @dg.asset(ins={"stored": dg.AssetIn(input_manager_key="loader")})
    def via_loader(stored: object) -> object:
        return stored

    @dg.input_manager
    def loader() -> str:
        return "loaded"

    with pytest.raises(dg.DagsterInvalidDefinitionError, match="'loader'"):
        dg.materialize_to_memory([stored, via_loader])
    result = dg.materialize_to_memory([stored, via_loader], resources={"loader": loader})
    assert result.output_for_node("via_loader") == "loaded"
