"""Schedules and sensors: their state and ticks as the daemon keeps them
(``headwater.daemon.store``), and start/stop/reset, which the daemon applies at its next pass.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from headwater.webserver.schema.base import may_run
from headwater.webserver.schema.registry import field, sdl, typed
from headwater.webserver.workspace import REPOSITORY_NAME

__all__: list[str] = []

Kind = Literal["schedule", "sensor"]

sdl("""
enum InstigationType { SCHEDULE SENSOR AUTO_MATERIALIZE }
enum InstigationStatus { RUNNING STOPPED }
enum InstigationTickStatus { STARTED SKIPPED SUCCESS FAILURE }
type InstigationTick {
  id: ID!
  status: InstigationTickStatus!
  timestamp: Float!
  runIds: [String!]!
  skipReason: String
  "A schedule's tick, as an ISO 8601 time in its timezone."
  scheduledTime: String
  error: PythonError
  cursor: String
}
type InstigationState {
  id: ID!
  selectorId: String!
  name: String!
  instigationType: InstigationType!
  status: InstigationStatus!
  "Whether the status comes from the definition's default_status (not set by a user)."
  hasStartPermission: Boolean!
  isDefaultStatus: Boolean!
  ticks(limit: Int): [InstigationTick!]!
  runs(limit: Int): [Run!]!
}
type Schedule {
  id: ID!
  name: String!
  cronSchedule: String!
  pipelineName: String!
  executionTimezone: String
  description: String
  scheduleState: InstigationState!
}
type Sensor {
  id: ID!
  name: String!
  jobOriginId: String!
  minIntervalSeconds: Int!
  description: String
  targets: [Target!]
  sensorState: InstigationState!
}
type Target { pipelineName: String! }
type Schedules { results: [Schedule!]! }
type Sensors { results: [Sensor!]! }
type ScheduleNotFoundError implements Error { message: String! scheduleName: String! }
type SensorNotFoundError implements Error { message: String! sensorName: String! }
union ScheduleOrError = Schedule | ScheduleNotFoundError | PythonError
union SchedulesOrError = Schedules | RepositoryNotFoundError | PythonError
union SensorOrError = Sensor | SensorNotFoundError | UnauthorizedError | PythonError
union SensorsOrError = Sensors | RepositoryNotFoundError | PythonError
type ScheduleStateResult { scheduleState: InstigationState! }
union ScheduleMutationResult =
  PythonError | UnauthorizedError | ScheduleStateResult | ScheduleNotFoundError
type StopSensorMutationResult { instigationState: InstigationState }
union StopSensorMutationResultOrError =
  StopSensorMutationResult | UnauthorizedError | PythonError
input ScheduleSelector {
  repositoryName: String!
  repositoryLocationName: String!
  scheduleName: String!
}
input SensorSelector { repositoryName: String! repositoryLocationName: String! sensorName: String! }

