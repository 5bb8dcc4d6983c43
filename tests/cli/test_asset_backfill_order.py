"""``headwater asset materialize --partition-range`` runs an unpartitioned parent before the
partitions that read it, and does not run them when it failed; ``backfill resume`` picks up
from there on the daemon without running what succeeded again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from headwater.daemon.backfills import BackfillDuty
from headwater.daemon.worker import start_queued_run
from headwater.storage import Instance, RunStatus
from headwater.storage.backfills import BACKFILL_TAG, list_backfill_ids, read_backfill

from ._backfill import listed, run_cli

Invoke = Callable[..., Result]
Write = Callable[[str, str], Path]

pytestmark = pytest.mark.filterwarnings("ignore::headwater.BetaWarning")

# 'daily' takes 'source' as an input: run before 'source' exists, it fails to load it.
SOURCE = """
import os

import headwater as dg

days = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-06")


@dg.asset
def source():
    if os.environ.get("SOURCE_FAILS"):
        raise RuntimeError("source fails")
    return 10


@dg.asset(partitions_def=days)
def daily(context, source):
    if context.partition_key == os.environ.get("CRASH_ON"):
        os._exit(9)  # dies as a killed process would
    return source + 1


@dg.asset(deps=[daily])
def report():
    return 1


defs = dg.Definitions(assets=[source, daily, report])
"""


@pytest.fixture
def defs_file(write: Write) -> Path:
    return write("ordered_defs.py", SOURCE)


def _selections(home: Path, backfill_id: str) -> list[tuple[str, str | None]]:
    """Each run of the backfill, oldest first: the steps it ran and its partition."""
    with Instance.from_config(home) as instance:
        runs = instance.get_runs(tags={BACKFILL_TAG: backfill_id}, ascending=True)
        steps = [{e.step_key for e in instance.run_events(r.run_id) if e.step_key} for r in runs]
    return [
        (",".join(sorted(s)), r.tags.get("dagster/partition"))
        for r, s in zip(runs, steps, strict=True)
    ]


def _daemon(home: Path, backfill_id: str) -> str:
    with Instance.from_config(home) as instance:
        duty = BackfillDuty(instance)
        for _ in range(5):
            duty.run_once(0.0)
            for run in instance.get_runs(statuses=[RunStatus.QUEUED], ascending=True):
                start_queued_run(instance, run.run_id)
        record = read_backfill(instance, backfill_id)
    assert record is not None
    return record.status


def test_the_unpartitioned_parent_runs_first_and_the_child_last(
    invoke: Invoke, defs_file: Path, home: Path
) -> None:
    result = invoke(
        "asset", "materialize", "-f", str(defs_file), "--select", "source daily report",
        "--partition-range", "2024-01-01...2024-01-02",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [row] = listed(invoke)
    assert (row["status"], row["success"], row["runs"]) == ("COMPLETED_SUCCESS", 4, 4)
    assert _selections(home, row["backfill_id"]) == [
        ("source", None), ("daily", "2024-01-01"), ("daily", "2024-01-02"), ("report", None),
    ]  # fmt: skip


def test_a_failed_parent_leaves_the_partitions_not_run_until_resumed(
    invoke: Invoke, defs_file: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_FAILS", "1")
    result = invoke(
        "asset", "materialize", "-f", str(defs_file), "--select", "source daily report",
        "--partition-range", "2024-01-01...2024-01-02",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "3 run(s) not run" in result.stderr
    [row] = listed(invoke)
    assert (row["status"], row["failure"], row["not_run"]) == ("COMPLETED_FAILED", 1, 3)
    assert _selections(home, row["backfill_id"]) == [("source", None)]
    monkeypatch.delenv("SOURCE_FAILS")
    assert invoke("backfill", "resume", row["backfill_id"]).exit_code == 0
    assert _daemon(home, row["backfill_id"]) == "COMPLETED_SUCCESS"
    assert [s for s, _ in _selections(home, row["backfill_id"])] == [
        "source", "source", "daily", "daily", "report",
    ]  # fmt: skip


@pytest.mark.slow
def test_a_killed_range_resumes_without_running_the_parent_again(
    defs_file: Path, home: Path
) -> None:
    killed = run_cli(
        home, "asset", "materialize", "-f", str(defs_file), "--select", "source daily",
        "--partition-range", "2024-01-01...2024-01-03", crash_on="2024-01-02",
    )  # fmt: skip
    assert killed.returncode == 9, killed.stderr
    with Instance.from_config(home) as instance:
        [backfill_id] = list_backfill_ids(instance)
        [dead] = instance.get_runs(statuses=[RunStatus.STARTED])
        instance.report_run_failed(dead.run_id, "its process died")  # as the run monitor does
    resumed = run_cli(home, "backfill", "resume", backfill_id, timeout=60)
    assert resumed.returncode == 0, resumed.stderr
    assert _daemon(home, backfill_id) == "COMPLETED_SUCCESS"
    assert sorted(_selections(home, backfill_id), key=str) == sorted(
        [("source", None), ("daily", "2024-01-01"), ("daily", "2024-01-02"),
         ("daily", "2024-01-02"), ("daily", "2024-01-03")],
        key=str,
    )  # fmt: skip
