"""Fixtures for the CLI tests: a temporary instance home, job files, and a runner."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from headwater.cli import cli

JOBS_SOURCE = '''
import headwater as dg


@dg.op(config_schema={"count": dg.Field(int, default_value=3)})
def numbers(context):
    return list(range(context.op_config["count"]))


@dg.op
def double(values):
    return [v * 2 for v in values]


@dg.op(config_schema={"fail": dg.Field(bool, default_value=False)})
def report(context, values):
    if context.op_config["fail"]:
        raise ValueError("report was told to fail")
    context.log.info("total %d", sum(values))
    return sum(values)


@dg.job
def numbers_job():
    """Doubles some numbers."""
    report(double(numbers()))


@dg.op(config_schema={"day": str})
def needs_day(context):
    return context.op_config["day"]


@dg.job
def dated_job():
    needs_day()
'''


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh HEADWATER_HOME for the test (DAGSTER_HOME cleared)."""
    folder = tmp_path / "home"
    monkeypatch.setenv("HEADWATER_HOME", str(folder))
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    return folder


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a file under the test's temporary folder, dedented; return its path."""

    def write_file(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write_file


@pytest.fixture
def jobs_file(write: Callable[[str, str], Path]) -> Path:
    """A file with two jobs: ``numbers_job`` (3 ops) and ``dated_job`` (needs config)."""
    return write("cli_jobs.py", JOBS_SOURCE)


@pytest.fixture
def invoke(home: Path) -> Callable[..., Result]:
    """Run ``headwater ARGS...`` in-process against the test's instance."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return run
