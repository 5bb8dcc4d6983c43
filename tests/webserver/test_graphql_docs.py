"""docs/graphql.md is true: every GraphQL example in it runs, in order, against the code it
shows, and answers exactly its ``response`` block; the Python client example runs against
a live server with the published client (when the reference environment is there)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.processes import free_port, wait_until_serving

from headwater.daemon.worker import start_queued_run

DOC = Path(__file__).resolve().parents[2] / "docs" / "graphql.md"
FENCE = re.compile(r"^```(\w+)(?: (\S+))?\n(.*?)^```$", re.MULTILINE | re.DOTALL)
WORKSPACE = "load_from:\n  - python_file: defs.py\n  - python_file: legacy.py\n"


@dataclass(frozen=True)
class Block:
    lang: str
    label: str | None
    text: str


def _blocks() -> list[Block]:
    return [Block(m[1], m[2], m[3]) for m in FENCE.finditer(DOC.read_text())]


def _code(label: str) -> str:
    (found,) = [b.text for b in _blocks() if b.lang == "python" and b.label == label]
    return found


@dataclass(frozen=True)
class Example:
    document: str
    variables: str | None
    response: str | None


def _examples() -> list[Example]:
    blocks, examples = _blocks(), []
    for i, block in enumerate(blocks):
        if block.lang != "graphql":
            continue
        following = blocks[i + 1 : i + 3]
        # A json block belongs to the nearest graphql block before it.
        stop = next((j for j, b in enumerate(following) if b.lang == "graphql"), len(following))
        labels = {b.label: b.text for b in following[:stop] if b.lang == "json"}
        examples.append(Example(block.text, labels.get("variables"), labels.get("response")))
    return examples


@pytest.fixture
def docs_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "defs.py").write_text(_code("defs.py"))
    (tmp_path / "legacy.py").write_text(_code("legacy.py"))
    (tmp_path / "workspace.yaml").write_text(WORKSPACE)
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WAREHOUSE_PASSWORD", "hunter2")
    return tmp_path


@pytest.fixture
def docs_context(docs_dir: Path) -> Iterator[Any]:
    from headwater.storage import Instance
    from headwater.webserver import ServerContext, Workspace, read_workspace_file

    instance = Instance.from_config(docs_dir / "home")
    workspace = Workspace.of(read_workspace_file(docs_dir / "workspace.yaml"))
    yield ServerContext(instance=instance, workspace=workspace)
    instance.dispose()


def _launched(data: Any) -> str | None:
    for value in data.values() if isinstance(data, dict) else ():
        if isinstance(value, dict):
            run = value.get("run")
            if isinstance(run, dict) and run.get("runId"):
                return str(run["runId"])
    return None


def test_the_doc_has_examples_with_responses() -> None:
    examples = _examples()
    assert len(examples) >= 15
    assert sum(e.response is not None for e in examples) >= 8


def test_every_graphql_example_in_the_doc_answers_as_written(docs_context: Any) -> None:
    from graphql import parse, validate

    from headwater.webserver import run_operation
    from headwater.webserver.schema import get_schema

    run_id = None
    for example in _examples():
        if example.document.lstrip().startswith("subscription"):
            problems = validate(get_schema(), parse(example.document))
            assert not problems, (example.document, problems)
            continue
        variables_text = example.variables
        if variables_text is not None and run_id is not None:
            variables_text = variables_text.replace("RUN_ID", run_id)
        variables = json.loads(variables_text) if variables_text else None
        status, body = run_operation(docs_context, example.document, variables, None)
        assert status == 200 and "errors" not in body, (example.document, body)
        data = body["data"]
        if example.response is not None:
            assert data == json.loads(example.response), example.document
        launched = _launched(data)
        if launched is not None and "parentRunId" not in example.document:
            run_id = launched
            assert start_queued_run(docs_context.instance, run_id)


def test_the_python_client_example_runs_against_a_live_server(docs_dir: Path) -> None:
    reference = os.environ.get("PARITY_REF_113")
    if not reference or not Path(reference).exists():
        pytest.skip("PARITY_REF_113 (the reference interpreter with dagster-graphql) is not set")
    port = free_port()
    command = [sys.executable, "-m", "headwater.cli", "webserver", "-w", "workspace.yaml"]
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=docs_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until_serving(server, f"http://127.0.0.1:{port}")
        script = _code("client").replace("port_number=3000", f"port_number={port}")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        done = subprocess.run(
            [reference, "-c", script],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "QUEUED"
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=30)
