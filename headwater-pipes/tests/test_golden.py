"""Golden transcripts: headwater_pipes and dagster_pipes both write exactly these messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema  # type: ignore[import-untyped]  # stubs not installed
import pytest

import headwater_pipes
from headwater_pipes import encode_env_var, load_schema
from headwater_pipes.protocol import decode_message
from hwp_helpers import load_jsonl, strip_stacks
from replay_session import replay

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
CASES = sorted(p.name.removesuffix(".session.json") for p in GOLDEN.glob("*.session.json"))
SRC = Path(headwater_pipes.__file__).parent.parent


def session(case: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (GOLDEN / f"{case}.session.json").read_text(encoding="utf-8")
    )
    return loaded


def launch_env(tmp_path: Path, case: str) -> tuple[dict[str, str], Path]:
    """Inject the context as a file and ask for messages in a file, as an orchestrator does."""
    context_path = tmp_path / "context.json"
    context_path.write_text(json.dumps(session(case)["context"]), encoding="utf-8")
    messages = tmp_path / "messages.jsonl"
    env = {
        "DAGSTER_PIPES_CONTEXT": encode_env_var({"path": str(context_path)}),
        "DAGSTER_PIPES_MESSAGES": encode_env_var({"path": str(messages)}),
    }
    return env, messages


def transcript(path: Path) -> list[Any]:
    return [
        strip_stacks(decode_message(line)) for line in path.read_text(encoding="utf-8").splitlines()
    ]


def test_there_are_golden_cases_for_every_kind_of_session() -> None:
    assert CASES == ["check", "custom_message", "failure", "logs", "materialization", "multi_asset"]


@pytest.mark.parametrize("case", CASES)
def test_headwater_pipes_writes_the_golden_transcript(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env, messages = launch_env(tmp_path, case)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    try:
        replay("headwater_pipes", session(case))
    except (RuntimeError, ValueError):
        assert "raises" in session(case)
    assert transcript(messages) == load_jsonl(GOLDEN / f"{case}.jsonl")


def run_replay(python: str, module: str, case: str, tmp_path: Path, pythonpath: str) -> list[Any]:
    env, messages = launch_env(tmp_path, case)
    env = {**os.environ, **env, "PYTHONPATH": pythonpath}
    script = str(HERE / "replay_session.py")
    result = subprocess.run(
        [python, script, module, str(GOLDEN / f"{case}.session.json")], env=env, check=False
    )
    assert result.returncode == (3 if "raises" in session(case) else 0)
    return transcript(messages)


@pytest.mark.parametrize("case", CASES)
def test_dagster_pipes_writes_the_golden_transcript(case: str, tmp_path: Path) -> None:
    # The real dagster-pipes, reading params we encoded and a context file we wrote.
    got = run_replay(sys.executable, "dagster_pipes", case, tmp_path, "")
    assert got == load_jsonl(GOLDEN / f"{case}.jsonl")


def test_headwater_pipes_writes_every_golden_transcript_under_python_39(
    tmp_path: Path, python39: Path
) -> None:
    for case in CASES:
        (tmp_path / case).mkdir()
        got = run_replay(str(python39), "headwater_pipes", case, tmp_path / case, str(SRC))
        assert got == load_jsonl(GOLDEN / f"{case}.jsonl"), case


@pytest.mark.parametrize("case", CASES)
def test_golden_messages_and_contexts_validate_against_the_schemas(case: str) -> None:
    validate_message = fastjsonschema.compile(load_schema("message"))
    validate_context = fastjsonschema.compile(load_schema("context"))
    validate_context(session(case)["context"])
    jsonschema.validate(session(case)["context"], load_schema("context"))
    for message in load_jsonl(GOLDEN / f"{case}.jsonl"):
        validate_message(message)
        jsonschema.validate(message, load_schema("message"))
        params_schema = load_schema(f"params/{message['method']}")
        jsonschema.validate(message["params"], params_schema)
