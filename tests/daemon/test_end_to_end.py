"""The daemon as users run it: real processes, a SQLite instance, the CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from headwater.daemon.store import read_run_workers
from headwater.storage import Instance, RunStatus

from ._processes import cli, wait_for

DEFS = """
import time
import headwater as dg

@dg.op
def hello(context):
    context.log.info("hello")

@dg.job
def greet():
    hello()

@dg.op
def nap():
    time.sleep(60)

@dg.job
def sleepy():
    nap()

defs = dg.Definitions(jobs=[greet, sleepy])
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "defs.py").write_text(DEFS)
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    return tmp_path


def _launch(home: Path, job: str) -> str:
    done = cli("job", "launch", "-f", str(home / "defs.py"), "-j", job)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()[1]


def _status(run_id: str) -> RunStatus:
    with Instance.get() as instance:
        run = instance.get_run(run_id)
        assert run is not None
        return run.status


def test_a_launched_run_waits_without_a_daemon_then_runs_in_its_own_process(
    home: Path, start_daemon: Callable[[], subprocess.Popen[bytes]]
) -> None:
    done = cli("job", "launch", "-f", str(home / "defs.py"), "-j", "greet")
    assert done.returncode == 0, done.stderr
    assert "no daemon is running" in done.stderr
    run_id = done.stdout.split()[1]
    assert _status(run_id) is RunStatus.QUEUED
    listed = cli("run", "list")
    assert "QUEUED (no daemon running)" in listed.stdout
    assert cli("daemon", "health").returncode == 1

    start_daemon()
    wait_for(lambda: _status(run_id) is RunStatus.SUCCESS, "the queued run to succeed")
    with Instance.get() as instance:
        worker = read_run_workers(instance, [run_id])[run_id]
        logs = [e.message for e in instance.run_events(run_id)]
    assert worker["pid"] != os.getpid()
    assert "hello" in logs
    wait_for(lambda: cli("daemon", "health").returncode == 0, "a healthy daemon")


def test_invalid_config_queues_nothing(home: Path) -> None:
    done = cli(
        "job",
        "launch",
        "-f",
        str(home / "defs.py"),
        "-j",
        "greet",
        "--config-json",
        '{"ops": {"helo": {}}}',
    )
    assert done.returncode != 0
    assert "helo" in done.stderr
    with Instance.get() as instance:
        assert instance.get_runs() == []


def test_a_run_whose_process_is_killed_is_marked_failed(
    home: Path, start_daemon: Callable[[], subprocess.Popen[bytes]]
) -> None:
    start_daemon()
    run_id = _launch(home, "sleepy")
    wait_for(lambda: _status(run_id) is RunStatus.STARTED, "the run to start")
    with Instance.get() as instance:
        pid = int(read_run_workers(instance, [run_id])[run_id]["pid"])
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: _status(run_id) is RunStatus.FAILURE, "the monitor to fail the run", 20)
    with Instance.get() as instance:
        last = instance.run_events(run_id)[-1]
    message = last.message or ""
    assert f"pid {pid}" in message and "re-execute" in message.lower()


def test_a_second_daemon_takes_over_when_the_first_dies(
    home: Path, start_daemon: Callable[[], subprocess.Popen[bytes]]
) -> None:
    first = start_daemon()
    wait_for(lambda: cli("daemon", "health").returncode == 0, "the first daemon")
    second = start_daemon()
    time.sleep(2)
    with Instance.get() as instance:
        from headwater.daemon.lease import lease_holder

        holder = lease_holder(instance)
    assert holder is not None and holder.split(":")[1] == str(first.pid)
    first.kill()  # no clean release: the lease must expire
    run_id = _launch(home, "greet")
    wait_for(lambda: _status(run_id) is RunStatus.SUCCESS, "the second daemon to run it", 30)
    with Instance.get() as instance:
        holder = lease_holder(instance)
    assert holder is not None and holder.split(":")[1] == str(second.pid)
