"""`headwater pipes run`: rules turn an unmodified program's lines into recorded events."""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import headwater as dg
from headwater.cli import cli
from headwater.errors import InvalidConfigError
from headwater.events import EventType
from headwater.pipes.context_data import make_traceparent
from headwater.pipes.rules import parse_rules
from headwater.pipes.standalone import run_command

from .conftest import script

RULES = {
    "unmatched": "debug",
    "rules": [
        {
            "regex": r"^(?P<level>INFO|ERROR) (?P<message>.*)$",
            "log": "{level}",
            "message": "{message}",
        },
        {"json": True, "log": "{level}", "message": "{msg}"},
        {
            "regex": r"wrote (?P<rows>\d+) rows to (?P<path>\S+)",
            "materialize": {"asset": "orders", "metadata": {"rows": "{rows}", "path": "{path}"}},
        },
        {
            "regex": r"check (?P<name>\w+) (?P<outcome>passed|failed)",
            "stream": "stderr",
            "check": {"asset": "orders", "name": "{name}", "passed": "{outcome}"},
        },
    ],
}

PROGRAM = r"""
import sys
print("INFO starting")
print('{"level": "warning", "msg": "disk almost full"}')
print("wrote 120 rows to /tmp/orders.csv")
print("check not_empty failed", file=sys.stderr)
print("check on stdout passed")
print("ERROR oops", file=sys.stderr)
"""


def test_rules_turn_lines_into_logs_materializations_and_checks(instance) -> None:
    outcome = run_command(
        [sys.executable, "-c", PROGRAM], instance=instance, rules=parse_rules(RULES)
    )
    assert not outcome.success  # the failed ERROR check fails the run
    events = instance.run_events(outcome.run_id)
    logs = {e.message: e.level for e in events if e.event_type is EventType.LOG_MESSAGE}
    assert logs == {
        "starting": logging.INFO,
        "disk almost full": logging.WARNING,
        "check on stdout passed": logging.DEBUG,  # the check rule is for stderr only
        "oops": logging.ERROR,
    }
    [mat] = [e.data for e in events if e.event_type is EventType.ASSET_MATERIALIZATION]
    assert mat["asset_key"] == "orders"
    assert mat["metadata"] == {
        "rows": {"raw_value": 120, "type": "int"},
        "path": {"raw_value": "/tmp/orders.csv", "type": "text"},
    }
    [check] = [e.data for e in events if e.event_type is EventType.ASSET_CHECK_EVALUATION]
    assert (check["check_name"], check["passed"]) == ("not_empty", False)
    assert instance.get_run(outcome.run_id).status.value == "FAILURE"


def test_malformed_rules_list_every_problem() -> None:
    bad = {
        "unmatched": "loud",
        "rules": [
            {"regex": "(", "log": "info"},
            {"json": True, "log": "info", "check": {"asset": "a"}},
            {"materialize": {"asset": "a"}},
            {"regex": "x", "check": {"asset": "a", "name": "c", "severity": "fatal"}},
        ],
    }
    with pytest.raises(InvalidConfigError) as caught:
        parse_rules(bad)
    assert str(caught.value) == (
        "5 problem(s) in pipes rules:\n"
        "  unmatched: expected a level or 'ignore', got 'loud'\n"
        "  rules[0].regex: not a valid regex: missing ), unterminated subpattern at position 0\n"
        "  rules[1]: needs exactly one of log, materialize, check; has ['log', 'check']\n"
        "  rules[2]: needs a matcher: regex: '...' or json: true\n"
        "  rules[3].check.severity: expected ERROR or WARN, got 'fatal'"
    )


