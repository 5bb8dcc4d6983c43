"""What the daemon (and ``headwater schedule|sensor``) loads from user code: schedules,
sensors, and the resources and jobs evaluating them needs, through the one code loader.
"""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import Any

from headwater._dataclass import dataclass
from headwater.automation import ScheduleDefinition, SensorDefinition
from headwater.location.code import CodePointer, import_code, is_definitions

__all__ = ["LoadedAutomation", "default_location_name", "load_automation"]


def default_location_name(pointer: CodePointer) -> str:
    """The name of a code location given as ``-f``/``-m``: the file's name, or the module's.

    The daemon, the CLI and the web server all name such a location this way, so the state
    they keep per location (schedules' and sensors' status, cursors, ticks) is the same.
    """
    if pointer.python_file:
        return Path(pointer.python_file).name
    return str(pointer.module_name)


@dataclass(slots=True)
class LoadedAutomation:
    """The schedules and sensors found in user code, with what evaluating them needs.

    Attributes:
        code: where they were loaded from (run workers load jobs from there again).
        location: the code location's name: schedule and sensor state is kept under it.
        schedules: name → schedule.
        sensors: name → sensor.
        resource_defs: the resources of the ``Definitions`` (empty without one).
        jobs: loaded jobs by name, to check run config against.
        asset_graph: the assets of the ``Definitions`` (automation condition sensors
            evaluate it); ``None`` without one.
    """

    code: CodePointer
    location: str = ""
    schedules: dict[str, ScheduleDefinition] = field(default_factory=dict)
    sensors: dict[str, SensorDefinition] = field(default_factory=dict)
    resource_defs: dict[str, Any] = field(default_factory=dict)
    jobs: dict[str, Any] = field(default_factory=dict)
    asset_graph: Any = None

    def __post_init__(self) -> None:
        if not self.location:
            self.location = default_location_name(self.code)


def _from_definitions(found: LoadedAutomation, defs: Any) -> None:
    for item in getattr(defs, "schedules", ()):
        found.schedules[item.name] = item
    # ``all_sensor_defs`` adds the default automation condition sensor for assets with a
    # condition that no sensor of the code targets.
    every_sensor = getattr(defs, "all_sensor_defs", None)
    for item in every_sensor() if callable(every_sensor) else getattr(defs, "sensors", ()):
        found.sensors.setdefault(item.name, item)
    found.resource_defs.update(getattr(defs, "resource_defs", None) or {})
    if callable(getattr(defs, "get_all_job_defs", None)):
        found.jobs.update({job.name: job for job in defs.get_all_job_defs()})
    graph = getattr(defs, "asset_graph", None)
    if graph is not None:
        found.asset_graph = graph


def load_automation(code: CodePointer, *, location: str | None = None) -> LoadedAutomation:
    """Import the code ``code`` points at and collect its schedules and sensors.

    ``location`` names the code location (default: :func:`default_location_name`).

    A module-level ``Definitions`` (or the attribute the pointer names) provides them with
    its resources and jobs; otherwise module-level schedules and sensors are used as they are.

    Raises:
        CodeLoadError: the code does not load.
    """
    module, value = import_code(code, keep=(ScheduleDefinition, SensorDefinition))
    found = LoadedAutomation(code.absolute(), location or default_location_name(code))
    values = [value] if code.attribute else list(vars(module).values())
    definitions = [v for v in values if is_definitions(v)]
    if definitions:
        _from_definitions(found, definitions[0])
        return found
    for item in values:
        if isinstance(item, ScheduleDefinition):
            found.schedules[item.name] = item
        elif isinstance(item, SensorDefinition):
            found.sensors[item.name] = item
    return found
