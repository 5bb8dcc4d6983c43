"""What schedule and sensor functions receive: their evaluation contexts and builders."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any

from headwater.errors import InvalidInvocationError, InvariantViolationError
from headwater.resources import ResourceDefinition, Resources, coerce_resources, open_resources
from headwater.resources.definition import _HardcodedResource

if TYPE_CHECKING:
    from headwater.storage import Instance

__all__ = [
    "ScheduleEvaluationContext",
    "SensorEvaluationContext",
    "build_schedule_context",
    "build_sensor_context",
]

AUTOMATION_LOGGER = logging.getLogger("headwater").getChild("automation")


class _EvaluationContext:
    """Resources and the instance, shared by schedule and sensor contexts.

    Resources are open only while a function is evaluated, or inside ``with context:``.
    """

    _kind = "evaluation"
    _builder = "the context"

    def __init__(
        self,
        *,
        instance: Instance | None,
        resource_defs: Mapping[str, ResourceDefinition] | None,
        log: logging.Logger | None,
        definitions: Any = None,
    ) -> None:
        self._instance = instance
        self._definitions = definitions
        self._resource_defs: dict[str, ResourceDefinition] = dict(resource_defs or {})
        self._open: Resources | None = None
        self._stack: ExitStack | None = None
        self._log = log if log is not None else AUTOMATION_LOGGER

    @property
    def instance(self) -> Instance:
        """The instance the evaluation reads (runs, events, asset materializations).

        Raises:
            InvariantViolationError: the context was built without an instance.
        """
        if self._instance is None:
            raise InvariantViolationError(
                f"this {self._kind} context has no instance; pass one: "
                f"{self._builder}(instance=Instance.ephemeral())"
            )
        return self._instance

    @property
    def definitions(self) -> Any:
        """The ``Definitions`` given to the builder (to resolve partitioned requests), or
        ``None``."""
        return self._definitions

    @property
    def repository_def(self) -> Any:
        """Same as :attr:`definitions` (the reference's older name)."""
        return self._definitions

    @property
    def instance_ref(self) -> None:
        """Always ``None``: headwater contexts hold the instance itself."""
        return None

    @property
    def log_key(self) -> None:
        """Always ``None``: evaluation logs are not captured separately."""
        return None

    @property
    def instance_or_none(self) -> Instance | None:
        """The instance, or ``None`` when the context was built without one."""
        return self._instance

    @property
    def log(self) -> logging.Logger:
        """A logger for messages about this evaluation."""
        return self._log

    @property
    def resource_defs(self) -> Mapping[str, ResourceDefinition]:
        """The resource definitions given to the builder (not yet initialized)."""
        return self._resource_defs

    @property
    def resources(self) -> Resources:
        """The initialized resources of this evaluation, by attribute.

        Raises:
            InvariantViolationError: read outside an evaluation and outside ``with context:``
                while a resource needs initializing (plain values are always readable).
        """
        if self._open is not None:
            return self._open
        if all(type(d) is _HardcodedResource for d in self._resource_defs.values()):
            return Resources({k: d.value for k, d in self._resource_defs.items()})  # type: ignore[attr-defined]  # narrowed by the type check above
        raise InvariantViolationError(
            f"the resources of this {self._kind} context are initialized only while a "
            f"function is evaluated; to use them outside one, write "
            f"`with {self._builder}(resources=...) as context:`"
        )

    @contextmanager
    def bound_resources(self, resources: Resources) -> Iterator[Resources]:
        """Make ``resources`` the context's resources for the duration of a block."""
        previous, self._open = self._open, resources
        try:
            yield resources
        finally:
            self._open = previous

    @property
    def has_open_resources(self) -> bool:
        """Whether resources are initialized now (inside an evaluation or ``with``)."""
        return self._open is not None

    def __enter__(self) -> Any:
        if self._stack is not None:
            raise InvariantViolationError(f"this {self._kind} context is already open")
        stack = ExitStack()
        with stack:
            self._open = stack.enter_context(
                open_resources(
                    self._resource_defs,
                    keys=list(self._resource_defs),
                    configs={},
                    instance=self._instance,
                    log=self._log,
                    owner=f"{self._builder}(resources=...)",
                )
            )
            self._stack = stack.pop_all()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        stack, self._stack, self._open = self._stack, None, None
        if stack is not None:
            stack.__exit__(exc_type, exc, tb)


class ScheduleEvaluationContext(_EvaluationContext):
    """What a schedule function receives (``context``).

    Build one for tests with :func:`build_schedule_context`.
    """

    _kind = "schedule"
    _builder = "build_schedule_context"

    def __init__(
        self,
        *,
        instance: Instance | None = None,
        scheduled_execution_time: datetime | None = None,
        resource_defs: Mapping[str, ResourceDefinition] | None = None,
        schedule_name: str | None = None,
        log: logging.Logger | None = None,
        definitions: Any = None,
    ) -> None:
        super().__init__(
            instance=instance, resource_defs=resource_defs, log=log, definitions=definitions
        )
        self._scheduled_execution_time = scheduled_execution_time
        self.schedule_name = schedule_name

    @property
    def scheduled_execution_time(self) -> datetime:
        """The time this tick was scheduled for (in the schedule's timezone when evaluated).

        Raises:
            InvariantViolationError: the context was built without one.
        """
        if self._scheduled_execution_time is None:
            raise InvariantViolationError(
                "this schedule context has no scheduled_execution_time; pass one: "
                "build_schedule_context(scheduled_execution_time=datetime(...))"
            )
        return self._scheduled_execution_time

    def __enter__(self) -> ScheduleEvaluationContext:
        super().__enter__()
        return self


class SensorEvaluationContext(_EvaluationContext):
    """What a sensor function receives (``context``): the cursor, instance and resources.

    Build one for tests with :func:`build_sensor_context`.
    """

    _kind = "sensor"
    _builder = "build_sensor_context"

    def __init__(
        self,
        *,
        instance: Instance | None = None,
        cursor: str | None = None,
        resource_defs: Mapping[str, ResourceDefinition] | None = None,
        sensor_name: str | None = None,
        last_completion_time: float | None = None,
        last_run_key: str | None = None,
        log: logging.Logger | None = None,
        definitions: Any = None,
        last_sensor_start_time: float | None = None,
    ) -> None:
        super().__init__(
            instance=instance, resource_defs=resource_defs, log=log, definitions=definitions
        )
        self._last_sensor_start_time = last_sensor_start_time
        self._cursor = cursor
        self._cursor_updated = False
        self._sensor_name = sensor_name
        self._last_completion_time = last_completion_time
        self._last_run_key = last_run_key
        self.repository_name: str | None = None

    @property
    def sensor_name(self) -> str:
        """The name of the sensor being evaluated.

        Raises:
            InvariantViolationError: the context was built without a sensor name.
        """
        if self._sensor_name is None:
            raise InvariantViolationError(
                "this sensor context has no sensor name; pass one: "
                "build_sensor_context(sensor_name='...')"
            )
        return self._sensor_name

    @property
    def cursor(self) -> str | None:
        """The cursor the last evaluation left (``None`` before the first)."""
        return self._cursor

    def update_cursor(self, cursor: str | None) -> None:
        """Set the cursor the next evaluation will see.

        Do not also return ``SensorResult(cursor=...)`` from the same evaluation.
        """
        self._cursor = cursor
        self._cursor_updated = True

    @property
    def cursor_updated(self) -> bool:
        """Whether ``update_cursor`` was called during this evaluation."""
        return self._cursor_updated

    @property
    def last_tick_completion_time(self) -> float | None:
        """When the previous tick finished (seconds since the epoch), or ``None``."""
        return self._last_completion_time

    @property
    def last_completion_time(self) -> float | None:
        """Same as :attr:`last_tick_completion_time` (the older name)."""
        return self._last_completion_time

    @property
    def last_sensor_start_time(self) -> float | None:
        """When the sensor was last started (seconds since the epoch), or ``None``."""
        return self._last_sensor_start_time

    @property
    def last_run_key(self) -> str | None:
        """The run key of the last run this sensor requested, or ``None``."""
        return self._last_run_key

    def __enter__(self) -> SensorEvaluationContext:
        super().__enter__()
        return self


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
    return ScheduleEvaluationContext(
        instance=instance,
        scheduled_execution_time=scheduled_execution_time,
        resource_defs=coerce_resources(resources or {}),
        definitions=repository_def,
    )


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
    context = SensorEvaluationContext(
        instance=instance,
        cursor=cursor,
        resource_defs=coerce_resources(resources or {}),
        sensor_name=sensor_name,
        definitions=definitions if definitions is not None else repository_def,
        last_sensor_start_time=last_sensor_start_time,
    )
    context.repository_name = repository_name
    return context


def _no_instance_ref(instance_ref: object, builder: str) -> None:
    if instance_ref is not None:
        raise InvalidInvocationError(
            f"{builder}(instance_ref=...) is not supported: headwater has no instance refs; "
            "pass the instance itself: instance=..."
        )
