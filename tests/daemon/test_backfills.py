"""Backfills worked through by the daemon's duty: planning, queue limits, exactly-once units,
cancel and resume, and the run worker honouring a run's asset selection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from headwater.daemon.backfills import (
    BackfillDuty,
    backfill_progress,
    cancel_backfill,
    plan_backfill,
    resume_backfill,
)
from headwater.daemon.worker import start_queued_run
from headwater.errors import HeadwaterError
from headwater.location.code import CodePointer
from headwater.storage import Instance, RunStatus
from headwater.storage.backfills import BACKFILL_TAG, read_backfill

from ._backfill import defs_of, launch

pytestmark = pytest.mark.filterwarnings("ignore::headwater.BetaWarning")

DEFS = """
import headwater as dg

days = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-11")

@dg.asset(partitions_def=days)
def daily(context):
    return context.partition_key

@dg.asset(partitions_def=days, backfill_policy=dg.BackfillPolicy.multi_run(3))
def chunky(context):
    return len(context.partition_keys)

@dg.asset(partitions_def=days)
def other(context):
    raise RuntimeError("other must not run")

@dg.asset(deps=[daily])
def report():
    return 1

defs = dg.Definitions(assets=[daily, chunky, other, report])
"""


@pytest.fixture
def code(tmp_path: Path) -> CodePointer:
    (tmp_path / "defs.py").write_text(DEFS)
    return CodePointer.for_file(str(tmp_path / "defs.py"))


def _run_queued(instance: Instance) -> int:
    queued = instance.get_runs(statuses=[RunStatus.QUEUED], ascending=True)
    for run in queued:
        start_queued_run(instance, run.run_id)
    return len(queued)


def test_plan_follows_each_assets_backfill_policy(code: CodePointer) -> None:
    _, selection, final, units = plan_backfill(
        defs_of(code), select="chunky", partition_range=("2024-01-01", "2024-01-07")
    )
    assert [u.key for u in units] == [
        "2024-01-01...2024-01-03",
        "2024-01-04...2024-01-06",
        "2024-01-07",
    ]
    assert selection == ("chunky",) and final is None
    _, _, final, units = plan_backfill(
        defs_of(code), select="daily report", partition_range=("2024-01-01", "2024-01-02")
    )
    assert [u.key for u in units] == ["2024-01-01", "2024-01-02", "__unpartitioned__"]
    assert final == ("report",)


def test_plan_refuses_unpartitioned_selection_and_unknown_keys(code: CodePointer) -> None:
    with pytest.raises(HeadwaterError, match="needs partitioned assets"):
        plan_backfill(defs_of(code), select="report", partition_range=("2024-01-01", "2024-01-02"))
    with pytest.raises(HeadwaterError):
        plan_backfill(defs_of(code), select="daily", partition_range=("2023-01-01", "2024-01-02"))


def test_the_duty_submits_under_a_cap_and_completes(instance: Instance, code: CodePointer) -> None:
    backfill_id = launch(instance, code, "daily", "2024-01-01", "2024-01-05")
    duty = BackfillDuty(instance, max_queued=2)
    duty.run_once(0.0)
    assert len(instance.get_runs(statuses=[RunStatus.QUEUED])) == 2
    duty.run_once(0.0)  # the cap holds while they wait in the queue
    assert len(instance.get_runs()) == 2
    for _ in range(4):
        _run_queued(instance)
        duty.run_once(0.0)
    runs = instance.get_runs(tags={BACKFILL_TAG: backfill_id})
    assert sorted(r.tags["dagster/partition"] for r in runs) == [
        f"2024-01-0{i}" for i in range(1, 6)
    ]
    assert {r.status for r in runs} == {RunStatus.SUCCESS}
    # Only the selected asset ran: 'other' raises when it runs.
    assert all(json.loads(r.tags["headwater/asset_selection"]) == ["daily"] for r in runs)
    record = read_backfill(instance, backfill_id)
    assert record is not None and record.status == "COMPLETED_SUCCESS"
    assert backfill_progress(instance, record).counts()["success"] == 5


def test_the_unpartitioned_assets_run_once_after_the_partitions(
    instance: Instance, code: CodePointer
) -> None:
    backfill_id = launch(instance, code, "daily report", "2024-01-01", "2024-01-02")
    duty = BackfillDuty(instance)
    duty.run_once(0.0)
    assert _run_queued(instance) == 2  # the partitions first
    duty.run_once(0.0)
    assert _run_queued(instance) == 1
    duty.run_once(0.0)
    record = read_backfill(instance, backfill_id)
    assert record is not None and record.status == "COMPLETED_SUCCESS"
    last = instance.get_runs(tags={BACKFILL_TAG: backfill_id})[0]
    assert json.loads(last.tags["headwater/asset_selection"]) == ["report"]
    assert "dagster/partition" not in last.tags


def test_a_unit_is_submitted_once_even_when_progress_is_lost(
    instance: Instance, code: CodePointer
) -> None:
    backfill_id = launch(instance, code, "chunky", "2024-01-01", "2024-01-09")
    # Two duties (two daemons, or one restarted mid-pass) working on the same backfill.
    BackfillDuty(instance).run_once(0.0)
    BackfillDuty(instance).run_once(0.0)
    runs = instance.get_runs(tags={BACKFILL_TAG: backfill_id})
    assert len(runs) == 3
    ranges = sorted(r.tags["dagster/asset_partition_range_start"] for r in runs)
    assert ranges == ["2024-01-01", "2024-01-04", "2024-01-07"]


def test_cancel_takes_back_queued_runs_and_resume_runs_what_is_left(
    instance: Instance, code: CodePointer
) -> None:
    backfill_id = launch(instance, code, "daily", "2024-01-01", "2024-01-04")
    duty = BackfillDuty(instance, max_queued=2)
    duty.run_once(0.0)
    start_queued_run(
        instance, instance.get_runs(statuses=[RunStatus.QUEUED], ascending=True)[0].run_id
    )
    record, canceled = cancel_backfill(instance, backfill_id)
    assert record is not None and record.status == "CANCELED" and canceled == 1
    duty.run_once(0.0)
    assert len(instance.get_runs(tags={BACKFILL_TAG: backfill_id})) == 2  # nothing submitted
    assert cancel_backfill(instance, backfill_id)[0] is None  # not running any more
    resumed = resume_backfill(instance, backfill_id)
    assert resumed is not None and resumed.generation == 1
    for _ in range(4):
        duty.run_once(0.0)
        _run_queued(instance)
    duty.run_once(0.0)
    runs = instance.get_runs(tags={BACKFILL_TAG: backfill_id})
    succeeded = sorted(r.tags["dagster/partition"] for r in runs if r.status is RunStatus.SUCCESS)
    assert succeeded == ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]
    assert len(runs) == 5  # the one canceled run, and each partition's success once
    final = read_backfill(instance, backfill_id)
    assert final is not None and final.status == "COMPLETED_SUCCESS"


def test_a_failed_run_completes_the_backfill_failed_and_resume_retries_it(
    instance: Instance, code: CodePointer
) -> None:
    backfill_id = launch(instance, code, "other", "2024-01-01", "2024-01-01")
    duty = BackfillDuty(instance)
    duty.run_once(0.0)
    _run_queued(instance)
    duty.run_once(0.0)
    record = read_backfill(instance, backfill_id)
    assert record is not None and record.status == "COMPLETED_FAILED"
    assert backfill_progress(instance, record).counts()["failure"] == 1
    resume_backfill(instance, backfill_id)
    duty.run_once(0.0)
    assert len(instance.get_runs(statuses=[RunStatus.QUEUED])) == 1


def test_a_bad_asset_selection_tag_fails_the_run_with_a_clear_reason(
    instance: Instance, code: CodePointer
) -> None:
    from headwater.daemon.submit import submit_run

    run = submit_run(
        instance,
        job_name="__ASSET_JOB",
        code=code,
        tags={"headwater/asset_selection": "daily", "dagster/partition": "2024-01-01"},
    )
    assert start_queued_run(instance, run.run_id) is False
    failed = instance.get_run(run.run_id)
    assert failed is not None and failed.status is RunStatus.FAILURE


def test_resume_of_an_unknown_backfill_says_how_to_find_them(instance: Instance) -> None:
    with pytest.raises(HeadwaterError, match="backfill list"):
        resume_backfill(instance, "nope")
