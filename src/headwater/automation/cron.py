"""Cron strings: validation that names the bad field, and execution times in a timezone.

croniter is the authority on what parses; this module only explains *why* a string does not,
field by field, and turns croniter's iteration into timezone-aware datetimes.
"""

from __future__ import annotations

import re
import threading
import zoneinfo
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone, tzinfo
from typing import Any, NamedTuple

from headwater.errors import InvalidDefinitionError

__all__ = [
    "CRON_ALIASES",
    "cron_problem",
    "iter_execution_times",
    "next_execution_time",
    "previous_execution_time",
    "resolve_timezone",
    "validate_cron_schedule",
]

CRON_ALIASES = ("@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually")


class _Field(NamedTuple):
    name: str
    low: int
    high: int
    names: str  # "" or the accepted names, e.g. "JAN-DEC"
    example: str


_FIELDS = (
    _Field("minute", 0, 59, "", "*/15"),
    _Field("hour", 0, 23, "", "9-17"),
    _Field("day-of-month", 1, 31, "", "1,15"),
    _Field("month", 1, 12, "JAN-DEC", "1-6"),
    _Field("day-of-week", 0, 7, "SUN-SAT", "MON-FRI"),
)
_NUMBER = re.compile(r"\d+")


def _range_text(field: _Field) -> str:
    text = f"{field.low}-{field.high}"
    if field.name == "day-of-week":
        text += " (0 and 7 are Sunday)"
    return f"{text} or {field.names}" if field.names else text


def _field_problem(field: _Field, text: str) -> str:
    """Why ``text`` is not valid in ``field`` (croniter already said it is not)."""
    for item in text.split(","):
        base, _, step = item.partition("/")
        if step and not step.isdigit():
            return f'{field.name} field "{text}" has step "{step}", which must be a number'
        if step and int(step) == 0:
            return f'{field.name} field "{text}" has step "0", which must be at least 1'
        # Strip the day-of-week "#n" (nth weekday) suffix: n is not a day.
        numbers = [int(n) for n in _NUMBER.findall(base.partition("#")[0])]
        if any(not field.low <= n <= field.high for n in numbers):
            return f'{field.name} field "{text}" must be {_range_text(field)}'
    return (
        f'{field.name} field "{text}" is not valid: use numbers {_range_text(field)}, '
        f'"*", ranges, steps and lists (e.g. "{field.example}")'
    )


def _is_valid(expression: str) -> bool:
    # Deferred: croniter (and dateutil) load only when a schedule is defined, not with
    # headwater.automation, which Definitions imports.
    from croniter import croniter

    return bool(croniter.is_valid(expression))


def cron_problem(cron_string: str) -> str | None:
    """Why ``cron_string`` is not a valid 5-field cron string, or ``None`` when it is.

    Args:
        cron_string: e.g. ``"0 2 * * MON-FRI"`` or ``"@daily"``.

    Returns:
        A phrase naming the bad field and what it accepts
        (``hour field "25" must be 0-23``), or ``None``.
    """
    text = cron_string.strip()
    if text.lower() in CRON_ALIASES:
        return None
    parts = text.split()
    if len(parts) != len(_FIELDS):
        return (
            f"it has {len(parts)} field(s); a cron string has 5 (minute hour day-of-month "
            f"month day-of-week) or is one of {', '.join(CRON_ALIASES)}"
        )
    bad = []
    for i, field in enumerate(_FIELDS):
        alone = ["*"] * len(_FIELDS)
        alone[i] = parts[i]
        if not _is_valid(" ".join(alone)):
            bad.append(_field_problem(field, parts[i]))
    if bad:
        return "; ".join(bad)
    if not _is_valid(text):
        return "its fields do not combine into a valid schedule"
    return _never_fires(text, parts)


def _never_fires(text: str, parts: list[str]) -> str | None:
    from croniter import CroniterBadDateError, croniter  # deferred, see _is_valid

    try:
        croniter(text, datetime(2000, 1, 1, tzinfo=timezone.utc)).get_next(datetime)
    except CroniterBadDateError:
        return f'it never fires: no date has day-of-month "{parts[2]}" in month "{parts[3]}"'
    return None


