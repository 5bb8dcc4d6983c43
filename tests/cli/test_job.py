"""``headwater job list|execute`` and ``headwater pipeline execute`` through CliRunner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from headwater.storage import Instance, RunStatus

Invoke = Callable[..., Result]
Write = Callable[[str, str], Path]


def _runs(home: Path) -> list[object]:
    with Instance.from_config(home) as instance:
        return list(instance.get_runs())


def test_job_list_shows_jobs_with_op_counts(invoke: Invoke, jobs_file: Path) -> None:
    result = invoke("job", "list", "-f", str(jobs_file))
    assert result.exit_code == 0
    assert result.stdout == "numbers_job  (3 ops)  Doubles some numbers.\ndated_job  (1 ops)\n"


def test_execute_records_run_and_prints_events(invoke: Invoke, jobs_file: Path, home: Path) -> None:
    result = invoke("job", "execute", "-f", str(jobs_file), "-j", "numbers_job")
    assert result.exit_code == 0, result.output
    assert "STEP_SUCCESS" in result.stdout
    assert "INFO    report           LOG_MESSAGE            total 6" in result.stdout
    [run] = _runs(home)
    assert run.status is RunStatus.SUCCESS  # type: ignore[attr-defined]
    assert f"run {run.run_id} of job 'numbers_job': SUCCESS in " in result.stdout  # type: ignore[attr-defined]
    assert "(3 steps succeeded, 0 failed, 0 skipped)" in result.stdout


def test_execute_json_prints_events_then_summary(invoke: Invoke, jobs_file: Path) -> None:
    result = invoke("job", "execute", "-f", str(jobs_file), "-j", "numbers_job", "--json")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert {line["kind"] for line in lines[:-1]} == {"event"}
    assert lines[0]["event_type"] == "PIPELINE_START"
    summary = lines[-1]
    assert summary["kind"] == "summary"
    assert summary["status"] == "SUCCESS"
    assert summary["steps"] == {
        "succeeded": ["numbers", "double", "report"],
        "failed": [],
        "skipped": [],
    }


def test_failed_run_exits_1_and_shows_the_user_error(invoke: Invoke, jobs_file: Path) -> None:
    result = invoke(
        "job", "execute", "-f", str(jobs_file), "-j", "numbers_job",
        "--config-json", '{"ops": {"report": {"config": {"fail": true}}}}',
    )  # fmt: skip
    assert result.exit_code == 1
    assert "STEP_FAILURE" in result.stdout
    assert "ValueError: report was told to fail" in result.stdout
    assert "FAILURE in" in result.stdout


def test_config_files_are_deep_merged_then_json_on_top(
    invoke: Invoke, jobs_file: Path, write: Write, home: Path
) -> None:
    a = write(
        "a.yaml", "ops:\n  numbers:\n    config: {count: 5}\n  report:\n    config: {fail: true}\n"
    )
    b = write("b.yaml", "ops:\n  report:\n    config: {fail: false}\n")
    result = invoke(
        "job", "execute", "-f", str(jobs_file), "-j", "numbers_job", "-c", str(a), "-c", str(b),
        "--config-json", '{"ops": {"numbers": {"config": {"count": 4}}}}',
        "--tags", '{"team": "data"}',
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "total 12" in result.stdout  # 0+1+2+3 doubled
    [run] = _runs(home)
    assert run.tags["team"] == "data"  # type: ignore[attr-defined]
    assert run.tags["headwater/code_origin"] == f"-f {jobs_file}"  # type: ignore[attr-defined]


def test_yaml_syntax_error_names_file_line_and_column(
    invoke: Invoke, jobs_file: Path, write: Write, home: Path
) -> None:
    bad = write("bad.yaml", "ops:\n  numbers: {config: {count: 3}\n  x: [\n")
    result = invoke("job", "execute", "-f", str(jobs_file), "-j", "numbers_job", "-c", str(bad))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {bad}, line 3, column 3: "
        "YAML syntax error: expected ',' or '}', but got '<scalar>'\n"
    )
    assert result.stdout == ""
    assert not (home / "storage").exists()  # no data touched


def test_invalid_config_lists_every_problem_and_records_no_run(
    invoke: Invoke, jobs_file: Path, home: Path
) -> None:
    result = invoke(
        "job", "execute", "-f", str(jobs_file), "-j", "numbers_job",
        "--config-json", '{"ops": {"numbers": {"config": {"count": "x"}}, "nope": {}}}',
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 2 problem(s) in run config for job 'numbers_job':\n"
        '  ops.numbers.config.count: expected int, got str "x"\n'
        '  ops: unknown field "nope"; expected one of "numbers", "double", "report"\n'
    )
    assert _runs(home) == []


def test_unknown_job_is_one_line(invoke: Invoke, jobs_file: Path) -> None:
    result = invoke("job", "execute", "-f", str(jobs_file), "-j", "x")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no job named 'x' in {jobs_file}; found jobs: numbers_job, dated_job\n"
    )


def test_bad_json_options_are_one_line(invoke: Invoke, jobs_file: Path) -> None:
    result = invoke("job", "execute", "-f", str(jobs_file), "-j", "numbers_job", "--tags", "[1]")
    assert result.stderr == "Error: --tags must be a JSON object, got list\n"
    result = invoke(
        "job", "execute", "-f", str(jobs_file), "-j", "numbers_job", "--config-json", "{"
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --config-json is not valid JSON: ")


def test_import_error_is_one_line_and_debug_shows_traceback(invoke: Invoke, write: Write) -> None:
    path = write("explodes.py", "raise RuntimeError('boom at import')\n")
    result = invoke("job", "execute", "-f", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: error while loading {path}: RuntimeError: boom at import ({path}, line 1); "
        "rerun with --debug for the full traceback\n"
    )
    debug = invoke("job", "execute", "-f", str(path), "--debug")
    assert debug.exit_code == 1
    assert "Traceback (most recent call last)" in debug.stderr
    assert "raise RuntimeError('boom at import')" in debug.stderr


def test_pipeline_execute_runs_the_chosen_mode(invoke: Invoke, write: Write, home: Path) -> None:
    path = write(
        "legacy_greet.py",
        """
        from headwater.jobs.legacy import ModeDefinition, pipeline, solid
        from headwater.resources import resource

        @resource
        def word(_):
            return "hi"

        @resource
        def loud(_):
            return "HI"

        @solid(required_resource_keys={"word"})
        def hello(context):
            context.log.info("said %s", context.resources.word)

        modes = [ModeDefinition("dev", {"word": word}), ModeDefinition("prod", {"word": loud})]

        @pipeline(mode_defs=modes)
        def greet():
            hello()
        """,
    )
    result = invoke("pipeline", "execute", "-f", str(path), "-p", "greet", "-d", "prod")
    assert result.exit_code == 0, result.output
    assert "said HI" in result.stdout
    missing = invoke("pipeline", "execute", "-f", str(path), "-p", "greet", "-d", "qa")
    assert missing.stderr == "Error: pipeline 'greet' has no mode 'qa'; its modes: dev, prod\n"


def test_pipeline_execute_with_a_preset(invoke: Invoke, write: Write, home: Path) -> None:
    path = write(
        "legacy_presets.py",
        """
        from headwater.jobs.legacy import ModeDefinition, PresetDefinition, pipeline, solid
        from headwater.resources import resource

        @resource
        def word(_):
            return "hi"

        @resource
        def loud(_):
            return "HI"

        @solid(config_schema={"times": int}, required_resource_keys={"word"})
        def hello(context):
            context.log.info("said %s", context.resources.word * context.solid_config["times"])

        modes = [ModeDefinition("dev", {"word": word}), ModeDefinition("prod", {"word": loud})]
        nightly = PresetDefinition(
            "nightly", run_config={"solids": {"hello": {"config": {"times": 2}}}}, mode="prod"
        )

        @pipeline(mode_defs=modes, preset_defs=[nightly])
        def greet():
            hello()
        """,
    )
    result = invoke("pipeline", "execute", "-f", str(path), "--preset", "nightly")
    assert result.exit_code == 0, result.output
    assert "said HIHI" in result.stdout
    unknown = invoke("pipeline", "execute", "-f", str(path), "--preset", "daily")
    assert unknown.stderr == "Error: pipeline 'greet' has no preset 'daily'; its presets: nightly\n"
    both = invoke("pipeline", "execute", "-f", str(path), "--preset", "nightly", "-d", "dev")
    assert both.exit_code == 2
    assert "--preset gives the mode and the run config" in both.stderr


PARTITIONED_JOB = """
import headwater as dg

colors = dg.StaticPartitionsDefinition(["red", "blue"])

@dg.op
def which(context):
    context.log.info("painting %s", context.partition_key)

@dg.job(partitions_def=colors)
def paint():
    which()
"""


def test_partitioned_job_without_a_partition_names_the_tags_option(
    invoke: Invoke, write: Write, home: Path
) -> None:
    path = write("paint.py", PARTITIONED_JOB)
    result = invoke("job", "execute", "-f", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: job 'paint' is partitioned; give the partition to run with "
        """--tags '{"dagster/partition": "KEY"}'\n"""
    )
    assert _runs(home) == []
    tagged = invoke("job", "execute", "-f", str(path), "--tags", '{"dagster/partition": "blue"}')
    assert tagged.exit_code == 0, tagged.output
    assert "painting blue" in tagged.stdout
