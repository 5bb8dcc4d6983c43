"""The multiprocess executor's step processes: a fresh process per step by default,
reused workers as an opt-in, and no step process outliving its run."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import executor_jobs as jobs  # type: ignore[import-not-found]  # on sys.path via conftest
import pytest

from headwater.events import EventType
from headwater.execution.launch import execute_job
from headwater.execution.reconstruct import reconstructable
from headwater.storage import Instance

_HERE = Path(__file__).parent

_ORCHESTRATOR = """
import sys
sys.path.insert(0, {here!r})
import executor_jobs as jobs
from headwater.execution.launch import execute_job
from headwater.execution.reconstruct import reconstructable
from headwater.storage import Instance

if __name__ == "__main__":
    with Instance.from_config({home!r}) as instance:
        execute_job(reconstructable(jobs.held_job), instance, run_config={config!r})
"""


@pytest.fixture
def instance(tmp_path: Path) -> Any:
    with Instance.local_temp(tmp_path / "home") as inst:
        yield inst


def _wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.01)


def _is_gone(pid: int) -> bool:
    """Whether ``pid`` no longer runs (exited, or a zombie no one has reaped yet)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def test_each_step_runs_in_a_process_of_its_own(instance: Instance) -> None:
    run_config = {"execution": {"config": {"max_concurrent": 1}}}
    with execute_job(reconstructable(jobs.pids_job), instance, run_config=run_config) as result:
        assert result.success
        first, after = result.output_for_node("pid_after")
        second = result.output_for_node("second_root")
    assert result.output_for_node("pid_of_step") == first
    assert len({first, after, second, os.getpid()}) == 4
    started = {
        e.step_key: e.data["pid"]
        for e in result.all_events
        if e.event_type is EventType.STEP_WORKER_STARTED
    }
    assert started == {"pid_of_step": first, "pid_after": after, "second_root": second}


def test_module_state_does_not_carry_over_from_one_step_to_the_next(instance: Instance) -> None:
    with execute_job(reconstructable(jobs.module_state_job), instance) as result:
        assert result.output_for_node("remember_b") == [1, 1]


def test_reused_workers_are_an_opt_in_and_carry_state_over(instance: Instance) -> None:
    run_config = {"execution": {"config": {"max_concurrent": 1, "reuse_workers": True}}}
    job = reconstructable(jobs.module_state_job)
    with execute_job(job, instance, run_config=run_config) as result:
        assert result.output_for_node("remember_b") == [1, 2]
    with execute_job(reconstructable(jobs.pids_job), instance, run_config=run_config) as result:
        first, after = result.output_for_node("pid_after")
        assert first == after == result.output_for_node("second_root") != os.getpid()


def test_a_multiprocess_run_announces_each_step_process(instance: Instance) -> None:
    result = execute_job(reconstructable(jobs.pids_job), instance)
    kinds = [(e.event_type, e.step_key) for e in result.all_events]
    for key in ("pid_of_step", "pid_after", "second_root"):
        mine = [kind for kind, step in kinds if step == key]
        assert mine[:3] == [
            EventType.STEP_WORKER_STARTING,
            EventType.STEP_WORKER_STARTED,
            EventType.STEP_START,
        ] or mine[:2] == [EventType.STEP_WORKER_STARTING, EventType.STEP_WORKER_STARTED]
    engine = [e.message or "" for e in result.all_events if e.event_type is EventType.ENGINE_EVENT]
    assert engine[0] == (
        f"Executing steps using multiprocess executor: parent process (pid: {os.getpid()})"
    )
    assert engine[-1].startswith("Multiprocess executor: parent process exiting after ")
    assert kinds[-1] == (EventType.RUN_SUCCESS, None)


@pytest.mark.parametrize("reuse_workers", [False, True], ids=["fresh", "reused"])
def test_step_processes_die_with_a_killed_orchestrator(tmp_path: Path, reuse_workers: bool) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    config = {
        "ops": {"held": {"config": {"dir": str(notes)}}},
        "execution": {"config": {"reuse_workers": reuse_workers}},
    }
    script = tmp_path / "orchestrate.py"
    script.write_text(
        _ORCHESTRATOR.format(here=str(_HERE), home=str(tmp_path / "home"), config=config)
    )
    orchestrator = subprocess.Popen([sys.executable, str(script)])
    try:
        _wait_until((notes / "pid").exists, 60, "the step to start")
        step_pid = int((notes / "pid").read_text())
        assert step_pid != orchestrator.pid
        os.kill(orchestrator.pid, signal.SIGKILL)
        orchestrator.wait(10)
        # Dying takes the kernel a moment; a step that outlived its run would wait for the
        # release below (for a minute) and then write its output.
        _wait_until(lambda: _is_gone(step_pid), 10, f"step process {step_pid} to die")
        (notes / "release").touch()
    finally:
        if orchestrator.poll() is None:
            orchestrator.kill()
            orchestrator.wait(10)
    assert not (notes / "output").exists()


def test_a_killed_template_takes_its_steps_along_and_fails_them(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    home = tmp_path / "home"
    config = {"ops": {"held": {"config": {"dir": str(notes)}}}}
    script = tmp_path / "orchestrate.py"
    script.write_text(_ORCHESTRATOR.format(here=str(_HERE), home=str(home), config=config))
    orchestrator = subprocess.Popen([sys.executable, str(script)])
    try:
        _wait_until((notes / "pid").exists, 60, "the step to start")
        step_pid = int((notes / "pid").read_text())
        stat = Path(f"/proc/{step_pid}/stat").read_text()
        template_pid = int(stat.rsplit(")", 1)[1].split()[1])
        assert template_pid not in (orchestrator.pid, os.getpid())
        os.kill(template_pid, signal.SIGKILL)
        _wait_until(lambda: _is_gone(step_pid), 10, f"step process {step_pid} to die")
        (notes / "release").touch()
        assert orchestrator.wait(30) == 0
    finally:
        if orchestrator.poll() is None:
            orchestrator.kill()
            orchestrator.wait(10)
    assert not (notes / "output").exists()
    with Instance.from_config(home) as instance:
        (run,) = instance.get_runs()
        failures = [
            e for e in instance.run_events(run.run_id) if e.event_type is EventType.STEP_FAILURE
        ]
    (failure,) = failures
    assert re.fullmatch(
        rf'Step "held" failed: its process died \(its template process {template_pid} killed '
        r"by SIGKILL \(out of memory\?\)\)\.",
        failure.message or "",
    )
