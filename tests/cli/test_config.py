"""``headwater config schema|validate``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

Invoke = Callable[..., Result]
Write = Callable[[str, str], Path]


def test_schema_is_json_schema_with_defaults(invoke: Invoke, jobs_file: Path) -> None:
    result = invoke("config", "schema", "-f", str(jobs_file), "-j", "numbers_job")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "run config for job 'numbers_job'"
    count = schema["properties"]["ops"]["properties"]["numbers"]["properties"]["config"]
    assert count["properties"]["count"] == {"type": "integer", "default": 3}


def test_validate_prints_every_problem_with_path_and_code(
    invoke: Invoke, jobs_file: Path, write: Write
) -> None:
    config = write("c.yaml", "ops:\n  numbers:\n    config: {count: abc}\n  nope: {}\n")
    result = invoke(
        "config", "validate", "-f", str(jobs_file), "-j", "numbers_job", "-c", str(config)
    )
    assert result.exit_code == 1
    assert result.stdout == (
        'ops.numbers.config.count: expected int, got str "abc" [wrong_type]\n'
        'ops: unknown field "nope"; expected one of "numbers", "double", "report" [unknown_field]\n'
    )
    assert result.stderr == "2 problem(s) in run config for job 'numbers_job'\n"
    as_json = invoke(
        "config", "validate", "-f", str(jobs_file), "-j", "numbers_job", "-c", str(config), "--json"
    )
    assert [json.loads(line)["code"] for line in as_json.stdout.splitlines()] == [
        "wrong_type",
        "unknown_field",
    ]


def test_validate_missing_required_field(invoke: Invoke, jobs_file: Path) -> None:
    result = invoke("config", "validate", "-f", str(jobs_file), "-j", "dated_job")
    assert result.exit_code == 1
    assert "ops.needs_day.config" in result.stdout and "[missing_field]" in result.stdout


def test_validate_valid_config(invoke: Invoke, jobs_file: Path) -> None:
    result = invoke(
        "config", "validate", "-f", str(jobs_file), "-j", "dated_job",
        "--config-json", '{"ops": {"needs_day": {"config": {"day": "mon"}}}}',
    )  # fmt: skip
    assert (result.exit_code, result.stdout) == (0, "run config for job 'dated_job' is valid\n")


def test_validate_missing_config_file(invoke: Invoke, jobs_file: Path) -> None:
    result = invoke("config", "validate", "-f", str(jobs_file), "-j", "dated_job", "-c", "no.yaml")
    assert result.stderr == "Error: no such config file: 'no.yaml' (given with -c)\n"
