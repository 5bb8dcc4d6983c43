"""One tick of a schedule or sensor, as ``evaluate_tick`` reports it: the run requests the
function asked for (tagged with the definition's name, partitions resolved), the skip
message, and for sensors the new cursor and dynamic partition requests.

Pure apart from what the user's function does with its resources and the instance.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from headwater._dataclass import dataclass
from headwater.automation._invoke import resource_scope
from headwater.automation.context import ScheduleEvaluationContext, SensorEvaluationContext
from headwater.automation.requests import (
    RunRequest,
    SensorResult,
    SkipReason,
)
from headwater.automation.schedule import SCHEDULE_NAME_TAG, ScheduleDefinition
from headwater.automation.sensor import SENSOR_NAME_TAG, SensorDefinition
from headwater.errors import HeadwaterError, InvariantViolationError, UserCodeExecutionError
from headwater.partitions.dynamic import AddDynamicPartitionsRequest, DynamicPartitionsRequest
from headwater.resources import ResourceDefinition

__all__ = [
    "EMPTY_SENSOR_RESULT",
    "ScheduleExecutionData",
    "TickOutcome",
    "SensorExecutionData",
    "resolve_partition",
    "schedule_execution_data",
    "sensor_execution_data",
]

PARTITION_TAG = "dagster/partition"
PARTITION_SET_TAG = "dagster/partition_set"

_EMPTY_SCHEDULE = "Schedule function returned an empty result"
_EMPTY_SENSOR = EMPTY_SENSOR_RESULT = "Sensor function returned an empty result"


@dataclass(frozen=True, slots=True)
class TickOutcome:
    """What a sensor that evaluates itself (a run status sensor) returns from ``_produce``:
    the whole outcome of the tick, instead of what a user function returned."""

    run_requests: tuple[RunRequest, ...]
    skip_message: str | None
    cursor: str | None
    reactions: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class SensorExecutionData:
    """What ``SensorDefinition.evaluate_tick`` returns: one evaluation, as the reference
    reports it (requests tagged with the sensor's name; their jobs not yet resolved).

    Attributes:
        run_requests: the requests, each with the ``dagster/sensor_name`` tag.
        skip_message: why no run was requested, or ``None``.
        cursor: the cursor to store for the next evaluation.
        dynamic_partitions_requests: partition keys to add or delete.
        asset_events: materializations and observations to record.
    """

    run_requests: tuple[RunRequest, ...]
    skip_message: str | None = None
    cursor: str | None = None
    dynamic_partitions_requests: tuple[DynamicPartitionsRequest, ...] = ()
    asset_events: tuple[Any, ...] = ()
    dagster_run_reactions: tuple[Any, ...] = ()
    log_key: Sequence[str] | None = None
    automation_condition_evaluations: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class ScheduleExecutionData:
    """What ``ScheduleDefinition.evaluate_tick`` returns: one tick, as the reference reports it.

    Attributes:
        run_requests: the requests, each with the ``dagster/schedule_name`` tag.
        skip_message: why no run was requested, or ``None``.
    """

    run_requests: tuple[RunRequest, ...]
    skip_message: str | None = None
    log_key: Sequence[str] | None = None


def _flatten(output: Any) -> list[Any]:
    if output is None:
        return []
    if isinstance(output, (list, tuple)):
        return [i for i in output if i is not None]
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


def _is_run_config(item: Any) -> bool:
    return isinstance(item, Mapping) or type(item).__name__ == "RunConfig"


def schedule_requests(
    schedule_def: ScheduleDefinition, context: ScheduleEvaluationContext, output: Any
) -> tuple[list[RunRequest], str | None]:
    """The requests and skip message a schedule function's output stands for.

    Run config dicts become requests with the schedule's tags (``tags`` or ``tags_fn``).

    Raises:
        InvariantViolationError: the output mixes requests and a skip, holds something
            else, or holds several requests of which one has no run key.
    """
    subject = f"schedule '{schedule_def.name}'"
    items, skip = _split(
        _flatten(output),
        subject,
        (RunRequest, Mapping, object),
        "a run config dict, RunRequest or SkipReason",
    )
    requests: list[RunRequest] = []
    for item in items:
        if isinstance(item, RunRequest):
            requests.append(item)
        elif _is_run_config(item):
            requests.append(RunRequest(run_config=item, tags=schedule_def.tags_for(context)))
        else:
            raise InvariantViolationError(
                f"{subject} returned {item!r} ({type(item).__name__}); return or yield a run "
                "config dict, RunRequest or SkipReason"
            )
    if len(requests) > 1 and any(not r.run_key for r in requests):
        raise InvariantViolationError(
            f"{subject} returned {len(requests)} run requests, not all with a run_key; "
            "schedules that return several RunRequests must give each a run_key"
        )
    if skip is None and not requests:
        skip = _EMPTY_SCHEDULE
    return requests, skip


def sensor_requests(
    sensor_def: SensorDefinition, context: SensorEvaluationContext, output: Any
) -> tuple[list[RunRequest], str | None, str | None, tuple[DynamicPartitionsRequest, ...]]:
    """The requests, skip message, new cursor and partition requests a sensor's output means."""
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
    partition_requests: tuple[DynamicPartitionsRequest, ...] = ()
    if results:
        if len(results) > 1 or requests:
            raise InvariantViolationError(
                f"{subject} returned a SensorResult with other values; return one "
                "SensorResult holding every run request"
            )
        result = results[0]
        requests = list(result.run_requests)
        partition_requests = result.dynamic_partitions_requests
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
    return requests, skip, cursor, partition_requests


def _user_error(subject: str, exc: Exception) -> UserCodeExecutionError:
    return UserCodeExecutionError(
        f"{subject} raised {type(exc).__name__}: {exc}",
        user_exception=exc,
        original_exc_info=(type(exc), exc, exc.__traceback__),
    )


def _produce(
    definition: ScheduleDefinition | SensorDefinition,
    context: ScheduleEvaluationContext | SensorEvaluationContext,
    *,
    resource_defs: Mapping[str, ResourceDefinition] | None,
    subject: str,
    wrap: Callable[[Exception], HeadwaterError] | None,
) -> Any:
    """Call the user's function with its resources open.

    ``wrap`` turns the function's own errors into a headwater error naming ``subject``;
    ``None`` lets them through unchanged (as a sensor's ``evaluate_tick`` does).
    """
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
            if wrap is None:
                raise
            raise wrap(exc) from exc


def resolve_partition(
    request: RunRequest,
    *,
    find_job: Callable[[str | None], Any] | None,
    builder: str,
    dynamic_partitions_store: Any = None,
) -> RunRequest:
    """A partitioned request with its partition's tags and run config filled in.

    Requests that already carry the partition tag, or name no partition, are returned
    as they are.

    Raises:
        InvariantViolationError: the request names a partition but no definitions were
            given to look its job up.
        UnknownPartitionError: the job has no such partition.
    """
    key = request.partition_key
    if key is None or PARTITION_TAG in request.tags:
        return request
    job = find_job(request.job_name) if find_job is not None else None
    if job is None:
        raise InvariantViolationError(
            f"run request for partition {key!r} cannot be resolved without the job's "
            f"definitions; pass them: {builder}(definitions=Definitions(...))"
        )
    partitioned = getattr(job, "partitioned_config", None)
    partitions_def = getattr(job, "partitions_def", None)
    if partitions_def is not None:
        partitions_def.validate_partition_key(
            key, dynamic_partitions_store=dynamic_partitions_store
        )
    tags = {PARTITION_TAG: key, PARTITION_SET_TAG: f"{job.name}_partition_set"}
    if partitioned is not None:
        tags.update(partitioned.get_tags_for_partition_key(key))
    run_config = request.run_config
    if not run_config and partitioned is not None:
        run_config = partitioned.get_run_config_for_partition_key(key)
    return request.with_replaced_attrs(tags={**tags, **request.tags}, run_config=run_config)


def _job_finder(
    context: ScheduleEvaluationContext | SensorEvaluationContext,
    targets: Any,
    jobs: Mapping[str, object] | None,
) -> Callable[[str | None], Any] | None:
    definitions = context.definitions
    if definitions is None and not jobs:
        return None

    def find(name: str | None) -> Any:
        names = targets.names
        name = name or (names[0] if len(names) == 1 else None)
        if name is None:
            return None
        if jobs and name in jobs:
            return jobs[name]
        if definitions is not None:
            return definitions.resolve_job_def(name)
        return None

    return find


def _schedule_error(name: str) -> Callable[[Exception], HeadwaterError]:
    def wrap(exc: Exception) -> HeadwaterError:
        return UserCodeExecutionError(
            f"Error occurred during the evaluation of schedule {name}: {type(exc).__name__}: {exc}",
            user_exception=exc,
            original_exc_info=(type(exc), exc, exc.__traceback__),
        )

    return wrap


def schedule_execution_data(
    schedule_def: ScheduleDefinition,
    context: ScheduleEvaluationContext,
    *,
    resource_defs: Mapping[str, ResourceDefinition] | None = None,
    jobs: Mapping[str, object] | None = None,
) -> ScheduleExecutionData:
    """One tick of a schedule, as ``ScheduleDefinition.evaluate_tick`` reports it."""
    subject = f"schedule '{schedule_def.name}'"
    output = _produce(
        schedule_def,
        context,
        resource_defs=resource_defs,
        subject=subject,
        wrap=_schedule_error(schedule_def.name),
    )
    requests, skip = schedule_requests(schedule_def, context, output)
    find_job = _job_finder(context, schedule_def.targets, jobs)
    tagged = [
        resolve_partition(r, find_job=find_job, builder="build_schedule_context") for r in requests
    ]
    tagged = [
        r.with_replaced_attrs(tags={**r.tags, SCHEDULE_NAME_TAG: schedule_def.name}) for r in tagged
    ]
    return ScheduleExecutionData(run_requests=tuple(tagged), skip_message=skip)


def sensor_execution_data(
    sensor_def: SensorDefinition,
    context: SensorEvaluationContext,
    *,
    resource_defs: Mapping[str, ResourceDefinition] | None = None,
    jobs: Mapping[str, object] | None = None,
    wrap_errors: bool = False,
) -> SensorExecutionData:
    """One evaluation of a sensor, as ``SensorDefinition.evaluate_tick`` reports it."""
    subject = f"sensor '{sensor_def.name}'"
    output = _produce(
        sensor_def,
        context,
        resource_defs=resource_defs,
        subject=subject,
        wrap=(lambda exc: _user_error(subject, exc)) if wrap_errors else None,
    )
    reactions: tuple[Any, ...] = ()
    if isinstance(output, TickOutcome):
        # Definitions that evaluate themselves (run status sensors) say it all.
        requests, skip, cursor = list(output.run_requests), output.skip_message, output.cursor
        partition_requests: tuple[DynamicPartitionsRequest, ...] = ()
        reactions = output.reactions
    else:
        requests, skip, cursor, partition_requests = sensor_requests(sensor_def, context, output)
    if requests and not sensor_def.targets.names and not sensor_def.targets_assets:
        raise InvariantViolationError(
            f"sensor '{sensor_def.name}' returned a RunRequest but targets no job; give the "
            "sensor job=..., jobs=[...], job_name='...' or target=..."
        )
    find_job = _job_finder(context, sensor_def.targets, jobs)
    # Keys the tick adds count as there (they are added before its runs are queued).
    instance = context.instance_or_none
    store = _PendingPartitions(instance, partition_requests) if instance is not None else None
    resolved = [
        resolve_partition(
            r, find_job=find_job, builder="build_sensor_context", dynamic_partitions_store=store
        )
        for r in _with_asset_selection(sensor_def, requests)
    ]
    tagged = [
        r.with_replaced_attrs(tags={**r.tags, SENSOR_NAME_TAG: sensor_def.name}) for r in resolved
    ]
    return SensorExecutionData(
        run_requests=tuple(tagged),
        skip_message=skip,
        cursor=cursor,
        dynamic_partitions_requests=partition_requests,
        dagster_run_reactions=reactions,
    )


class _PendingPartitions:
    """The instance's dynamic partition keys with a tick's add and delete requests applied."""

    def __init__(self, instance: Any, requests: Sequence[DynamicPartitionsRequest]) -> None:
        self._instance = instance
        self._requests = requests

    def get_dynamic_partitions(self, partitions_def_name: str) -> Sequence[str]:
        keys = list(self._instance.get_dynamic_partitions(partitions_def_name))
        for request in self._requests:
            if request.partitions_def_name != partitions_def_name:
                continue
            if isinstance(request, AddDynamicPartitionsRequest):
                keys += [k for k in request.partition_keys if k not in keys]
            else:
                keys = [k for k in keys if k not in request.partition_keys]
        return keys

    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool:
        return partition_key in self.get_dynamic_partitions(partitions_def_name)


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
