"""Run status sensors: functions called when a monitored job's run reaches a status.

``@run_status_sensor`` and ``@run_failure_sensor`` define them; tests call them directly
with a context from :func:`build_run_status_sensor_context`. Watching the instance for
runs that changed status is the daemon's work (a later issue).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from headwater._dataclass import dataclass
from headwater.automation._invoke import call_evaluation_fn, invoke_directly
from headwater.automation.requests import RunRequest, SensorResult
from headwater.automation.run_status_context import (
    RunFailureSensorContext,
    RunStatusSensorContext,
)
from headwater.automation.sensor import DefaultSensorStatus, SensorDefinition
from headwater.automation.tick import EMPTY_SENSOR_RESULT, TickOutcome
from headwater.errors import InvalidInvocationError
from headwater.events import EventType
from headwater.resources import Resources
from headwater.storage.queries import EventRecordsFilter

if TYPE_CHECKING:
    from headwater.storage import RunStatus

__all__ = [
    "RunStatusSensorDefinition",
    "run_failure_sensor",
    "run_status_sensor",
]


# The run event that marks each status a run status sensor can watch.
_EVENT_FOR_STATUS: dict[str, EventType] = {
    "QUEUED": EventType.RUN_ENQUEUED,
    "STARTING": EventType.RUN_STARTING,
    "STARTED": EventType.RUN_START,
    "SUCCESS": EventType.RUN_SUCCESS,
    "FAILURE": EventType.RUN_FAILURE,
    "CANCELING": EventType.RUN_CANCELING,
    "CANCELED": EventType.RUN_CANCELED,
}


@dataclass(frozen=True, slots=True)
class RunReaction:
    """A run a run status sensor reacted to in a tick (the reference's
    ``DagsterRunReaction``)."""

    dagster_run: Any
    error: Any
    run_status: Any


def _cursor_for(record: Any) -> dict[str, Any]:
    """The reference's cursor after ``record`` (``record_id`` -1 before any)."""
    stamp = None
    if record is not None:
        stamp = datetime.fromtimestamp(record.event.timestamp, timezone.utc).isoformat()
    return {
        "__class__": "RunStatusSensorCursor",
        "record_id": -1 if record is None else record.storage_id,
        "record_timestamp": stamp,
        "update_timestamp": None,
    }


def _describe(cursor: Mapping[str, Any]) -> str:
    return (
        f"RunStatusSensorCursor(record_id={cursor['record_id']}, update_timestamp=None, "
        f"record_timestamp={cursor['record_timestamp']!r})"
    )


def _parse_cursor(cursor: str | None) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        parsed = json.loads(cursor)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict) or "record_id" not in parsed:
        raise InvalidInvocationError(
            f"run status sensor cursor {cursor!r} is not a RunStatusSensorCursor; reset the "
            "sensor's cursor"
        )
    return parsed


def _requests_of(output: Any) -> list[RunRequest]:
    items = output if isinstance(output, (list, tuple)) else [output]
    found: list[RunRequest] = []
    for item in items:
        if isinstance(item, RunRequest):
            found.append(item)
        elif isinstance(item, SensorResult):
            found.extend(item.run_requests)
    return found


