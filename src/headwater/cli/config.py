"""``headwater config schema|validate``: a job's run config, described and checked."""

from __future__ import annotations

import json
from typing import Any

import click

from headwater.cli.root import code_options, debug_option, target_from

__all__ = ["config_group"]


@click.group("config")
def config_group() -> None:
    """Describe and check run config."""


@config_group.command("schema")
@code_options()
@click.option("-j", "--job", "job_name", metavar="NAME", help="The job (optional if only one).")
@debug_option
def schema_command(job_name: str | None, **code: Any) -> None:
    """Print the job's run-config schema as JSON Schema (for editors and tools)."""
    from headwater.cli.loading import get_job, load_code
    from headwater.config import to_json_schema

    job = get_job(load_code(target_from(code)), job_name)
    schema = to_json_schema(job.run_config_schema)
    click.echo(json.dumps({"title": f"run config for job '{job.name}'", **schema}, indent=2))


@config_group.command("validate")
@code_options()
@click.option("-j", "--job", "job_name", metavar="NAME", help="The job (optional if only one).")
@click.option(
    "-c",
    "--config",
    "config_files",
    multiple=True,
    metavar="FILE",
    help="YAML run config; repeat to deep-merge several files in order.",
)
@click.option("--config-json", metavar="JSON", help="Run config as a JSON object, merged last.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per problem.")
@debug_option
def validate_command(
    job_name: str | None,
    config_files: tuple[str, ...],
    config_json: str | None,
    as_json: bool,
    **code: Any,
) -> None:
    """Check run config against a job's schema; print every problem with its path and code.

    Exits with status 1 when there are problems.
    """
    from headwater.cli.loading import get_job, load_code
    from headwater.cli.run_config import format_problem, load_run_config, validate_run_config

    job = get_job(load_code(target_from(code)), job_name)
    problems = validate_run_config(job, load_run_config(config_files, config_json))
    if as_json:
        for problem in problems:
            click.echo(
                json.dumps(
                    {
                        "kind": "problem",
                        "path": problem.path,
                        "code": problem.code,
                        "message": problem.message,
                    }
                )
            )
    elif problems:
        for problem in problems:
            click.echo(format_problem(problem))
        click.echo(f"{len(problems)} problem(s) in run config for job '{job.name}'", err=True)
    else:
        click.echo(f"run config for job '{job.name}' is valid")
    if problems:
        raise click.exceptions.Exit(1)
