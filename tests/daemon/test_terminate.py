"""Terminating a run the daemon launched: its process and every step process stop, and the
run ends CANCELED."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater.daemon.duties import process_gone
from headwater.storage import Instance, RunStatus

from ._processes import cli, wait_for

DEFS = """
import os
import time
from pathlib import Path
import headwater as dg

PIDS = Path(os.environ["PIDS_DIR"])

def _nap(name: str) -> None:
    (PIDS / f"{name}.pid").write_text(str(os.getpid()))
    time.sleep(120)

@dg.op
def left():
    _nap("left")

@dg.op
def right():
    _nap("right")

@dg.job(executor_def=dg.multiprocess_executor)
def two_steps():
    left()
    right()

@dg.job(executor_def=dg.in_process_executor)
def one_step():
    left()

defs = dg.Definitions(jobs=[two_steps, one_step])
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    (tmp_path / "defs.py").write_text(DEFS)
    (tmp_path / "pids").mkdir()
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PIDS_DIR", str(tmp_path / "pids"))
    daemon = subprocess.Popen(
        [sys.executable, "-m", "headwater.cli", "daemon", "run", "--cancel-grace", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ,
    )
    yield tmp_path
    daemon.send_signal(signal.SIGINT)
    try:
        daemon.wait(timeout=15)
    except subprocess.TimeoutExpired:
        daemon.kill()


def _status(run_id: str) -> RunStatus:
    with Instance.get() as instance:
        run = instance.get_run(run_id)
        assert run is not None
        return run.status


def _terminate_and_check(home: Path, job: str, steps: list[str]) -> None:
    launched = cli("job", "launch", "-f", str(home / "defs.py"), "-j", job)
    assert launched.returncode == 0, launched.stderr
    run_id = launched.stdout.split()[1]
    pid_files = [home / "pids" / f"{step}.pid" for step in steps]
    wait_for(lambda: all(p.exists() for p in pid_files), "every step to start")
    pids = [int(p.read_text()) for p in pid_files]
    done = cli("run", "terminate", run_id)
    assert done.returncode == 0, done.stderr
    wait_for(lambda: _status(run_id) is RunStatus.CANCELED, "the run to end CANCELED")
    wait_for(lambda: all(process_gone(pid) for pid in pids), "every step process to stop")


def test_a_multiprocess_run_stops_every_step_and_ends_canceled(home: Path) -> None:
    _terminate_and_check(home, "two_steps", ["left", "right"])


def test_a_run_busy_in_one_long_step_is_stopped_and_ends_canceled(home: Path) -> None:
    _terminate_and_check(home, "one_step", ["left"])


def test_a_queued_run_terminated_before_launch_ends_canceled() -> None:
    from headwater.daemon.duties import RunMonitorDuty
    from headwater.daemon.submit import QueuedRun, submit_runs
    from headwater.execution.terminate import terminate_run
    from headwater.location.code import CodePointer

    instance = Instance.ephemeral()
    [run] = submit_runs(instance, [QueuedRun("greet", CodePointer.for_file(__file__), {}, {})])
    assert terminate_run(instance, run.run_id).status is RunStatus.CANCELING
    assert RunMonitorDuty(instance).run_once(time.time()) == []
    after = instance.get_run(run.run_id)
    assert after is not None and after.status is RunStatus.CANCELED