class RunStatusSensorDefinition(SensorDefinition):
    """A sensor whose function runs for each run of a monitored job that reaches a status.

    Most code uses :func:`run_status_sensor` or :func:`run_failure_sensor`.

    Args:
        name: unique among the sensors of a ``Definitions``.
        run_status: the status that triggers the function.
        run_status_sensor_fn: ``fn(context, **resources)``, returning what a sensor does.
        minimum_interval_seconds: the least time between two evaluations (default 30).
        description: shown by ``headwater sensor list``.
        monitored_jobs: the jobs to watch (default: every job of the code location).
        monitor_all_code_locations: watch every code location's jobs.
        default_status: ``RUNNING`` to start as soon as the daemon loads it.
        request_job: the job its run requests launch.
        request_jobs: several such jobs; each request names one with ``job_name``.
        tags: tags describing the sensor.
        metadata: metadata describing the sensor.
        required_resource_keys: resources read from ``context.resources``.
    """

    _context_class: type[RunStatusSensorContext] = RunStatusSensorContext

    def __init__(
        self,
        name: str,
        run_status: RunStatus,
        run_status_sensor_fn: Callable[..., Any],
        minimum_interval_seconds: int | None = None,
        description: str | None = None,
        monitored_jobs: Sequence[Any] | None = None,
        monitor_all_code_locations: bool | None = None,
        default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
        request_job: Any = None,
        request_jobs: Sequence[Any] | None = None,
        tags: Mapping[str, str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        required_resource_keys: set[str] | None = None,
    ) -> None:
        super().__init__(
            name,
            evaluation_fn=run_status_sensor_fn,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description,
            job=request_job,
            jobs=request_jobs,
            default_status=default_status,
            required_resource_keys=required_resource_keys,
            tags=tags,
            metadata=metadata,
        )
        self.run_status = run_status
        self.monitored_jobs: list[Any] = list(monitored_jobs or ())
        self.monitor_all_code_locations = bool(monitor_all_code_locations)

    def _produce(self, context: Any, resources: Resources) -> TickOutcome:
        """One tick: call the function for each run that reached the status since the
        cursor (a storage id of the run's status event), oldest first.

        The first tick only places the cursor after the newest such event, as in the
        reference, so that runs from before the sensor existed are not reported.
        """
        instance = context.instance
        event_type = _EVENT_FOR_STATUS[self.run_status.value]
        cursor = _parse_cursor(context.cursor)
        if cursor is None:
            newest = instance.get_event_records(EventRecordsFilter(event_type=event_type), limit=1)
            start = _cursor_for(newest[0] if newest else None)
            return TickOutcome(
                (), f"Initiating {self.name}. Set cursor to {_describe(start)}", json.dumps(start)
            )
        found = instance.get_event_records(
            EventRecordsFilter(event_type=event_type, after_cursor=cursor["record_id"]),
            ascending=True,
        )
        if not found:
            return TickOutcome((), EMPTY_SENSOR_RESULT, context.cursor)
        monitored = {getattr(j, "name", j) for j in self.monitored_jobs}
        requests: list[RunRequest] = []
        reactions: list[RunReaction] = []
        for record in found:
            run = instance.get_run(record.event.run_id)
            if run is None or (monitored and run.job_name not in monitored):
                continue
            status_context = self._context_class(
                sensor_name=self.name,
                dagster_run=run,
                dagster_event=record.event,
                instance=instance,
                context=context,
                resource_defs=context.resource_defs,
                repository_def=context.definitions,
            )
            with status_context.bound_resources(resources):
                output = call_evaluation_fn(self._fn, self._sig, status_context, resources)
            requests.extend(_requests_of(output))
            reactions.append(RunReaction(dagster_run=run, error=None, run_status=self.run_status))
        last = _cursor_for(found[-1])
        return TickOutcome(tuple(requests), None, json.dumps(last), tuple(reactions))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the sensor's function with a context from
        :func:`build_run_status_sensor_context` (and, optionally, resources by keyword).

        Raises:
            InvalidInvocationError: the context is not a run status sensor context.
        """
        context_class = self._context_class

        def coerce(context: Any) -> Any:
            if context_class is RunFailureSensorContext and type(context) is RunStatusSensorContext:
                return context.for_run_failure()
            return context

        return invoke_directly(
            self._sig,
            args,
            kwargs,
            subject=f"sensor '{self.name}'",
            context_class=context_class,
            make_context=_no_default_context,
            builder="build_run_status_sensor_context",
            required=self.required_resource_keys,
            produce=self._call,
            coerce=coerce,
        )

    def _call(self, context: Any, resources: Resources) -> Any:
        return call_evaluation_fn(self._fn, self._sig, context, resources)


def _no_default_context() -> Any:
    raise InvalidInvocationError(
        "a run status sensor needs a context: build one with build_run_status_sensor_context(...)"
    )


class _RunFailureSensorDefinition(RunStatusSensorDefinition):
    """A run status sensor for ``FAILURE`` whose function gets a failure context."""

    _context_class = RunFailureSensorContext


def run_status_sensor(
    run_status: RunStatus,
    name: str | None = None,
    minimum_interval_seconds: int | None = None,
    description: str | None = None,
    monitored_jobs: Sequence[Any] | None = None,
    job_selection: Sequence[Any] | None = None,
    monitor_all_code_locations: bool | None = None,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    request_job: Any = None,
    request_jobs: Sequence[Any] | None = None,
    monitor_all_repositories: bool | None = None,
    tags: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Callable[[Callable[..., Any]], RunStatusSensorDefinition]:
    """Make a sensor whose function runs when a monitored job's run reaches ``run_status``.

    Args:
        run_status: the status (``DagsterRunStatus.SUCCESS``, ...).
        name: default: the function's name.
        minimum_interval_seconds: the least time between two evaluations (default 30).
        description: shown by ``headwater sensor list``.
        monitored_jobs: the jobs to watch (default: every job of the code location).
        job_selection: the older name of ``monitored_jobs``.
        monitor_all_code_locations: watch every code location's jobs.
        default_status: ``RUNNING`` to start as soon as the daemon loads it.
        request_job: the job its run requests launch.
        request_jobs: several such jobs.
        monitor_all_repositories: the older name of ``monitor_all_code_locations``.
        tags: tags describing the sensor.
        metadata: metadata describing the sensor.

    Example:
        ``@run_status_sensor(run_status=DagsterRunStatus.SUCCESS, request_job=report)
        def after_load(context: RunStatusSensorContext):
            return RunRequest(run_key=context.dagster_run.run_id)``
    """
    return _decorator(
        RunStatusSensorDefinition,
        run_status,
        name=name,
        minimum_interval_seconds=minimum_interval_seconds,
        description=description,
        monitored_jobs=monitored_jobs or job_selection,
        monitor_all_code_locations=monitor_all_code_locations or monitor_all_repositories,
        default_status=default_status,
        request_job=request_job,
        request_jobs=request_jobs,
        tags=tags,
        metadata=metadata,
    )


def run_failure_sensor(
    name: Callable[..., Any] | str | None = None,
    minimum_interval_seconds: int | None = None,
    description: str | None = None,
    monitored_jobs: Sequence[Any] | None = None,
    job_selection: Sequence[Any] | None = None,
    monitor_all_code_locations: bool | None = None,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    request_job: Any = None,
    request_jobs: Sequence[Any] | None = None,
    monitor_all_repositories: bool | None = None,
    tags: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Any:
    """Make a sensor whose function runs when a monitored job's run fails.

    Usable bare (``@run_failure_sensor``) or with arguments. The function receives a
    :class:`RunFailureSensorContext`.

    Args:
        name: default: the function's name (or the function itself, used bare).
        minimum_interval_seconds: the least time between two evaluations (default 30).
        description: shown by ``headwater sensor list``.
        monitored_jobs: the jobs to watch (default: every job of the code location).
        job_selection: the older name of ``monitored_jobs``.
        monitor_all_code_locations: watch every code location's jobs.
        default_status: ``RUNNING`` to start as soon as the daemon loads it.
        request_job: the job its run requests launch.
        request_jobs: several such jobs.
        monitor_all_repositories: the older name of ``monitor_all_code_locations``.
        tags: tags describing the sensor.
        metadata: metadata describing the sensor.

    Example:
        ``@run_failure_sensor
        def alert(context: RunFailureSensorContext):
            slack.post(f"{context.dagster_run.job_name} failed")``
    """
    from headwater.storage import RunStatus  # deferred: defining sensors needs no storage

    decorator = _decorator(
        _RunFailureSensorDefinition,
        RunStatus.FAILURE,
        name=None if callable(name) else name,
        minimum_interval_seconds=minimum_interval_seconds,
        description=description,
        monitored_jobs=monitored_jobs or job_selection,
        monitor_all_code_locations=monitor_all_code_locations or monitor_all_repositories,
        default_status=default_status,
        request_job=request_job,
        request_jobs=request_jobs,
        tags=tags,
        metadata=metadata,
    )
    if callable(name):
        return decorator(name)
    return decorator


def _decorator(
    cls: type[RunStatusSensorDefinition], run_status: Any, *, name: str | None, **options: Any
) -> Callable[[Callable[..., Any]], RunStatusSensorDefinition]:
    def wrap(fn: Callable[..., Any]) -> RunStatusSensorDefinition:
        return cls(name or fn.__name__, run_status, fn, **options)

    return wrap