extend type Query {
  schedulesOrError(
    repositorySelector: RepositorySelector!, scheduleStatus: InstigationStatus
  ): SchedulesOrError!
  scheduleOrError(scheduleSelector: ScheduleSelector!): ScheduleOrError!
  sensorsOrError(
    repositorySelector: RepositorySelector!, sensorStatus: InstigationStatus
  ): SensorsOrError!
  sensorOrError(sensorSelector: SensorSelector!): SensorOrError!
}
extend type Mutation {
  startSchedule(scheduleSelector: ScheduleSelector!): ScheduleMutationResult!
  "id: the schedule's scheduleState.id."
  stopRunningSchedule(
    id: String, scheduleOriginId: String, scheduleSelectorId: String
  ): ScheduleMutationResult!
  "Back to the definition's default_status."
  resetSchedule(scheduleSelector: ScheduleSelector!): ScheduleMutationResult!
  startSensor(sensorSelector: SensorSelector!): SensorOrError!
  "id: the sensor's sensorState.id."
  stopSensor(
    id: String, jobOriginId: String, jobSelectorId: String
  ): StopSensorMutationResultOrError!
  resetSensor(sensorSelector: SensorSelector!): SensorOrError!
}
""")


def _state_id(kind: Kind, location: str, name: str) -> str:
    return f"{kind}:{location}:{name}"


def _state(info: Any, kind: Kind, location: str, item: Any) -> dict[str, Any]:
    from headwater.daemon.schedules import is_running
    from headwater.daemon.store import read_instigator

    state = read_instigator(info.context.instance, kind, location, item.name)
    running = is_running(state.status, getattr(item, "default_status", None))
    ident = _state_id(kind, location, item.name)
    return typed(
        "InstigationState",
        id=ident,
        selectorId=ident,
        name=item.name,
        instigationType=kind.upper(),
        status="RUNNING" if running else "STOPPED",
        hasStartPermission=may_run(info.context, "startSchedule"),
        isDefaultStatus=state.status is None,
        _kind=kind,
        _location=location,
    )


@field("InstigationState", "ticks")
def _ticks(parent: dict[str, Any], info: Any, limit: int | None = None) -> list[dict[str, Any]]:
    from headwater.daemon.store import read_ticks

    ticks = read_ticks(info.context.instance, parent["_kind"], parent["_location"], parent["name"])
    ticks = sorted(ticks, key=lambda t: t.timestamp, reverse=True)
    out = []
    for index, tick in enumerate(ticks[:limit] if limit is not None else ticks):
        error = None
        if tick.error:
            error = typed(
                "PythonError", message=tick.error, className=None, stack=[], cause=None, causes=[]
            )
        out.append(
            {
                "id": f"{parent['id']}:{tick.timestamp}:{index}",
                "status": str(tick.status),
                "timestamp": tick.timestamp,
                "runIds": list(tick.run_ids),
                "skipReason": tick.skip_reason,
                "scheduledTime": tick.scheduled_time,
                "error": error,
                "cursor": tick.cursor,
            }
        )
    return out


@field("InstigationState", "runs")
def _runs(parent: dict[str, Any], info: Any, limit: int | None = None) -> list[dict[str, Any]]:
    from headwater.webserver.schema.runs import run_value

    tag = "dagster/schedule_name" if parent["_kind"] == "schedule" else "dagster/sensor_name"
    runs = info.context.instance.get_runs(tags={tag: parent["name"]}, limit=limit)
    return [run_value(r) for r in runs]


def _schedule(info: Any, location: str, item: Any) -> dict[str, Any]:
    cron = item.cron_schedule if isinstance(item.cron_schedule, str) else item.cron_strings[0]
    return typed(
        "Schedule",
        id=_state_id("schedule", location, item.name),
        name=item.name,
        cronSchedule=cron,
        pipelineName=item.job_name,
        executionTimezone=item.execution_timezone,
        description=getattr(item, "description", None),
        scheduleState=_state(info, "schedule", location, item),
    )


def _sensor(info: Any, location: str, item: Any) -> dict[str, Any]:
    targets = getattr(item, "targets", None)
    names = sorted(getattr(targets, "jobs", None) or {})
    return typed(
        "Sensor",
        id=_state_id("sensor", location, item.name),
        name=item.name,
        jobOriginId=_state_id("sensor", location, item.name),
        minIntervalSeconds=int(item.minimum_interval_seconds or 30),
        description=getattr(item, "description", None),
        targets=[{"pipelineName": n} for n in names],
        sensorState=_state(info, "sensor", location, item),
    )


def _items(info: Any, kind: Kind, location_name: str) -> dict[str, Any] | None:
    location = info.context.workspace.get(location_name)
    if location is None or location.automation is None:
        return None
    automation = location.automation
    items: dict[str, Any] = automation.schedules if kind == "schedule" else automation.sensors
    return items


def _not_in_repository(selector: dict[str, Any]) -> dict[str, Any]:
    return typed(
        "RepositoryNotFoundError",
        message=f"Could not find a repository in code location "
        f"{selector['repositoryLocationName']!r}",
        repositoryName=selector["repositoryName"],
        repositoryLocationName=selector["repositoryLocationName"],
    )


@field("Query", "schedulesOrError")
def _schedules(
    _: Any, info: Any, repositorySelector: dict[str, Any], scheduleStatus: str | None = None
) -> dict[str, Any]:
    loc = repositorySelector["repositoryLocationName"]
    items = _items(info, "schedule", loc)
    if items is None or repositorySelector["repositoryName"] != REPOSITORY_NAME:
        return _not_in_repository(repositorySelector)
    found = [_schedule(info, loc, s) for s in items.values()]
    found = [s for s in found if scheduleStatus in (None, s["scheduleState"]["status"])]
    return typed("Schedules", results=found)


@field("Query", "sensorsOrError")
def _sensors(
    _: Any, info: Any, repositorySelector: dict[str, Any], sensorStatus: str | None = None
) -> dict[str, Any]:
    loc = repositorySelector["repositoryLocationName"]
    items = _items(info, "sensor", loc)
    if items is None or repositorySelector["repositoryName"] != REPOSITORY_NAME:
        return _not_in_repository(repositorySelector)
    found = [_sensor(info, loc, s) for s in items.values()]
    found = [s for s in found if sensorStatus in (None, s["sensorState"]["status"])]
    return typed("Sensors", results=found)


def _find(info: Any, kind: Kind, selector: dict[str, Any]) -> tuple[str, Any] | dict[str, Any]:
    name = selector["scheduleName" if kind == "schedule" else "sensorName"]
    items = _items(info, kind, selector["repositoryLocationName"]) or {}
    if name in items:
        return selector["repositoryLocationName"], items[name]
    where = f"code location {selector['repositoryLocationName']!r}"
    if kind == "schedule":
        return typed(
            "ScheduleNotFoundError",
            message=f"Could not find schedule {name} in {where}",
            scheduleName=name,
        )
    return typed(
        "SensorNotFoundError", message=f"Could not find sensor {name} in {where}", sensorName=name
    )


@field("Query", "scheduleOrError")
def _schedule_or_error(_: Any, info: Any, scheduleSelector: dict[str, Any]) -> dict[str, Any]:
    found = _find(info, "schedule", scheduleSelector)
    return found if isinstance(found, dict) else _schedule(info, *found)


@field("Query", "sensorOrError")
def _sensor_or_error(_: Any, info: Any, sensorSelector: dict[str, Any]) -> dict[str, Any]:
    found = _find(info, "sensor", sensorSelector)
    return found if isinstance(found, dict) else _sensor(info, *found)


def _set_status(info: Any, kind: Kind, location: str, name: str, status: str | None) -> None:
    from headwater.daemon.store import read_instigator, write_instigator

    instance = info.context.instance
    state = read_instigator(instance, kind, location, name)
    if kind == "schedule" and status == "RUNNING":
        # Started afresh: its ticks begin now, never replaying the time it was stopped.
        fresh = replace(state, status=status, since=None, last_tick=None)
    else:
        fresh = replace(state, status=status)
    write_instigator(instance, kind, location, name, fresh)


def _change(info: Any, kind: Kind, selector: dict[str, Any], status: str | None) -> Any:
    found = _find(info, kind, selector)
    if isinstance(found, dict):
        return found
    _set_status(info, kind, found[0], found[1].name, status)
    return found


def _by_id(kind: Kind, ident: str | None) -> dict[str, Any]:
    """The selector an id names: ``KIND:LOCATION:NAME``; anything else is taken as a bare
    name in no location, which the lookup then reports as not found."""
    parts = (ident or "").split(":", 2)
    location, name = (
        (parts[1], parts[2]) if len(parts) == 3 and parts[0] == kind else ("", ident or "")
    )
    return {
        "repositoryLocationName": location,
        "repositoryName": REPOSITORY_NAME,
        f"{kind}Name": name,
    }


def _schedule_mutation(info: Any, selector: dict[str, Any], status: str | None) -> Any:
    found = _change(info, "schedule", selector, status)
    if isinstance(found, dict):
        return found
    return typed("ScheduleStateResult", scheduleState=_state(info, "schedule", *found))


@field("Mutation", "startSchedule")
def _start_schedule(_: Any, info: Any, scheduleSelector: dict[str, Any]) -> Any:
    return _schedule_mutation(info, scheduleSelector, "RUNNING")


@field("Mutation", "resetSchedule")
def _reset_schedule(_: Any, info: Any, scheduleSelector: dict[str, Any]) -> Any:
    return _schedule_mutation(info, scheduleSelector, None)


@field("Mutation", "stopRunningSchedule")
def _stop_schedule(
    _: Any,
    info: Any,
    id: str | None = None,
    scheduleOriginId: str | None = None,
    scheduleSelectorId: str | None = None,
) -> Any:
    selector = _by_id("schedule", id or scheduleSelectorId or scheduleOriginId)
    return _schedule_mutation(info, selector, "STOPPED")


def _sensor_mutation(info: Any, selector: dict[str, Any], status: str | None) -> Any:
    found = _change(info, "sensor", selector, status)
    return found if isinstance(found, dict) else _sensor(info, *found)


@field("Mutation", "startSensor")
def _start_sensor(_: Any, info: Any, sensorSelector: dict[str, Any]) -> Any:
    return _sensor_mutation(info, sensorSelector, "RUNNING")


@field("Mutation", "resetSensor")
def _reset_sensor(_: Any, info: Any, sensorSelector: dict[str, Any]) -> Any:
    return _sensor_mutation(info, sensorSelector, None)


@field("Mutation", "stopSensor")
def _stop_sensor(
    _: Any,
    info: Any,
    id: str | None = None,
    jobOriginId: str | None = None,
    jobSelectorId: str | None = None,
) -> Any:
    result = _sensor_mutation(info, _by_id("sensor", id or jobSelectorId or jobOriginId), "STOPPED")
    if result.get("__typename") != "Sensor":
        if result.get("__typename") == "SensorNotFoundError":
            return typed(
                "PythonError",
                message=result["message"],
                className="SensorNotFound",
                stack=[],
                cause=None,
                causes=[],
            )
        return result
    return typed("StopSensorMutationResult", instigationState=result["sensorState"])
