"""``headwater run ...``: listing, showing, logs, deleting, wiping, marking failed."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from headwater.cli.execute import HOST_TAG, PID_TAG
from headwater.events import EventType, RunEvent
from headwater.storage import Instance

Invoke = Callable[..., Result]


@pytest.fixture
def run_id(invoke: Invoke, jobs_file: Path) -> str:
    result = invoke("job", "execute", "-f", str(jobs_file), "-j", "numbers_job", "--json")
    return str(json.loads(result.stdout.splitlines()[-1])["run_id"])


def _orphan_run(home: Path) -> str:
    """A run left STARTED by a process that has exited (as if it was killed)."""
    import socket

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    with Instance.from_config(home) as instance:
        run = instance.create_run(
            job_name="numbers_job",
            tags={PID_TAG: dead.stdout.strip(), HOST_TAG: socket.gethostname()},
        )
        instance.store_events(
            [RunEvent(EventType.RUN_START, run.run_id, "numbers_job", 1.0, "started")]
        )
    return run.run_id


def test_list_shows_the_run(invoke: Invoke, run_id: str) -> None:
    result = invoke("run", "list")
    assert result.exit_code == 0
    header, row = result.stdout.splitlines()
    assert header.split() == ["run", "id", "job", "status", "created", "duration"]
    assert row.split()[:3] == [run_id, "numbers_job", "SUCCESS"]
    as_json = json.loads(invoke("run", "list", "--json").stdout)
    assert (as_json["run_id"], as_json["status"]) == (run_id, "SUCCESS")


def test_list_filters(invoke: Invoke, run_id: str) -> None:
    assert invoke("run", "list", "--status", "failure").stdout == "no matching runs\n"
    assert invoke("run", "list", "-j", "other").stdout == "no matching runs\n"
    assert (
        run_id
        in invoke(
            "run", "list", "--tag", "headwater/host=" + __import__("socket").gethostname()
        ).stdout
    )


def test_list_empty_instance(invoke: Invoke) -> None:
    assert invoke("run", "list").stdout == "no runs recorded yet\n"


def test_show_and_logs(invoke: Invoke, run_id: str) -> None:
    shown = invoke("run", "show", run_id)
    assert shown.exit_code == 0
    assert f"run:      {run_id}\njob:      numbers_job\nstatus:   SUCCESS\n" in shown.stdout
    assert "steps succeeded: numbers, double, report" in shown.stdout
    logs = invoke("run", "logs", run_id)
    lines = logs.stdout.splitlines()
    assert "PIPELINE_START" in lines[0] and "PIPELINE_SUCCESS" in lines[-1]
    events = [
        json.loads(line) for line in invoke("run", "logs", run_id, "--json").stdout.splitlines()
    ]
    assert [e["event_type"] for e in events if e["event_type"].startswith("STEP_S")] == [
        "STEP_START",
        "STEP_SUCCESS",
    ] * 3
    followed = invoke("run", "logs", run_id, "--follow")  # finished: prints all, returns
    assert followed.stdout == logs.stdout


def test_unknown_run_id_is_one_line_for_every_command(invoke: Invoke, home: Path) -> None:
    message = (
        f"Error: no run with id 'nope' in the instance at {home}; "
        "'headwater run list' shows the recorded runs\n"
    )
    for command in ("run show", "run logs", "run delete", "run fail", "job reexecute"):
        result = invoke(*command.split(), "nope")
        assert (result.exit_code, result.stderr) == (1, message), command


def test_delete_and_wipe(invoke: Invoke, jobs_file: Path, run_id: str) -> None:
    assert invoke("run", "delete", run_id).stdout == f"deleted run {run_id}\n"
    assert invoke("run", "list").stdout == "no runs recorded yet\n"
    invoke("job", "execute", "-f", str(jobs_file), "-j", "numbers_job")
    refused = invoke("run", "wipe", input="n\n")
    assert refused.exit_code == 1
    assert "nothing deleted" in refused.stdout
    assert invoke("run", "list", "--json").stdout.count('"kind"') == 1
    wiped = invoke("run", "wipe", input="y\n")
    assert wiped.exit_code == 0 and "deleted 1 run(s) and their events" in wiped.stdout
    assert invoke("run", "wipe", "--yes").stdout == "deleted 0 run(s) and their events\n"


def test_orphaned_run_is_flagged_and_can_be_marked_failed(invoke: Invoke, home: Path) -> None:
    run_id = _orphan_run(home)
    assert "STARTED (process gone)" in invoke("run", "list").stdout
    assert (
        f"its process gone; 'headwater run fail {run_id}' marks it failed"
        in invoke("run", "show", run_id).stdout
    )
    followed = invoke("run", "logs", run_id, "--follow")
    assert followed.exit_code == 1
    assert followed.stderr == f"run {run_id} is STARTED but its process is gone\n"
    result = invoke("run", "fail", run_id)
    assert result.stdout == f"run {run_id} is now FAILURE\n"
    again = invoke("run", "fail", run_id)
    assert again.stderr == (
        f"Error: run {run_id} already finished with status FAILURE; "
        "only unfinished runs can be marked failed\n"
    )


def test_fail_refuses_a_run_whose_process_may_live(invoke: Invoke, home: Path) -> None:
    with Instance.from_config(home) as instance:
        run_id = instance.create_run(job_name="elsewhere").run_id
    result = invoke("run", "fail", run_id)
    assert result.stderr == (
        f"Error: run {run_id} is NOT_STARTED and its process may still be running elsewhere; "
        "pass --force to mark it failed anyway\n"
    )
    assert invoke("run", "fail", run_id, "--force").exit_code == 0


def test_durations_read_in_milliseconds_below_a_second() -> None:
    from headwater.cli.output import format_duration

    assert [format_duration(s) for s in (None, 0.0032, 0.12, 1.5, 34.5, 125)] == [
        "-",
        "3.2ms",
        "120ms",
        "1.50s",
        "34.5s",
        "2m05s",
    ]
