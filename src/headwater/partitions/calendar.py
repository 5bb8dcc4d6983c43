"""Hourly, daily, weekly and monthly partitions: time windows on a calendar granularity."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from headwater.errors import InvalidInvocationError
from headwater.partitions.schedule_type import ScheduleType, default_fmt
from headwater.partitions.time_window import TimeWindowPartitionsDefinition

__all__ = [
    "DailyPartitionsDefinition",
    "HourlyPartitionsDefinition",
    "MonthlyPartitionsDefinition",
    "WeeklyPartitionsDefinition",
]


class HourlyPartitionsDefinition(TimeWindowPartitionsDefinition):
    """One partition per hour; keys like ``2024-01-01-13:00``.

    Args:
        start_date: the first hour (``"2024-01-01-00:00"``, ISO 8601, or a datetime).
        end_date: no partition ends after this (exclusive).
        minute_offset: minute past the hour windows start at.
        timezone: an IANA time zone name; ``UTC`` by default. Hours follow DST: the
            skipped hour has no partition and the repeated hour has two.
        fmt: the key format; ``%Y-%m-%d-%H:%M`` by default.
        end_offset: partitions to add after the last ended hour (1: the hour in progress).
        exclusions: windows to leave out (see `TimeWindowPartitionsDefinition`).
        **kwargs: ``cron_schedule=`` replaces the granularity's schedule (copies of a
            definition pass it); nothing else is accepted.

    Raises:
        InvalidDefinitionError: an offset, date or time zone is invalid.

    Example:
        ``HourlyPartitionsDefinition(start_date="2024-01-01-00:00", timezone="Europe/Oslo")``
    """

    def __init__(
        self,
        start_date: datetime | str,
        end_date: datetime | str | None = None,
        minute_offset: int = 0,
        timezone: str | None = None,
        fmt: str | None = None,
        end_offset: int = 0,
        exclusions: Sequence[str | datetime] | None = None,
        **kwargs: Any,
    ) -> None:
        schedule_type, cron_schedule = _schedule(self, ScheduleType.HOURLY, kwargs)
        super().__init__(
            start=start_date,
            fmt=fmt or default_fmt(ScheduleType.HOURLY),
            end=end_date,
            exclusions=exclusions,
            cron_schedule=cron_schedule,
            schedule_type=schedule_type,
            timezone=timezone,
            end_offset=end_offset,
            minute_offset=minute_offset,
        )


class DailyPartitionsDefinition(TimeWindowPartitionsDefinition):
    """One partition per day; keys like ``2024-01-01``.

    Args:
        start_date: the first day (``"2024-01-01"``, ISO 8601, or a datetime).
        end_date: no partition ends after this (exclusive).
        minute_offset: minute of the hour days start at.
        hour_offset: hour days start at (a day of ``hour_offset=6`` runs 06:00 to 06:00).
        timezone: an IANA time zone name; ``UTC`` by default.
        fmt: the key format; ``%Y-%m-%d`` by default.
        end_offset: partitions to add after the last ended day (1: today).
        exclusions: windows to leave out (see `TimeWindowPartitionsDefinition`).
        **kwargs: ``cron_schedule=`` replaces the granularity's schedule; nothing else.

    Raises:
        InvalidDefinitionError: an offset, date or time zone is invalid.

    Example:
        ``DailyPartitionsDefinition(start_date="2024-01-01", timezone="America/New_York")``
    """

    def __init__(
        self,
        start_date: datetime | str,
        end_date: datetime | str | None = None,
        minute_offset: int = 0,
        hour_offset: int = 0,
        timezone: str | None = None,
        fmt: str | None = None,
        end_offset: int = 0,
        exclusions: Sequence[str | datetime] | None = None,
        **kwargs: Any,
    ) -> None:
        schedule_type, cron_schedule = _schedule(self, ScheduleType.DAILY, kwargs)
        super().__init__(
            start=start_date,
            fmt=fmt or default_fmt(ScheduleType.DAILY),
            end=end_date,
            exclusions=exclusions,
            cron_schedule=cron_schedule,
            schedule_type=schedule_type,
            timezone=timezone,
            end_offset=end_offset,
            minute_offset=minute_offset,
            hour_offset=hour_offset,
        )


class WeeklyPartitionsDefinition(TimeWindowPartitionsDefinition):
    """One partition per week, starting on Sunday unless ``day_offset`` says otherwise.

    Args:
        start_date: the first partition is the first week start at or after this.
        end_date: no partition ends after this (exclusive).
        minute_offset: minute of the hour weeks start at.
        hour_offset: hour of the day weeks start at.
        day_offset: weekday weeks start on: 0 Sunday (the default) to 6 Saturday.
        timezone: an IANA time zone name; ``UTC`` by default.
        fmt: the key format; ``%Y-%m-%d`` (the week's first day) by default.
        end_offset: partitions to add after the last ended week (1: this week).
        exclusions: windows to leave out (see `TimeWindowPartitionsDefinition`).
        **kwargs: ``cron_schedule=`` replaces the granularity's schedule; nothing else.

    Raises:
        InvalidDefinitionError: an offset, date or time zone is invalid.

    Example:
        ``WeeklyPartitionsDefinition(start_date="2024-01-01", day_offset=1)`` (Mondays)
    """

    def __init__(
        self,
        start_date: datetime | str,
        end_date: datetime | str | None = None,
        minute_offset: int = 0,
        hour_offset: int = 0,
        day_offset: int = 0,
        timezone: str | None = None,
        fmt: str | None = None,
        end_offset: int = 0,
        exclusions: Sequence[str | datetime] | None = None,
        **kwargs: Any,
    ) -> None:
        schedule_type, cron_schedule = _schedule(self, ScheduleType.WEEKLY, kwargs)
        super().__init__(
            start=start_date,
            fmt=fmt or default_fmt(ScheduleType.WEEKLY),
            end=end_date,
            exclusions=exclusions,
            cron_schedule=cron_schedule,
            schedule_type=schedule_type,
            timezone=timezone,
            end_offset=end_offset,
            minute_offset=minute_offset,
            hour_offset=hour_offset,
            day_offset=day_offset,
        )


class MonthlyPartitionsDefinition(TimeWindowPartitionsDefinition):
    """One partition per month, starting on day ``day_offset`` (the 1st by default).

    Args:
        start_date: the first partition is the first month start at or after this.
        end_date: no partition ends after this (exclusive).
        minute_offset: minute of the hour months start at.
        hour_offset: hour of the day months start at.
        day_offset: day of the month months start on (1 to 31; months too short to have
            that day are skipped, as cron does).
        timezone: an IANA time zone name; ``UTC`` by default.
        fmt: the key format; ``%Y-%m-%d`` by default.
        end_offset: partitions to add after the last ended month (1: this month).
        exclusions: windows to leave out (see `TimeWindowPartitionsDefinition`).
        **kwargs: ``cron_schedule=`` replaces the granularity's schedule; nothing else.

    Raises:
        InvalidDefinitionError: an offset, date or time zone is invalid.

    Example:
        ``MonthlyPartitionsDefinition(start_date="2024-01-01", fmt="%Y-%m")``
    """

    def __init__(
        self,
        start_date: datetime | str,
        end_date: datetime | str | None = None,
        minute_offset: int = 0,
        hour_offset: int = 0,
        day_offset: int = 1,
        timezone: str | None = None,
        fmt: str | None = None,
        end_offset: int = 0,
        exclusions: Sequence[str | datetime] | None = None,
        **kwargs: Any,
    ) -> None:
        schedule_type, cron_schedule = _schedule(self, ScheduleType.MONTHLY, kwargs)
        super().__init__(
            start=start_date,
            fmt=fmt or default_fmt(ScheduleType.MONTHLY),
            end=end_date,
            exclusions=exclusions,
            cron_schedule=cron_schedule,
            schedule_type=schedule_type,
            timezone=timezone,
            end_offset=end_offset,
            minute_offset=minute_offset,
            hour_offset=hour_offset,
            day_offset=day_offset,
        )


def _schedule(
    definition: TimeWindowPartitionsDefinition, granularity: ScheduleType, extra: dict[str, Any]
) -> tuple[ScheduleType | None, str | None]:
    """The granularity, or the ``cron_schedule=`` given as a keyword instead of it."""
    unknown = sorted(set(extra) - {"cron_schedule"})
    if unknown:
        raise InvalidInvocationError(
            f"{type(definition).__name__}: unexpected argument(s) "
            f"{', '.join(repr(k) for k in unknown)}; it takes start_date, end_date, the "
            "offsets, timezone, fmt, end_offset, exclusions and cron_schedule"
        )
    cron_schedule = extra.get("cron_schedule")
    return (None, cron_schedule) if cron_schedule else (granularity, None)
