"""``headwater instance info|migrate|vacuum`` and how the CLI finds the instance."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from headwater.cli.instance import instance_home

Invoke = Callable[..., Result]


def test_info_names_home_and_counts(invoke: Invoke, home: Path, jobs_file: Path) -> None:
    invoke("job", "execute", "-f", str(jobs_file), "-j", "numbers_job")
    info = json.loads(invoke("instance", "info", "--json").stdout)
    assert info["home"] == str(home)
    assert info["home_source"] == "HEADWATER_HOME"
    assert info["run_count"] == 1
    assert info["event_count"] > 10
    assert f"home:            {home}  (HEADWATER_HOME)" in invoke("instance", "info").stdout


def test_migrate_is_a_no_op_when_current(invoke: Invoke, home: Path) -> None:
    invoke("instance", "info")
    result = invoke("instance", "migrate")
    assert result.exit_code == 0
    assert result.stdout.endswith("is up to date (schema version 0003)\n")


def test_vacuum_without_retention_says_so(invoke: Invoke) -> None:
    result = invoke("instance", "vacuum")
    assert (
        result.stdout
        == "no retention configured: set retention.days in headwater.yaml or pass --days\n"
    )
    assert invoke("instance", "vacuum", "--days", "1").stdout == (
        "deleted 0 verbose event(s) from 0 old finished run(s)\n"
    )


def test_home_defaults_to_dot_headwater(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("HEADWATER_HOME", raising=False)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    assert instance_home() == (tmp_path, "DAGSTER_HOME")
    monkeypatch.delenv("DAGSTER_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert instance_home() == (tmp_path / ".headwater", "default; set HEADWATER_HOME to choose")


def test_corrupt_database_is_one_line(invoke: Invoke, home: Path) -> None:
    (home / "storage").mkdir(parents=True)
    (home / "storage" / "headwater.db").write_bytes(b"not a database at all" * 100)
    result = invoke("run", "list")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert (home / "storage" / "headwater.db").read_bytes() == b"not a database at all" * 100


def test_postgres_url_variable_does_not_redirect_a_named_home(
    invoke: Invoke, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Unreachable on purpose: were the variable used, the command would fail to connect.
    monkeypatch.setenv("HEADWATER_POSTGRES_URL", "postgresql://nobody@127.0.0.1:1/none")
    info = json.loads(invoke("instance", "info", "--json").stdout)
    assert info["location"] == str(home / "storage" / "headwater.db")


def test_postgres_url_variable_fills_in_the_default_home(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("HEADWATER_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("HEADWATER_POSTGRES_URL", "postgresql://nobody@127.0.0.1:1/none")
    result = invoke("run", "list")
    assert result.exit_code == 1
    assert "127.0.0.1:1" in result.stderr
