"""``headwater schedule list|preview`` and ``headwater sensor list|preview``.

Preview evaluates once, through :func:`headwater.automation.evaluate_schedule` /
:func:`~headwater.automation.evaluate_sensor`, and prints the run requests: nothing is
launched and no cursor is stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from headwater.cli.root import code_options, debug_option, target_from

if TYPE_CHECKING:
    from headwater.automation import ScheduleDefinition, SensorDefinition
    from headwater.automation.evaluation import ScheduleEvaluationResult, SensorEvaluationResult
    from headwater.cli.loading import CodeTarget

__all__ = ["LoadedAutomation", "load_automation", "schedule_group", "sensor_group"]


@dataclass(slots=True)
class LoadedAutomation:
    """The schedules and sensors found in user code, with what evaluating them needs.

    Attributes:
        schedules: name → schedule.
        sensors: name → sensor.
        resource_defs: the resources of the ``Definitions`` (empty without one).
        jobs: loaded jobs by name, to check run config against.
    """

    schedules: dict[str, ScheduleDefinition] = field(default_factory=dict)
    sensors: dict[str, SensorDefinition] = field(default_factory=dict)
    resource_defs: dict[str, Any] = field(default_factory=dict)
    jobs: dict[str, Any] = field(default_factory=dict)


def _from_definitions(found: LoadedAutomation, defs: Any) -> None:
    for item in getattr(defs, "schedules", ()):
        found.schedules[item.name] = item
    for item in getattr(defs, "sensors", ()):
        found.sensors[item.name] = item
    found.resource_defs.update(getattr(defs, "resource_defs", None) or {})
    if callable(getattr(defs, "get_all_job_defs", None)):
        found.jobs.update({job.name: job for job in defs.get_all_job_defs()})


def load_automation(target: CodeTarget) -> LoadedAutomation:
    """Import the code ``target`` names and collect its schedules and sensors.

    A module-level ``Definitions`` (or the attribute given with ``-a``) provides them with
    its resources and jobs; otherwise module-level schedules and sensors are used as they are.

    Raises:
        CodeLoadError: the code does not load (see ``headwater.cli.loading``).
    """
    from headwater.automation import ScheduleDefinition, SensorDefinition
    from headwater.cli.loading import import_code, is_definitions

    module, value = import_code(target, keep=(ScheduleDefinition, SensorDefinition))
    found = LoadedAutomation()
    values = [value] if target.attribute else list(vars(module).values())
    definitions = [v for v in values if is_definitions(v)]
    if definitions:
        _from_definitions(found, definitions[0])
        return found
    for value in values:
        if isinstance(value, ScheduleDefinition):
            found.schedules[value.name] = value
        elif isinstance(value, SensorDefinition):
            found.sensors[value.name] = value
    return found


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
    """List schedules and preview what they would run."""


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
    """List sensors and preview what they would run."""


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
