"""``headwater schedule list|preview|start|stop|ticks`` and ``headwater sensor
list|preview|start|stop|cursor|ticks``.

Preview evaluates once, through :func:`headwater.automation.evaluate_schedule` /
:func:`~headwater.automation.evaluate_sensor`, and prints the run requests: nothing is
launched and no cursor is stored. Start and stop set the status the daemon reads; ticks
prints what the daemon recorded.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from headwater.cli.automation_state import location_options
from headwater.cli.root import code_options, debug_option, target_from

if TYPE_CHECKING:
    from headwater.automation import ScheduleDefinition, SensorDefinition
    from headwater.automation.evaluation import ScheduleEvaluationResult, SensorEvaluationResult
    from headwater.cli.loading import CodeTarget
    from headwater.daemon.code import LoadedAutomation

__all__ = ["load_automation", "schedule_group", "sensor_group"]


def load_automation(target: CodeTarget) -> LoadedAutomation:
    """The schedules and sensors of the code ``target`` names (the daemon's loader)."""
    from headwater.daemon.code import load_automation as load

    return load(target)


def _pick(items: dict[str, Any], name: str, kind: str, where: str) -> Any:
    from headwater.errors import CodeLoadError

    if name not in items:
        raise CodeLoadError(
            f"no {kind} named {name!r} in {where}; {kind}s found: "
            f"{', '.join(sorted(items)) or 'none'}"
        )
    return items[name]


def _open_instance_or_ephemeral() -> Any:
    from headwater.cli.instance import instance_home, open_instance
    from headwater.storage import Instance

    # Preview reads (asset sensors read materializations); a missing home is no error.
    return open_instance() if instance_home()[0].exists() else Instance.ephemeral()


def _echo_requests(result: ScheduleEvaluationResult | SensorEvaluationResult) -> None:
    for request in result.run_requests:
        key = f" run_key={request.run_key!r}" if request.run_key is not None else ""
        target = f"job '{request.job_name}'" if request.job_name else "assets"
        click.echo(f"run request for {target}{key}")
        if request.partition_key is not None:
            click.echo(f"  partition: {request.partition_key}")
        if request.asset_selection:
            keys = ", ".join(k.to_user_string() for k in request.asset_selection)
            click.echo(f"  assets: {keys}")
        click.echo(f"  tags: {json.dumps(dict(request.tags), sort_keys=True)}")
        click.echo(f"  run config: {json.dumps(dict(request.run_config), sort_keys=True)}")
    for invalid in result.invalid_requests:
        click.echo(f"invalid: {invalid}", err=True)
    if result.skip_message is not None:
        click.echo(f"skipped: {result.skip_message}")


# schedule ---------------------------------------------------------------------------------


@click.group("schedule")
def schedule_group() -> None:
    """List schedules, preview what they would run, start and stop them."""


@schedule_group.command("list")
@code_options()
@debug_option
def schedule_list_command(**code: Any) -> None:
    """List the schedules: cron string, timezone, job, default status and next tick."""
    found = load_automation(target_from(code))
    if not found.schedules:
        click.echo("no schedules found")
        return
    for name in sorted(found.schedules):
        item = found.schedules[name]
        click.echo(
            f"{name}  cron={json.dumps(item.cron_schedule)}  "
            f"timezone={item.execution_timezone or 'UTC'}  job={item.job_name}  "
            f"default={item.default_status.value}  next={item.next_execution_time().isoformat()}"
        )


@schedule_group.command("preview")
@click.argument("name")
@click.option(
    "--time",
    "tick",
    metavar="ISO",
    help="Tick to evaluate (ISO 8601; naive means the schedule's timezone). Default: the "
    "next tick from now.",
)
@code_options()
@debug_option
def schedule_preview_command(name: str, tick: str | None, **code: Any) -> None:
    """Evaluate schedule NAME once and print the run requests (nothing is launched).

    Exits with status 1 when a request is invalid (its run config problems are listed).
    """
    from headwater.automation import evaluate_schedule
    from headwater.errors import CodeLoadError

    target = target_from(code)
    found = load_automation(target)
    item: ScheduleDefinition = _pick(found.schedules, name, "schedule", target.describe())
    try:
        moment = datetime.fromisoformat(tick) if tick else item.next_execution_time()
    except ValueError:
        raise CodeLoadError(f"--time {tick!r} is not an ISO 8601 date or datetime") from None
    result = evaluate_schedule(
        item,
        scheduled_execution_time=moment,
        instance=_open_instance_or_ephemeral(),
        resource_defs=found.resource_defs,
        jobs=found.jobs,
    )
    when = result.scheduled_execution_time
    click.echo(f"schedule '{name}' at {when.isoformat() if when else moment.isoformat()}")
    _echo_requests(result)
    if result.invalid_requests:
        raise click.exceptions.Exit(1)


# sensor -----------------------------------------------------------------------------------


@click.group("sensor")
def sensor_group() -> None:
    """List sensors, preview what they would run, start and stop them, set cursors."""


@sensor_group.command("list")
@code_options()
@debug_option
def sensor_list_command(**code: Any) -> None:
    """List the sensors: targets, minimum interval and default status."""
    found = load_automation(target_from(code))
    if not found.sensors:
        click.echo("no sensors found")
        return
    for name in sorted(found.sensors):
        item = found.sensors[name]
        targets = ",".join(item.targets.names) or ("assets" if item.targets_assets else "-")
        click.echo(
            f"{name}  targets={targets}  interval={item.minimum_interval_seconds}s  "
            f"default={item.default_status.value}"
        )


@sensor_group.command("preview")
@click.argument("name")
@click.option("--cursor", default=None, help="The cursor to evaluate from (default: none).")
@code_options()
@debug_option
def sensor_preview_command(name: str, cursor: str | None, **code: Any) -> None:
    """Evaluate sensor NAME once and print the run requests and the new cursor.

    Nothing is launched and the cursor is not stored. Exits with status 1 when a request is
    invalid (its run config problems are listed).
    """
    from headwater.automation import evaluate_sensor

    target = target_from(code)
    found = load_automation(target)
    item: SensorDefinition = _pick(found.sensors, name, "sensor", target.describe())
    result = evaluate_sensor(
        item,
        cursor=cursor,
        instance=_open_instance_or_ephemeral(),
        resource_defs=found.resource_defs,
        jobs=found.jobs,
    )
    click.echo(f"sensor '{name}'")
    _echo_requests(result)
    click.echo(f"cursor: {result.cursor if result.cursor is not None else '(none)'}")
    if result.invalid_requests:
        raise click.exceptions.Exit(1)


# daemon state -----------------------------------------------------------------------------


def _set_status(
    kind: str,
    name: str,
    status: str,
    code: dict[str, Any],
    workspace: str | None,
    location: str | None,
) -> None:
    from dataclasses import replace

    from headwater.cli.automation_state import resolve_location
    from headwater.cli.instance import open_instance
    from headwater.daemon.store import read_instigator, write_instigator

    where = resolve_location(kind, name, code, workspace, location, needs_code=True)
    with open_instance() as instance:
        state = read_instigator(instance, kind, where, name)  # type: ignore[arg-type]
        if kind == "schedule":
            # Started afresh: its ticks begin now, never replaying the time it was stopped.
            fresh = replace(state, status=status, since=None, last_tick=None)
        else:
            fresh = replace(state, status=status)
        write_instigator(instance, kind, where, name, fresh)  # type: ignore[arg-type]
    click.echo(
        f"{kind} '{name}' of code location '{where}' {status.lower()}; the daemon applies it "
        "at its next pass"
    )


def _echo_ticks(
    kind: str,
    name: str,
    limit: int,
    code: dict[str, Any],
    workspace: str | None,
    location: str | None,
) -> None:
    from headwater.cli.automation_state import resolve_location
    from headwater.cli.instance import open_instance
    from headwater.daemon.store import read_ticks

    where = resolve_location(kind, name, code, workspace, location, needs_code=False)
    with open_instance() as instance:
        ticks = read_ticks(instance, kind, where, name, limit)  # type: ignore[arg-type]
    if not ticks:
        click.echo(f"no ticks recorded for {kind} '{name}' of code location '{where}'")
        return
    for tick in ticks:
        when = datetime.fromtimestamp(tick.timestamp).isoformat(timespec="seconds")
        made = [*tick.run_ids, *(f"backfill {b}" for b in tick.backfill_ids)]
        detail = tick.error or tick.skip_reason or ", ".join(made)
        scheduled = f" tick={tick.scheduled_time}" if tick.scheduled_time else ""
        click.echo(f"{when}  {tick.status:<7}{scheduled}  {detail}")


_LIMIT = click.option("--limit", default=10, show_default=True, help="How many, newest first.")


@schedule_group.command("start")
@click.argument("name")
@code_options()
@location_options
@debug_option
def schedule_start_command(
    name: str, workspace: str | None, location: str | None, **code: Any
) -> None:
    """Start schedule NAME: the daemon evaluates its ticks from now on."""
    _set_status("schedule", name, "RUNNING", code, workspace, location)


@schedule_group.command("stop")
@click.argument("name")
@code_options()
@location_options
@debug_option
def schedule_stop_command(
    name: str, workspace: str | None, location: str | None, **code: Any
) -> None:
    """Stop schedule NAME (whatever its default status)."""
    _set_status("schedule", name, "STOPPED", code, workspace, location)


@schedule_group.command("ticks")
@click.argument("name")
@_LIMIT
@code_options()
@location_options
@debug_option
def schedule_ticks_command(
    name: str, limit: int, workspace: str | None, location: str | None, **code: Any
) -> None:
    """Print the ticks the daemon recorded for schedule NAME, newest first."""
    _echo_ticks("schedule", name, limit, code, workspace, location)


@sensor_group.command("start")
@click.argument("name")
@code_options()
@location_options
@debug_option
def sensor_start_command(
    name: str, workspace: str | None, location: str | None, **code: Any
) -> None:
    """Start sensor NAME: the daemon evaluates it every minimum interval."""
    _set_status("sensor", name, "RUNNING", code, workspace, location)


@sensor_group.command("stop")
@click.argument("name")
@code_options()
@location_options
@debug_option
def sensor_stop_command(
    name: str, workspace: str | None, location: str | None, **code: Any
) -> None:
    """Stop sensor NAME (whatever its default status)."""
    _set_status("sensor", name, "STOPPED", code, workspace, location)


@sensor_group.command("ticks")
@click.argument("name")
@_LIMIT
@code_options()
@location_options
@debug_option
def sensor_ticks_command(
    name: str, limit: int, workspace: str | None, location: str | None, **code: Any
) -> None:
    """Print the ticks the daemon recorded for sensor NAME, newest first."""
    _echo_ticks("sensor", name, limit, code, workspace, location)


@sensor_group.command("cursor")
@click.argument("name")
@click.option("--set", "new_cursor", default=None, help="Store this cursor.")
@click.option("--delete", is_flag=True, help="Forget the cursor.")
@code_options()
@location_options
@debug_option
def sensor_cursor_command(
    name: str,
    new_cursor: str | None,
    delete: bool,
    workspace: str | None,
    location: str | None,
    **code: Any,
) -> None:
    """Print sensor NAME's stored cursor, or set (--set) or delete (--delete) it."""
    from dataclasses import replace

    from headwater.cli.automation_state import resolve_location
    from headwater.cli.instance import open_instance
    from headwater.daemon.store import read_instigator, write_instigator
    from headwater.errors import InvalidInvocationError

    if new_cursor is not None and delete:
        raise InvalidInvocationError("give --set CURSOR or --delete, not both")
    where = resolve_location("sensor", name, code, workspace, location, needs_code=False)
    with open_instance() as instance:
        state = read_instigator(instance, "sensor", where, name)
        if new_cursor is not None or delete:
            write_instigator(instance, "sensor", where, name, replace(state, cursor=new_cursor))
            click.echo(f"sensor '{name}' cursor {'deleted' if delete else 'set'}")
            return
    click.echo(state.cursor if state.cursor is not None else "(none)")
