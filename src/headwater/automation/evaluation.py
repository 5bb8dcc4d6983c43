"""Evaluating a schedule or sensor once: the single entry point for the daemon and the CLI.

Pure apart from what the user's function does with its resources and the instance: nothing
is launched or written here. Resources are initialized for the evaluation and torn down
after it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from headwater.automation._invoke import resource_scope
from headwater.automation.context import ScheduleEvaluationContext, SensorEvaluationContext
from headwater.automation.requests import RunRequest, SensorResult, SkipReason
from headwater.automation.schedule import SCHEDULE_NAME_TAG, ScheduleDefinition
from headwater.automation.sensor import SENSOR_NAME_TAG, SensorDefinition
from headwater.automation.targets import InvalidRunRequest, check_run_requests
from headwater.errors import HeadwaterError, InvariantViolationError, UserCodeExecutionError
from headwater.resources import ResourceDefinition, coerce_resources

if TYPE_CHECKING:
    from headwater.storage import Instance

__all__ = [
    "ScheduleEvaluationResult",
    "SensorEvaluationResult",
    "evaluate_schedule",
    "evaluate_sensor",
]

_EMPTY_SCHEDULE = "Schedule function returned an empty result"
_EMPTY_SENSOR = "Sensor function returned an empty result"


@dataclass(frozen=True, slots=True)
class ScheduleEvaluationResult:
    """What one evaluation of a schedule asks for.

    Attributes:
        schedule_name: the schedule.
        scheduled_execution_time: the tick that was evaluated.
        run_requests: valid requests, each with ``job_name`` and the schedule's name tag.
        invalid_requests: requests that cannot launch, each with its problems.
        skip_message: why no run was requested, or ``None``.
    """

    schedule_name: str
    scheduled_execution_time: datetime | None
    run_requests: tuple[RunRequest, ...]
    invalid_requests: tuple[InvalidRunRequest, ...] = ()
    skip_message: str | None = None

    @property
    def is_skipped(self) -> bool:
        """Whether the function asked for no run (a ``SkipReason`` or an empty result)."""
        return not self.run_requests and not self.invalid_requests


@dataclass(frozen=True, slots=True)
class SensorEvaluationResult:
    """What one evaluation of a sensor asks for.

    Attributes:
        sensor_name: the sensor.
        run_requests: valid requests, each with ``job_name`` and the sensor's name tag.
        invalid_requests: requests that cannot launch, each with its problems.
        skip_message: why no run was requested, or ``None``.
        cursor: the cursor to store for the next evaluation (the one given, unless the
            function moved it).
    """

    sensor_name: str
    run_requests: tuple[RunRequest, ...]
    invalid_requests: tuple[InvalidRunRequest, ...] = ()
    skip_message: str | None = None
    cursor: str | None = None

    @property
    def is_skipped(self) -> bool:
        """Whether the function asked for no run (a ``SkipReason`` or an empty result)."""
        return not self.run_requests and not self.invalid_requests


def _flatten(output: Any) -> list[Any]:
    if output is None:
        return []
    if isinstance(output, (list, tuple)):
        return list(output)
    return [output]


def _split(
    items: list[Any], subject: str, types: tuple[type, ...], allowed: str
) -> tuple[list[Any], str | None]:
    """(requests or configs, skip message) from what a function returned."""
    skips = [i for i in items if isinstance(i, SkipReason)]
    others = [i for i in items if not isinstance(i, SkipReason)]
    if skips and others:
        raise InvariantViolationError(
            f"{subject} returned {len(others)} run request(s) and a SkipReason; "
            "return one or the other"
        )
    if len(skips) > 1:
        raise InvariantViolationError(f"{subject} returned {len(skips)} SkipReasons; give one")
    for item in others:
        if not isinstance(item, types):
            raise InvariantViolationError(
                f"{subject} returned {item!r} ({type(item).__name__}); return or yield {allowed}"
            )
    return others, (skips[0].skip_message or "") if skips else None


def schedule_requests(
    schedule_def: ScheduleDefinition, output: Any
) -> tuple[list[RunRequest], str | None]:
    """The requests and skip message a schedule function's output stands for."""
    subject = f"schedule '{schedule_def.name}'"
    items, skip = _split(
        _flatten(output),
        subject,
        (RunRequest, Mapping),
        "a run config dict, RunRequest or SkipReason",
    )
    requests = [
        RunRequest(run_config=i, tags=schedule_def.tags) if isinstance(i, Mapping) else i
        for i in items
    ]
    if skip is None and not requests:
        skip = _EMPTY_SCHEDULE
    return requests, skip


