"""Evaluating a schedule or sensor once: the single entry point for the daemon and the CLI.

Pure apart from what the user's function does with its resources and the instance: nothing
is launched or written here. Resources are initialized for the evaluation and torn down
after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from headwater._dataclass import dataclass
from headwater.automation.context import ScheduleEvaluationContext, SensorEvaluationContext
from headwater.automation.requests import RunRequest
from headwater.automation.schedule import ScheduleDefinition
from headwater.automation.sensor import SensorDefinition
from headwater.automation.targets import InvalidRunRequest, check_run_requests
from headwater.automation.tick import (
    ScheduleExecutionData,
    SensorExecutionData,
    schedule_execution_data,
    sensor_execution_data,
)
from headwater.partitions.dynamic import DynamicPartitionsRequest
from headwater.resources import ResourceDefinition, coerce_resources

if TYPE_CHECKING:
    from headwater.storage import Instance

__all__ = [
    "ScheduleEvaluationResult",
    "ScheduleExecutionData",
    "SensorEvaluationResult",
    "SensorExecutionData",
    "evaluate_schedule",
    "evaluate_sensor",
]


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
        dynamic_partitions_requests: partition keys a ``SensorResult`` adds to or deletes
            from dynamic partitions definitions (applied before its runs are queued).
    """

    sensor_name: str
    run_requests: tuple[RunRequest, ...]
    invalid_requests: tuple[InvalidRunRequest, ...] = ()
    skip_message: str | None = None
    cursor: str | None = None
    dynamic_partitions_requests: tuple[DynamicPartitionsRequest, ...] = ()

    @property
    def is_skipped(self) -> bool:
        """Whether the function asked for no run (a ``SkipReason`` or an empty result)."""
        return not self.run_requests and not self.invalid_requests


def evaluate_schedule_with_context(
    schedule_def: ScheduleDefinition,
    context: ScheduleEvaluationContext,
    *,
    resource_defs: Mapping[str, ResourceDefinition] | None,
    jobs: Mapping[str, object] | None,
) -> ScheduleEvaluationResult:
    """:func:`evaluate_schedule` with a ready context (its own resources when ``None``)."""
    subject = f"schedule '{schedule_def.name}'"
    data = schedule_execution_data(schedule_def, context, resource_defs=resource_defs, jobs=jobs)
    valid, invalid = check_run_requests(
        data.run_requests,
        subject=subject,
        targets=schedule_def.targets,
        jobs=jobs,
        tags={},
    )
    return ScheduleEvaluationResult(
        schedule_name=schedule_def.name,
        scheduled_execution_time=context._scheduled_execution_time,
        run_requests=valid,
        invalid_requests=invalid,
        skip_message=data.skip_message,
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
        None,
        moment.astimezone(schedule_def.timezone),
        schedule_name=schedule_def.name,
    ).with_instance(instance)
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
    data = sensor_execution_data(
        sensor_def, context, resource_defs=resource_defs, jobs=jobs, wrap_errors=True
    )
    valid, invalid = check_run_requests(
        data.run_requests,
        subject=subject,
        targets=sensor_def.targets,
        jobs=jobs,
        tags={},
        targets_assets=sensor_def.targets_assets,
    )
    return SensorEvaluationResult(
        sensor_name=sensor_def.name,
        run_requests=valid,
        invalid_requests=invalid,
        skip_message=data.skip_message,
        cursor=data.cursor,
        dynamic_partitions_requests=data.dynamic_partitions_requests,
    )


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
        None,
        last_tick_completion_time=last_completion_time,
        last_run_key=last_run_key,
        cursor=cursor,
        instance=instance,
        sensor_name=sensor_def.name,
    )
    defs = coerce_resources(resource_defs or {})
    return evaluate_sensor_with_context(sensor_def, context, resource_defs=defs, jobs=jobs)
