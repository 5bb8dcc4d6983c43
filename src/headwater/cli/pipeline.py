"""``headwater pipeline execute``: a legacy pipeline (``@pipeline`` with modes), in this process."""

from __future__ import annotations

from typing import Any

import click

from headwater.cli.job import execute_options, run_and_report
from headwater.cli.root import code_options, debug_option, target_from

__all__ = ["pipeline_group"]


@click.group("pipeline")
def pipeline_group() -> None:
    """Execute legacy pipelines (@pipeline with modes)."""


@pipeline_group.command("execute")
@code_options(short_working_dir=False)
@click.option("-p", "--pipeline", "pipeline_name", metavar="NAME", help="The pipeline to run.")
@click.option("-d", "--mode", metavar="MODE", help="The mode to run it in (its resources).")
@click.option(
    "--preset",
    metavar="NAME",
    help="A preset of the pipeline: its run config, mode and tags (not with -d or -c/-j).",
)
@execute_options
@debug_option
def pipeline_execute_command(
    pipeline_name: str | None,
    mode: str | None,
    preset: str | None,
    config_files: tuple[str, ...],
    config_json: str | None,
    tags: str | None,
    as_json: bool,
    **code: Any,
) -> None:
    """Run a legacy pipeline in one of its modes (or with a preset), in this process."""
    from headwater.cli.loading import get_pipeline_job, get_pipeline_preset, load_code

    target = target_from(code)
    if preset is None:
        job = get_pipeline_job(load_code(target), pipeline_name, mode)
        run_and_report(job, target, config_files, config_json, tags, as_json=as_json)
        return
    if mode is not None or config_files or config_json is not None:
        raise click.UsageError("--preset gives the mode and the run config: drop -d and -c/-j")
    job, run_config, preset_tags = get_pipeline_preset(load_code(target), pipeline_name, preset)
    run_and_report(
        job,
        target,
        (),
        None,
        tags,
        as_json=as_json,
        extra_tags=preset_tags,
        run_config=run_config,
    )
