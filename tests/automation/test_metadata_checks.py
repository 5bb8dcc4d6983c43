"""``build_metadata_bounds_checks`` and ``build_column_schema_change_checks`` against runs."""

from __future__ import annotations

import re
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError

pytestmark = pytest.mark.filterwarnings("ignore::headwater.BetaWarning")


def counted(name: str, value: Any) -> dg.AssetsDefinition:
    @dg.asset(name=name)
    def _asset() -> dg.MaterializeResult:
        return dg.MaterializeResult(metadata={"dagster/row_count": value})

    return _asset


def outcomes(result: Any) -> dict[str, tuple[bool, str]]:
    return {
        ev.asset_key.to_user_string(): (ev.passed, ev.description)
        for ev in result.get_asset_check_evaluations()
    }


def test_bounds_builder_warns_and_names_its_checks() -> None:
    with pytest.warns(dg.BetaWarning, match="Function `build_metadata_bounds_checks`"):
        (definition,) = dg.build_metadata_bounds_checks(
            assets=["a"], metadata_key="dagster/row count", min_value=1
        )
    assert definition.node_def.name == "asset_check_8aeaf583"
    assert definition.spec.name == "dagster_row_count_bounds_check"
    assert definition.spec.description == (
        "Checks that the latest materialization has metadata value `dagster/row count` greater "
        "than or equal to 1"
    )


def test_bounds_checks_judge_the_latest_value() -> None:
    assets = [counted("inside", 5), counted("low", 0), counted("edge", 10), counted("text", "x")]
    checks = dg.build_metadata_bounds_checks(
        assets=assets, metadata_key="dagster/row_count", min_value=1, max_value=10,
        exclusive_max=True, severity=dg.AssetCheckSeverity.ERROR,
    )  # fmt: skip
    result = dg.materialize([*assets, *checks], instance=dg.DagsterInstance.ephemeral())
    assert outcomes(result) == {
        "inside": (True, "Value `5` is within range"),
        "low": (False, "Value `0` is less than 1"),
        "edge": (False, "Value `10` is greater than or equal to 10"),
        "text": (False, "Value `x` is not a number"),
    }
    severities = {ev.severity for ev in result.get_asset_check_evaluations()}
    assert severities == {dg.AssetCheckSeverity.ERROR}


def test_bounds_check_without_the_entry_fails_saying_so() -> None:
    @dg.asset
    def plain() -> int:
        return 1

    checks = dg.build_metadata_bounds_checks(assets=[plain], metadata_key="size", max_value=3)
    result = dg.materialize([plain, *checks], instance=dg.DagsterInstance.ephemeral())
    assert outcomes(result) == {"plain": (False, "Metadata key `size` not found")}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "At least one of `min_value` or `max_value` must be set"),
        ({"min_value": 5, "max_value": 1}, "`min_value` may not be greater than `max_value`"),
        ({"min_value": "1"}, "min_value must be a number, got '1'"),
    ],
)
def test_bounds_builder_rejects_bad_bounds(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidDefinitionError, match=re.escape(message)):
        dg.build_metadata_bounds_checks(assets=["a"], metadata_key="n", **kwargs)


def table(columns: list[tuple[str, str]]) -> dg.AssetsDefinition:
    @dg.asset(name="table")
    def _asset() -> dg.MaterializeResult:
        schema = dg.TableSchema(columns=[dg.TableColumn(name, kind) for name, kind in columns])
        return dg.MaterializeResult(metadata={"dagster/column_schema": schema})

    return _asset


def test_schema_change_check_compares_the_last_two_materializations() -> None:
    first = table([("id", "int"), ("name", "string"), ("gone", "bool")])
    second = table([("id", "string"), ("name", "string"), ("added", "float")])
    with pytest.warns(dg.BetaWarning, match="build_column_schema_change_checks"):
        checks = dg.build_column_schema_change_checks(assets=[first])
    assert checks[0].spec.name == "column_schema_change"
    instance = dg.DagsterInstance.ephemeral()
    once = outcomes(dg.materialize([first, *checks], instance=instance))
    assert once == {"table": (True, "The asset has been materialized fewer than 2 times")}
    same = outcomes(dg.materialize([first, *checks], instance=instance))
    assert same["table"][0] is True
    changed = outcomes(dg.materialize([second, *checks], instance=instance))
    assert changed == {
        "table": (
            False,
            "Column schema changed between previous and latest materialization.\n\n"
            "Added columns: added\n\nRemoved columns: gone\n\n"
            "Column type changes:\n- id: int -> string",
        )
    }


def test_schema_change_check_fails_without_a_schema() -> None:
    @dg.asset(name="table")
    def plain() -> int:
        return 1

    checks = dg.build_column_schema_change_checks(assets=["table"])
    instance = dg.DagsterInstance.ephemeral()
    dg.materialize([plain], instance=instance)
    result = outcomes(dg.materialize([plain, *checks], instance=instance))
    assert result == {"table": (False, "Latest materialization has no column schema metadata")}
