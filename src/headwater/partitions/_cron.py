"""Five-field cron expressions matched against wall-clock (naive) datetimes.

Partitions need only "the next/previous wall-clock minute the schedule fires at"; time zones
and DST are the caller's business (``_ticks.py``). Written here rather than taken from
croniter so that stepping through 50,000 hourly partitions costs microseconds per step and
``import headwater`` stays free of third-party imports.
"""

from __future__ import annotations

import calendar
from dataclasses import field
from datetime import datetime, timedelta

from headwater._dataclass import dataclass

__all__ = ["CronSchedule", "parse_cron"]

_MONTH_NAMES = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_DAY_NAMES = {name.lower(): (i + 1) % 7 for i, name in enumerate(calendar.day_abbr)}
# (name, low, high, names) per field, in cron order.
_FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day of month", 1, 31, {}),
    ("month", 1, 12, _MONTH_NAMES),
    ("day of week", 0, 7, _DAY_NAMES),
)
_MINUTE = timedelta(minutes=1)
# A schedule that matches nothing for this long never fires ("0 0 30 2 *").
_SEARCH_LIMIT_YEARS = 8


class CronError(ValueError):
    """A cron string does not parse; the message names the field."""


@dataclass(frozen=True, slots=True)
class CronSchedule:
    """A parsed cron expression: the allowed values of each field."""

    expression: str
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    days_restricted: bool
    weekdays_restricted: bool
    _minute_set: frozenset[int] = field(init=False, repr=False, compare=False)
    _hour_set: frozenset[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_minute_set", frozenset(self.minutes))
        object.__setattr__(self, "_hour_set", frozenset(self.hours))

    @property
    def fires_every_hour(self) -> bool:
        """Whether the hour field allows every hour (repeated DST hours fire twice)."""
        return len(self.hours) == 24

    def matches_day(self, moment: datetime) -> bool:
        """Whether the day-of-month, month and day-of-week fields allow ``moment``'s day."""
        if moment.month not in self.months:
            return False
        in_days = moment.day in self.days
        in_weekdays = (moment.isoweekday() % 7) in self.weekdays
        # Standard cron: when both day fields are restricted, either may match.
        if self.days_restricted and self.weekdays_restricted:
            return in_days or in_weekdays
        return in_days and in_weekdays

    def matches(self, moment: datetime) -> bool:
        """Whether the schedule fires at this wall-clock minute."""
        return (
            moment.minute in self._minute_set
            and moment.hour in self._hour_set
            and self.matches_day(moment)
        )

    def next_after(self, moment: datetime) -> datetime:
        """The first wall-clock minute strictly after ``moment`` that the schedule fires at."""
        current = moment.replace(second=0, microsecond=0) + _MINUTE
        limit = moment.year + _SEARCH_LIMIT_YEARS
        while current.year <= limit:
            if not self.matches_day(current):
                day = current.replace(hour=0, minute=0) + timedelta(days=1)
                current = day
                continue
            if current.hour not in self._hour_set:
                later = [h for h in self.hours if h > current.hour]
                if later:
                    current = current.replace(hour=later[0], minute=self.minutes[0])
                else:
                    current = current.replace(hour=0, minute=0) + timedelta(days=1)
                continue
            later_minutes = [m for m in self.minutes if m >= current.minute]
            if later_minutes:
                return current.replace(minute=later_minutes[0])
            current = current.replace(minute=0) + timedelta(hours=1)
        raise CronError(f"cron schedule {self.expression!r} never fires")

    def prev_before(self, moment: datetime) -> datetime:
        """The last wall-clock minute strictly before ``moment`` that the schedule fires at."""
        floor = moment.replace(second=0, microsecond=0)
        current = floor if floor < moment else floor - _MINUTE
        limit = moment.year - _SEARCH_LIMIT_YEARS
        while current.year >= limit:
            if not self.matches_day(current):
                current = current.replace(hour=23, minute=59) - timedelta(days=1)
                continue
            if current.hour not in self._hour_set:
                earlier = [h for h in self.hours if h < current.hour]
                if earlier:
                    current = current.replace(hour=earlier[-1], minute=self.minutes[-1])
                else:
                    current = current.replace(hour=23, minute=59) - timedelta(days=1)
                continue
            earlier_minutes = [m for m in self.minutes if m <= current.minute]
            if earlier_minutes:
                return current.replace(minute=earlier_minutes[-1])
            current = current.replace(minute=59) - timedelta(hours=1)
        raise CronError(f"cron schedule {self.expression!r} never fires")


def parse_cron(expression: str) -> CronSchedule:
    """Parse a five-field cron string (``*``, lists, ranges, steps, month and day names).

    Raises:
        CronError: the string does not parse or never fires; the message names the field.
    """
    parts = expression.split()
    if len(parts) != 5:
        raise CronError(
            f"cron schedule {expression!r} has {len(parts)} fields; expected 5 "
            "(minute hour day-of-month month day-of-week)"
        )
    values = [
        _parse_field(part, name, low, high, names, expression)
        for part, (name, low, high, names) in zip(parts, _FIELDS, strict=True)
    ]
    weekdays = frozenset(v % 7 for v in values[4])
    schedule = CronSchedule(
        expression=expression,
        minutes=tuple(sorted(values[0])),
        hours=tuple(sorted(values[1])),
        days=frozenset(values[2]),
        months=frozenset(values[3]),
        weekdays=weekdays,
        days_restricted=not parts[2].startswith("*"),
        weekdays_restricted=not parts[4].startswith("*"),
    )
    schedule.next_after(datetime(2000, 1, 1))  # raises when it never fires
    return schedule


def _parse_field(
    text: str, name: str, low: int, high: int, names: dict[str, int], expression: str
) -> set[int]:
    allowed: set[int] = set()
    for item in text.split(","):
        base, _, step_text = item.partition("/")
        try:
            step = int(step_text) if step_text else 1
            if base == "*":
                start, stop = low, high
            elif "-" in base:
                first, _, last = base.partition("-")
                start, stop = _value(first, names), _value(last, names)
            else:
                start = _value(base, names)
                stop = high if step_text else start
        except ValueError:
            raise CronError(
                f"cron schedule {expression!r}: {name} field {text!r} does not parse"
            ) from None
        if not (low <= start <= stop <= high) or step < 1:
            raise CronError(
                f"cron schedule {expression!r}: {name} field {text!r} is outside {low}-{high}"
            )
        allowed.update(range(start, stop + 1, step))
    return allowed


def _value(text: str, names: dict[str, int]) -> int:
    lowered = text.lower()
    if lowered in names:
        return names[lowered]
    return int(text)
