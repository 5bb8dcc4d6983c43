"""``headwater run terminate`` and ``headwater job reexecute``: steering runs already made."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from headwater.cli.root import code_options, debug_option, target_from

if TYPE_CHECKING:
    from headwater.cli.loading import CodeTarget
    from headwater.storage import Run

__all__ = ["reexecute_command", "terminate_command"]


@click.command("terminate")
@click.argument("run_id")
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for the run to stop.",
)
@click.option("--no-wait", is_flag=True, help="Only request termination; do not wait.")
@debug_option
def terminate_command(run_id: str, timeout: float, no_wait: bool) -> None:
    """Stop a running run: its running steps are interrupted (their resources torn down),
    nothing more starts, and the run ends CANCELED.

    Exits with status 1 when the run has not stopped within --timeout.
    """
    from headwater.cli.execute import is_process_gone
    from headwater.cli.instance import open_instance
    from headwater.execution.terminate import mark_run_canceled, terminate_run, wait_for_run

    with open_instance() as instance:
        run = terminate_run(instance, run_id)
        if is_process_gone(run.tags) is True:
            # Nobody is running it any more: nothing will ever answer the request.
            run = mark_run_canceled(
                instance, run_id, "Terminated from the command line; its process was gone."
            )
        elif not no_wait:
            run = wait_for_run(instance, run_id, timeout=timeout)
    click.echo(f"run {run_id} is {run.status.value}")
    if not no_wait and not run.is_finished:
        click.echo(f"it did not stop within {timeout:g}s; check 'headwater run show {run_id}'")
        raise click.exceptions.Exit(1)


def _target_of(run: Run, given: CodeTarget) -> CodeTarget:
    """The code to load: the options given, else the ones the run was launched with."""
    from dataclasses import replace

    from headwater.cli.execute import ORIGIN_TAG
    from headwater.errors import CodeLoadError

    if given.python_file or given.module_name:
        return given
    origin = run.tags.get(ORIGIN_TAG)
    if not origin:
        raise CodeLoadError(
            f"run {run.run_id} does not record where its code came from; give it with "
            "-f path/to/file.py or -m module (and -a attribute)"
        )
    import shlex  # deferred: only re-execution reads a recorded origin

    words = shlex.split(origin)
    options = dict(zip(words[::2], words[1::2], strict=False))
    return replace(
        given,
        python_file=options.get("-f"),
        module_name=options.get("-m"),
        attribute=options.get("-a"),
    )


@click.command("reexecute")
@click.argument("run_id")
@click.option(
    "--from-failure",
    is_flag=True,
    help="Rerun only the steps that failed, were skipped or never ran.",
)
@click.option(
    "--step",
    "steps",
    multiple=True,
    metavar="KEY",
    help="Rerun only this step (repeat for several).",
)
@code_options()
@debug_option
def reexecute_command(run_id: str, from_failure: bool, steps: tuple[str, ...], **code: Any) -> None:
    """Start a new run of RUN_ID's job that reruns some of its steps and loads the outputs
    of the others from the earlier runs (through their IO managers).

    The code is loaded from the options given, or from where the run was launched.
    Exits with status 1 when the new run fails.
    """
    from headwater.cli.execute import cli_run_tags, job_pointer
    from headwater.cli.instance import open_instance, require_run
    from headwater.cli.loading import get_job, load_code
    from headwater.cli.output import echo_outcome, summarize_run
    from headwater.execution.launch import execute_job
    from headwater.execution.reexecute import ReexecutionOptions

    with open_instance() as instance:
        parent = require_run(instance, run_id)
        target = _target_of(parent, target_from(code))
        job = get_job(load_code(target), parent.job_name)
        if from_failure:
            options = ReexecutionOptions.from_failure(run_id, instance)
        else:
            options = ReexecutionOptions(run_id, step_selection=steps)
        with execute_job(
            job_pointer(target, job.name),
            instance,
            tags=cli_run_tags(target.origin()),
            reexecution_options=options,
        ) as result:
            summary = summarize_run(instance, result.run)
    echo_outcome(summary, note=f" (re-execution of {run_id})")
    if not result.success:
        raise click.exceptions.Exit(1)
