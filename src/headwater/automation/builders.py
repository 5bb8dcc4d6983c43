"""Building evaluation contexts for tests: ``build_schedule_context`` and
``build_sensor_context``, with the reference's parameters."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from headwater.automation.context import (
    ScheduleEvaluationContext,
    SensorEvaluationContext,
    _no_instance_ref,
)

if TYPE_CHECKING:
    from headwater.storage import Instance

__all__ = ["build_schedule_context", "build_sensor_context"]


def build_schedule_context(
    instance: Instance | None = None,
    scheduled_execution_time: datetime | None = None,
    resources: Mapping[str, object] | None = None,
    repository_def: Any = None,
    instance_ref: None = None,
) -> ScheduleEvaluationContext:
    """A schedule context for calling a schedule function directly in tests.

    Args:
        instance: the instance the function may read.
        scheduled_execution_time: the tick's time (``context.scheduled_execution_time``).
        resources: key → resource (definition, ``ConfigurableResource`` or plain value);
            initialized for each call and torn down after it, or once for a
            ``with build_schedule_context(...) as context:`` block.
        repository_def: the ``Definitions`` holding the schedule's job; needed to
            evaluate requests for a partition.
        instance_ref: not supported (pass ``instance``); must be ``None``.

    Returns:
        The context to pass: ``my_schedule(context)``.

    Example:
        ``my_schedule(build_schedule_context(scheduled_execution_time=datetime(2024, 1, 1)))``
    """
    _no_instance_ref(instance_ref, "build_schedule_context")
    context = ScheduleEvaluationContext(
        None,
        scheduled_execution_time,
        resources=resources,
        repository_def=repository_def,
    )
    return context.with_instance(instance)


def build_sensor_context(
    instance: Instance | None = None,
    cursor: str | None = None,
    repository_name: str | None = None,
    repository_def: Any = None,
    sensor_name: str | None = None,
    resources: Mapping[str, object] | None = None,
    definitions: Any = None,
    instance_ref: None = None,
    last_sensor_start_time: float | None = None,
) -> SensorEvaluationContext:
    """A sensor context for calling a sensor function directly in tests.

    Args:
        instance: the instance the function may read (asset sensors need one).
        cursor: the cursor a previous evaluation left.
        repository_name: the name of the code location (informational).
        repository_def: same as ``definitions`` (the older name).
        sensor_name: the sensor's name, as the daemon would set it.
        resources: key → resource (definition, ``ConfigurableResource`` or plain value);
            initialized for each call and torn down after it, or once for a
            ``with build_sensor_context(...) as context:`` block.
        definitions: the ``Definitions`` holding the sensor's jobs; needed to evaluate
            requests for a partition.
        instance_ref: not supported (pass ``instance``); must be ``None``.
        last_sensor_start_time: when the sensor was last started (seconds since the epoch).

    Returns:
        The context to pass: ``my_sensor(context)``.

    Example:
        ``my_sensor(build_sensor_context(cursor="42", resources={"api": FakeApi()}))``
    """
    _no_instance_ref(instance_ref, "build_sensor_context")
    return SensorEvaluationContext(
        None,
        cursor=cursor,
        repository_name=repository_name,
        repository_def=repository_def,
        instance=instance,
        sensor_name=sensor_name,
        resources=resources,
        definitions=definitions,
        last_sensor_start_time=last_sensor_start_time,
    )
