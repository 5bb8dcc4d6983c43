from __future__ import annotations

import json
import re
from typing import Any

import pytest

import headwater as hw
from headwater.errors import InvalidInvocationError
from headwater.jobs import job, op
from headwater.storage import Instance


@hw.asset
def orders() -> int:
    return 1


@hw.asset
def users() -> int:
    return 2


@op
def report() -> None: ...


@job
def report_job() -> None:
    report()


with pytest.warns(Warning):

    @hw.multi_asset_sensor(
        monitored_assets=[hw.AssetKey("orders"), hw.AssetKey("users")], job=report_job
    )
    def both(context: hw.MultiAssetSensorEvaluationContext) -> Any:
        records = context.latest_materialization_records_by_key()
        if all(records.values()):
            context.advance_all_cursors()
            return hw.RunRequest(run_key="both")
        return hw.SkipReason("waiting")


def _context(instance: Instance, cursor: str | None = None) -> hw.MultiAssetSensorEvaluationContext:
    return hw.build_multi_asset_sensor_context(
        monitored_assets=[hw.AssetKey("orders"), hw.AssetKey("users")],
        instance=instance,
        cursor=cursor,
    )


def test_requests_once_every_asset_is_new_and_advances_the_cursor() -> None:
    instance = Instance.ephemeral()
    context = _context(instance)
    hw.materialize([orders], instance=instance)
    assert both(context).skip_message == "waiting"
    assert context.cursor is None
    hw.materialize([users], instance=instance)
    assert both(context).run_key == "both"
    assert context.cursor is not None
    assert sorted(json.loads(context.cursor)) == [
        "AssetKey(['orders'])",
        "AssetKey(['users'])",
    ]
    assert both(_context(instance, context.cursor)).skip_message == "waiting"


def test_evaluate_tick_returns_the_new_cursor() -> None:
    instance = Instance.ephemeral()
    hw.materialize([orders, users], instance=instance)
    data = both.evaluate_tick(hw.build_sensor_context(instance=instance))
    assert [r.run_key for r in data.run_requests] == ["both"]
    assert data.cursor is not None
    assert (
        both.evaluate_tick(
            hw.build_sensor_context(instance=instance, cursor=data.cursor)
        ).skip_message
        == "waiting"
    )


def test_records_for_key_are_oldest_first_after_the_cursor() -> None:
    instance = Instance.ephemeral()
    hw.materialize([orders], instance=instance)
    hw.materialize([orders], instance=instance)
    records = _context(instance).materialization_records_for_key(hw.AssetKey("orders"))
    assert len(records) == 2
    assert records[0].storage_id < records[1].storage_id


def test_a_selection_needs_definitions() -> None:
    msg = (
        "monitored_assets is an AssetSelection, which resolves only against the assets of a "
        "Definitions; pass definitions=Definitions(...)"
    )
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        hw.build_multi_asset_sensor_context(monitored_assets=hw.AssetSelection.all())
