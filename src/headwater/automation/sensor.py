"""Sensors: functions polled at an interval that request runs when something changed."""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.asset_key import AssetKey
from headwater.automation._invoke import (
    analyze_evaluation_fn,
    call_evaluation_fn,
    invoke_directly,
)
from headwater.automation.context import SensorEvaluationContext
from headwater.automation.targets import JobTargets
from headwater.errors import InvalidDefinitionError
from headwater.jobs.node import check_valid_name
from headwater.resources import Resources

if TYPE_CHECKING:
    from headwater.automation.tick import SensorExecutionData

__all__ = ["DefaultSensorStatus", "SensorDefinition", "sensor"]

SENSOR_NAME_TAG = "dagster/sensor_name"
DEFAULT_MINIMUM_INTERVAL_SECONDS = 30


class DefaultSensorStatus(enum.Enum):
    """Whether a sensor runs as soon as it is loaded, before anyone turns it on or off."""

    RUNNING = "RUNNING"
    STOPPED = "STOPPED"


class SensorDefinition:
    """A function evaluated every ``minimum_interval_seconds`` that may request runs.

    The function takes ``context`` (a :class:`SensorEvaluationContext`) and resource
    parameters, and returns or yields ``RunRequest``s, a ``SkipReason`` or a
    ``SensorResult``. Most code uses :func:`sensor`.

    Args:
        name: unique among the sensors of a ``Definitions``.
        evaluation_fn: the function.
        job_name: the name of the job to run, when the job object is not at hand.
        minimum_interval_seconds: the least time between two evaluations (default 30).
        description: shown by ``headwater sensor list``.
        job: the job to run.
        jobs: several jobs; each request names one with ``job_name``.
        default_status: ``RUNNING`` to start as soon as the daemon loads it.
        asset_selection: assets to materialize, instead of a job.
        required_resource_keys: resources the function reads from ``context.resources``.
        tags: tags describing the sensor (not added to its runs).

    Raises:
        InvalidDefinitionError: more than one of ``job``, ``jobs``, ``job_name``; a bad
            name or interval; a function parameter that is neither context nor resource.
    """

    _positional: tuple[str, ...] = ("context",)

    def __init__(
        self,
        name: str | None = None,
        *,
        evaluation_fn: Callable[..., Any] | None = None,
        job_name: str | None = None,
        minimum_interval_seconds: int | None = None,
        description: str | None = None,
        job: object | None = None,
        jobs: Sequence[object] | None = None,
        default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
        asset_selection: Sequence[Any] | None = None,
        required_resource_keys: set[str] | frozenset[str] | None = None,
        tags: Mapping[str, str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        target: object | None = None,
        owners: Sequence[str] | None = None,
    ) -> None:
        if evaluation_fn is None:
            raise InvalidDefinitionError(
                f"sensor {name!r} has no evaluation_fn; pass one, or use @sensor"
            )
        self.name = check_valid_name(name or evaluation_fn.__name__, kind="sensor")
        subject = f"sensor '{self.name}'"
        self._targets = JobTargets.of(
            subject=subject,
            job=job,
            jobs=jobs,
            job_name=job_name,
            target=target,
            asset_selection=asset_selection,
            owner_name=self.name,
        )
        interval = (
            DEFAULT_MINIMUM_INTERVAL_SECONDS
            if minimum_interval_seconds is None
            else minimum_interval_seconds
        )
        if interval < 0:
            raise InvalidDefinitionError(
                f"{subject}: minimum_interval_seconds is {interval}; it must be 0 or more"
            )
        self.minimum_interval_seconds = interval
        self.description = description
        self.default_status = default_status
        self.asset_selection = asset_selection
        self.tags: dict[str, str] = dict(tags or {})
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.owners: list[str] = list(owners or ())
        self._fn = evaluation_fn
        self._sig = analyze_evaluation_fn(
            evaluation_fn, subject=subject, positional=self._positional
        )
        self.required_resource_keys: frozenset[str] = frozenset(
            {*(required_resource_keys or ()), *self._sig.resource_params}
        )

    # targets ---------------------------------------------------------------------------

    @property
    def targets(self) -> JobTargets:
        """The jobs this sensor may launch."""
        return self._targets

    @property
    def job_name(self) -> str:
        """The name of the one job the sensor targets.

        Raises:
            InvalidDefinitionError: the sensor targets no job, or several.
        """
        names = self._targets.names
        if not names:
            raise InvalidDefinitionError(
                f"sensor '{self.name}' targets no job, so it has no job_name; give it "
                "job=..., jobs=[...] or job_name='...'"
            )
        if len(names) > 1:
            raise InvalidDefinitionError(
                f"sensor '{self.name}' targets several jobs ({', '.join(names)}), so it has "
                "no single job_name; read .jobs instead"
            )
        return names[0]

    @property
    def job(self) -> object:
        """The one job object the sensor targets.

        Raises:
            InvalidDefinitionError: the sensor targets no job, several, or one by name only.
        """
        names = self._targets.names
        if len(names) != 1 or self._targets.jobs[names[0]] is None:
            raise InvalidDefinitionError(
                f"sensor '{self.name}' has no single job object to return (it targets "
                f"{', '.join(repr(n) for n in names) or 'no job'}); read .targets instead"
            )
        return self._targets.jobs[names[0]]

    @property
    def jobs(self) -> list[object]:
        """Every target job given as an object.

        Raises:
            InvalidDefinitionError: no job was given as an object.
        """
        found = [j for j in self._targets.jobs.values() if j is not None]
        if not found:
            raise InvalidDefinitionError(
                f"sensor '{self.name}' targets no job object (only names, or assets); "
                "read .targets instead"
            )
        return found

    @property
    def has_jobs(self) -> bool:
        """Whether the sensor targets at least one job given as an object."""
        return any(j is not None for j in self._targets.jobs.values())

    @property
    def targets_assets(self) -> bool:
        """Whether the sensor launches an asset selection rather than a job."""
        return self.asset_selection is not None

    def _asset_keys(self) -> tuple[AssetKey, ...] | None:
        if self.asset_selection is None or not isinstance(self.asset_selection, (list, tuple)):
            return None
        keys: list[AssetKey] = []
        for item in self.asset_selection:
            asset_keys = getattr(item, "keys", None)
            if asset_keys is not None and not isinstance(item, (str, AssetKey)):
                keys.extend(asset_keys)  # an AssetsDefinition: every key it computes
                continue
            try:
                keys.append(AssetKey.from_coercible(item))
            except (InvalidDefinitionError, TypeError):
                return None
        return tuple(keys)

    # evaluation ------------------------------------------------------------------------

    def _produce(self, context: SensorEvaluationContext, resources: Resources) -> Any:
        """What the function returns for one evaluation (generators run to the end).

        Used by :func:`evaluate_sensor`; resources must already be open.
        """
        return call_evaluation_fn(self._fn, self._sig, context, resources)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the sensor's function directly, as a test would.

        Pass the context (from :func:`build_sensor_context`) and, optionally, resources as
        keyword arguments; other resources come from the context, initialized for this
        call and torn down after it. A generator function's items come back as a generator.
        """
        return invoke_directly(
            self._sig,
            args,
            kwargs,
            subject=f"sensor '{self.name}'",
            context_class=SensorEvaluationContext,
            make_context=lambda: SensorEvaluationContext(None, sensor_name=self.name),
            builder="build_sensor_context",
            required=self.required_resource_keys,
            produce=self._produce,
            generator=inspect.isgeneratorfunction(self._fn),
        )

    def evaluate_tick(self, context: SensorEvaluationContext) -> SensorExecutionData:
        """Evaluate once with the context's resources, as the daemon would.

        Returns:
            The run requests (each tagged ``dagster/sensor_name``), skip message, cursor
            and dynamic partition requests. Jobs are not resolved and run config is not
            checked here; :func:`evaluate_sensor` does both.

        Raises:
            InvariantViolationError: the function returned something a sensor cannot, set
                the cursor twice, or requested a partition without ``definitions`` on the
                context.
            Exception: whatever the function raised, unchanged.
        """
        from headwater.automation.tick import sensor_execution_data

        return sensor_execution_data(self, context)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} '{self.name}'>"


def sensor(
    job_name: str | None = None,
    *,
    name: str | None = None,
    minimum_interval_seconds: int | None = None,
    description: str | None = None,
    job: object | None = None,
    jobs: Sequence[object] | None = None,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    asset_selection: Sequence[Any] | None = None,
    required_resource_keys: set[str] | frozenset[str] | None = None,
    tags: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    target: object | None = None,
    owners: Sequence[str] | None = None,
) -> Callable[[Callable[..., Any]], SensorDefinition]:
    """Make a sensor from a function evaluated every ``minimum_interval_seconds``.

    The function may take ``context`` and resource parameters annotated with their class;
    it returns or yields ``RunRequest``s, a ``SkipReason``, or a ``SensorResult`` (requests
    and a new cursor).

    Args:
        job_name: the name of the job to run.
        name: default: the function's name.
        minimum_interval_seconds: the least time between two evaluations (default 30).
        description: shown by ``headwater sensor list`` (the docstring is not used, as in
            the reference).
        job: the job to run.
        jobs: several jobs; each request names one with ``job_name``.
        default_status: ``RUNNING`` to start as soon as the daemon loads it.
        asset_selection: assets to materialize, instead of a job.
        required_resource_keys: resources read from ``context.resources``.
        tags: tags describing the sensor.
        metadata: metadata describing the sensor.
        target: what to run: a job, or assets (run through an anonymous asset job).
        owners: who owns the sensor.

    Example:
        ``@sensor(job=process_file, minimum_interval_seconds=60)
        def new_files(context, storage: FileStore):
            for name in storage.list_after(context.cursor):
                yield RunRequest(run_key=name)``
    """

    def wrap(fn: Callable[..., Any]) -> SensorDefinition:
        return SensorDefinition(
            name=name or fn.__name__,
            evaluation_fn=fn,
            job_name=job_name,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description,
            job=job,
            jobs=jobs,
            default_status=default_status,
            asset_selection=asset_selection,
            required_resource_keys=required_resource_keys,
            tags=tags,
            metadata=metadata,
            target=target,
            owners=owners,
        )

    return wrap
