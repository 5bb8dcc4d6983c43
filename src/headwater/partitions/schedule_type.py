"""The calendar granularities of time-window partitions and the cron strings they stand for."""

from __future__ import annotations

import enum

from headwater.errors import InvalidDefinitionError

__all__ = ["ScheduleType", "cron_for_schedule_type", "default_fmt"]

HOURLY_FMT = "%Y-%m-%d-%H:%M"
DAILY_FMT = "%Y-%m-%d"


class ScheduleType(enum.Enum):
    """How often a time-window partition starts."""

    HOURLY = "HOURLY"
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"


# The argument ranges, as the reference checks them: weekdays count from Sunday = 0.
_DAY_RANGE = {ScheduleType.WEEKLY: (0, 6), ScheduleType.MONTHLY: (1, 31)}


def cron_for_schedule_type(
    schedule_type: ScheduleType,
    *,
    minute_offset: int = 0,
    hour_offset: int = 0,
    day_offset: int | None = None,
    subject: str,
) -> str:
    """The cron string a granularity and its offsets stand for.

    Raises:
        InvalidDefinitionError: an offset is out of range; the message names ``subject``.
    """
    _check_range(subject, "minute_offset", minute_offset, 0, 59)
    _check_range(subject, "hour_offset", hour_offset, 0, 23)
    if schedule_type is ScheduleType.HOURLY:
        return f"{minute_offset} * * * *"
    if schedule_type is ScheduleType.DAILY:
        return f"{minute_offset} {hour_offset} * * *"
    low, high = _DAY_RANGE[schedule_type]
    day = low if day_offset is None else day_offset
    _check_range(subject, "day_offset", day, low, high)
    if schedule_type is ScheduleType.WEEKLY:
        return f"{minute_offset} {hour_offset} * * {day}"
    return f"{minute_offset} {hour_offset} {day} * *"


def default_fmt(schedule_type: ScheduleType | None) -> str:
    """The key format the reference uses: minutes for hourly partitions, days otherwise."""
    return HOURLY_FMT if schedule_type is ScheduleType.HOURLY else DAILY_FMT


def _check_range(subject: str, name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise InvalidDefinitionError(
            f"{subject}: {name}={value!r} is out of range; use an integer from {low} to {high}"
        )
