"""In-process runs write their events live: another reader sees a running step's start and
warning, log lines within moments, and a process killed mid-step keeps what was written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import headwater as dg
from headwater.events import EventType
from headwater.storage import Instance

DEADLINE_S = 20.0


def wait_for(condition: Callable[[], bool], tick: threading.Event, timeout: float) -> bool:
    """Poll ``condition`` until true or ``timeout``; ``tick`` paces the polls."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        tick.wait(0.02)
    return condition()


def kinds(instance: Instance) -> list[tuple[str, str | None]]:
    """(event type, message) of every event in the instance's only run."""
    runs = instance.get_runs()
    if not runs:
        return []
    return [(e.event_type.value, e.message) for e in instance.run_events(runs[0].run_id)]


def test_a_blocked_step_s_start_warning_and_log_lines_are_visible(tmp_path: Path) -> None:
    entered = threading.Event()
    release = threading.Event()

    @dg.op
    def waits(context: dg.OpExecutionContext) -> int:
        context.log.warning("about to wait")
        context.log.info("still waiting")
        entered.set()
        assert release.wait(DEADLINE_S), "the test never released the step"
        return 1

    @dg.job
    def job() -> None:
        waits()

    instance = Instance.local_temp(tmp_path)
    results: list[dg.ExecuteInProcessResult] = []
    runner = threading.Thread(
        target=lambda: results.append(job.execute_in_process(instance=instance))
    )
    runner.start()
    try:
        assert entered.wait(DEADLINE_S)
        reader = Instance.local_temp(tmp_path)  # another connection to the same database
        tick = threading.Event()

        def seen() -> bool:
            events = kinds(reader)
            return (EventType.STEP_START.value in {k for k, _ in events}) and any(
                m == "about to wait" for _, m in events
            )

        # STEP_START and the warning are written before the body goes on: at once.
        assert wait_for(seen, tick, 1.0), kinds(reader)
        # The INFO line is batched, but written while the step still blocks.
        assert wait_for(lambda: any(m == "still waiting" for _, m in kinds(reader)), tick, 1.0)
        assert EventType.STEP_SUCCESS.value not in {k for k, _ in kinds(reader)}
    finally:
        release.set()
        runner.join(DEADLINE_S)
    assert results and results[0].success
    assert EventType.RUN_SUCCESS.value in {k for k, _ in kinds(Instance.local_temp(tmp_path))}


KILLED_SCRIPT = """
import sys
from pathlib import Path
import headwater as dg

@dg.op
def blocks(context):
    context.log.warning("before the kill")
    Path(sys.argv[2]).write_text("in the step")
    sys.stdin.read()  # until killed

@dg.job
def job():
    blocks()

job.execute_in_process(instance=dg.DagsterInstance.local_temp(sys.argv[1]))
"""


def test_a_process_killed_mid_step_keeps_what_was_written(tmp_path: Path) -> None:
    script = tmp_path / "run.py"
    script.write_text(textwrap.dedent(KILLED_SCRIPT))
    marker = tmp_path / "marker"
    home = tmp_path / "home"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        [sys.executable, str(script), str(home), str(marker)], stdin=subprocess.PIPE, env=env
    )
    try:
        tick = threading.Event()
        assert wait_for(marker.exists, tick, DEADLINE_S), "the step never started"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(DEADLINE_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    events = kinds(Instance.local_temp(home))
    types = [k for k, _ in events]
    assert EventType.STEP_START.value in types
    assert (EventType.LOG_MESSAGE.value, "before the kill") in events
    assert EventType.STEP_SUCCESS.value not in types


@dg.op
def numbers() -> list[int]:
    return [1, 2]


@dg.job(executor_def=dg.in_process_executor)
def numbers_job() -> None:
    numbers()


def test_reading_an_output_after_the_run_writes_nothing_more(tmp_path: Path) -> None:
    instance = Instance.local_temp(tmp_path)
    result = dg.execute_job(dg.reconstructable(numbers_job), instance=instance)
    before = len(kinds(instance))
    with result:
        # The filesystem IO manager loads it (and logs a DEBUG line): after the run's end
        # that is not written, neither now nor by the background writer a moment later
        # (which could be writing into a disposed instance, recreating its files).
        assert result.output_for_node("numbers") == [1, 2]
        result._state.events.flush()  # what the background writer does a moment later
    assert len(kinds(instance)) == before