def sensor_requests(
    sensor_def: SensorDefinition, context: SensorEvaluationContext, output: Any
) -> tuple[list[RunRequest], str | None, str | None]:
    """The requests, skip message and new cursor a sensor function's output stands for."""
    subject = f"sensor '{sensor_def.name}'"
    items, skip = _split(
        _flatten(output),
        subject,
        (RunRequest, SensorResult),
        "RunRequest, SkipReason or SensorResult",
    )
    results = [i for i in items if isinstance(i, SensorResult)]
    requests: list[RunRequest] = [i for i in items if isinstance(i, RunRequest)]
    cursor = context.cursor
    if results:
        if len(results) > 1 or requests:
            raise InvariantViolationError(
                f"{subject} returned a SensorResult with other values; return one "
                "SensorResult holding every run request"
            )
        result = results[0]
        requests = list(result.run_requests)
        if result.skip_reason is not None:
            skip = result.skip_reason.skip_message or ""
        if result.cursor is not None:
            if context.cursor_updated:
                raise InvariantViolationError(
                    f"{subject} called context.update_cursor() and returned "
                    "SensorResult(cursor=...); set the cursor one way only"
                )
            cursor = result.cursor
    if skip is None and not requests:
        skip = _EMPTY_SENSOR
    return requests, skip, cursor


def _user_error(subject: str, exc: Exception) -> UserCodeExecutionError:
    return UserCodeExecutionError(
        f"{subject} raised {type(exc).__name__}: {exc}", user_exception=exc
    )


def _produce(
    definition: ScheduleDefinition | SensorDefinition,
    context: ScheduleEvaluationContext | SensorEvaluationContext,
    *,
    resource_defs: Mapping[str, ResourceDefinition] | None,
    subject: str,
) -> Any:
    """Call the user's function with its resources open; its errors name ``subject``."""
    defs = context.resource_defs if resource_defs is None else resource_defs
    with resource_scope(
        context,
        required=definition.required_resource_keys,
        resource_defs=defs,
        given={},
        subject=subject,
        open_all=False,
        hint="add it to Definitions(resources={...})",
    ) as resources:
        try:
            return definition._produce(context, resources)  # type: ignore[arg-type]  # each definition takes its own kind of context
        except HeadwaterError:
            raise
        except Exception as exc:
            raise _user_error(subject, exc) from exc


def evaluate_schedule_with_context(
    schedule_def: ScheduleDefinition,
    context: ScheduleEvaluationContext,
    *,
    resource_defs: Mapping[str, ResourceDefinition] | None,
    jobs: Mapping[str, object] | None,
) -> ScheduleEvaluationResult:
    """:func:`evaluate_schedule` with a ready context (its own resources when ``None``)."""
    subject = f"schedule '{schedule_def.name}'"
    output = _produce(schedule_def, context, resource_defs=resource_defs, subject=subject)
    requests, skip = schedule_requests(schedule_def, output)
    valid, invalid = check_run_requests(
        requests,
        subject=subject,
        targets=schedule_def.targets,
        jobs=jobs,
        tags={SCHEDULE_NAME_TAG: schedule_def.name},
    )
    return ScheduleEvaluationResult(
        schedule_name=schedule_def.name,
        scheduled_execution_time=context._scheduled_execution_time,
        run_requests=valid,
        invalid_requests=invalid,
        skip_message=skip,
    )


