"""What a run status sensor's function receives: the run whose status changed, and the
event that changed it; and the builder tests use."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from headwater.automation.context import AUTOMATION_LOGGER, _EvaluationContext
from headwater.events import EventType, RunEvent
from headwater.resources import coerce_resources

if TYPE_CHECKING:
    from headwater.storage import Instance, Run

__all__ = [
    "RunFailureSensorContext",
    "RunStatusSensorContext",
    "build_run_status_sensor_context",
]


class RunStatusSensorContext(_EvaluationContext):
    """What a run status sensor's function receives: the run and the event that changed it.

    Build one for tests with :func:`build_run_status_sensor_context`.
    """

    _kind = "run status sensor"
    _builder = "build_run_status_sensor_context"

    def __init__(
        self,
        sensor_name: str,
        dagster_run: Run,
        dagster_event: RunEvent,
        instance: Instance,
        context: Any = None,
        resource_defs: Mapping[str, Any] | None = None,
        logger: logging.Logger | None = None,
        partition_key: str | None = None,
        repository_def: Any = None,
    ) -> None:
        super().__init__(
            instance=instance,
            resource_defs=coerce_resources(resource_defs or {}),
            log=logger if logger is not None else AUTOMATION_LOGGER,
            definitions=repository_def,
        )
        self._sensor_name = sensor_name
        self._dagster_run = dagster_run
        self._dagster_event = dagster_event
        self._partition_key = partition_key
        self._sensor_context = context

    @property
    def sensor_name(self) -> str:
        """The sensor's name."""
        return self._sensor_name

    @property
    def dagster_run(self) -> Run:
        """The run whose status changed."""
        return self._dagster_run

    @property
    def dagster_event(self) -> RunEvent:
        """The event that changed the run's status (e.g. ``RUN_SUCCESS``)."""
        return self._dagster_event

    @property
    def partition_key(self) -> str | None:
        """The run's partition, if it has one."""
        return self._partition_key

    def for_run_failure(self) -> RunFailureSensorContext:
        """This context as a :class:`RunFailureSensorContext` (for failure sensors)."""
        failure = RunFailureSensorContext(
            sensor_name=self._sensor_name,
            dagster_run=self._dagster_run,
            dagster_event=self._dagster_event,
            instance=self.instance,
            context=self._sensor_context,
            resource_defs=self._resource_defs,
            logger=self._log,
            partition_key=self._partition_key,
            repository_def=self._definitions,
        )
        failure._open = self._open
        return failure

    def __enter__(self) -> RunStatusSensorContext:
        super().__enter__()
        return self


class RunFailureSensorContext(RunStatusSensorContext):
    """What a run failure sensor's function receives: the failed run and its failure event."""

    @property
    def failure_event(self) -> RunEvent:
        """The run's failure event (``RUN_FAILURE``)."""
        return self._dagster_event

    def get_step_failure_events(self) -> list[RunEvent]:
        """The step failure event of each step of the run that failed, in order."""
        logs = self.instance.all_logs(self._dagster_run.run_id)
        return [
            entry.dagster_event
            for entry in logs
            if entry.dagster_event is not None
            and entry.dagster_event.event_type is EventType.STEP_FAILURE
        ]

    def __enter__(self) -> RunFailureSensorContext:
        super().__enter__()
        return self


def build_run_status_sensor_context(
    sensor_name: str,
    dagster_event: RunEvent,
    dagster_instance: Instance,
    dagster_run: Run,
    context: Any = None,
    resources: Mapping[str, object] | None = None,
    partition_key: str | None = None,
    *,
    repository_def: Any = None,
) -> RunStatusSensorContext:
    """A run status sensor context for calling the sensor's function directly in tests.

    Args:
        sensor_name: the sensor's name.
        dagster_event: the event that changed the run's status
            (``result.get_run_success_event()``, ``result.get_run_failure_event()``).
        dagster_instance: the instance the run is stored in.
        dagster_run: the run (``result.dagster_run``).
        context: the sensor evaluation context of the tick, if any.
        resources: key → resource, initialized for each call of the function.
        partition_key: the run's partition.
        repository_def: the ``Definitions`` holding the sensor.

    Returns:
        The context; call ``.for_run_failure()`` on it for a run failure sensor.

    Example:
        ``my_sensor(build_run_status_sensor_context(sensor_name="my_sensor",
        dagster_instance=instance, dagster_run=result.dagster_run,
        dagster_event=result.get_run_success_event()))``
    """
    return RunStatusSensorContext(
        sensor_name=sensor_name,
        dagster_run=dagster_run,
        dagster_event=dagster_event,
        instance=dagster_instance,
        context=context,
        resource_defs=coerce_resources(resources or {}),
        partition_key=partition_key,
        repository_def=repository_def,
    )
