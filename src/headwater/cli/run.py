"""``headwater run list|show|logs|delete|wipe|fail|terminate``: the runs in the instance."""

from __future__ import annotations

import json
import sys
import time
from typing import TYPE_CHECKING, Any

import click

from headwater.cli.instance import require_run
from headwater.cli.root import debug_option

if TYPE_CHECKING:
    from headwater.storage import Run

__all__ = ["run_group"]

_FOLLOW_POLL_S = 0.25
_STATUSES = (
    "QUEUED",
    "NOT_STARTED",
    "STARTING",
    "STARTED",
    "SUCCESS",
    "FAILURE",
    "CANCELING",
    "CANCELED",
)


@click.group("run")
def run_group() -> None:
    """Inspect and manage recorded runs."""


def _liveness(run: Run) -> str:
    """``""``, or a note that an unfinished run has lost its process."""
    from headwater.cli.execute import is_process_gone

    if run.is_finished or is_process_gone(run.tags) is not True:
        return ""
    return "process gone"


def _run_dict(run: Run) -> dict[str, Any]:
    return {
        "run_id": run.run_id,
        "job_name": run.job_name,
        "status": run.status.value,
        "create_time": run.create_time,
        "start_time": run.start_time,
        "end_time": run.end_time,
        "tags": dict(run.tags),
        "run_config": dict(run.run_config),
        "parent_run_id": run.parent_run_id,
        "root_run_id": run.root_run_id,
        "process_gone": bool(_liveness(run)),
    }


@run_group.command("list")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(_STATUSES, case_sensitive=False),
    help="Only runs in this status (repeatable).",
)
@click.option("-j", "--job", "job_name", metavar="NAME", help="Only runs of this job.")
@click.option(
    "--tag",
    "tag_pairs",
    multiple=True,
    metavar="KEY=VALUE",
    help="Only runs with this tag (repeatable).",
)
@click.option(
    "-n",
    "--limit",
    default=20,
    show_default=True,
    type=click.IntRange(min=1),
    help="At most this many runs, newest first.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per run.")
@debug_option
def list_command(
    statuses: tuple[str, ...],
    job_name: str | None,
    tag_pairs: tuple[str, ...],
    limit: int,
    as_json: bool,
) -> None:
    """List runs, newest first."""
    from headwater.cli.instance import open_instance
    from headwater.storage import RunStatus

    tags = {}
    for pair in tag_pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise click.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint="--tag")
        tags[key] = value
    with open_instance() as instance:
        runs = instance.get_runs(
            statuses=[RunStatus(s.upper()) for s in statuses],
            job_name=job_name,
            tags=tags or None,
            limit=limit,
        )
        no_daemon = any(r.status is RunStatus.QUEUED for r in runs) and not _daemon_alive(instance)
    if as_json:
        for run in runs:
            row = {"kind": "run", **_run_dict(run)}
            if run.status is RunStatus.QUEUED:
                row["no_daemon"] = no_daemon
            click.echo(json.dumps(row, default=str))
        return
    if not runs:
        click.echo(
            "no runs recorded yet" if not (statuses or job_name or tags) else "no matching runs"
        )
        return
    _print_run_table(runs, no_daemon=no_daemon)


def _daemon_alive(instance: Any) -> bool:
    """Whether a daemon's run queue beat recently (queued runs will be launched)."""
    from headwater.daemon import daemon_health

    return any(d.duty == "run_queue" and d.healthy for d in daemon_health(instance))


