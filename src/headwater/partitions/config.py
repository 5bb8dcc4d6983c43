"""Partitioned config: a job's run config computed from the partition a run targets.

``@daily_partitioned_config`` and friends turn a function of a time window (or of a key)
into a :class:`PartitionedConfig`; a job given one as ``config=`` is partitioned by its
``partitions_def`` and each run gets the config of its partition. Pure values: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Generic, NamedTuple, TypeVar

from headwater.errors import InvalidDefinitionError
from headwater.partitions.calendar import (
    DailyPartitionsDefinition,
    HourlyPartitionsDefinition,
    MonthlyPartitionsDefinition,
    WeeklyPartitionsDefinition,
)
from headwater.partitions.definition import PartitionsDefinition
from headwater.partitions.dynamic import DynamicPartitionsDefinition
from headwater.partitions.static import StaticPartitionsDefinition
from headwater.partitions.time_window import TimeWindowPartitionsDefinition

__all__ = [
    "Partition",
    "PartitionedConfig",
    "daily_partitioned_config",
    "dynamic_partitioned_config",
    "hourly_partitioned_config",
    "monthly_partitioned_config",
    "partitioned_config",
    "static_partitioned_config",
    "weekly_partitioned_config",
]

PARTITION_TAG = "dagster/partition"

T_PartitionsDefinition_co = TypeVar(
    "T_PartitionsDefinition_co", bound=PartitionsDefinition, covariant=True
)


class Partition(NamedTuple):
    """One partition as the legacy ``*_for_partition_fn`` callbacks receive it."""

    value: Any
    name: str


def as_config_dict(value: Any) -> dict[str, Any]:
    """A run config dict from what a config function returned (a dict or a ``RunConfig``)."""
    to_config = getattr(value, "to_config_dict", None)
    if callable(to_config) and not isinstance(value, Mapping):
        return dict(to_config())
    return dict(value or {})


class PartitionedConfig(Generic[T_PartitionsDefinition_co]):
    """A job's config as a function of the partition a run targets.

    Give the config by key (``run_config_for_partition_key_fn``) or, in the legacy form,
    by :class:`Partition` (``run_config_for_partition_fn``); likewise the extra tags. Most
    code uses :func:`daily_partitioned_config`, :func:`static_partitioned_config`, ...

    Args:
        partitions_def: the partitions of jobs that use this config.
        run_config_for_partition_fn: ``fn(Partition) -> run config`` (legacy).
        decorated_fn: the user's function, called when the config itself is called.
        tags_for_partition_fn: ``fn(Partition) -> tags`` (legacy).
        run_config_for_partition_key_fn: ``fn(key) -> run config``.
        tags_for_partition_key_fn: ``fn(key) -> tags``.

    Raises:
        InvalidDefinitionError: both forms of the config function, or of the tags
            function, were given.

    Example:
        ``PartitionedConfig(partitions_def=regions,
        run_config_for_partition_key_fn=lambda key: {"ops": {"load": {"config": key}}})``
    """

    def __init__(
        self,
        partitions_def: T_PartitionsDefinition_co,
        run_config_for_partition_fn: Callable[[Partition], Mapping[str, Any]] | None = None,
        decorated_fn: Callable[..., Any] | None = None,
        tags_for_partition_fn: Callable[[Partition], Mapping[str, str]] | None = None,
        run_config_for_partition_key_fn: Callable[[str], Any] | None = None,
        tags_for_partition_key_fn: Callable[[str], Mapping[str, str]] | None = None,
    ) -> None:
        if run_config_for_partition_fn is not None and run_config_for_partition_key_fn is not None:
            raise InvalidDefinitionError(
                "PartitionedConfig got run_config_for_partition_fn and "
                "run_config_for_partition_key_fn; give only one (the key form is current)"
            )
        if tags_for_partition_fn is not None and tags_for_partition_key_fn is not None:
            raise InvalidDefinitionError(
                "PartitionedConfig got tags_for_partition_fn and tags_for_partition_key_fn; "
                "give only one (the key form is current)"
            )
        self._partitions_def = partitions_def
        self._config_by_partition = run_config_for_partition_fn
        self._config_by_key = run_config_for_partition_key_fn
        self._tags_by_partition = tags_for_partition_fn
        self._tags_by_key = tags_for_partition_key_fn
        self._decorated_fn = decorated_fn

    @property
    def partitions_def(self) -> T_PartitionsDefinition_co:
        """The partitions of jobs that use this config."""
        return self._partitions_def

    @property
    def run_config_for_partition_fn(self) -> Callable[[Partition], Mapping[str, Any]] | None:
        """The legacy config function, if given."""
        return self._config_by_partition

    @property
    def run_config_for_partition_key_fn(self) -> Callable[[str], Any] | None:
        """The config function by key, if given."""
        return self._config_by_key

    @property
    def tags_for_partition_fn(self) -> Callable[[Partition], Mapping[str, str]] | None:
        """The legacy tags function, if given."""
        return self._tags_by_partition

    @property
    def tags_for_partition_key_fn(self) -> Callable[[str], Mapping[str, str]] | None:
        """The tags function by key, if given."""
        return self._tags_by_key

    def get_partition_keys(self, current_time: datetime | None = None) -> Sequence[str]:
        """The keys of :attr:`partitions_def` (dynamic ones need their ``partition_fn``)."""
        return self._partitions_def.get_partition_keys(current_time)

    def get_run_config_for_partition_key(self, partition_key: str) -> dict[str, Any]:
        """The run config of a run of ``partition_key`` (empty when no function is given)."""
        if self._config_by_key is not None:
            return as_config_dict(self._config_by_key(partition_key))
        if self._config_by_partition is not None:
            return as_config_dict(
                self._config_by_partition(Partition(partition_key, partition_key))
            )
        return {}

    def get_tags_for_partition_key(
        self, partition_key: str, job_name: str | None = None
    ) -> dict[str, str]:
        """The tags of a run of ``partition_key``: ``dagster/partition`` and the user's."""
        user: Mapping[str, str] = {}
        if self._tags_by_key is not None:
            user = self._tags_by_key(partition_key) or {}
        elif self._tags_by_partition is not None:
            user = self._tags_by_partition(Partition(partition_key, partition_key)) or {}
        return {PARTITION_TAG: partition_key, **user}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the decorated function directly (as a test would).

        Raises:
            InvalidDefinitionError: this config was not made with a decorator.
        """
        if self._decorated_fn is None:
            raise InvalidDefinitionError(
                "this PartitionedConfig was not made with a decorator, so it has no function "
                "to call; use get_run_config_for_partition_key(key)"
            )
        return self._decorated_fn(*args, **kwargs)

    def __repr__(self) -> str:
        return f"PartitionedConfig({self._partitions_def!r})"


def partitioned_config(
    partitions_def: PartitionsDefinition,
    tags_for_partition_key_fn: Callable[[str], Mapping[str, str]] | None = None,
) -> Callable[[Callable[[str], Any]], PartitionedConfig[PartitionsDefinition]]:
    """Make a job's config a function of a partition key of ``partitions_def``.

    Args:
        partitions_def: any partitions definition.
        tags_for_partition_key_fn: ``fn(key) -> tags`` added to each run.

    Example:
        ``@partitioned_config(partitions_def=regions)
        def by_region(partition_key: str):
            return {"ops": {"load": {"config": {"region": partition_key}}}}``
    """

    def wrap(fn: Callable[[str], Any]) -> PartitionedConfig[PartitionsDefinition]:
        return PartitionedConfig(
            partitions_def=partitions_def,
            run_config_for_partition_key_fn=fn,
            decorated_fn=fn,
            tags_for_partition_key_fn=tags_for_partition_key_fn,
        )

    return wrap


def static_partitioned_config(
    partition_keys: Sequence[str],
    tags_for_partition_fn: Callable[[str], Mapping[str, str]] | None = None,
    tags_for_partition_key_fn: Callable[[str], Mapping[str, str]] | None = None,
) -> Callable[[Callable[[str], Any]], PartitionedConfig[StaticPartitionsDefinition]]:
    """Make a job's config a function of one of a fixed list of partition keys.

    Args:
        partition_keys: the keys.
        tags_for_partition_fn: ``fn(key) -> tags`` (the older name).
        tags_for_partition_key_fn: ``fn(key) -> tags`` added to each run.

    Example:
        ``@static_partitioned_config(partition_keys=["us", "eu"])
        def by_region(partition_key: str):
            return {"ops": {"load": {"config": {"region": partition_key}}}}``
    """
    tags_fn = tags_for_partition_key_fn or tags_for_partition_fn

    def wrap(fn: Callable[[str], Any]) -> PartitionedConfig[StaticPartitionsDefinition]:
        return PartitionedConfig(
            partitions_def=StaticPartitionsDefinition(list(partition_keys)),
            run_config_for_partition_key_fn=fn,
            decorated_fn=fn,
            tags_for_partition_key_fn=tags_fn,
        )

    return wrap


def dynamic_partitioned_config(
    partition_fn: Callable[[datetime | None], Sequence[str]],
    tags_for_partition_fn: Callable[[str], Mapping[str, str]] | None = None,
    tags_for_partition_key_fn: Callable[[str], Mapping[str, str]] | None = None,
) -> Callable[[Callable[[str], Any]], PartitionedConfig[DynamicPartitionsDefinition]]:
    """Make a job's config a function of a key from ``partition_fn(current_time)``.

    Args:
        partition_fn: returns the keys that exist at a time.
        tags_for_partition_fn: ``fn(key) -> tags`` (the older name).
        tags_for_partition_key_fn: ``fn(key) -> tags`` added to each run.
    """
    tags_fn = tags_for_partition_key_fn or tags_for_partition_fn

    def wrap(fn: Callable[[str], Any]) -> PartitionedConfig[DynamicPartitionsDefinition]:
        return PartitionedConfig(
            partitions_def=DynamicPartitionsDefinition(partition_fn=partition_fn),
            run_config_for_partition_key_fn=fn,
            decorated_fn=fn,
            tags_for_partition_key_fn=tags_fn,
        )

    return wrap


WindowFn = Callable[[datetime, datetime], Any]
WindowTagsFn = Callable[[datetime, datetime], Mapping[str, str]]
T_Window = TypeVar("T_Window", bound=TimeWindowPartitionsDefinition)


def _by_window(
    partitions_def: T_Window, tags_for_partition_fn: WindowTagsFn | None
) -> Callable[[WindowFn], PartitionedConfig[T_Window]]:
    """The decorator every ``*_partitioned_config`` for time windows returns."""

    def wrap(fn: WindowFn) -> PartitionedConfig[T_Window]:
        def config_for_key(key: str) -> Any:
            window = partitions_def.time_window_for_partition_key(key)
            return fn(window.start, window.end)

        tags_for_key: Callable[[str], Mapping[str, str]] | None = None
        if tags_for_partition_fn is not None:
            tags_fn = tags_for_partition_fn

            def tags_for_key(key: str) -> Mapping[str, str]:
                window = partitions_def.time_window_for_partition_key(key)
                return tags_fn(window.start, window.end)

        return PartitionedConfig(
            partitions_def=partitions_def,
            run_config_for_partition_key_fn=config_for_key,
            decorated_fn=fn,
            tags_for_partition_key_fn=tags_for_key,
        )

    return wrap


def _no_exclusions(exclusions: object, helper: str) -> None:
    if exclusions:
        raise InvalidDefinitionError(
            f"{helper}(exclusions=...) is not supported yet; filter the windows in the "
            "config function instead"
        )


def hourly_partitioned_config(
    start_date: datetime | str,
    minute_offset: int = 0,
    timezone: str | None = None,
    fmt: str | None = None,
    end_offset: int = 0,
    tags_for_partition_fn: WindowTagsFn | None = None,
    exclusions: Sequence[Any] | None = None,
) -> Callable[[WindowFn], PartitionedConfig[HourlyPartitionsDefinition]]:
    """Make a job's config a function of an hour's window ``fn(start, end)``.

    Args:
        start_date: the first window starts at or after this.
        minute_offset: minute of the hour windows start at.
        timezone: an IANA time zone name (default UTC).
        fmt: the key format (default ``%Y-%m-%d-%H:%M``).
        end_offset: windows to add after the last ended one (1: the current hour).
        tags_for_partition_fn: ``fn(start, end) -> tags`` added to each run.
        exclusions: not supported; must be empty.

    Example:
        ``@hourly_partitioned_config(start_date="2024-01-01-00:00")
        def by_hour(start, end):
            return {"ops": {"load": {"config": {"hour": start.isoformat()}}}}``
    """
    _no_exclusions(exclusions, "hourly_partitioned_config")
    return _by_window(
        HourlyPartitionsDefinition(
            start_date=start_date,
            minute_offset=minute_offset,
            timezone=timezone,
            fmt=fmt,
            end_offset=end_offset,
        ),
        tags_for_partition_fn,
    )


def daily_partitioned_config(
    start_date: datetime | str,
    minute_offset: int = 0,
    hour_offset: int = 0,
    timezone: str | None = None,
    fmt: str | None = None,
    end_offset: int = 0,
    tags_for_partition_fn: WindowTagsFn | None = None,
    exclusions: Sequence[Any] | None = None,
) -> Callable[[WindowFn], PartitionedConfig[DailyPartitionsDefinition]]:
    """Make a job's config a function of a day's window ``fn(start, end)``.

    Args:
        start_date: the first window starts at or after this.
        minute_offset: minute of the hour days start at.
        hour_offset: hour of the day days start at.
        timezone: an IANA time zone name (default UTC).
        fmt: the key format (default ``%Y-%m-%d``).
        end_offset: windows to add after the last ended one (1: today).
        tags_for_partition_fn: ``fn(start, end) -> tags`` added to each run.
        exclusions: not supported; must be empty.

    Example:
        ``@daily_partitioned_config(start_date="2024-01-01")
        def by_day(start, end):
            return {"ops": {"load": {"config": {"date": start.strftime("%Y-%m-%d")}}}}``
    """
    _no_exclusions(exclusions, "daily_partitioned_config")
    return _by_window(
        DailyPartitionsDefinition(
            start_date=start_date,
            minute_offset=minute_offset,
            hour_offset=hour_offset,
            timezone=timezone,
            fmt=fmt,
            end_offset=end_offset,
        ),
        tags_for_partition_fn,
    )


def weekly_partitioned_config(
    start_date: datetime | str,
    minute_offset: int = 0,
    hour_offset: int = 0,
    day_offset: int = 0,
    timezone: str | None = None,
    fmt: str | None = None,
    end_offset: int = 0,
    tags_for_partition_fn: WindowTagsFn | None = None,
    exclusions: Sequence[Any] | None = None,
) -> Callable[[WindowFn], PartitionedConfig[WeeklyPartitionsDefinition]]:
    """Make a job's config a function of a week's window ``fn(start, end)``.

    Args:
        start_date: the first window starts at or after this.
        minute_offset: minute of the hour weeks start at.
        hour_offset: hour of the day weeks start at.
        day_offset: day of the week weeks start on (0 is Sunday).
        timezone: an IANA time zone name (default UTC).
        fmt: the key format (default ``%Y-%m-%d``).
        end_offset: windows to add after the last ended one (1: this week).
        tags_for_partition_fn: ``fn(start, end) -> tags`` added to each run.
        exclusions: not supported; must be empty.
    """
    _no_exclusions(exclusions, "weekly_partitioned_config")
    return _by_window(
        WeeklyPartitionsDefinition(
            start_date=start_date,
            minute_offset=minute_offset,
            hour_offset=hour_offset,
            day_offset=day_offset,
            timezone=timezone,
            fmt=fmt,
            end_offset=end_offset,
        ),
        tags_for_partition_fn,
    )


def monthly_partitioned_config(
    start_date: datetime | str,
    minute_offset: int = 0,
    hour_offset: int = 0,
    day_offset: int = 1,
    timezone: str | None = None,
    fmt: str | None = None,
    end_offset: int = 0,
    tags_for_partition_fn: WindowTagsFn | None = None,
    exclusions: Sequence[Any] | None = None,
) -> Callable[[WindowFn], PartitionedConfig[MonthlyPartitionsDefinition]]:
    """Make a job's config a function of a month's window ``fn(start, end)``.

    Args:
        start_date: the first window starts at or after this.
        minute_offset: minute of the hour months start at.
        hour_offset: hour of the day months start at.
        day_offset: day of the month months start on (default the 1st).
        timezone: an IANA time zone name (default UTC).
        fmt: the key format (default ``%Y-%m-%d``).
        end_offset: windows to add after the last ended one (1: this month).
        tags_for_partition_fn: ``fn(start, end) -> tags`` added to each run.
        exclusions: not supported; must be empty.
    """
    _no_exclusions(exclusions, "monthly_partitioned_config")
    return _by_window(
        MonthlyPartitionsDefinition(
            start_date=start_date,
            minute_offset=minute_offset,
            hour_offset=hour_offset,
            day_offset=day_offset,
            timezone=timezone,
            fmt=fmt,
            end_offset=end_offset,
        ),
        tags_for_partition_fn,
    )
