"""``headwater definitions validate``: load user code and check every job in it."""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, Any

import click

from headwater._dataclass import dataclass
from headwater.cli.root import code_options, debug_option, target_from

if TYPE_CHECKING:
    from headwater.cli.loading import LoadedCode
    from headwater.errors import ConfigProblem
    from headwater.jobs.job import JobDefinition

__all__ = ["JobCheck", "check_definitions", "definitions_group"]

# Problems that only mean "give this at launch": a required field without a default, or an
# environment variable that is set where runs happen but not here. Reported, not failures.
_LAUNCH_CODES = frozenset({"missing_field", "env_unset"})


@dataclass(slots=True)
class JobCheck:
    """What checking one job found.

    Attributes:
        name: the job (``pipeline:mode`` for a legacy pipeline's mode).
        errors: definition errors and problems in its default config.
        needs_at_launch: required config it lacks a default for, or unset env vars.
    """

    name: str
    errors: list[str] = field(default_factory=list)
    needs_at_launch: list[ConfigProblem] = field(default_factory=list)


def check_definitions(code: LoadedCode) -> list[JobCheck]:
    """Check every job and every pipeline mode: resources wired, default config valid."""
    jobs: list[tuple[str, JobDefinition]] = list(code.jobs.items())
    for name, pipeline in code.pipelines.items():
        jobs += [(f"{name}:{mode}", pipeline.get_job(mode)) for mode in pipeline.mode_names]
    return [_check_job(name, job) for name, job in jobs]


def _check_job(name: str, job: JobDefinition) -> JobCheck:
    from headwater.cli.run_config import format_problem, validate_run_config
    from headwater.errors import HeadwaterError

    check = JobCheck(name)
    try:
        job.check_resources()
        problems = validate_run_config(job, {})
    except HeadwaterError as exc:
        check.errors.append(" ".join(str(exc).split("\n")))
        return check
    for problem in problems:
        if problem.code in _LAUNCH_CODES:
            check.needs_at_launch.append(problem)
        else:
            check.errors.append(format_problem(problem))
    return check


@click.group("definitions")
def definitions_group() -> None:
    """Check user code."""


@definitions_group.command("validate")
@code_options()
@debug_option
def validate_command(**code: Any) -> None:
    """Load the code and check every job: resources provided, default config valid.

    Required config without a default is listed (it must be given at launch) but is not an
    error. Exits with status 1 when loading fails or any job has an error.
    """
    from headwater.cli.loading import load_code

    loaded = load_code(target_from(code))
    checks = check_definitions(loaded)
    if not checks:
        click.echo(f"no jobs found in {loaded.target.describe()}", err=True)
        raise click.exceptions.Exit(1)
    failed = 0
    for check in checks:
        if check.errors:
            failed += 1
            click.echo(f"job '{check.name}': {len(check.errors)} error(s)")
            for line in check.errors:
                click.echo(f"  {line}")
        else:
            click.echo(f"job '{check.name}': ok")
        for problem in check.needs_at_launch:
            click.echo(f"  needs at launch: {problem} [{problem.code}]")
    click.echo(
        f"{len(checks)} job(s) checked in {loaded.target.describe()}, {failed} with errors",
        err=bool(failed),
    )
    if failed:
        raise click.exceptions.Exit(1)
