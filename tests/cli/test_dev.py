"""``headwater dev``: the daemon on ./.headwater, reloaded on code change, one Ctrl-C stops
everything (runs in progress included) and leaves no process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from headwater.cli.dev import webserver_argv
from headwater.storage import Instance, RunStatus

DEFS = """
import time
import headwater as dg

RUNNING = dg.DefaultSensorStatus.RUNNING

@dg.op
def nap():
    time.sleep(120)

@dg.job
def sleepy():
    nap()

@dg.sensor(job=sleepy, minimum_interval_seconds=1, default_status=RUNNING)
def {name}(context):
    return dg.RunRequest(run_key="once")

defs = dg.Definitions(jobs=[sleepy], sensors=[{name}])
"""


def _wait_for(check: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _runs(home: Path) -> list[tuple[str, RunStatus]]:
    with Instance.from_config(home) as instance:
        return [(r.tags.get("dagster/sensor_name", ""), r.status) for r in instance.get_runs()]


def _processes_mentioning(text: str) -> list[str]:
    listing = subprocess.run(
        ["ps", "-eww", "-o", "pid,stat,args"], capture_output=True, text=True, check=True
    ).stdout
    return [
        line
        for line in listing.splitlines()
        if text in line and " Z" not in line and "ps -eww" not in line
    ]


def test_the_web_server_hook_waits_for_the_command() -> None:
    from headwater.cli import _GROUPS

    argv = webserver_argv(["-f", "defs.py"])
    if "webserver" in _GROUPS:
        assert argv is not None and argv[-3:] == ["webserver", "-f", "defs.py"]
    else:
        assert argv is None


def test_dev_reloads_on_change_and_one_interrupt_stops_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HEADWATER_HOME", raising=False)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    defs = tmp_path / "defs.py"
    defs.write_text(DEFS.format(name="first"))
    dev = subprocess.Popen(
        [sys.executable, "-m", "headwater.cli", "dev", "-f", "defs.py"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ,
    )
    home = tmp_path / ".headwater"
    try:
        _wait_for(lambda: ("first", RunStatus.STARTED) in _runs(home), "the first sensor's run")
        time.sleep(1.1)  # a new modification time, even on coarse clocks
        defs.write_text(DEFS.format(name="second"))
        _wait_for(lambda: ("second", RunStatus.STARTED) in _runs(home), "the reloaded code's run")
        assert _processes_mentioning(str(tmp_path))  # daemon, templates, runs
    finally:
        dev.send_signal(signal.SIGINT)
        _, err = dev.communicate(timeout=60)
    assert dev.returncode == 0, err
    assert "code changed, restarting" in err
    assert {status for _, status in _runs(home)} == {RunStatus.CANCELED}
    _wait_for(lambda: not _processes_mentioning(str(tmp_path)), "every process to end", 10)
