"""Fixtures: user code, an in-process server context, and live servers in processes."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.processes import free_port, stop_all, wait_until_serving

DEFS = """
import time
import headwater as dg

@dg.op(config_schema={"n": int})
def first(context):
    context.log.info("first got %s" % context.op_config["n"])
    return context.op_config["n"]

@dg.op
def second(x):
    return x + 1

@dg.job
def my_job():
    second(first())

@dg.op(config_schema={"fail": dg.Field(bool, default_value=False)})
def flaky(context):
    if context.op_config["fail"]:
        raise RuntimeError("asked to fail")
    return 1

@dg.op
def after(x):
    return x

@dg.job
def flaky_job():
    after(flaky())

@dg.op
def nap():
    time.sleep(60)

# Out of process, so that termination interrupts the running step (an in-process run
# stops only between steps).
@dg.job(executor_def=dg.multiprocess_executor)
def sleepy():
    nap()

@dg.schedule(cron_schedule="0 0 * * *", job=my_job)
def nightly(_context):
    return {"ops": {"first": {"config": {"n": 3}}}}

@dg.sensor(job=my_job, minimum_interval_seconds=3600)
def watcher(_context):
    return None

class Db(dg.ConfigurableResource):
    user: str
    password: str

@dg.asset(partitions_def=dg.StaticPartitionsDefinition(["a", "b"]))
def upstream():
    return 1

@dg.asset
def downstream(upstream, db: Db):
    return upstream

defs = dg.Definitions(
    jobs=[my_job, flaky_job, sleepy],
    schedules=[nightly],
    sensors=[watcher],
    assets=[upstream, downstream],
    resources={"db": Db(user="me", password=dg.EnvVar("WEB_TEST_SECRET"))},
)
"""


@pytest.fixture
def code_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "defs.py").write_text(DEFS)
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WEB_TEST_SECRET", "hunter2")
    return tmp_path


@contextlib.contextmanager
def server_context(folder: Path) -> Iterator[Any]:
    """A server context over ``folder/defs.py`` (location ``defs.py``) and a local instance
    in ``folder/home``, without HTTP."""
    from headwater.location.code import CodePointer
    from headwater.storage import Instance
    from headwater.webserver import ServerContext, Workspace

    pointer = CodePointer(python_file=str(folder / "defs.py"))
    instance = Instance.from_config(folder / "home")
    try:
        yield ServerContext(instance=instance, workspace=Workspace.of([("defs.py", pointer)]))
    finally:
        instance.dispose()


def selector(name: str) -> dict[str, str]:
    """The pipeline selector of job ``name`` in ``server_context``'s location."""
    return {
        "pipelineName": name,
        "repositoryName": "__repository__",
        "repositoryLocationName": "defs.py",
    }


@pytest.fixture
def context(code_dir: Path) -> Iterator[Any]:
    """A server context over a local instance, without HTTP."""
    with server_context(code_dir) as made:
        yield made


def run_query(context: Any, query: str, **variables: Any) -> dict[str, Any]:
    """Run an operation in process; fails the test on GraphQL errors."""
    from headwater.webserver import run_operation

    status, body = run_operation(context, query, variables or None, None)
    assert status == 200 and "errors" not in body, body
    return body["data"]


def post(url: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


class Processes:
    """Processes a test starts (a web server, a daemon), stopped at its end."""

    def __init__(self, code_dir: Path) -> None:
        self.code_dir = code_dir
        self.started: list[subprocess.Popen[str]] = []

    def start(self, *args: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "headwater.cli", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ,
            cwd=self.code_dir,
        )
        self.started.append(process)
        return process

    def webserver(self, *extra: str) -> str:
        """Start ``headwater webserver -f defs.py``; returns its base URL once it answers."""
        port = free_port()
        process = self.start("webserver", "-f", "defs.py", "--port", str(port), *extra)
        prefix = extra[extra.index("--path-prefix") + 1] if "--path-prefix" in extra else ""
        url = f"http://127.0.0.1:{port}{prefix}"
        wait_until_serving(process, url)
        return url

    def stop(self) -> None:
        stop_all(self.started)


@pytest.fixture
def processes(code_dir: Path) -> Iterator[Processes]:
    started = Processes(code_dir)
    yield started
    started.stop()


WaitFor = Callable[[Callable[[], bool]], None]
