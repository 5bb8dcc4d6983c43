"""``ObserveResult``, ``MaterializeResult(value=...)``, ``DataVersionsByPartition`` and
``DataProvenance``."""

from __future__ import annotations

import re
from typing import Any

import pytest

import headwater as dg


def test_observe_result_coerces_its_key_and_keeps_its_fields() -> None:
    result = dg.ObserveResult(asset_key="a/b", data_version=dg.DataVersion("x"), tags={"t": "1"})
    assert result.asset_key == dg.AssetKey(["a", "b"])
    assert result.data_version == dg.DataVersion("x")
    assert result.tags == {"t": "1"}
    assert (result.check_results, result.metadata) == ([], None)
    assert (dg.MaterializeResult().tags, dg.MaterializeResult().metadata) == (None, None)


def test_asset_result_tags_are_checked() -> None:
    with pytest.raises(
        dg.InvalidDefinitionError,
        match=re.escape("ObserveResult: Found invalid tag keys: ['bad key!']"),
    ):
        dg.ObserveResult(tags={"bad key!": "x"})
    with pytest.raises(dg.InvalidDefinitionError, match="Tag values must be strings"):
        dg.MaterializeResult(tags={"t": 1})  # type: ignore[dict-item]
    with pytest.raises(dg.InvalidDefinitionError, match="invalid tag keys"):
        dg.MaterializeResult(tags={"a/b/c": "x"})
    assert dg.MaterializeResult(tags={"team/area": "x-1.0"}).tags == {"team/area": "x-1.0"}


def test_a_string_data_version_is_refused_with_the_fix() -> None:
    with pytest.raises(dg.InvalidDefinitionError, match=re.escape("DataVersion('v1')")):
        dg.ObserveResult(data_version="v1")  # type: ignore[arg-type]


def test_check_result_named_finds_a_result() -> None:
    passed = dg.AssetCheckResult(passed=True, check_name="rows")
    result = dg.MaterializeResult(check_results=[passed])
    assert result.check_result_named("rows") is passed
    with pytest.raises(dg.InvalidDefinitionError, match=r"named \['rows'\]"):
        result.check_result_named("nope")


def test_materialize_result_value_goes_to_the_io_manager() -> None:
    @dg.asset
    def first() -> dg.MaterializeResult:
        return dg.MaterializeResult(value=5, metadata={"m": 1})

    @dg.asset
    def second(first: int) -> int:
        return first + 1

    result = dg.materialize_to_memory([first, second])
    assert result.output_for_node("second") == 6
    materialized = result.asset_materializations_for_node("first")
    assert materialized[0].metadata["m"].value == 1


def test_materialize_result_without_value_stores_nothing() -> None:
    assert not dg.MaterializeResult().has_value
    assert dg.MaterializeResult(value=None).has_value


def test_a_value_for_an_asset_declared_by_a_spec_fails_its_type_check() -> None:
    @dg.multi_asset(specs=[dg.AssetSpec("x")])
    def xy() -> Any:
        yield dg.MaterializeResult(asset_key="x", value=10)

    with pytest.raises(
        dg.TypeCheckFailedError,
        match=re.escape('Type check failed for step output "x" - expected type "Nothing"'),
    ):
        dg.materialize_to_memory([xy])


def test_data_versions_by_partition_coerces_strings() -> None:
    versions = dg.DataVersionsByPartition({"a": "1", "b": dg.DataVersion("2")})
    assert versions.data_versions_by_partition == {
        "a": dg.DataVersion("1"),
        "b": dg.DataVersion("2"),
    }
    with pytest.raises(dg.InvalidDefinitionError, match=re.escape("entry 'a': 1")):
        dg.DataVersionsByPartition({"a": 1})  # type: ignore[dict-item]


def test_data_provenance_reads_event_tags() -> None:
    provenance = dg.DataProvenance.from_tags(
        {
            "dagster/code_version": "7",
            "dagster/input_data_version/a/b": "v1",
            "dagster/input_event_pointer/a/b": "12",
            "dagster/data_version_is_user_provided": "true",
        }
    )
    assert provenance == dg.DataProvenance(
        "7", {dg.AssetKey(["a", "b"]): dg.DataVersion("v1")}, {dg.AssetKey(["a", "b"]): 12}, True
    )
    assert provenance.has_input_asset(dg.AssetKey(["a", "b"]))
    assert dg.DataProvenance.from_tags({"dagster/data_version": "x"}) is None
