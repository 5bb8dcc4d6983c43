"""Workspace files: several code locations in one daemon."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import headwater as dg
from headwater.daemon.workspace import WorkspaceError, load_workspace, read_workspace
from headwater.storage import Instance, RunStatus

LOCATION = """
import headwater as dg

RUNNING = dg.DefaultSensorStatus.RUNNING

@dg.op
def work(context):
    context.log.info("{name} works")

@dg.job
def {name}_job():
    work()

@dg.sensor(job={name}_job, minimum_interval_seconds=1, default_status=RUNNING)
def {name}_sensor(context):
    return dg.RunRequest(run_key="once")

defs = dg.Definitions(jobs=[{name}_job], sensors=[{name}_sensor])
"""


def _write_locations(tmp_path: Path) -> Path:
    (tmp_path / "sales.py").write_text(LOCATION.format(name="sales"))
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "finance.py").write_text(LOCATION.format(name="finance"))
    workspace = tmp_path / "workspace.yaml"
    workspace.write_text(
        "load_from:\n"
        "  - python_file: sales.py\n"
        "  - python_module:\n"
        "      module_name: pkg.finance\n"
        "      attribute: defs\n"
        "      location_name: finance\n"
    )
    return workspace


def test_entries_name_files_relative_to_the_workspace_and_modules(tmp_path: Path) -> None:
    workspace = _write_locations(tmp_path)
    sales, finance = read_workspace(workspace)
    assert sales.name == "sales"
    assert sales.pointer.python_file == str(tmp_path / "sales.py")
    assert finance.name == "finance"
    assert finance.pointer.module_name == "pkg.finance"
    assert finance.pointer.attribute == "defs"
    assert finance.pointer.working_directory == str(tmp_path)
    loaded = load_workspace(workspace)
    assert [sorted(c.sensors) for c in loaded] == [["sales_sensor"], ["finance_sensor"]]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("jobs: []\n", "expected 'load_from:'"),
        ("load_from:\n  - python_package: x\n", "unknown entry 'python_package'"),
        ("load_from:\n  - python_file: {path: a.py}\n", "unknown key(s) path"),
        ("load_from:\n  - python_file: a.py\n  - python_file: a.py\n", "used twice"),
    ],
)
def test_a_malformed_workspace_says_which_entry(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "workspace.yaml").write_text(text)
    with pytest.raises(WorkspaceError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_workspace(tmp_path / "workspace.yaml")


def test_the_daemon_runs_every_location_of_a_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = _write_locations(tmp_path)
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    daemon = subprocess.Popen(
        [sys.executable, "-m", "headwater.cli", "daemon", "run", "-w", str(workspace)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ,
    )
    try:
        deadline = time.monotonic() + 60
        runs = []
        while time.monotonic() < deadline:
            with Instance.get() as instance:
                runs = instance.get_runs()
            if len(runs) == 2 and all(r.status is RunStatus.SUCCESS for r in runs):
                break
            time.sleep(0.3)
        assert sorted(r.job_name for r in runs) == ["finance_job", "sales_job"]
        assert all(r.status is RunStatus.SUCCESS for r in runs), [r.status for r in runs]
        pointers = {json.loads(r.tags["headwater/code_pointer"]).get("module_name") for r in runs}
        assert pointers == {None, "pkg.finance"}  # each run from its own location
    finally:
        daemon.send_signal(signal.SIGINT)
        _, err = daemon.communicate(timeout=20)
    assert "2 sensor(s) from workspace" in err


DEFAULT_SENSOR = "default_automation_condition_sensor"
CONDITIONED = """
import headwater as dg

@dg.asset(automation_condition=dg.AutomationCondition.missing())
def raw() -> int:
    return 1

@dg.asset(deps=[raw], automation_condition=dg.AutomationCondition.eager())
def clean() -> int:
    return 2

@dg.asset
def manual() -> int:
    return 3

defs = dg.Definitions(assets=[raw, clean, manual])
"""


def test_the_default_condition_sensor_materializes_only_what_it_requests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "assets.py").write_text(CONDITIONED)
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    code = ["-f", str(tmp_path / "assets.py")]
    started = subprocess.run(
        [sys.executable, "-m", "headwater.cli", "sensor", "start", DEFAULT_SENSOR, *code],
        capture_output=True,
        text=True,
        env=os.environ,
        check=False,
    )
    assert started.returncode == 0, started.stderr
    daemon = subprocess.Popen(
        [sys.executable, "-m", "headwater.cli", "daemon", "run", *code],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ,
    )
    try:
        deadline = time.monotonic() + 60
        runs = []
        while time.monotonic() < deadline:
            with Instance.get() as instance:
                runs = instance.get_runs()
            if runs and all(r.is_finished for r in runs):
                break
            time.sleep(0.3)
        [run] = runs
        assert run.status is RunStatus.SUCCESS
        with Instance.get() as instance:
            done = {
                key.to_user_string()
                for key in (dg.AssetKey("raw"), dg.AssetKey("clean"), dg.AssetKey("manual"))
                if instance.get_latest_materialization_event(key) is not None
            }
        assert done == {"raw"}
    finally:
        daemon.send_signal(signal.SIGINT)
        daemon.wait(timeout=20)


def test_start_and_stop_name_a_sensor_of_any_workspace_location(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from headwater.cli import cli
    from headwater.daemon.store import read_instigator

    workspace = _write_locations(tmp_path)
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    stopped = runner.invoke(cli, ["sensor", "stop", "finance_sensor", "-w", str(workspace)])
    assert stopped.exit_code == 0, stopped.output
    with Instance.get() as instance:
        assert read_instigator(instance, "sensor", "finance", "finance_sensor").status == "STOPPED"
    unknown = runner.invoke(cli, ["schedule", "start", "nope", "-w", str(workspace)])
    assert unknown.exit_code != 0
    assert "no schedule named 'nope'" in unknown.output
    both = runner.invoke(
        cli, ["sensor", "start", "sales_sensor", "-w", str(workspace), "-f", "sales.py"]
    )
    assert both.exit_code != 0 and "not both" in both.output
