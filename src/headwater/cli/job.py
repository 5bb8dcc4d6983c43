"""``headwater job list|execute|launch`` (``job reexecute`` is in ``control.py``)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import click

from headwater.cli.root import LazyGroup, code_options, debug_option, target_from

if TYPE_CHECKING:
    from headwater.cli.loading import CodeTarget
    from headwater.events import RunEvent
    from headwater.jobs.job import JobDefinition

__all__ = ["execute_options", "job_group", "run_and_report"]


def execute_options(f: Any) -> Any:
    """``-c/--config-json/--tags/--json``: what a run gets and how it reports."""
    for option in reversed(
        (
            click.option(
                "-c",
                "--config",
                "config_files",
                multiple=True,
                metavar="FILE",
                help="YAML run config; repeat to deep-merge several files in order.",
            ),
            click.option(
                "--config-json",
                metavar="JSON",
                help="Run config as a JSON object, merged over the -c files.",
            ),
            click.option(
                "--tags", metavar="JSON", help='Run tags as a JSON object: \'{"k": "v"}\'.'
            ),
            click.option(
                "--json",
                "as_json",
                is_flag=True,
                help="Print one JSON object per line: each event, then a summary.",
            ),
        )
    ):
        f = option(f)
    return f


@click.group(
    "job",
    cls=LazyGroup,
    # Defined with the other commands that steer recorded runs; listed under `job`.
    lazy={"reexecute": "headwater.cli.control:reexecute_command"},
)
def job_group() -> None:
    """List and execute jobs."""


@job_group.command("list")
@code_options()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per job.")
@debug_option
def list_command(as_json: bool, **code: Any) -> None:
    """List the jobs (and legacy pipelines) the code defines."""
    from headwater.cli.loading import load_code

    loaded = load_code(target_from(code))
    for name, job in loaded.jobs.items():
        ops = _step_keys(job)
        if as_json:
            click.echo(
                json.dumps(
                    {"kind": "job", "name": name, "description": job.description, "ops": ops}
                )
            )
        else:
            doc = f"  {job.description.strip().splitlines()[0]}" if job.description else ""
            click.echo(f"{name}  ({len(ops)} ops){doc}")
    for name, pipeline in loaded.pipelines.items():
        modes = pipeline.mode_names
        if as_json:
            click.echo(json.dumps({"kind": "pipeline", "name": name, "modes": modes}))
        else:
            click.echo(f"{name}  (legacy pipeline; modes: {', '.join(modes)})")
    if not loaded.jobs and not loaded.pipelines and not as_json:
        click.echo(f"no jobs found in {loaded.target.describe()}")


@job_group.command("execute")
@code_options()
@click.option(
    "-j", "--job", "job_name", metavar="NAME", help="The job to run (optional if only one)."
)
@execute_options
@debug_option
def execute_command(
    job_name: str | None,
    config_files: tuple[str, ...],
    config_json: str | None,
    tags: str | None,
    as_json: bool,
    **code: Any,
) -> None:
    """Run a job in this process and record it in the instance.

    Exits with status 1 when the run fails.
    """
    from headwater.cli.loading import get_job, load_code

    target = target_from(code)
    job = get_job(load_code(target), job_name)
    run_and_report(job, target, config_files, config_json, tags, as_json=as_json)


@job_group.command("launch")
@code_options()
@click.option(
    "-j", "--job", "job_name", metavar="NAME", help="The job to run (optional if only one)."
)
@execute_options
@debug_option
def launch_command(
    job_name: str | None,
    config_files: tuple[str, ...],
    config_json: str | None,
    tags: str | None,
    as_json: bool,
    **code: Any,
) -> None:
    """Submit a run of a job to the queue; the daemon launches it in its own process.

    The run config is checked first: invalid config queues nothing. Prints the run's id
    (`headwater run logs --follow RUN_ID` watches it).
    """
    from headwater.cli.instance import open_instance
    from headwater.cli.loading import get_job, load_code
    from headwater.cli.run_config import load_run_config, parse_tags
    from headwater.daemon import daemon_health, submit_run
    from headwater.execution.executors import split_execution
    from headwater.execution.run import prepare_run

    target = target_from(code)
    job = get_job(load_code(target), job_name)
    run_config = load_run_config(config_files, config_json)
    run_tags = parse_tags(tags)
    prepare_run(  # invalid config raises here, before anything is queued
        job,
        run_config=split_execution(dict(run_config))[0],
        op_selection=None,
        input_values=None,
        partition_key=run_tags.get("dagster/partition"),
    )
    with open_instance() as instance:
        run = submit_run(
            instance, job_name=job.name, code=target, run_config=run_config, tags=run_tags
        )
        queue = next(d for d in daemon_health(instance) if d.duty == "run_queue")
    if as_json:
        click.echo(json.dumps({"run_id": run.run_id, "status": run.status.value}))
    else:
        click.echo(f"run {run.run_id} QUEUED")
    if not queue.healthy:
        click.echo(
            "warning: no daemon is running for this instance, so the run stays queued until "
            "one starts: `headwater daemon run`",
            err=True,
        )


def _step_keys(job: JobDefinition) -> list[str]:
    from headwater.execution.run import plan_for

    return [step.key for step in plan_for(job).steps]


def run_and_report(
    job: JobDefinition,
    target: CodeTarget,
    config_files: Sequence[str],
    config_json: str | None,
    tags_json: str | None,
    *,
    as_json: bool,
    partition_key: str | None = None,
    extra_tags: Mapping[str, str] | None = None,
    exit_on_failure: bool = True,
    run_config: Mapping[str, Any] | None = None,
    run_id: str | None = None,
) -> bool:
    from headwater.cli.execute import execute_job
    from headwater.cli.instance import open_instance
    from headwater.cli.output import EventPrinter, echo_outcome, json_line, summarize_run
    from headwater.cli.run_config import load_run_config, parse_tags
    from headwater.execution.partitions import (
        PARTITION_TAG,
        PartitionAdvice,
        check_partition_request,
    )

    if run_config is None:  # given already loaded when one config serves several runs
        run_config = load_run_config(config_files, config_json)
    tags = {**parse_tags(tags_json), **(extra_tags or {})}
    # A job run is given its partition in --tags, as the reference's CLI does.
    advice = PartitionAdvice(
        give=f'--tags \'{{"{PARTITION_TAG}": "KEY"}}\'', drop="drop the range tags from --tags"
    )
    check_partition_request(job, partition_key, tags, advice=advice)
    console = None if as_json or not sys.stdout.isatty() else _terminal()
    printer = EventPrinter(console=console, json_lines=as_json)
    with open_instance() as instance, ExitStack() as stack:
        on_events: Callable[[Sequence[RunEvent]], None] = printer.print_events
        if console is not None:
            from headwater.cli.output import StepProgress

            progress = stack.enter_context(StepProgress(console, job.name, _step_keys(job)))

            def show(events: Sequence[RunEvent]) -> None:
                printer.print_events(events)
                progress.update(events)

            on_events = show
        result = execute_job(
            job,
            instance=instance,
            run_config=run_config,
            tags=tags,
            code_origin=target.origin(),
            on_events=on_events,
            partition_key=partition_key,
            code=target,
            run_id=run_id,
        )
        summary = summarize_run(instance, result.run)
    if as_json:
        click.echo(json_line("summary", summary))
    else:
        echo_outcome(summary)
    if not result.success and exit_on_failure:
        raise click.exceptions.Exit(1)
    return result.success


def _terminal() -> Any:
    from rich.console import Console

    return Console()
