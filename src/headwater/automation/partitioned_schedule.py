"""``build_schedule_from_partitioned_job``: a schedule that runs a partitioned job once per
partition, as each time window ends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from headwater.automation.context import ScheduleEvaluationContext
from headwater.automation.requests import RunRequest, SkipReason
from headwater.automation.schedule import DefaultScheduleStatus, ScheduleDefinition
from headwater.errors import InvalidDefinitionError

__all__ = ["build_schedule_from_partitioned_job"]

PARTITION_TAG = "dagster/partition"
PARTITION_SET_TAG = "dagster/partition_set"
NO_PARTITIONS = "The job's PartitionsDefinition has no partitions"


def _partition_request(job: Any, key: str, tags: Mapping[str, str]) -> RunRequest:
    partitioned = getattr(job, "partitioned_config", None)
    run_config: dict[str, Any] = {}
    partition_tags: dict[str, str] = {PARTITION_TAG: key}
    if partitioned is not None:
        run_config = partitioned.get_run_config_for_partition_key(key)
        partition_tags = dict(partitioned.get_tags_for_partition_key(key))
    # Op jobs name their partition set in a tag; asset jobs do not, as in the reference.
    if hasattr(job, "run_config_schema"):
        partition_tags[PARTITION_SET_TAG] = f"{job.name}_partition_set"
    return RunRequest(
        run_key=key,
        run_config=run_config,
        tags={**partition_tags, **tags},
        job_name=job.name,
        partition_key=key,
    )


def build_schedule_from_partitioned_job(
    job: Any,
    description: str | None = None,
    name: str | None = None,
    minute_of_hour: int | None = None,
    hour_of_day: int | None = None,
    day_of_week: int | None = None,
    day_of_month: int | None = None,
    default_status: DefaultScheduleStatus = DefaultScheduleStatus.STOPPED,
    tags: Mapping[str, str] | None = None,
    cron_schedule: str | None = None,
    execution_timezone: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    owners: Sequence[str] | None = None,
) -> ScheduleDefinition:
    """A schedule that runs a partitioned job once per partition.

    For time-window partitions, each tick runs the partition whose window has just ended,
    on the partitions' own cron schedule and timezone (the ``*_of_*`` arguments move the
    tick inside the window). For other partitions give ``cron_schedule``: each tick runs
    every partition.

    Args:
        job: a job partitioned by ``partitions_def=`` or a ``PartitionedConfig``.
        description: shown by ``headwater schedule list``.
        name: default ``<job>_schedule``.
        minute_of_hour: the minute of the tick.
        hour_of_day: the hour of the tick (daily and coarser windows).
        day_of_week: the weekday of the tick (weekly windows; 0 is Sunday).
        day_of_month: the day of the tick (monthly windows).
        default_status: ``RUNNING`` to start as soon as the daemon loads it.
        tags: added to every run.
        cron_schedule: the ticks, for jobs not partitioned by time windows.
        execution_timezone: the timezone of ``cron_schedule``.
        metadata: metadata describing the schedule.
        owners: who owns the schedule.

    Raises:
        InvalidDefinitionError: the job is not partitioned, or is partitioned by keys
            and no ``cron_schedule`` was given.

    Example:
        ``build_schedule_from_partitioned_job(daily_job, hour_of_day=2)``
    """
    partitions_def = getattr(job, "partitions_def", None)
    if partitions_def is None:
        raise InvalidDefinitionError(
            f"build_schedule_from_partitioned_job: job '{job.name}' has no partitions; give "
            "it partitions_def=... or a partitioned config, or use ScheduleDefinition"
        )
    extra_tags = dict(tags or {})
    get_cron = getattr(partitions_def, "get_cron_schedule", None)
    if get_cron is not None and cron_schedule is None:
        cron = get_cron(minute_of_hour, hour_of_day, day_of_week, day_of_month)
        timezone = partitions_def.timezone

        schedule_name = name or f"{job.name}_schedule"

        def by_window(context: ScheduleEvaluationContext) -> RunRequest | SkipReason:
            if _ended_window_excluded(partitions_def, context.scheduled_execution_time):
                # The window this tick would run is excluded: no run, rather than a second
                # run of the window before it.
                return SkipReason(f"should_execute function for {schedule_name} returned false.")
            key = partitions_def.get_last_partition_key(context.scheduled_execution_time)
            if key is None:
                return SkipReason(NO_PARTITIONS)
            return _partition_request(job, key, extra_tags)

        fn: Any = by_window
    elif cron_schedule is not None:
        cron, timezone = cron_schedule, execution_timezone

        def every_key(context: ScheduleEvaluationContext) -> list[RunRequest] | SkipReason:
            keys = partitions_def.get_partition_keys(
                context.scheduled_execution_time, dynamic_partitions_store=context.instance_or_none
            )
            if not keys:
                return SkipReason(NO_PARTITIONS)
            return [_partition_request(job, key, extra_tags) for key in keys]

        fn = every_key
    else:
        raise InvalidDefinitionError(
            f"build_schedule_from_partitioned_job: job '{job.name}' is not partitioned by "
            "time windows, so the schedule has no ticks of its own; pass cron_schedule='...'"
        )
    return ScheduleDefinition(
        name=name or f"{job.name}_schedule",
        cron_schedule=cron,
        job=job,
        execution_fn=fn,
        execution_timezone=timezone,
        description=description,
        default_status=default_status,
        metadata=metadata,
        owners=owners,
    )


def _ended_window_excluded(partitions_def: Any, tick: datetime | None) -> bool:
    """Whether the last window at ``tick`` is one that ``exclusions=`` leaves out."""
    if not getattr(partitions_def, "exclusions", None):
        return False
    window = partitions_def.get_last_partition_window_ignoring_exclusions(tick)
    return window is not None and bool(partitions_def.is_window_start_excluded(window.start))
