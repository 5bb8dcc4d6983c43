"""``headwater asset materialize --partition-range`` runs an unpartitioned parent before the
partitions that read it, and does not run them when it failed; ``backfill resume`` picks up
from there on the daemon without running what succeeded again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from headwater.daemon.backfill_store import BACKFILL_TAG, list_backfill_ids, read_backfill
from headwater.daemon.backfills import BackfillDuty
from headwater.daemon.worker import start_queued_run
from headwater.storage import Instance, RunStatus

Invoke = Callable[..., Result]
Write = Callable[[str, str], Path]
ROOT = Path(__file__).resolve().parents[2]

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


def _listed(invoke: Invoke) -> list[dict[str, Any]]:
    result = invoke("backfill", "list", "--json")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


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
    [row] = _listed(invoke)
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
    [row] = _listed(invoke)
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
    env = {
        **os.environ,
        "HEADWATER_HOME": str(home),
        "CRASH_ON": "2024-01-02",
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    killed = subprocess.run(
        [sys.executable, "-m", "headwater.cli", "asset", "materialize", "-f", str(defs_file),
         "--select", "source daily", "--partition-range", "2024-01-01...2024-01-03"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert killed.returncode == 9, killed.stderr
    with Instance.from_config(home) as instance:
        [backfill_id] = list_backfill_ids(instance)
        [dead] = instance.get_runs(statuses=[RunStatus.STARTED])
        instance.report_run_failed(dead.run_id, "its process died")  # as the run monitor does
    resumed = subprocess.run(
        [sys.executable, "-m", "headwater.cli", "backfill", "resume", backfill_id],
        cwd=ROOT, env={**env, "CRASH_ON": ""}, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    assert _daemon(home, backfill_id) == "COMPLETED_SUCCESS"
    assert sorted(_selections(home, backfill_id), key=str) == sorted(
        [("source", None), ("daily", "2024-01-01"), ("daily", "2024-01-02"),
         ("daily", "2024-01-02"), ("daily", "2024-01-03")],
        key=str,
    )  # fmt: skip
