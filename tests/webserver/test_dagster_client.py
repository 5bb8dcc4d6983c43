"""The published Python GraphQL client (dagster-graphql, from the reference environment)
works unchanged against ``headwater webserver``, with the daemon running the runs."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from tests.webserver.conftest import Processes

SCRIPT = Path(__file__).with_name("dagster_client_script.py")


def test_dagster_graphql_client_drives_headwater(processes: Processes) -> None:
    reference = os.environ.get("PARITY_REF_113")
    if not reference or not Path(reference).exists():
        pytest.skip("PARITY_REF_113 (the reference interpreter with dagster-graphql) is not set")
    processes.start("daemon", "run", "-f", "defs.py")
    url = processes.webserver()
    port = url.rsplit(":", 1)[1]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [reference, str(SCRIPT), port],
        capture_output=True,
        text=True,
        timeout=400,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(seen["validated"]) == 7
    assert seen["selected_run"][1] == "SUCCESS"
    kind, errors = seen["invalid_config"]
    assert kind == "RunConfigValidationInvalid"
    assert errors[0]["path"] == ["ops", "first", "config", "n"]
    assert errors[0]["reason"] == "RUNTIME_TYPE_MISMATCH"
    assert seen["unknown_job"][0] == "JobNotFoundError"
    assert seen["terminated"] == "CANCELED"
    assert seen["terminate_runs"] == ["CANCELED", "CANCELED"]
    assert seen["terminate_runs_error"][0] == "TerminateRunsError"
    assert "no-such-run" in seen["terminate_runs_error"][1]
    assert seen["status_unknown"][0] == "RunNotFoundError"
    assert seen["reload"] == ["SUCCESS", None, None]
    assert seen["reload_unknown"][:2] == ["FAILURE", "RepositoryLocationNotFound"]
    assert seen["shutdown"][0] == "SUCCESS"