def _print_run_table(runs: list[Run], *, no_daemon: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table

    from headwater.cli.output import format_duration, format_time

    colours = {
        "SUCCESS": "green",
        "FAILURE": "red",
        "STARTED": "yellow",
        "STARTING": "yellow",
        "QUEUED": "cyan",
        "CANCELING": "dim",
        "CANCELED": "dim",
        "NOT_STARTED": "dim",
    }
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("run id", no_wrap=True, min_width=36)
    for column in ("job", "status", "created", "duration"):
        table.add_column(column, no_wrap=True)
    for run in runs:
        status = run.status.value
        note = _liveness(run)
        if no_daemon and run.status.value == "QUEUED":
            note = "no daemon running"
        duration = None
        if run.start_time is not None and run.end_time is not None:
            duration = run.end_time - run.start_time
        table.add_row(
            run.run_id,
            run.job_name,
            f"[{colours.get(status, 'default')}]{status}[/]" + (f" ({note})" if note else ""),
            format_time(run.create_time, with_date=True),
            format_duration(duration),
        )
    # Piped output is not cut to 80 columns: scripts read whole run ids.
    width = None if sys.stdout.isatty() else 400
    Console(width=width).print(table)


@run_group.command("show")
@click.argument("run_id")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@debug_option
def show_command(run_id: str, as_json: bool) -> None:
    """Show one run: status, times, tags, run config and its steps."""
    from headwater.cli.instance import open_instance
    from headwater.cli.output import format_duration, format_time, run_summary

    with open_instance() as instance:
        run = require_run(instance, run_id)
        events = instance.run_events(run_id)
    summary = run_summary(run, events)
    if as_json:
        click.echo(
            json.dumps({"kind": "run", **_run_dict(run), "steps": summary["steps"]}, default=str)
        )
        return
    status = run.status.value
    note = _liveness(run)
    click.echo(f"run:      {run.run_id}")
    click.echo(f"job:      {run.job_name}")
    click.echo(
        f"status:   {status}"
        + (f" (its {note}; 'headwater run fail {run.run_id}' marks it failed)" if note else "")
    )
    click.echo(f"created:  {format_time(run.create_time, with_date=True)}")
    click.echo(f"started:  {format_time(run.start_time, with_date=True)}")
    click.echo(f"ended:    {format_time(run.end_time, with_date=True)}")
    click.echo(f"duration: {format_duration(summary['duration_s'])}")
    for bucket, keys in summary["steps"].items():
        if keys:
            click.echo(f"steps {bucket}: {', '.join(keys)}")
    click.echo(f"events:   {len(events)}")
    if run.tags:
        click.echo("tags:")
        for key, value in sorted(run.tags.items()):
            click.echo(f"  {key}: {value}")
    if run.run_config:
        click.echo("run config:")
        click.echo(
            "  " + json.dumps(dict(run.run_config), indent=2, default=str).replace("\n", "\n  ")
        )


@run_group.command("logs")
@click.argument("run_id")
@click.option("--follow", is_flag=True, help="Keep printing new events until the run ends.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per event.")
@debug_option
def logs_command(run_id: str, follow: bool, as_json: bool) -> None:
    """Print the events of a run (with --follow, as they are written)."""
    from headwater.cli.instance import open_instance
    from headwater.cli.output import EventPrinter

    console = None
    if not as_json and sys.stdout.isatty():
        from rich.console import Console

        console = Console()
    printer = EventPrinter(console=console, json_lines=as_json)
    with open_instance() as instance:
        run = require_run(instance, run_id)
        cursor: int | None = None
        while True:
            records = instance.get_event_records(run_id, after=cursor)
            if records:
                cursor = records[-1].storage_id
                printer.print_events(r.event for r in records)
            if not follow:
                return
            run = require_run(instance, run_id)
            if run.is_finished and not records:
                return
            if _liveness(run):
                click.echo(f"run {run_id} is {run.status.value} but its process is gone", err=True)
                raise click.exceptions.Exit(1)
            # Polling the store: runs may be written by another process, which cannot
            # notify this one.
            time.sleep(_FOLLOW_POLL_S)


@run_group.command("delete")
@click.argument("run_id")
@debug_option
def delete_command(run_id: str) -> None:
    """Delete one run and its events."""
    from headwater.cli.instance import open_instance

    with open_instance() as instance:
        require_run(instance, run_id)
        instance.delete_run(run_id)
    click.echo(f"deleted run {run_id}")


@run_group.command("wipe")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@debug_option
def wipe_command(yes: bool) -> None:
    """Delete every run and event in the instance."""
    from headwater.cli.instance import instance_home, open_instance

    home = instance_home()[0]
    if not yes and not click.confirm(f"Delete every run and event in the instance at {home}?"):
        click.echo("nothing deleted")
        raise click.exceptions.Exit(1)
    with open_instance() as instance:
        count = instance.info().run_count
        instance.wipe()
    click.echo(f"deleted {count} run(s) and their events")


@run_group.command("fail")
@click.argument("run_id")
@click.option("--reason", default=None, help="Why it is marked failed (stored in the event).")
@click.option("--force", is_flag=True, help="Even if its process may still be running.")
@debug_option
def fail_command(run_id: str, reason: str | None, force: bool) -> None:
    """Mark an unfinished run whose process is gone as failed."""
    from headwater.cli.execute import is_process_gone
    from headwater.cli.instance import open_instance
    from headwater.errors import InvariantViolationError

    with open_instance() as instance:
        run = require_run(instance, run_id)
        gone = is_process_gone(run.tags)
        if not run.is_finished and gone is not True and not force:
            why = "is still running" if gone is False else "may still be running elsewhere"
            raise InvariantViolationError(
                f"run {run_id} is {run.status.value} and its process {why}; "
                "pass --force to mark it failed anyway"
            )
        text = reason or "marked failed from the command line: its process is gone"
        run = instance.report_run_failed(run_id, text)
    click.echo(f"run {run_id} is now {run.status.value}")


def _add_control_commands() -> None:
    # Defined with `job reexecute` in their own module; listed under `run`.
    from headwater.cli.control import terminate_command

    run_group.add_command(terminate_command)


_add_control_commands()
