"""The daemon killed with SIGKILL in the middle of its work, then started again: no run key
makes two runs, no cursor is lost, no queued run is lost, no backfill partition runs twice.
Also the backfill CLI against a real daemon process."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from headwater.daemon.store import read_instigator
from headwater.storage import Instance, RunStatus
from headwater.storage.backfills import BACKFILL_TAG, read_backfill

from ._processes import cli, wait_for

TICKS = 3
PER_TICK = 15

DEFS = f"""
import time
from pathlib import Path
import headwater as dg

MARKS = Path(__file__).parent / "marks"
days = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-21")

@dg.asset(partitions_def=days)
def daily(context):
    time.sleep(0.2)
    return context.partition_key

@dg.op
def tiny():
    return 1

@dg.job
def trivial():
    tiny()

@dg.sensor(job=trivial, minimum_interval_seconds=1, default_status=dg.DefaultSensorStatus.RUNNING)
def many(context):
    tick = int(context.cursor or 0)
    if tick >= {TICKS}:
        return dg.SkipReason("done")
    MARKS.mkdir(exist_ok=True)
    (MARKS / str(tick)).touch()
    time.sleep(0.3)  # a tick long enough to be killed in
    for i in range({PER_TICK}):
        yield dg.RunRequest(run_key=f"t{{tick}}-{{i}}")
    context.update_cursor(str(tick + 1))

defs = dg.Definitions(assets=[daily], jobs=[trivial], sensors=[many])
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "defs.py").write_text(DEFS)
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    return tmp_path


def test_backfill_cli_without_a_daemon_then_with_one(
    home: Path, start_daemon: Callable[[], subprocess.Popen[bytes]]
) -> None:
    defs = str(home / "defs.py")
    span = "2024-01-01...2024-01-03"
    launched = cli("backfill", "launch", "-f", defs, "--partition-range", span)
    assert launched.returncode == 0, launched.stderr
    assert "no daemon is running" in launched.stderr
    backfill_id = launched.stdout.split()[1]
    listed = cli("backfill", "list", "--json")
    row = json.loads(listed.stdout.splitlines()[0])
    assert row["backfill_id"] == backfill_id and row["status"] == "REQUESTED"
    assert row["pending"] == 3
    bad = cli("backfill", "launch", "-f", defs, "--partition-range", "2024-01-01..2024-01-03")
    assert bad.returncode != 0 and "FIRST...LAST" in bad.stderr
    assert cli("backfill", "resume", backfill_id).returncode != 0  # it is running
    assert "no backfill with id" in cli("backfill", "cancel", "nope").stderr
    more = cli(
        "asset", "materialize", "-f", defs, "--select", "daily",
        "--partition-range", "2024-01-04...2024-01-05", "--launch",
    )  # fmt: skip
    assert more.returncode == 0, more.stderr
    start_daemon()

    def completed() -> bool:
        rows = [json.loads(line) for line in cli("backfill", "list", "--json").stdout.splitlines()]
        return all(r["status"] == "COMPLETED_SUCCESS" for r in rows)

    wait_for(completed, "both backfills to complete")
    with Instance.get() as instance:
        runs = [r for r in instance.get_runs() if BACKFILL_TAG in r.tags]
    assert len(runs) == 5 and {r.status for r in runs} == {RunStatus.SUCCESS}


def test_kill_9_mid_tick_and_mid_backfill_then_restart(
    home: Path, start_daemon: Callable[[], subprocess.Popen[bytes]]
) -> None:
    defs = str(home / "defs.py")
    span = "2024-01-01...2024-01-20"
    launched = cli("backfill", "launch", "-f", defs, "--partition-range", span)
    assert launched.returncode == 0, launched.stderr
    backfill_id = launched.stdout.split()[1]
    marks = home / "marks"
    for tick in range(2):  # killed during the sensor's first two ticks
        daemon = start_daemon()
        mark = marks / str(tick)
        wait_for(mark.exists, f"sensor tick {tick} to start")
        time.sleep(0.2 + 0.15 * tick)  # evaluating, or committing its runs and cursor
        daemon.send_signal(signal.SIGKILL)
        daemon.wait()
    start_daemon()

    def settled() -> bool:
        with Instance.get() as instance:
            cursor = read_instigator(instance, "sensor", "defs.py", "many").cursor
            record = read_backfill(instance, backfill_id)
            unfinished = instance.get_runs(
                statuses=[RunStatus.QUEUED, RunStatus.STARTING, RunStatus.STARTED]
            )
        done = record is not None and record.status.startswith("COMPLETED")
        return cursor == str(TICKS) and done and not unfinished

    wait_for(settled, "the sensor's ticks, the backfill and every run to finish", 120)
    with Instance.get() as instance:
        runs = instance.get_runs()
    keyed = Counter(r.tags["dagster/run_key"] for r in runs if "dagster/run_key" in r.tags)
    assert set(keyed) == {f"t{t}-{i}" for t in range(TICKS) for i in range(PER_TICK)}
    assert set(keyed.values()) == {1}  # no run key made two runs
    partitions = Counter(r.tags["dagster/partition"] for r in runs if BACKFILL_TAG in r.tags)
    assert len(partitions) == 20 and set(partitions.values()) == {1}
    # No queued run was lost: every run was launched, and none was left behind in the queue.
    assert not [r for r in runs if r.status is RunStatus.QUEUED]
    record = Instance.get()
    with record as instance:
        backfill = read_backfill(instance, backfill_id)
    assert backfill is not None
    # A run whose process was killed with the daemon may have failed; none ran twice.
    assert backfill.status in ("COMPLETED_SUCCESS", "COMPLETED_FAILED")


def test_a_run_whose_launch_was_lost_goes_back_to_the_queue_and_starts_once(
    tmp_path: Path,
) -> None:
    from headwater.daemon.duties import RunMonitorDuty
    from headwater.daemon.store import claim_run_start
    from headwater.daemon.submit import submit_run
    from headwater.daemon.worker import start_queued_run
    from headwater.events import EventType, RunEvent
    from headwater.location.code import CodePointer

    (tmp_path / "defs.py").write_text(DEFS)
    with Instance.from_config(tmp_path / "home") as instance:
        code = CodePointer.for_file(str(tmp_path / "defs.py"))
        run = submit_run(instance, job_name="trivial", code=code)
        # Dequeued by a daemon that died before it launched the run's process.
        starting = RunEvent(EventType.RUN_STARTING, run.run_id, "trivial", time.time(), "")
        instance.store_events([starting])
        monitor = RunMonitorDuty(instance, lost_launch_after=0.0)
        monitor.run_once(time.time())  # first seen
        monitor.run_once(time.time() + 1)
        requeued = instance.get_run(run.run_id)
        assert requeued is not None and requeued.status is RunStatus.QUEUED
        assert claim_run_start(instance, run.run_id, pid=1, host="h")
        assert not claim_run_start(instance, run.run_id, pid=2, host="h")
        # A second process asked to start it does not run it, nor fail it.
        assert start_queued_run(instance, run.run_id) is False
        again = instance.get_run(run.run_id)
        assert again is not None and again.status is RunStatus.QUEUED
