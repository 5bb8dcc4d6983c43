"""Run status sensors: functions called when a monitored job's run reaches a status.

``@run_status_sensor`` and ``@run_failure_sensor`` define them; tests call them directly
with a context from :func:`build_run_status_sensor_context`. Watching the instance for
runs that changed status is the daemon's work (a later issue).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.automation._invoke import invoke_directly
from headwater.automation.context import AUTOMATION_LOGGER, _EvaluationContext
from headwater.automation.sensor import DefaultSensorStatus, SensorDefinition
from headwater.errors import InvalidInvocationError
from headwater.events import EventType, RunEvent
from headwater.resources import Resources, coerce_resources

if TYPE_CHECKING:
    from headwater.storage import Instance, Run, RunStatus

__all__ = [
    "RunFailureSensorContext",
    "RunStatusSensorContext",
    "RunStatusSensorDefinition",
    "build_run_status_sensor_context",
    "run_failure_sensor",
    "run_status_sensor",
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

    def _produce(self, context: Any, resources: Resources) -> Any:
        raise NotImplementedError(
            f"sensor '{self.name}' is a run status sensor: the daemon evaluates it against "
            "the instance's runs (not available yet); call it directly with "
            "build_run_status_sensor_context(...) to test it"
        )

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
        from headwater.automation._invoke import call_evaluation_fn

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