def evaluate_schedule(
    schedule_def: ScheduleDefinition,
    *,
    scheduled_execution_time: datetime,
    instance: Instance | None = None,
    resource_defs: Mapping[str, object] | None = None,
    jobs: Mapping[str, object] | None = None,
) -> ScheduleEvaluationResult:
    """Evaluate a schedule for one tick and check the runs it requests.

    The resources the schedule needs are initialized for this evaluation and torn down
    after it. Each request's run config is validated against its job's run config schema;
    a request that fails is reported in ``invalid_requests`` with every problem, not raised.

    Args:
        schedule_def: the schedule.
        scheduled_execution_time: the tick; naive means a wall-clock time in the
            schedule's timezone.
        instance: given to the context (``context.instance``).
        resource_defs: key → resource (definitions, ``ConfigurableResource``s or values).
        jobs: loaded jobs by name, to validate run config against (``Definitions`` passes
            its resolved jobs); default: the schedule's own job object.

    Returns:
        The valid run requests, the invalid ones and the skip message.

    Raises:
        UserCodeExecutionError: the schedule's function raised (``__cause__`` is its error).
        ResourceFunctionError: a resource failed to initialize or tear down.
        InvalidDefinitionError: a resource the schedule needs is not in ``resource_defs``.
        InvariantViolationError: the function returned something a schedule cannot.
    """
    moment = scheduled_execution_time
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=schedule_def.timezone)
    context = ScheduleEvaluationContext(
        instance=instance,
        scheduled_execution_time=moment.astimezone(schedule_def.timezone),
        schedule_name=schedule_def.name,
    )
    defs = coerce_resources(resource_defs or {})
    return evaluate_schedule_with_context(schedule_def, context, resource_defs=defs, jobs=jobs)


def evaluate_sensor_with_context(
    sensor_def: SensorDefinition,
    context: SensorEvaluationContext,
    *,
    resource_defs: Mapping[str, ResourceDefinition] | None,
    jobs: Mapping[str, object] | None,
) -> SensorEvaluationResult:
    """:func:`evaluate_sensor` with a ready context (its own resources when ``None``)."""
    subject = f"sensor '{sensor_def.name}'"
    output = _produce(sensor_def, context, resource_defs=resource_defs, subject=subject)
    requests, skip, cursor = sensor_requests(sensor_def, context, output)
    valid, invalid = check_run_requests(
        _with_asset_selection(sensor_def, requests),
        subject=subject,
        targets=sensor_def.targets,
        jobs=jobs,
        tags={SENSOR_NAME_TAG: sensor_def.name},
        targets_assets=sensor_def.targets_assets,
    )
    return SensorEvaluationResult(
        sensor_name=sensor_def.name,
        run_requests=valid,
        invalid_requests=invalid,
        skip_message=skip,
        cursor=cursor,
    )


def _with_asset_selection(
    sensor_def: SensorDefinition, requests: Sequence[RunRequest]
) -> list[RunRequest]:
    keys = sensor_def._asset_keys()
    if keys is None:
        return list(requests)
    return [
        r.with_replaced_attrs(asset_selection=keys) if r.asset_selection is None else r
        for r in requests
    ]


def evaluate_sensor(
    sensor_def: SensorDefinition,
    *,
    cursor: str | None = None,
    instance: Instance | None = None,
    resource_defs: Mapping[str, object] | None = None,
    last_completion_time: float | None = None,
    last_run_key: str | None = None,
    jobs: Mapping[str, object] | None = None,
) -> SensorEvaluationResult:
    """Evaluate a sensor once and check the runs it requests.

    The resources the sensor needs are initialized for this evaluation and torn down after
    it. Each request's run config is validated against its job's run config schema; a
    request that fails is reported in ``invalid_requests`` with every problem, not raised.

    Args:
        sensor_def: the sensor.
        cursor: the cursor the previous evaluation left.
        instance: given to the context (asset sensors read materializations from it).
        resource_defs: key → resource (definitions, ``ConfigurableResource``s or values).
        last_completion_time: when the previous tick finished (seconds since the epoch).
        last_run_key: the run key of the last run the sensor requested.
        jobs: loaded jobs by name, to validate run config against (``Definitions`` passes
            its resolved jobs); default: the sensor's own job objects.

    Returns:
        The valid run requests, the invalid ones, the skip message and the new cursor.

    Raises:
        UserCodeExecutionError: the sensor's function raised (``__cause__`` is its error).
        ResourceFunctionError: a resource failed to initialize or tear down.
        InvalidDefinitionError: a resource the sensor needs is not in ``resource_defs``.
        InvariantViolationError: the function returned something a sensor cannot, or set
            the cursor twice.
    """
    context = SensorEvaluationContext(
        instance=instance,
        cursor=cursor,
        sensor_name=sensor_def.name,
        last_completion_time=last_completion_time,
        last_run_key=last_run_key,
    )
    defs = coerce_resources(resource_defs or {})
    return evaluate_sensor_with_context(sensor_def, context, resource_defs=defs, jobs=jobs)
