"""``headwater asset materialize --partition-range`` records a backfill as it runs: the same
record as ``headwater backfill launch``, followed by ``backfill list``, and continued by
``backfill resume`` on the daemon when the foreground command stops early."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from headwater.daemon.backfills import BackfillDuty, backfill_progress
from headwater.daemon.worker import start_queued_run
from headwater.storage import Instance, RunStatus
from headwater.storage.backfills import BACKFILL_TAG, list_backfill_ids, read_backfill

from ._backfill import listed, run_cli

Invoke = Callable[..., Result]
Write = Callable[[str, str], Path]

pytestmark = pytest.mark.filterwarnings("ignore::headwater.BetaWarning")

SOURCE = """
import os

import headwater as dg

days = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-06")


@dg.asset(partitions_def=days)
def daily(context):
    # Dies as a killed process would, on the day the test names.
    if context.partition_key == os.environ.get("CRASH_ON"):
        os._exit(9)
    return context.partition_key


@dg.asset(deps=[daily])
def report():
    return 1


defs = dg.Definitions(assets=[daily, report])
"""


@pytest.fixture
def defs_file(write: Write) -> Path:
    return write("backfill_defs.py", SOURCE)


def test_a_foreground_range_is_a_backfill_record_with_tagged_runs(
    invoke: Invoke, defs_file: Path, home: Path
) -> None:
    result = invoke(
        "asset", "materialize", "-f", str(defs_file), "--select", "daily+",
        "--partition-range", "2024-01-01...2024-01-03",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [row] = listed(invoke)
    assert row["status"] == "COMPLETED_SUCCESS"
    assert (row["runs"], row["success"], row["pending"]) == (4, 4, 0)
    assert result.stdout.splitlines()[0].startswith(f"backfill {row['backfill_id']} REQUESTED")
    with Instance.from_config(home) as instance:
        runs = instance.get_runs(tags={BACKFILL_TAG: row["backfill_id"]}, ascending=True)
        record = read_backfill(instance, row["backfill_id"])
        assert record is not None
        progress = backfill_progress(instance, record)
    assert [r.tags.get("dagster/partition") for r in runs] == [
        "2024-01-01", "2024-01-02", "2024-01-03", None,
    ]  # fmt: skip
    # Each unit's claimed run is the run that ran it: progress reads them together.
    assert set(progress.runs.values()) == {r.run_id for r in runs}
    assert record.final_selection == ("report",) and record.foreground is not None


def test_a_mistake_found_before_running_records_no_backfill(
    invoke: Invoke, defs_file: Path, home: Path
) -> None:
    result = invoke(
        "asset", "materialize", "-f", str(defs_file), "--select", "daily+",
        "--partition-range", "2024-01-01...2024-01-02",
        "--config-json", '{"ops": {"dialy": {}}}',
    )  # fmt: skip
    assert result.exit_code == 1
    assert 'unknown field "dialy"' in result.stderr
    assert listed(invoke) == []


def test_a_cancel_from_elsewhere_stops_the_foreground_before_its_next_run(
    invoke: Invoke, defs_file: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import headwater.cli.job as job_cli
    from headwater.daemon.backfills import cancel_backfill

    real = job_cli.run_and_report

    def run_then_cancel(*args: Any, **kwargs: Any) -> bool:
        ok = real(*args, **kwargs)
        with Instance.from_config(home) as instance:
            cancel_backfill(instance, list_backfill_ids(instance)[0])
        return ok

    monkeypatch.setattr(job_cli, "run_and_report", run_then_cancel)
    result = invoke(
        "asset", "materialize", "-f", str(defs_file), "--select", "daily",
        "--partition-range", "2024-01-01...2024-01-03",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "was canceled; stopping" in result.stderr
    [row] = listed(invoke)
    assert (row["status"], row["success"], row["pending"]) == ("CANCELED", 1, 2)


def test_ctrl_c_cancels_the_backfill_saying_how_to_resume_it(
    invoke: Invoke, defs_file: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import headwater.cli.job as job_cli

    real = job_cli.run_and_report
    calls: list[int] = []

    def interrupted_on_the_second(*args: Any, **kwargs: Any) -> bool:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return bool(real(*args, **kwargs))

    monkeypatch.setattr(job_cli, "run_and_report", interrupted_on_the_second)
    result = invoke(
        "asset", "materialize", "-f", str(defs_file), "--select", "daily",
        "--partition-range", "2024-01-01...2024-01-03",
    )  # fmt: skip
    assert result.exit_code == 1
    [row] = listed(invoke)
    assert f"`headwater backfill resume {row['backfill_id']}`" in result.stderr
    assert (row["status"], row["success"]) == ("CANCELED", 1)
    # The second unit was claimed but its run never recorded: it counts as failed, so a
    # resume runs it again.
    assert (row["failure"], row["pending"]) == (1, 1)


def test_the_daemon_leaves_a_foreground_backfill_alone(
    invoke: Invoke, defs_file: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import headwater.cli.job as job_cli

    seen: list[int] = []

    def run_with_a_daemon_pass(*args: Any, **kwargs: Any) -> bool:
        with Instance.from_config(home) as instance:
            BackfillDuty(instance).run_once(0.0)
            seen.append(len(instance.get_runs(statuses=[RunStatus.QUEUED])))
        return bool(job_cli_real(*args, **kwargs))

    job_cli_real = job_cli.run_and_report
    monkeypatch.setattr(job_cli, "run_and_report", run_with_a_daemon_pass)
    result = invoke(
        "asset", "materialize", "-f", str(defs_file), "--select", "daily",
        "--partition-range", "2024-01-01...2024-01-02",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert seen == [0, 0]


@pytest.mark.slow
def test_a_killed_foreground_range_is_resumed_without_rerunning_done_partitions(
    defs_file: Path, home: Path
) -> None:
    killed = run_cli(
        home, "asset", "materialize", "-f", str(defs_file), "--select", "daily+",
        "--partition-range", "2024-01-01...2024-01-05", crash_on="2024-01-03",
    )  # fmt: skip
    assert killed.returncode == 9, killed.stderr
    with Instance.from_config(home) as instance:
        [backfill_id] = list_backfill_ids(instance)
        record = read_backfill(instance, backfill_id)
        assert record is not None and record.status == "REQUESTED"
        counts = backfill_progress(instance, record).counts()
        assert (counts["success"], counts["in_progress"], counts["pending"]) == (2, 1, 3)
        # What the run monitor does to a run whose process died.
        [dead] = instance.get_runs(statuses=[RunStatus.STARTED])
        instance.report_run_failed(dead.run_id, "its process died")
    resumed = run_cli(home, "backfill", "resume", backfill_id, crash_on="2024-01-03", timeout=60)
    assert resumed.returncode == 0, resumed.stderr
    with Instance.from_config(home) as instance:
        duty = BackfillDuty(instance)
        for _ in range(4):
            duty.run_once(0.0)
            for run in instance.get_runs(statuses=[RunStatus.QUEUED], ascending=True):
                start_queued_run(instance, run.run_id)
        duty.run_once(0.0)
        record = read_backfill(instance, backfill_id)
        runs = instance.get_runs(tags={BACKFILL_TAG: backfill_id}, ascending=True)
    assert record is not None and record.status == "COMPLETED_SUCCESS"
    partitions = [r.tags.get("dagster/partition") for r in runs]
    # Days 1 and 2 ran once (in the foreground); day 3 twice (killed, then resumed).
    assert sorted(partitions, key=str) == sorted(
        ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-03", "2024-01-04",
         "2024-01-05", None],
        key=str,
    )  # fmt: skip
