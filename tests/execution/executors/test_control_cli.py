"""Termination and re-execution from the command line, with real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import executor_jobs as jobs  # type: ignore[import-not-found]  # on sys.path via conftest
import pytest

import headwater as dg
from headwater.events import EventType
from headwater.execution.run import CANCEL_POLL_S
from headwater.execution.terminate import terminate_run
from headwater.storage import Instance, RunStatus

JOBS_FILE = str(Path(jobs.__file__))
HEADWATER = [sys.executable, "-m", "headwater.cli"]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    env["HEADWATER_HOME"] = str(home)
    return env


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*HEADWATER, *args],
        check=False,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _wait_for(predicate: Any, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    return folder


def test_terminate_stops_running_steps_from_the_cli(home: Path, notes: Path) -> None:
    config = {
        "resources": {"recorder": {"config": {"dir": str(notes)}}},
        "ops": {"sleepy": {"config": {"seconds": 60}}},
    }
    launched = subprocess.Popen(
        [
            *HEADWATER,
            "job",
            "execute",
            "-f",
            JOBS_FILE,
            "-j",
            "slow_job",
            "--config-json",
            json.dumps(config),
        ],
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: any(r["event"] == "sleep_start" for r in jobs.read_notes(notes)))
        with Instance.from_config(home) as instance:
            (run,) = instance.get_runs()
        terminated = _cli(home, "run", "terminate", run.run_id, "--timeout", "20")
        assert terminated.returncode == 0, terminated.stderr
        assert terminated.stdout.strip() == f"run {run.run_id} is CANCELED"
        _out, _ = launched.communicate(timeout=30)
    finally:
        launched.kill()
    assert launched.returncode == 1
    records = jobs.read_notes(notes)
    assert [r["event"] for r in records] == ["init", "sleep_start", "teardown"]
    with Instance.from_config(home) as instance:
        assert instance.get_run(run.run_id).status is RunStatus.CANCELED  # type: ignore[union-attr]
        events = instance.run_events(run.run_id)
    stopped = [e for e in events if e.event_type is EventType.STEP_FAILURE]
    assert [(e.step_key, e.data) for e in stopped] == [("sleepy", {"terminated": True})]
    assert stopped[0].message == 'Step "sleepy" was terminated: its run is being canceled.'
    (canceled,) = [e for e in events if e.event_type is EventType.RUN_CANCELED]
    assert canceled.data == {"stopped_steps": ["sleepy"], "not_run_steps": ["after_sleep"]}
    assert canceled.message == (
        'Execution of run for "slow_job" was terminated. Steps stopped while running: '
        "['sleepy']. Steps not run: ['after_sleep']."
    )


def test_terminating_a_finished_run_is_refused(home: Path, notes: Path) -> None:
    with Instance.from_config(home) as instance:
        result = jobs.counting_job.execute_in_process(
            instance=instance,
            run_config={"resources": {"recorder": {"config": {"dir": str(notes)}}}},
        )
        completed = _cli(home, "run", "terminate", result.run_id)
    assert completed.returncode == 1
    assert completed.stderr.strip() == (
        f"Error: run {result.run_id} already finished with status SUCCESS; only a queued or "
        "running run can be terminated"
    )


def test_terminate_run_api_stops_an_in_process_run_between_steps(tmp_path: Path) -> None:
    home = tmp_path / "home"

    @dg.op
    def first(context: Any) -> int:
        # Another connection to the instance, as `headwater run terminate` would open.
        with Instance.from_config(home) as other:
            terminate_run(other, context.run_id)
        time.sleep(CANCEL_POLL_S)  # the run loop asks the instance at most this often
        return 1

    @dg.op
    def second(x: int) -> int:
        return x

    @dg.op
    def third(x: int) -> int:
        return x

    @dg.job
    def three_steps() -> None:
        third(second(first()))

    with Instance.from_config(home) as instance:
        result = three_steps.execute_in_process(instance=instance, raise_on_error=False)
        run = instance.get_run(result.run_id)
        events = instance.run_events(result.run_id)
    assert run is not None and run.status is RunStatus.CANCELED
    succeeded = [e.step_key for e in events if e.event_type is EventType.STEP_SUCCESS]
    assert succeeded == ["first"]
    (canceled,) = [e for e in events if e.event_type is EventType.RUN_CANCELED]
    assert canceled.data["not_run_steps"] == ["second", "third"]


def test_reexecute_from_failure_from_the_cli_reruns_only_what_failed(
    home: Path, notes: Path
) -> None:
    config = json.dumps({"resources": {"recorder": {"config": {"dir": str(notes)}}}})
    first = _cli(
        home, "job", "execute", "-f", JOBS_FILE, "-j", "reexec_job", "--config-json", config
    )
    assert first.returncode == 1
    with Instance.from_config(home) as instance:
        (failed,) = instance.get_runs()
    assert failed.status is RunStatus.FAILURE
    (notes / "allow").touch()
    second = _cli(home, "job", "reexecute", failed.run_id, "--from-failure")
    assert second.returncode == 0, second.stderr
    with Instance.from_config(home) as instance:
        rerun = next(r for r in instance.get_runs() if r.run_id != failed.run_id)
        events = instance.run_events(rerun.run_id)
    assert rerun.parent_run_id == failed.run_id
    assert rerun.root_run_id == failed.run_id
    assert rerun.status is RunStatus.SUCCESS
    assert f"re-execution of {failed.run_id}" in second.stdout
    ran = {e.step_key for e in events if e.event_type is EventType.STEP_SUCCESS}
    assert ran == {"may_fail", "consume"}
    loaded = [
        e for e in events if e.event_type is EventType.LOADED_INPUT and e.step_key == "may_fail"
    ]
    assert len(loaded) == 1
    assert Counter(r["op"] for r in jobs.read_notes(notes) if r["event"] == "op") == {
        "produce": 1,
        "may_fail": 2,
        "consume": 1,
    }
    with Instance.from_config(home) as instance:
        from headwater.execution.launch import execute_job
        from headwater.execution.reexecute import ReexecutionOptions

        with execute_job(
            jobs.reexec_job,
            instance,
            reexecution_options=ReexecutionOptions(rerun.run_id, step_selection=["consume"]),
        ) as again:
            assert again.success
            assert again.output_for_node("consume") == 42
            assert again.output_for_node("produce") == 20  # stored by the first run
            assert again.run.root_run_id == failed.run_id


def test_reexecute_from_failure_of_a_successful_run_is_refused(home: Path, notes: Path) -> None:
    config = json.dumps({"resources": {"recorder": {"config": {"dir": str(notes)}}}})
    (notes / "allow").touch()
    assert (
        _cli(
            home, "job", "execute", "-f", JOBS_FILE, "-j", "reexec_job", "--config-json", config
        ).returncode
        == 0
    )
    with Instance.from_config(home) as instance:
        (run,) = instance.get_runs()
    completed = _cli(home, "job", "reexecute", run.run_id, "--from-failure")
    assert completed.returncode == 1
    assert completed.stderr.strip() == (
        f"Error: run {run.run_id} is SUCCESS; only a failed or canceled run can be re-executed "
        "from failure (re-execute it whole instead)"
    )
