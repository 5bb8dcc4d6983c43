"""``headwater backfill launch|list|cancel|resume``: backfills the daemon works through."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import click

from headwater.cli.root import HeadwaterGroup, code_options, debug_option, target_from
from headwater.errors import InvalidInvocationError

if TYPE_CHECKING:
    from headwater.cli.loading import CodeTarget

__all__ = [
    "backfill_group",
    "launch_from_cli",
    "parse_partition_range",
    "partition_range_option",
    "run_options",
]

_RANGE_SEPARATOR = "..."
_F = TypeVar("_F", bound=Callable[..., Any])


def run_options(f: _F) -> _F:
    """``-c/--config``, ``--config-json`` and ``--tags``: what every run of a backfill (or the
    one run of ``asset materialize``) is given."""
    for option in reversed(
        (
            click.option(
                "-c",
                "--config",
                "config_files",
                multiple=True,
                metavar="FILE",
                help="YAML run config of every run; repeat to deep-merge several files in order.",
            ),
            click.option("--config-json", metavar="JSON", help="Run config as a JSON object."),
            click.option("--tags", metavar="JSON", help="Tags of every run, as a JSON object."),
        )
    ):
        f = option(f)
    return f


def partition_range_option(help_text: str) -> Callable[[_F], _F]:
    """``--partition-range FIRST...LAST`` (read with :func:`parse_partition_range`)."""
    return click.option("--partition-range", metavar="FIRST...LAST", help=help_text)


def parse_partition_range(text: str) -> tuple[str, str]:
    """``(first, last)`` of a ``--partition-range``.

    Raises:
        InvalidInvocationError: it is not two keys joined by three dots.
    """
    first, sep, last = text.partition(_RANGE_SEPARATOR)
    if not sep or not first or not last:
        raise InvalidInvocationError(
            f"--partition-range {text!r} is not FIRST...LAST "
            "(three dots between two partition keys)"
        )
    return first, last


@click.group("backfill", cls=HeadwaterGroup)
def backfill_group() -> None:
    """Launch backfills for the daemon to run, follow them, cancel and resume them."""


def launch_from_cli(
    target: CodeTarget,
    *,
    select: str | None,
    partition_range: str | None,
    partitions: str | None,
    run_config: Mapping[str, Any],
    tags: Mapping[str, str],
    as_json: bool,
) -> None:
    """Plan and record a backfill of the selected assets, and say what was recorded."""
    from headwater.cli.instance import open_instance
    from headwater.cli.loading import get_definitions, load_code
    from headwater.daemon import daemon_health
    from headwater.daemon.backfills import launch_backfill, plan_backfill
    from headwater.errors import HeadwaterError

    if (partition_range is None) == (partitions is None):
        raise InvalidInvocationError(
            "give the partitions to backfill: --partition-range FIRST...LAST or "
            "--partitions KEY,KEY,..."
        )
    span = parse_partition_range(partition_range) if partition_range is not None else None
    keys = [k.strip() for k in partitions.split(",") if k.strip()] if partitions else None
    defs = get_definitions(load_code(target))
    with open_instance() as instance:
        try:
            job_name, selection, final, units = plan_backfill(
                defs, select=select, partition_range=span, partition_keys=keys, instance=instance
            )
        except HeadwaterError as exc:
            raise InvalidInvocationError(str(exc)) from exc
        record = launch_backfill(
            instance,
            code=target,
            job_name=job_name,
            asset_selection=selection,
            final_selection=final,
            units=units,
            run_config=run_config,
            tags=tags,
        )
        queue = next(d for d in daemon_health(instance) if d.duty == "backfills")
    if as_json:
        click.echo(json.dumps({"backfill_id": record.backfill_id, "runs": len(record.units)}))
    else:
        click.echo(f"backfill {record.backfill_id} REQUESTED: {len(record.units)} run(s)")
    if not queue.healthy:
        click.echo(
            "warning: no daemon is running for this instance, so the backfill waits until "
            "one starts: `headwater daemon run`",
            err=True,
        )


@backfill_group.command("launch")
@code_options()
@click.option("--select", metavar="SELECTION", help="Which assets (default: every asset).")
@partition_range_option(
    "Every partition from FIRST to LAST, in runs as the assets' backfill_policy asks."
)
@click.option("--partitions", metavar="KEY,KEY", help="These partitions (comma-separated).")
@run_options
@click.option("--json", "as_json", is_flag=True, help="Print the backfill as a JSON object.")
@debug_option
def backfill_launch_command(
    select: str | None,
    partition_range: str | None,
    partitions: str | None,
    config_files: tuple[str, ...],
    config_json: str | None,
    tags: str | None,
    as_json: bool,
    **code: Any,
) -> None:
    """Record a backfill of partitioned assets; the daemon submits its runs to the queue.

    Prints the backfill's id. The daemon works through it under the run queue's limits and,
    after a restart, resumes where it stopped: no partition runs twice, none is skipped.
    """
    from headwater.cli.run_config import load_run_config, parse_tags

    launch_from_cli(
        target_from(code),
        select=select,
        partition_range=partition_range,
        partitions=partitions,
        run_config=load_run_config(config_files, config_json),
        tags=parse_tags(tags),
        as_json=as_json,
    )


@backfill_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per backfill.")
@debug_option
def backfill_list_command(as_json: bool) -> None:
    """Each backfill, newest first: its status and how many of its runs are in each state."""
    from headwater.cli.instance import open_instance
    from headwater.cli.output import format_time
    from headwater.daemon.backfills import backfill_progress
    from headwater.storage.backfills import list_backfill_ids, read_backfills

    with open_instance() as instance:
        ids = list_backfill_ids(instance)
        records = read_backfills(instance, ids)
        rows = []
        for backfill_id in reversed(ids):
            record = records.get(backfill_id)
            if record is None:
                continue
            counts = backfill_progress(instance, record).counts()
            rows.append((record, counts))
    if not rows and not as_json:
        click.echo("no backfills")
    for record, counts in rows:
        if as_json:
            body = {
                "backfill_id": record.backfill_id,
                "status": record.status,
                "created": record.created,
                "runs": len(record.units),
                "assets": list(record.asset_selection or ()),
                "foreground": record.foreground,
                "error": record.error,
                **counts,
            }
            click.echo(json.dumps(body))
            continue
        when = format_time(record.created, with_date=True)
        done = ", ".join(f"{n} {state}" for state, n in counts.items() if n)
        where = ""
        if record.foreground is not None and record.status == "REQUESTED":
            where = f"  (in the foreground: pid {record.foreground.get('pid')})"
        click.echo(f"{record.backfill_id}  {record.status:<17} {when}  {done}{where}")


@backfill_group.command("cancel")
@click.argument("backfill_id")
@debug_option
def backfill_cancel_command(backfill_id: str) -> None:
    """Stop submitting the backfill's runs and cancel those still queued.

    Runs already started finish; `headwater backfill resume` continues the backfill.
    """
    from headwater.cli.instance import open_instance
    from headwater.daemon.backfills import cancel_backfill
    from headwater.errors import HeadwaterError

    with open_instance() as instance:
        try:
            record, canceled = cancel_backfill(instance, backfill_id)
        except HeadwaterError as exc:
            raise InvalidInvocationError(str(exc)) from exc
    if record is None:
        raise InvalidInvocationError(
            f"backfill {backfill_id} is not running, so there is nothing to cancel"
        )
    click.echo(f"backfill {backfill_id} CANCELED: {canceled} queued run(s) canceled")


@backfill_group.command("resume")
@click.argument("backfill_id")
@debug_option
def backfill_resume_command(backfill_id: str) -> None:
    """Continue a canceled or failed backfill, or a foreground one (`asset materialize
    --partition-range`) whose command stopped: the daemon runs its partitions that have not
    succeeded (and are not running)."""
    from headwater.cli.instance import open_instance
    from headwater.daemon import daemon_health
    from headwater.daemon.backfills import resume_backfill
    from headwater.errors import HeadwaterError

    with open_instance() as instance:
        try:
            record = resume_backfill(instance, backfill_id)
        except HeadwaterError as exc:
            raise InvalidInvocationError(str(exc)) from exc
        duty = next(d for d in daemon_health(instance) if d.duty == "backfills")
    if record is None:
        raise InvalidInvocationError(
            f"backfill {backfill_id} is running (in the daemon or in a foreground command "
            "still alive) or completed successfully; only a canceled, failed or interrupted "
            "backfill can be resumed (`headwater backfill cancel` stops a running one)"
        )
    click.echo(f"backfill {backfill_id} REQUESTED again; the daemon runs what is left")
    if not duty.healthy:
        click.echo(
            "warning: no daemon is running for this instance, so the backfill waits until "
            "one starts: `headwater daemon run`",
            err=True,
        )
