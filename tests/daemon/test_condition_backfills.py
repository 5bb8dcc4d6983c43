"""An automation condition sensor's ``emit_backfills``: several partitions of an asset
requested in one tick become one backfill (with the requested assets connected to it), which
the backfills duty works through; without it, one run per partition."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from headwater.cli import cli
from headwater.daemon.backfills import BackfillDuty
from headwater.daemon.code import load_automation
from headwater.daemon.sensors import SensorDuty
from headwater.daemon.store import read_ticks
from headwater.daemon.worker import start_queued_run
from headwater.location.code import CodePointer
from headwater.storage import Instance, RunStatus
from headwater.storage.backfills import BACKFILL_TAG, list_backfill_ids, read_backfill

pytestmark = pytest.mark.filterwarnings("ignore::headwater.BetaWarning")

DEFS = """
import headwater as dg

days = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-04")
missing = dg.AutomationCondition.missing()

@dg.asset(partitions_def=days, automation_condition=missing)
def a(context):
    return context.partition_key

@dg.asset(partitions_def=days, deps=[a], automation_condition=missing)
def b(context):
    return context.partition_key

@dg.asset(deps=[a], automation_condition=missing)
def d():
    return 1

@dg.asset(automation_condition=missing)
def c():
    return 1

auto = dg.AutomationConditionSensorDefinition(
    "auto",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    emit_backfills={emit},
)
defs = dg.Definitions(assets=[a, b, c, d], sensors=[auto])
"""


def _tick(tmp_path: Path, instance: Instance, *, emit: bool) -> str:
    path = tmp_path / "defs.py"
    path.write_text(DEFS.format(emit=emit))
    code = load_automation(CodePointer.for_file(str(path)))
    assert SensorDuty(instance, code).run_once(time.time()) == []
    return code.location


def _selection(run: object) -> list[str]:
    return json.loads(run.tags["headwater/asset_selection"])  # type: ignore[attr-defined]


def test_several_partitions_become_one_backfill_worked_by_the_backfills_duty(
    tmp_path: Path,
) -> None:
    with Instance.from_config(tmp_path / "home") as instance:
        location = _tick(tmp_path, instance, emit=True)
        # Only 'c' is not connected to an asset requested in several partitions: one run.
        [run] = instance.get_runs()
        assert _selection(run) == ["c"] and run.tags["dagster/sensor_name"] == "auto"
        [backfill_id] = list_backfill_ids(instance)
        [tick] = read_ticks(instance, "sensor", location, "auto")
        assert (tick.status, tick.run_ids, tick.backfill_ids) == (
            "SUCCESS",
            (run.run_id,),
            (backfill_id,),
        )
        record = read_backfill(instance, backfill_id)
        assert record is not None
        assert [u.key for u in record.units] == [
            "2024-01-01", "2024-01-02", "2024-01-03", "__unpartitioned__",
        ]  # fmt: skip
        assert record.final_selection == ("d",)
        shown = CliRunner().invoke(
            cli,
            ["sensor", "ticks", "auto", "--location", location],
            env={"HEADWATER_HOME": str(tmp_path / "home")},
        )
        assert f"{run.run_id}, backfill {backfill_id}" in shown.output
        duty = BackfillDuty(instance)
        for _ in range(4):
            duty.run_once(0.0)
            for queued in instance.get_runs(statuses=[RunStatus.QUEUED], ascending=True):
                start_queued_run(instance, queued.run_id)
        duty.run_once(0.0)
        record = read_backfill(instance, backfill_id)
        assert record is not None and record.status == "COMPLETED_SUCCESS"
        runs = instance.get_runs(tags={BACKFILL_TAG: backfill_id}, ascending=True)
        assert [(r.tags.get("dagster/partition"), _selection(r)) for r in runs] == [
            ("2024-01-01", ["a", "b"]),
            ("2024-01-02", ["a", "b"]),
            ("2024-01-03", ["a", "b"]),
            (None, ["d"]),
        ]
        assert all(r.tags["dagster/sensor_name"] == "auto" for r in runs)
        assert {r.status for r in runs} == {RunStatus.SUCCESS}


def test_without_emit_backfills_each_partition_is_a_run(tmp_path: Path) -> None:
    with Instance.from_config(tmp_path / "home") as instance:
        _tick(tmp_path, instance, emit=False)
        runs = instance.get_runs(ascending=True)
        assert list_backfill_ids(instance) == []
    assert sorted((r.tags.get("dagster/partition") or "", _selection(r)) for r in runs) == [
        ("", ["c", "d"]),
        ("2024-01-01", ["a", "b"]),
        ("2024-01-02", ["a", "b"]),
        ("2024-01-03", ["a", "b"]),
    ]


def test_a_tick_repeated_after_a_crash_records_its_backfill_once(tmp_path: Path) -> None:
    from headwater.daemon.store import InstigatorState, write_instigators

    with Instance.from_config(tmp_path / "home") as instance:
        location = _tick(tmp_path, instance, emit=True)
        [first] = list_backfill_ids(instance)
        # As if the daemon died before storing the sensor's new cursor: the next pass
        # evaluates from the state the first one started from.
        write_instigators(instance, "sensor", location, {"auto": InstigatorState()})
        _tick(tmp_path, instance, emit=True)
        assert list_backfill_ids(instance) == [first]
        ticks = read_ticks(instance, "sensor", location, "auto")
        assert [t.backfill_ids for t in ticks] == [(first,), (first,)]
