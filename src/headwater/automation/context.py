"""What schedule and sensor functions receive: their evaluation contexts and builders."""

from __future__ import annotations

import copy
import inspect
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from headwater.errors import InvalidInvocationError, InvariantViolationError
from headwater.resources import ResourceDefinition, Resources, coerce_resources, open_resources
from headwater.resources._pythonic_definition import PythonicDefinition

if TYPE_CHECKING:
    from headwater.storage import Instance

__all__ = [
    "ScheduleEvaluationContext",
    "SensorEvaluationContext",
]

AUTOMATION_LOGGER = logging.getLogger("headwater").getChild("automation")

_C = TypeVar("_C", bound="_EvaluationContext")


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
        self._lazy: Resources | None = None
        self._lazy_stack: ExitStack | None = None
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

    def with_instance(self: _C, instance: Instance | None) -> _C:
        """This context, reading ``instance`` (builders and evaluations set it)."""
        self._instance = instance
        return self

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
    def repository_name(self) -> str | None:
        """The name of the code location, when the builder was given one."""
        return getattr(self, "_repository_name", None)

    @property
    def instance_ref(self) -> None:
        """Always ``None``: headwater contexts hold the instance itself."""
        return None

    def has_captured_logs(self) -> bool:
        """Always ``False``: evaluation logs are not captured separately."""
        return False

    def merge_resources(self: _C, resources_dict: Mapping[str, Any]) -> _C:
        """A copy of this context with ``resources_dict`` added to (or replacing) its
        resources.

        Raises:
            InvariantViolationError: the resources are open (inside ``with`` or an evaluation).
        """
        if self._open is not None:
            raise InvariantViolationError(
                f"cannot merge resources into this {self._kind} context while its resources "
                "are open; merge them before `with` or the evaluation"
            )
        merged = copy.copy(self)
        merged._resource_defs = {**self._resource_defs, **coerce_resources(resources_dict)}
        merged._lazy = merged._lazy_stack = None
        return merged

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

        Outside an evaluation and outside ``with context:``, resources that need no teardown
        (plain values, ``ConfigurableResource``s, ``@resource`` functions that return) are
        set up on first read and kept, as in the reference; they are not torn down.

        Raises:
            InvariantViolationError: read outside an evaluation and outside ``with context:``
                while a resource is a generator (it needs a teardown).
        """
        if self._open is not None:
            return self._open
        if self._lazy is None:
            generators = sorted(k for k, d in self._resource_defs.items() if _is_generator(d))
            if generators:
                raise InvariantViolationError(
                    f"resource {', '.join(repr(k) for k in generators)} of this {self._kind} "
                    "context is a generator, so it is set up only while a function is "
                    "evaluated; to use it outside one, write "
                    f"`with {self._builder}(resources=...) as context:`"
                )
            # Kept open on purpose: nothing here needs a teardown (see the docstring).
            self._lazy_stack = ExitStack()
            self._lazy = self._lazy_stack.enter_context(
                open_resources(
                    self._resource_defs,
                    keys=list(self._resource_defs),
                    configs={},
                    instance=self._instance,
                    log=self._log,
                    owner=f"{self._builder}(resources=...)",
                )
            )
        return self._lazy

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

    Build one for tests with :func:`build_schedule_context`. The parameters are the
    reference's; ``instance_ref`` is not supported (the builder takes the instance).
    """

    _kind = "schedule"
    _builder = "build_schedule_context"

    def __init__(
        self,
        instance_ref: None,
        scheduled_execution_time: datetime | None,
        log_key: Sequence[str] | None = None,
        repository_name: str | None = None,
        schedule_name: str | None = None,
        resources: Mapping[str, Any] | None = None,
        repository_def: Any = None,
    ) -> None:
        _no_instance_ref(instance_ref, "ScheduleEvaluationContext")
        super().__init__(
            instance=None,
            resource_defs=coerce_resources(resources or {}),
            log=None,
            definitions=repository_def,
        )
        self._scheduled_execution_time = scheduled_execution_time
        self.schedule_name = schedule_name
        self._repository_name = repository_name

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
        instance_ref: None,
        last_tick_completion_time: float | None = None,
        last_run_key: str | None = None,
        cursor: str | None = None,
        log_key: Sequence[str] | None = None,
        repository_name: str | None = None,
        repository_def: Any = None,
        instance: Instance | None = None,
        sensor_name: str | None = None,
        resources: Mapping[str, Any] | None = None,
        definitions: Any = None,
        last_sensor_start_time: float | None = None,
        code_location_origin: Any = None,
        last_completion_time: float | None = None,
    ) -> None:
        _no_instance_ref(instance_ref, type(self).__name__)
        super().__init__(
            instance=instance,
            resource_defs=coerce_resources(resources or {}),
            log=None,
            definitions=definitions if definitions is not None else repository_def,
        )
        self._last_sensor_start_time = last_sensor_start_time
        self._cursor = cursor
        self._cursor_updated = False
        self._sensor_name = sensor_name
        completed = last_tick_completion_time
        self._last_completion_time = completed if completed is not None else last_completion_time
        self._last_run_key = last_run_key
        self._repository_name = repository_name
        self._code_location_origin = code_location_origin

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
    def code_location_origin(self) -> Any:
        """Where the code location came from (``None`` when built for a test)."""
        return self._code_location_origin

    @property
    def is_first_tick_since_sensor_start(self) -> bool:
        """Whether no tick completed since the sensor was (last) started."""
        completed = self._last_completion_time
        started = self._last_sensor_start_time
        return not completed or (started is not None and started > completed)

    @property
    def last_run_key(self) -> str | None:
        """The run key of the last run this sensor requested, or ``None``."""
        return self._last_run_key

    def __enter__(self) -> SensorEvaluationContext:
        super().__enter__()
        return self


def _is_generator(definition: ResourceDefinition) -> bool:
    """Whether a resource needs a teardown scope: an ``@resource`` generator function.

    A ``ConfigurableResource``'s definition is a generator internally, but the reference
    sets those up outside a ``with`` block too.
    """
    if isinstance(definition, PythonicDefinition):
        return False
    return inspect.isgeneratorfunction(definition.resource_fn)


def _no_instance_ref(instance_ref: object, builder: str) -> None:
    if instance_ref is not None:
        raise InvalidInvocationError(
            f"{builder}(instance_ref=...) is not supported: headwater has no instance refs; "
            "pass the instance itself: instance=..."
        )
