"""A backfill's units run in the order of the asset graph: unpartitioned parents before the
partitions, unpartitioned children after; a failed parent leaves its dependents not run."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from headwater.daemon.backfill_order import UPSTREAM_UNIT
from headwater.daemon.backfills import (
    BackfillDuty,
    backfill_progress,
    plan_backfill,
    resume_backfill,
)
from headwater.daemon.code import load_automation
from headwater.daemon.sensors import SensorDuty
from headwater.daemon.store import read_ticks
from headwater.daemon.worker import start_queued_run
from headwater.errors import HeadwaterError
from headwater.location.code import CodePointer
from headwater.storage import Instance, RunStatus
from headwater.storage.backfills import (
    BACKFILL_TAG,
    BackfillRecord,
    list_backfill_ids,
    read_backfill,
)

from ._backfill import defs_of, launch

pytestmark = pytest.mark.filterwarnings("ignore::headwater.BetaWarning")

# 'a' takes 'u' as an input: a partition run before 'u' was materialized fails to load it.
DEFS = """
import os
import headwater as dg

days = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-04")
missing = dg.AutomationCondition.missing()

@dg.asset(automation_condition=missing)
def u():
    if os.environ.get("U_FAILS"):
        raise RuntimeError("u fails")
    return 10

@dg.asset(partitions_def=days, automation_condition=missing)
def a(context, u):
    return u + 1

@dg.asset(deps=[a])
def r():
    return 1

@dg.asset(partitions_def=days, deps=[r])
def b(context):
    return 1

auto = dg.AutomationConditionSensorDefinition(
    "auto", target=dg.AssetSelection.assets("u", "a"),
    default_status=dg.DefaultSensorStatus.RUNNING,
)
defs = dg.Definitions(assets=[u, a, r, b], sensors=[auto])
"""


@pytest.fixture
def code(tmp_path: Path) -> CodePointer:
    (tmp_path / "defs.py").write_text(DEFS)
    return CodePointer.for_file(str(tmp_path / "defs.py"))


def _work(instance: Instance, passes: int = 5) -> list[list[str]]:
    """Run the duty and the queue; returns the selections queued by each pass."""
    duty = BackfillDuty(instance)
    waves = []
    for _ in range(passes):
        duty.run_once(0.0)
        queued = instance.get_runs(statuses=[RunStatus.QUEUED], ascending=True)
        waves.append(sorted(run.tags.get("dagster/partition", "-") for run in queued))
        for run in queued:
            start_queued_run(instance, run.run_id)
    return [w for w in waves if w]


def test_plan_puts_unpartitioned_parents_first_and_children_last(code: CodePointer) -> None:
    _, selection, final, units = plan_backfill(
        defs_of(code), select="u a r", partition_range=("2024-01-01", "2024-01-02")
    )
    assert [u.key for u in units] == [
        UPSTREAM_UNIT,
        "2024-01-01",
        "2024-01-02",
        "__unpartitioned__",
    ]
    assert units[0].selection == ("u",) and final == ("r",) and selection == ("a",)
    assert [u.after for u in units[1:3]] == [(UPSTREAM_UNIT,), (UPSTREAM_UNIT,)]


def test_plan_refuses_an_unpartitioned_asset_between_partitioned_ones(code: CodePointer) -> None:
    with pytest.raises(HeadwaterError, match=r"unpartitioned asset\(s\) r are downstream"):
        plan_backfill(defs_of(code), select="a r b", partition_range=("2024-01-01", "2024-01-02"))


def test_the_parent_runs_before_the_partitions(instance: Instance, code: CodePointer) -> None:
    backfill_id = launch(instance, code, "u a r")
    assert _work(instance) == [["-"], ["2024-01-01", "2024-01-02"], ["-"]]
    runs = instance.get_runs(tags={BACKFILL_TAG: backfill_id})
    assert {r.status for r in runs} == {RunStatus.SUCCESS}
    record = read_backfill(instance, backfill_id)
    assert record is not None and record.status == "COMPLETED_SUCCESS"


def test_a_failed_parent_leaves_its_dependents_not_run_until_resumed(
    instance: Instance, code: CodePointer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("U_FAILS", "1")
    backfill_id = launch(instance, code, "u a r")
    assert _work(instance) == [["-"]]
    record = read_backfill(instance, backfill_id)
    assert record is not None and record.status == "COMPLETED_FAILED"
    counts = backfill_progress(instance, record).counts()
    assert (counts["failure"], counts["not_run"], counts["pending"]) == (1, 3, 0)
    monkeypatch.delenv("U_FAILS")
    resumed = resume_backfill(instance, backfill_id)
    assert resumed is not None
    # Before the parent ran again, its dependents wait (they are not blocked).
    assert backfill_progress(instance, resumed).counts()["not_run"] == 0
    assert _work(instance) == [["-"], ["2024-01-01", "2024-01-02"], ["-"]]
    record = read_backfill(instance, backfill_id)
    assert record is not None and record.status == "COMPLETED_SUCCESS"


def test_a_record_without_ordering_info_still_runs_its_last_unit_last(
    instance: Instance, code: CodePointer
) -> None:
    backfill_id = launch(instance, code, "a r")
    raw = instance.kv_get([f"daemon/backfill/{backfill_id}"])[f"daemon/backfill/{backfill_id}"]
    assert '"after"' not in raw  # the stored form of a backfill without a parent unit
    old = json.loads(raw)
    assert [u["key"] for u in old["units"]] == ["2024-01-01", "2024-01-02", "__unpartitioned__"]
    record = BackfillRecord.from_json(raw)
    assert [u.key for u in backfill_progress(instance, record).to_submit] == [
        "2024-01-01",
        "2024-01-02",
    ]


def test_a_condition_backfill_runs_the_unpartitioned_parent_first(
    instance: Instance, code: CodePointer
) -> None:
    automation = load_automation(code)
    assert SensorDuty(instance, automation).run_once(time.time()) == []
    [backfill_id] = list_backfill_ids(instance)
    record = read_backfill(instance, backfill_id)
    assert record is not None
    assert [u.key for u in record.units] == [
        UPSTREAM_UNIT,
        "2024-01-01",
        "2024-01-02",
        "2024-01-03",
    ]
    assert record.units[0].selection == ("u",) and record.final_selection is None
    assert _work(instance) == [["-"], ["2024-01-01", "2024-01-02", "2024-01-03"]]
    record = read_backfill(instance, backfill_id)
    assert record is not None and record.status == "COMPLETED_SUCCESS"


def test_a_condition_backfill_that_cannot_be_ordered_fails_its_tick_naming_the_asset(
    tmp_path: Path, instance: Instance
) -> None:
    path = tmp_path / "between.py"
    source = DEFS.replace(
        'dg.AssetSelection.assets("u", "a")', 'dg.AssetSelection.assets("a", "r", "b")'
    )
    source = source.replace(
        "@dg.asset(deps=[a])", "@dg.asset(deps=[a], automation_condition=missing)"
    )
    source = source.replace(
        "@dg.asset(partitions_def=days, deps=[r])",
        "@dg.asset(partitions_def=days, deps=[r], automation_condition=missing)",
    )
    path.write_text(source)
    automation = load_automation(CodePointer.for_file(str(path)))
    assert SensorDuty(instance, automation).run_once(time.time()) == []
    [tick] = read_ticks(instance, "sensor", automation.location, "auto")
    assert tick.status == "FAILURE" and "unpartitioned asset(s) r are downstream" in str(tick.error)
    assert list_backfill_ids(instance) == [] and instance.get_runs() == []
