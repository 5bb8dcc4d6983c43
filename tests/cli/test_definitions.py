"""``headwater definitions validate``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

Invoke = Callable[..., Result]
Write = Callable[[str, str], Path]


def test_valid_code_lists_jobs_and_launch_needs(invoke: Invoke, jobs_file: Path) -> None:
    result = invoke("definitions", "validate", "-f", str(jobs_file))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "job 'numbers_job': ok\n"
        "job 'dated_job': ok\n"
        "  needs at launch: ops.needs_day.config: "
        'missing required field "day" (str) [missing_field]\n'
        f"2 job(s) checked in {jobs_file}, 0 with errors\n"
    )


def test_bad_default_config_fails_with_paths(invoke: Invoke, write: Write) -> None:
    path = write(
        "bad_default.py",
        """
        import headwater as dg

        @dg.op(config_schema={"n": int})
        def takes_n(context):
            return context.op_config["n"]

        @dg.job(config={"ops": {"takes_n": {"config": {"n": "three"}}}})
        def bad_default():
            takes_n()
        """,
    )
    result = invoke("definitions", "validate", "-f", str(path))
    assert result.exit_code == 1
    assert result.stdout == (
        "job 'bad_default': 1 error(s)\n"
        '  ops.takes_n.config.n: expected int, got str "three" [wrong_type]\n'
    )
    assert result.stderr == f"1 job(s) checked in {path}, 1 with errors\n"


def test_code_that_fails_to_load_fails(invoke: Invoke, write: Write) -> None:
    path = write("nothing_here.py", "x = 1\n")
    result = invoke("definitions", "validate", "-f", str(path))
    assert (result.exit_code, result.stderr) == (1, f"no jobs found in {path}\n")
