"""@asset_check's and AssetCheckSpec's further parameters, and sources binding managers."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError


@dg.asset
def a() -> int:
    return 1


@dg.asset
def b() -> int:
    return 2


def test_additional_ins_pass_values_and_additional_deps_wait() -> None:
    @dg.asset
    def late() -> int:
        return 3

    @dg.asset_check(asset=a, additional_ins={"other": dg.AssetIn("b")}, additional_deps=[late])
    def total(a: int, other: int) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=a + other == 3)

    assert total.keys_by_input_name == {
        "a": dg.AssetKey("a"),
        "other": dg.AssetKey("b"),
        "late": dg.AssetKey("late"),
    }
    result = dg.materialize_to_memory([a, b, late, total])
    started = [e.step_key for e in result.all_events if e.event_type_value == "STEP_START"]
    assert started[-1] == "a_total"
    assert [e.passed for e in result.get_asset_check_evaluations()] == [True]


def test_additional_ins_must_name_parameters() -> None:
    with pytest.raises(InvalidDefinitionError, match="additional_ins names"):

        @dg.asset_check(asset=a, additional_ins={"missing": dg.AssetIn("b")})
        def c(a: int) -> dg.AssetCheckResult:
            return dg.AssetCheckResult(passed=True)


def test_bound_resources_compute_kind_and_pool() -> None:
    @dg.asset_check(
        asset=a,
        resource_defs={"limit": dg.ResourceDefinition.hardcoded_resource(5)},
        compute_kind="sql",
        pool="db",
    )
    def small(context: Any, a: int) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=a < context.resources.limit)

    assert small.node_def.tags == {"dagster/compute_kind": "sql"}
    assert small.node_def.pool == "db"
    result = dg.materialize_to_memory([a, small])
    assert [e.passed for e in result.get_asset_check_evaluations()] == [True]


def test_partitioned_check_reports_the_partition() -> None:
    parts = dg.StaticPartitionsDefinition(["x", "y"])

    @dg.asset(partitions_def=parts)
    def p(context: dg.AssetExecutionContext) -> str:
        return context.partition_key

    with pytest.warns(dg.PreviewWarning):

        @dg.asset_check(asset=p, partitions_def=parts)
        def same(p: str) -> dg.AssetCheckResult:
            return dg.AssetCheckResult(passed=True)

    result = dg.materialize_to_memory([p, same], partition_key="y")
    assert [e.partition for e in result.get_asset_check_evaluations()] == ["y"]


def test_check_spec_refuses_its_own_asset_as_additional_dep() -> None:
    spec = dg.AssetCheckSpec("c", asset="a", additional_deps=["b"])
    assert [d.asset_key for d in spec.additional_deps] == [dg.AssetKey("b")]
    with pytest.raises(InvalidDefinitionError, match="its own asset"):
        dg.AssetCheckSpec("c", asset="a", additional_deps=["a"])


class _Load(dg.IOManager):
    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        pass

    def load_input(self, context: dg.InputContext) -> str:
        return context.asset_key.to_user_string()


def test_source_asset_io_manager_def_is_bound_under_its_own_key() -> None:
    with pytest.warns(dg.BetaWarning):
        raw = dg.SourceAsset("raw", io_manager_def=_Load())
    assert raw.io_manager_key == "raw__io_manager"

    @dg.asset
    def down(raw: str) -> str:
        return raw + "!"

    result = dg.materialize([raw, down], resources={"io_manager": dg.mem_io_manager})
    assert result.output_for_node("down") == "raw!"
    # materialize_to_memory would replace the bound manager with an in-memory one: refused.
    with pytest.raises(dg.DagsterInvariantViolationError, match="'raw__io_manager'"):
        dg.materialize_to_memory([raw, down])


def test_asset_io_manager_def_and_key_exclude_each_other() -> None:
    with pytest.raises(InvalidDefinitionError, match="one of them"):
        dg.asset(io_manager_def=_Load(), io_manager_key="k")(lambda: 1)
