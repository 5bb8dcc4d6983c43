"""Response times of the web server's main GraphQL operations, over HTTP to a live server.

A SQLite instance in a temporary home holds 100,000 runs and one run of 100,000 events;
the server runs in this process (uvicorn in a thread), the requests go over loopback.
Each figure is the median of repeated requests.

Targets (the web server issue):
- the runs list (a page of 50 of 100,000 runs): ≤ 300 ms;
- Launchpad validation round trip (``isPipelineConfigValid``): ≤ 100 ms;
- ``launchRun`` → the run started, with a daemon on the instance: ≤ 200 ms (measured from
  the request being sent to the run's ``PIPELINE_START`` event, one run at a time).
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

DEFS = """
import headwater as dg

@dg.op(config_schema={"n": int, "label": dg.Field(str, default_value="x")})
def first(context):
    return context.op_config["n"]

@dg.op
def second(x):
    return x + 1

@dg.job
def my_job():
    second(first())

@dg.asset
def a0():
    return 0
""" + "".join(f"\n@dg.asset\ndef a{i}(a{i - 1}):\n    return a{i - 1}\n" for i in range(1, 200))

RUNS = 100_000
EVENTS = 100_000
SELECTOR = {"repositoryName": "__repository__", "repositoryLocationName": "defs.py"}


def _fill(instance: Any) -> str:
    from headwater.events import EventType, RunEvent
    from headwater.storage import Run, RunStatus

    now = time.time()
    for start in range(0, RUNS, 5000):
        instance.add_runs(
            [
                Run(
                    run_id=f"run-{i:06d}",
                    job_name="my_job",
                    status=RunStatus.SUCCESS if i % 3 else RunStatus.FAILURE,
                    tags={"team": f"t{i % 10}"},
                    create_time=now - RUNS + i,
                )
                for i in range(start, start + 5000)
            ]
        )
    big = "run-099999"
    for start in range(0, EVENTS, 10_000):
        instance.store_events(
            [
                RunEvent(EventType.ENGINE_EVENT, big, "my_job", now, f"event {i}")
                for i in range(start, start + 10_000)
            ]
        )
    return big


def _post(url: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        answer: dict[str, Any] = json.loads(response.read())
    assert "errors" not in answer, answer
    return answer


def _median_ms(fn: Any, repeat: int = 15) -> float:
    fn()  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _launch_to_started(
    instance: Any, pointer: Any, url: str, launch: str, params: dict[str, Any]
) -> float:
    """Median ms from sending ``launchRun`` to the run's start, a daemon serving the queue."""
    from headwater.daemon import Daemon, load_automation
    from headwater.storage import RunStatus

    daemon = Daemon(instance, load_automation(pointer))
    stop = threading.Event()
    worker = threading.Thread(target=daemon.run, args=(stop,), daemon=True)
    worker.start()
    _until(lambda: daemon.is_active)
    done = {RunStatus.SUCCESS, RunStatus.FAILURE, RunStatus.CANCELED}
    # The runs the launchRun row queued go first, so that each measured run finds the queue empty.
    _until(lambda: not instance.get_runs(statuses=[RunStatus.QUEUED, RunStatus.STARTED]))
    latencies = []
    for _ in range(10):
        sent = time.time()
        answer = _post(url, launch, params)
        run_id = answer["data"]["launchRun"]["run"]["runId"]
        _until(lambda r=run_id: instance.get_run(r).status in done)
        start = next(
            e for e in instance.run_events(run_id) if e.event_type.value == "PIPELINE_START"
        )
        latencies.append((float(start.timestamp) - sent) * 1000)
    stop.set()
    worker.join(timeout=30)
    return statistics.median(latencies)


def _until(check: Any, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the daemon did not get there in time")
        time.sleep(0.005)


def main() -> None:
    import uvicorn

    from headwater.location.code import CodePointer
    from headwater.storage import Instance
    from headwater.webserver import ServerContext, Workspace, create_app

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        os.environ["HEADWATER_HOME"] = str(home)
        (Path(tmp) / "defs.py").write_text(DEFS)
        instance = Instance.from_config(home)
        started = time.perf_counter()
        big = _fill(instance)
        print(f"filled {RUNS:,} runs and {EVENTS:,} events in {time.perf_counter() - started:.1f}s")
        pointer = CodePointer(python_file=str(Path(tmp) / "defs.py"))
        context = ServerContext(instance, Workspace.of([("defs.py", pointer)]))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(create_app(context), host="127.0.0.1", port=port, log_level="error")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}/graphql"
        runs = "query($f: RunsFilter) { runsOrError(filter: $f, limit: 50) { ... on Runs { results { runId status tags { key value } } } } }"  # noqa: E501
        valid = 'query($s: PipelineSelector!, $c: RunConfigData) { isPipelineConfigValid(pipeline: $s, mode: "default", runConfigData: $c) { __typename } }'  # noqa: E501
        launch = "mutation($p: ExecutionParams!) { launchRun(executionParams: $p) { __typename ... on LaunchRunSuccess { run { runId } } } }"  # noqa: E501
        logs = "query($id: ID!) { logsForRun(runId: $id, limit: 1000) { ... on EventConnection { cursor events { __typename ... on MessageEvent { message } } } } }"  # noqa: E501
        assets = "{ assetNodes { assetKey { path } staleStatus dependencyKeys { path } } }"
        selector = {**SELECTOR, "pipelineName": "my_job"}
        config = "ops:\n  first:\n    config:\n      n: 3\n"
        rows = [
            ("runsOrError, 50 of 100,000 runs", _median_ms(lambda: _post(url, runs)), 300),
            (
                "runsOrError, status + tag filter",
                _median_ms(
                    lambda: _post(
                        url,
                        runs,
                        {"f": {"statuses": ["FAILURE"], "tags": [{"key": "team", "value": "t1"}]}},
                    )
                ),
                300,
            ),
            (
                "isPipelineConfigValid (YAML)",
                _median_ms(lambda: _post(url, valid, {"s": selector, "c": config})),
                100,
            ),
            (
                "launchRun → queued",
                _median_ms(
                    lambda: _post(
                        url,
                        launch,
                        {
                            "p": {
                                "selector": {**SELECTOR, "jobName": "my_job"},
                                "runConfigData": config,
                            }
                        },
                    )
                ),
                200,
            ),
            (
                "logsForRun, 1,000 of 100,000 events",
                _median_ms(lambda: _post(url, logs, {"id": big})),
                None,
            ),
            (
                "assetNodes, 200 assets with staleness",
                _median_ms(lambda: _post(url, assets), 5),
                None,
            ),
        ]
        launch_params = {
            "p": {"selector": {**SELECTOR, "jobName": "my_job"}, "runConfigData": config}
        }
        rows.append(
            (
                "launchRun → run started (daemon)",
                _launch_to_started(instance, pointer, url, launch, launch_params),
                200,
            )
        )
        server.should_exit = True
        thread.join(timeout=10)
        instance.dispose()
    print(f"{'operation':45} {'median':>10} {'target':>10}")
    for name, ms, target in rows:
        goal = f"≤ {target} ms" if target else "-"
        print(f"{name:45} {ms:8.1f} ms {goal:>10}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