def test_cli_records_a_run_that_run_logs_shows(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n  - regex: 'wrote (?P<rows>\\d+) rows'\n"
        "    materialize: {asset: orders, metadata: {rows: '{rows}'}}\n"
    )
    runner = CliRunner()
    ran = runner.invoke(
        cli,
        [
            "pipes",
            "run",
            "--rules",
            str(rules),
            "-q",
            "--",
            sys.executable,
            "-c",
            "print('hello'); print('wrote 7 rows')",
        ],
    )
    assert ran.exit_code == 0, ran.output
    found = re.search(r"run (\S+) SUCCESS \(exit code 0\)", ran.output)
    assert found is not None, ran.output
    run_id = found.group(1)
    logs = runner.invoke(cli, ["run", "logs", run_id])
    assert logs.exit_code == 0, logs.output
    assert re.search(r"INFO\s+python\S*\s+LOG_MESSAGE\s+hello", logs.output)
    assert "Materialized asset 'orders'." in logs.output
    assert "PIPELINE_SUCCESS" in logs.output  # the event value Dagster records


def test_cli_run_of_a_pipes_program_with_assets_in_scope(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    ran = CliRunner().invoke(
        cli, ["pipes", "run", "-q", "--asset", "orders", "--", *script("dagster_script.py")]
    )
    assert ran.exit_code == 0, ran.output
    found = re.search(r"run (\S+) SUCCESS", ran.output)
    assert found is not None, ran.output
    run_id = found.group(1)
    with dg.Instance.get() as instance:
        kinds = [e.event_type for e in instance.run_events(run_id)]
    assert EventType.ASSET_MATERIALIZATION in kinds
    assert EventType.ASSET_CHECK_EVALUATION in kinds


def test_a_failing_program_fails_the_cli_with_its_exit_code(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    ran = CliRunner().invoke(cli, ["pipes", "run", "-q", "--", sys.executable, "-c", "exit(4)"])
    assert ran.exit_code == 4
    assert re.search(r"run \S+ FAILURE \(exit code 4\)", ran.output)


def test_traceparent_is_w3c_and_stable_per_step() -> None:
    run_id = "8fa30985-c25c-4f75-a978-59ed8065cc88"
    first = make_traceparent(run_id, "orders")
    assert re.fullmatch(r"00-8fa30985c25c4f75a97859ed8065cc88-[0-9a-f]{16}-01", first)
    assert make_traceparent(run_id, "orders") == first
    assert make_traceparent(run_id, "customers") != first
    assert re.fullmatch(r"00-[0-9a-f]{32}-[0-9a-f]{16}-01", make_traceparent("EPHEMERAL", None))


def test_a_command_run_has_the_lifecycle_of_any_one_op_job(instance) -> None:
    @dg.op(name="python3", out={})
    def python3(context: dg.OpExecutionContext) -> None:
        context.log.info("hello")

    @dg.job(name="__pipes_run")
    def one_op() -> None:
        python3()

    job_run = one_op.execute_in_process(instance=instance)
    outcome = run_command([sys.executable, "-c", "print('hello')"], instance=instance)
    assert outcome.success and outcome.exit_code == 0

    def kinds(run_id: str) -> list[tuple[str, str | None]]:
        return [(e.event_type.value, e.step_key) for e in instance.run_events(run_id)]

    step = re.sub(r"[^A-Za-z0-9_]", "_", Path(sys.executable).name)
    expected = [(kind, step if key else None) for kind, key in kinds(job_run.run_id)]
    assert kinds(outcome.run_id) == expected
    assert instance.get_run(outcome.run_id).tags["headwater/pipes_command"].endswith("hello')")


def test_a_program_that_cannot_start_fails_its_step_with_the_reason(instance) -> None:
    outcome = run_command(["/no/such/program"], instance=instance)
    assert (outcome.success, outcome.exit_code) == (False, -1)
    [failure] = [
        e for e in instance.run_events(outcome.run_id) if e.event_type is EventType.STEP_FAILURE
    ]
    assert failure.step_key == "program"
    assert failure.error is not None
    assert "could not start '/no/such/program'" in failure.error.message
    assert instance.get_run(outcome.run_id).status.value == "FAILURE"