def validate_cron_schedule(cron_schedule: str | Sequence[str], *, subject: str) -> tuple[str, ...]:
    """Check one cron string or a list of them; return them as a tuple.

    Args:
        cron_schedule: a cron string, or several whose execution times are merged.
        subject: who owns it, for messages (``"schedule 'nightly'"``).

    Raises:
        InvalidDefinitionError: a string does not parse; the message names ``subject``, the
            string and the bad field: ``schedule 'nightly': cron string "0 25 * * *" is
            not valid: hour field "25" must be 0-23``.
    """
    strings = (cron_schedule,) if isinstance(cron_schedule, str) else tuple(cron_schedule)
    if not strings:
        raise InvalidDefinitionError(
            f"{subject}: cron_schedule is an empty list; give at least one cron string"
        )
    for value in strings:
        if not isinstance(value, str):
            raise InvalidDefinitionError(
                f"{subject}: cron_schedule must be a string or a list of strings, "
                f"got {type(value).__name__} {value!r}"
            )
        problem = cron_problem(value)
        if problem is not None:
            raise InvalidDefinitionError(
                f'{subject}: cron string "{value}" is not valid: {problem}'
            )
    return strings


def resolve_timezone(name: str | None, *, subject: str) -> tzinfo:
    """The timezone a schedule runs in: ``name`` (IANA), or UTC when ``None``.

    Raises:
        InvalidDefinitionError: ``name`` is not a known IANA timezone.
    """
    if name is None:
        return timezone.utc
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidDefinitionError(
            f'{subject}: execution_timezone "{name}" is not a known IANA timezone; '
            'use a name like "UTC", "Europe/Paris" or "America/New_York"'
        ) from None


def _aware(moment: datetime, tz: tzinfo) -> datetime:
    """``moment`` in ``tz``; a naive datetime is read as a time in ``tz``."""
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)


def _hour_field(cron_string: str) -> str:
    text = cron_string.strip().lower()
    if text in CRON_ALIASES:
        return "*" if text == "@hourly" else "0"
    return text.split()[1]


def _is_repeat(moment: datetime) -> bool:
    """Whether ``moment`` is the second pass of a wall-clock time repeated by a fall-back.

    croniter sets ``fold=1`` on times that are not ambiguous too, so compare the offsets.
    """
    return moment.fold == 1 and moment.replace(fold=0).utcoffset() != moment.utcoffset()


# Parsed cron strings, per thread (an iterator is moved by each use): parsing costs ten times
# more than finding the next time, and the daemon asks for the same strings every pass.
_PARSED = threading.local()


def _iterator(cron_string: str, start: datetime) -> Any:
    from croniter import croniter  # deferred, see _is_valid

    cache: dict[str, Any] | None = getattr(_PARSED, "iterators", None)
    if cache is None:
        cache = _PARSED.iterators = {}
    it = cache.get(cron_string)
    if it is None:
        if len(cache) >= 1024:
            cache.clear()
        it = cache[cron_string] = croniter(cron_string, start)
    else:
        it.set_current(start, force=True)  # takes the start's timezone too
    return it


def _one_next(cron_string: str, start: datetime, *, forward: bool) -> datetime:
    it = _iterator(cron_string, start)
    # When clocks fall back an hour repeats. A schedule at fixed hours runs at the first of
    # the two (as the reference does); only an every-hour schedule runs in both.
    every_hour = _hour_field(cron_string) == "*"
    while True:
        found: datetime = it.get_next(datetime) if forward else it.get_prev(datetime)
        if not _is_repeat(found):
            return found.replace(fold=0)
        if every_hour:
            return found
        if not forward:
            return found.replace(fold=0)  # going back, the first pass is the one that ran


def _instant(moment: datetime) -> float:
    # Aware datetimes sharing a tzinfo compare by wall clock, ignoring fold; compare the
    # real instants instead.
    return moment.timestamp()


def next_execution_time(
    cron_strings: Sequence[str], after: datetime, tz: tzinfo = timezone.utc
) -> datetime:
    """The first execution time strictly after ``after``, in ``tz``.

    Args:
        cron_strings: one or more valid cron strings (their times are merged).
        after: a datetime; naive means a wall-clock time in ``tz``.
        tz: the schedule's timezone.
    """
    start = _aware(after, tz)
    return min((_one_next(c, start, forward=True) for c in cron_strings), key=_instant)


def previous_execution_time(
    cron_strings: Sequence[str], before: datetime, tz: tzinfo = timezone.utc
) -> datetime:
    """The last execution time strictly before ``before``, in ``tz`` (see ``next_...``)."""
    start = _aware(before, tz)
    return max((_one_next(c, start, forward=False) for c in cron_strings), key=_instant)


def iter_execution_times(
    cron_strings: Sequence[str], after: datetime, tz: tzinfo = timezone.utc
) -> Iterator[datetime]:
    """Every execution time strictly after ``after``, ascending, without repeats (endless).

    Args:
        cron_strings: one or more valid cron strings (their times are merged).
        after: a datetime; naive means a wall-clock time in ``tz``.
        tz: the schedule's timezone.
    """
    current = _aware(after, tz)
    while True:
        current = next_execution_time(cron_strings, current, tz)
        yield current
