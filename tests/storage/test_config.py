"""headwater.yaml and the home folder: what each setting does and how each mistake reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from headwater.errors import InstanceError
from headwater.storage import Instance
from headwater.storage.config import (
    InstanceConfig,
    PostgresConfig,
    SqliteConfig,
    load_instance_config,
    resolve_home,
)


def load(home: Path, text: str, **environ: str) -> InstanceConfig:
    (home / "headwater.yaml").write_text(text)
    return load_instance_config(home, environ)


def test_no_file_means_sqlite_in_home_storage(tmp_path: Path) -> None:
    assert load_instance_config(tmp_path, {}) == InstanceConfig(
        tmp_path, SqliteConfig(tmp_path / "storage")
    )


def test_sqlite_base_dir_relative_to_home_and_retention(tmp_path: Path) -> None:
    config = load(tmp_path, "storage:\n  sqlite:\n    base_dir: db\nretention:\n  days: 30\n")
    assert config == InstanceConfig(tmp_path, SqliteConfig(tmp_path / "db"), retention_days=30.0)


def test_postgres_url_from_env_reference(tmp_path: Path) -> None:
    config = load(
        tmp_path, "storage:\n  postgres:\n    postgres_url: {env: PG}\n", PG="postgresql://u:s@h/db"
    )
    assert config.storage == PostgresConfig("postgresql://u:s@h/db")


def test_postgres_db_parts_build_a_quoted_url(tmp_path: Path) -> None:
    text = (
        "storage:\n  postgres:\n    postgres_db:\n      username: u\n      password: {env: PW}\n"
        "      hostname: db.local\n      db_name: hw\n      port: 5433\n"
    )
    config = load(tmp_path, text, PW="p@ss/word")
    assert config.storage == PostgresConfig("postgresql://u:p%40ss%2Fword@db.local:5433/hw")


def test_postgres_url_variable_never_overrides_an_explicit_home(tmp_path: Path) -> None:
    # A variable left set in a shell must not redirect a named home's writes.
    config = load(tmp_path, "", HEADWATER_POSTGRES_URL="postgresql://h/x")
    assert config.storage == SqliteConfig(tmp_path / "storage")


def test_postgres_url_variable_fills_in_the_default_home(tmp_path: Path) -> None:
    environ = {"HEADWATER_POSTGRES_URL": "postgresql://h/x"}
    config = load_instance_config(tmp_path, environ, is_default_home=True)
    assert config.storage == PostgresConfig("postgresql://h/x")


def test_storage_in_the_file_wins_over_the_variable_even_by_default(tmp_path: Path) -> None:
    (tmp_path / "headwater.yaml").write_text("storage:\n  sqlite: {}\n")
    environ = {"HEADWATER_POSTGRES_URL": "postgresql://h/x"}
    config = load_instance_config(tmp_path, environ, is_default_home=True)
    assert config.storage == SqliteConfig(tmp_path / "storage")


def test_local_temp_ignores_the_postgres_url_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An unreachable URL: were it used, opening would fail.
    monkeypatch.setenv("HEADWATER_POSTGRES_URL", "postgresql://nobody@127.0.0.1:1/none")
    with Instance.local_temp(tmp_path) as instance:
        assert instance.info().location == str(tmp_path / "storage" / "headwater.db")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("storag: {}\n", "top level: unknown key 'storag'; did you mean 'storage'?"),
        (
            "storage:\n  mysql: {}\n",
            "storage: unknown key 'mysql'; expected one of: ('sqlite', 'postgres')",
        ),
        (
            "storage:\n  sqlite: {}\n  postgres: {}\n",
            "storage: expected exactly one of 'sqlite' or 'postgres'",
        ),
        (
            "storage:\n  postgres:\n    postgres_url: {env: NOPE}\n",
            "storage.postgres.postgres_url: environment variable NOPE is not set",
        ),
        ("retention:\n  days: -1\n", "retention.days: expected a positive number of days, got -1"),
        (
            "python_logs:\n  python_log_level: LOUD\n",
            "python_logs.python_log_level: expected one of CRITICAL, ERROR, WARNING, INFO, "
            "DEBUG, got 'LOUD'",
        ),
        ("- a\n- b\n", "expected a mapping at the top, got list"),
    ],
)
def test_bad_settings_name_file_key_and_fix(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InstanceError, match=re.escape(f"{tmp_path / 'headwater.yaml'}: {message}")):
        load(tmp_path, text)


def test_yaml_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(InstanceError) as caught:
        load(tmp_path, "storage:\n  sqlite:\n    base_dir: [unclosed\n")
    assert str(caught.value) == (
        f"{tmp_path / 'headwater.yaml'} is not valid YAML: line 4, column 1: "
        "expected ',' or ']', but got '<stream end>'"
    )
    assert "\n" not in str(caught.value)


def test_home_from_headwater_home_then_dagster_home(tmp_path: Path) -> None:
    assert resolve_home({"HEADWATER_HOME": str(tmp_path), "DAGSTER_HOME": "/x"}) == tmp_path
    assert resolve_home({"DAGSTER_HOME": str(tmp_path)}) == tmp_path


def test_get_without_home_says_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEADWATER_HOME", raising=False)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    with pytest.raises(
        InstanceError, match=r"^no instance home folder: set HEADWATER_HOME to a folder"
    ):
        Instance.get()


def test_get_opens_and_reopens_the_same_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("HEADWATER_POSTGRES_URL", raising=False)
    with Instance.get() as first:
        run = first.create_run(job_name="job")
    with Instance.get() as second:
        assert second.get_run(run.run_id) == run
        assert second.home == tmp_path / "home"
        assert second.info().location == str(tmp_path / "home" / "storage" / "headwater.db")


def test_local_temp_is_persistent_sqlite(tmp_path: Path) -> None:
    with Instance.local_temp(tmp_path) as instance:
        run = instance.create_run(job_name="job")
    assert not instance.is_ephemeral
    with Instance.local_temp(tmp_path) as again:
        assert again.has_run(run.run_id)
    with Instance.local_temp() as fresh:
        assert fresh.home is not None and fresh.home.is_dir()
        assert fresh.get_runs() == []


def test_the_suite_runs_without_the_developers_instance_variables() -> None:
    # tests/conftest.py clears them before any test module is imported.
    import os

    leaked = [
        name
        for name in os.environ
        if name == "DAGSTER_HOME"
        or (name.startswith("HEADWATER_") and not name.startswith("HEADWATER_TEST_"))
    ]
    assert leaked == []


def test_run_queue_limits(tmp_path: Path) -> None:
    from headwater.storage.config import RunQueueConfig, TagConcurrencyLimit

    config = load(
        tmp_path,
        "run_queue:\n  max_concurrent_runs: 3\n  tag_concurrency_limits:\n"
        "    - {key: database, value: warehouse, limit: 1}\n"
        "    - {key: api, value: {applyLimitPerUniqueValue: true}, limit: 2}\n",
    )
    assert config.run_queue == RunQueueConfig(
        3,
        (
            TagConcurrencyLimit("database", "warehouse", 1),
            TagConcurrencyLimit("api", None, 2, per_unique_value=True),
        ),
    )
    assert Instance.from_config(tmp_path).run_queue.max_concurrent_runs == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "run_queue:\n  max_concurrent_runs: -1\n",
            "run_queue.max_concurrent_runs: expected a whole number >= 0, got -1",
        ),
        (
            "run_queue:\n  tag_concurrency_limits:\n    - {key: a}\n",
            "run_queue.tag_concurrency_limits[0]: needs 'key' and 'limit'",
        ),
        ("run_queue:\n  max_concurent_runs: 2\n", "did you mean 'max_concurrent_runs'?"),
    ],
)
def test_run_queue_mistakes_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InstanceError, match=re.escape(message)):
        load(tmp_path, text)
