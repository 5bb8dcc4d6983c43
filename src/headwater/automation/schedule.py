"""Schedules: a cron string, a timezone and what to run at each tick."""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from headwater.automation._invoke import (
    EvaluationSignature,
    analyze_evaluation_fn,
    call_evaluation_fn,
    invoke_directly,
)
from headwater.automation.context import ScheduleEvaluationContext
from headwater.automation.cron import (
    iter_execution_times,
    next_execution_time,
    previous_execution_time,
    resolve_timezone,
    validate_cron_schedule,
)
from headwater.automation.requests import RunRequest, SkipReason
from headwater.automation.targets import JobTargets
from headwater.config.run_config import run_config_dict
from headwater.errors import InvalidDefinitionError, InvalidInvocationError
from headwater.jobs.node import check_valid_name

if TYPE_CHECKING:
    from headwater.automation.tick import ScheduleExecutionData

__all__ = ["DefaultScheduleStatus", "ScheduleDefinition", "schedule"]

SCHEDULE_NAME_TAG = "dagster/schedule_name"


class DefaultScheduleStatus(enum.Enum):
    """Whether a schedule runs as soon as it is loaded, before anyone turns it on or off."""

    RUNNING = "RUNNING"
    STOPPED = "STOPPED"


class ScheduleDefinition:
    """Runs a job on a cron schedule, in a timezone.

    Give the run config statically (``run_config``), from a function of the context
    (``run_config_fn``), or give an ``execution_fn`` that returns run config, run requests or
    a ``SkipReason`` (what ``@schedule`` does).

    Args:
        name: unique among the schedules of a ``Definitions``; default ``<job>_schedule``.
        cron_schedule: a 5-field cron string (``"0 2 * * *"``), ``@daily`` and friends, or a
            list of them whose times are merged.
        job: the job to run.
        job_name: the name of the job to run, when the job object is not at hand.
        run_config: the run config of every run (a dict or ``RunConfig``).
        run_config_fn: ``fn(context) -> run config`` for each tick.
        tags: tags of every run (for ``run_config``/``run_config_fn`` and config dicts).
        tags_fn: ``fn(context) -> tags``, instead of ``tags``.
        metadata: metadata describing the schedule.
        should_execute: ``fn(context) -> bool``; false skips the tick.
        environment_vars: environment variables the schedule's code location needs.
        execution_fn: ``fn(context, **resources)`` returning or yielding run config,
            ``RunRequest``s or a ``SkipReason``.
        execution_timezone: an IANA timezone for the cron string (default UTC).
        description: shown by ``headwater schedule list``.
        default_status: ``RUNNING`` to start as soon as the daemon loads it.
        required_resource_keys: resources the function reads from ``context.resources``.
        target: what to run: a job, or assets (run through an anonymous asset job).
        owners: who owns the schedule.

    Raises:
        InvalidDefinitionError: the cron string or timezone is not valid (the message names
            the field), no job is given, or the run config arguments conflict.

    Example:
        ``ScheduleDefinition(job=nightly_job, cron_schedule="0 2 * * *",
        execution_timezone="Europe/Paris")``
    """

    def __init__(
        self,
        name: str | None = None,
        *,
        cron_schedule: str | Sequence[str] | None = None,
        job_name: str | None = None,
        run_config: Any = None,
        run_config_fn: Callable[..., Any] | None = None,
        tags: Mapping[str, str] | None = None,
        tags_fn: Callable[..., Mapping[str, str]] | None = None,
        metadata: Mapping[str, Any] | None = None,
        should_execute: Callable[..., bool] | None = None,
        environment_vars: Mapping[str, str] | None = None,
        execution_timezone: str | None = None,
        execution_fn: Callable[..., Any] | None = None,
        description: str | None = None,
        job: object | None = None,
        default_status: DefaultScheduleStatus = DefaultScheduleStatus.STOPPED,
        required_resource_keys: set[str] | frozenset[str] | None = None,
        target: object | None = None,
        owners: Sequence[str] | None = None,
    ) -> None:
        self._targets = JobTargets.of(
            subject=f"schedule {name!r}" if name else "schedule",
            job=job,
            job_name=job_name,
            target=target,
            owner_name=name,
        )
        if not self._targets.names:
            raise InvalidDefinitionError(
                f"schedule {name!r} has no job; pass job=... or job_name='...'"
            )
        self.name = check_valid_name(name or f"{self._targets.names[0]}_schedule", kind="schedule")
        subject = f"schedule '{self.name}'"
        if cron_schedule is None:
            raise InvalidDefinitionError(
                f"{subject} has no cron_schedule; pass one, e.g. cron_schedule='0 2 * * *'"
            )
        if tags is not None and tags_fn is not None:
            raise InvalidDefinitionError(
                f"{subject} got both tags and tags_fn; give only one (tags_fn may return "
                "the static tags too)"
            )
        self.cron_strings = validate_cron_schedule(cron_schedule, subject=subject)
        self.cron_schedule: str | Sequence[str] = cron_schedule
        self.execution_timezone = execution_timezone
        self.timezone = resolve_timezone(execution_timezone, subject=subject)
        if run_config is not None and run_config_fn is not None:
            raise InvalidDefinitionError(
                f"{subject} got both run_config and run_config_fn; give only one"
            )
        if execution_fn is not None and (run_config is not None or run_config_fn is not None):
            raise InvalidDefinitionError(
                f"{subject} got execution_fn and run_config/run_config_fn; the function "
                "returns the run config itself, so give only one"
            )
        self.run_config = dict(run_config_dict(run_config)) if run_config is not None else None
        self.run_config_fn = run_config_fn
        self.execution_fn = execution_fn
        self.tags: dict[str, str] = dict(tags or {})
        self.tags_fn = tags_fn
        self.should_execute = should_execute
        self.environment_vars: dict[str, str] = dict(environment_vars or {})
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.owners: list[str] = list(owners or ())
        self.description = description
        self.default_status = default_status
        fn = execution_fn or run_config_fn
        self._sig = (
            analyze_evaluation_fn(fn, subject=subject, positional=("context",))
            if fn is not None
            else EvaluationSignature((), ())
        )
        self.required_resource_keys: frozenset[str] = frozenset(
            {*(required_resource_keys or ()), *self._sig.resource_params}
        )

    # targets ---------------------------------------------------------------------------

    @property
    def job_name(self) -> str:
        """The name of the job this schedule runs."""
        return self._targets.names[0]

    @property
    def job(self) -> object:
        """The job object this schedule runs.

        Raises:
            InvalidDefinitionError: the job was given by name only.
        """
        job = self._targets.jobs[self.job_name]
        if job is None:
            raise InvalidDefinitionError(
                f"schedule '{self.name}' names job '{self.job_name}' without the job object; "
                "pass job=... to read it here"
            )
        return job

    @property
    def targets(self) -> JobTargets:
        """The jobs this schedule may launch (one)."""
        return self._targets

    # time ------------------------------------------------------------------------------

    def next_execution_time(self, after: datetime | None = None) -> datetime:
        """The first tick strictly after ``after`` (default: now), in the schedule's timezone.

        A naive ``after`` is read as a wall-clock time in the schedule's timezone.
        """
        return next_execution_time(self.cron_strings, after or _now(), self.timezone)

    def previous_execution_time(self, before: datetime | None = None) -> datetime:
        """The last tick strictly before ``before`` (default: now), in the schedule's timezone."""
        return previous_execution_time(self.cron_strings, before or _now(), self.timezone)

    def execution_times(self, after: datetime | None = None) -> Iterator[datetime]:
        """Every tick strictly after ``after`` (default: now), ascending, endless."""
        return iter_execution_times(self.cron_strings, after or _now(), self.timezone)

    # evaluation ------------------------------------------------------------------------

    def _produce(self, context: ScheduleEvaluationContext, resources: Any) -> Any:
        """What the schedule's function returns for one tick (generators run to the end).

        ``should_execute`` returning false gives a ``SkipReason``. Used by
        :func:`evaluate_schedule`; resources must already be open.
        """
        if self.should_execute is not None and not _call_with_context(self.should_execute, context):
            return SkipReason(f"should_execute function for {self.name} returned false.")
        if self.execution_fn is not None:
            return call_evaluation_fn(self.execution_fn, self._sig, context, resources)
        if self.run_config_fn is not None:
            config = call_evaluation_fn(self.run_config_fn, self._sig, context, resources)
            return RunRequest(run_config=config, tags=self.tags_for(context))
        return RunRequest(run_config=self.run_config, tags=self.tags_for(context))

    def tags_for(self, context: ScheduleEvaluationContext) -> dict[str, str]:
        """The tags of a run whose config the schedule gives as a dict: ``tags`` or
        ``tags_fn(context)``."""
        if self.tags_fn is not None:
            return dict(_call_with_context(self.tags_fn, context) or {})
        return dict(self.tags)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the schedule's function directly, as a test would.

        Pass the context (from :func:`build_schedule_context`) and, optionally, resources
        as keyword arguments; other resources come from the context, initialized for this
        call and torn down after it. A generator function's items come back as a generator.

        Raises:
            InvalidInvocationError: the schedule has no function (built from run_config).
        """
        if self.execution_fn is None:
            raise InvalidInvocationError(
                f"schedule '{self.name}' has no function to call (it was built from "
                "run_config); only schedules made with @schedule or execution_fn can be "
                "invoked"
            )
        execution_fn = self.execution_fn
        return invoke_directly(
            self._sig,
            args,
            kwargs,
            subject=f"schedule '{self.name}'",
            context_class=ScheduleEvaluationContext,
            make_context=lambda: ScheduleEvaluationContext(None, None, schedule_name=self.name),
            builder="build_schedule_context",
            required=self.required_resource_keys,
            produce=lambda context, resources: call_evaluation_fn(
                execution_fn, self._sig, context, resources
            ),
            generator=inspect.isgeneratorfunction(execution_fn),
        )

    def evaluate_tick(self, context: ScheduleEvaluationContext) -> ScheduleExecutionData:
        """Evaluate one tick with the context's resources, as the daemon would.

        Returns:
            The run requests (each tagged ``dagster/schedule_name``) and the skip message.
            Run config is not checked here; :func:`evaluate_schedule` does that.

        Raises:
            UserCodeExecutionError: the function raised (``__cause__`` is its error).
            InvariantViolationError: the function returned something a schedule cannot.
        """
        from headwater.automation.tick import schedule_execution_data

        return schedule_execution_data(self, context)

    def __repr__(self) -> str:
        return f"<ScheduleDefinition '{self.name}' {self.cron_schedule!r} job '{self.job_name}'>"


def _call_with_context(fn: Callable[..., Any], context: ScheduleEvaluationContext) -> Any:
    """Call a ``should_execute``/``tags_fn`` that takes the context, or nothing."""
    try:
        takes_context = bool(inspect.signature(fn).parameters)
    except (TypeError, ValueError):  # a builtin or C callable: assume it takes the context
        takes_context = True
    return fn(context) if takes_context else fn()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def schedule(
    cron_schedule: str | Sequence[str],
    *,
    job_name: str | None = None,
    name: str | None = None,
    tags: Mapping[str, str] | None = None,
    tags_fn: Callable[..., Mapping[str, str]] | None = None,
    metadata: Mapping[str, Any] | None = None,
    should_execute: Callable[..., bool] | None = None,
    environment_vars: Mapping[str, str] | None = None,
    execution_timezone: str | None = None,
    description: str | None = None,
    job: object | None = None,
    default_status: DefaultScheduleStatus = DefaultScheduleStatus.STOPPED,
    required_resource_keys: set[str] | frozenset[str] | None = None,
    target: object | None = None,
    owners: Sequence[str] | None = None,
) -> Callable[[Callable[..., Any]], ScheduleDefinition]:
    """Make a schedule from a function called at each tick.

    The function may take ``context`` (a :class:`ScheduleEvaluationContext`) and resource
    parameters annotated with their class; it returns a run config dict, a ``RunRequest``,
    a list of them, or a ``SkipReason``, or yields them.

    Args:
        cron_schedule: see :class:`ScheduleDefinition`.
        job: the job to run.
        job_name: the name of the job to run.
        name: default: the function's name.
        tags: tags for runs whose config the function returns as a dict.
        tags_fn: ``fn(context) -> tags`` for those runs, instead of ``tags``.
        metadata: metadata describing the schedule.
        should_execute: ``fn(context) -> bool``; false skips the tick.
        environment_vars: environment variables the schedule's code location needs.
        execution_timezone: an IANA timezone (default UTC).
        description: shown by ``headwater schedule list`` (the docstring is not used, as
            in the reference).
        default_status: ``RUNNING`` to start as soon as the daemon loads it.
        required_resource_keys: resources read from ``context.resources``.
        target: what to run: a job, or assets (run through an anonymous asset job).
        owners: who owns the schedule.

    Example:
        ``@schedule(cron_schedule="0 2 * * *", job=nightly)
        def nightly_schedule(context: ScheduleEvaluationContext, db: Database):
            day = context.scheduled_execution_time.date().isoformat()
            return {"ops": {"load": {"config": {"date": day}}}}``
    """

    def wrap(fn: Callable[..., Any]) -> ScheduleDefinition:
        return ScheduleDefinition(
            name=name or fn.__name__,
            cron_schedule=cron_schedule,
            job=job,
            job_name=job_name,
            tags=tags,
            tags_fn=tags_fn,
            metadata=metadata,
            should_execute=should_execute,
            environment_vars=environment_vars,
            execution_fn=fn,
            execution_timezone=execution_timezone,
            description=description,
            default_status=default_status,
            required_resource_keys=required_resource_keys,
            target=target,
            owners=owners,
        )

    return wrap
