"""Partitions that are windows of time: one per tick of a cron schedule in a time zone."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from typing import NamedTuple

from headwater.errors import InvalidDefinitionError
from headwater.partitions._cron import CronError, parse_cron
from headwater.partitions._exclusions import Exclusions
from headwater.partitions._ticks import Ticks, zone_named
from headwater.partitions.definition import (
    NEAREST_COUNT,
    DynamicPartitionsStore,
    PartitionKeyRange,
    PartitionsDefinition,
    UnknownPartitionError,
    nearest_keys_by_spelling,
)
from headwater.partitions.loading import effective_dt
from headwater.partitions.schedule_type import ScheduleType, cron_for_schedule_type, default_fmt

__all__ = ["TimeWindow", "TimeWindowPartitionsDefinition"]

# Spelling suggestions for a key that does not parse scan at most this many keys.
_SPELLING_SCAN_LIMIT = 5000
_CRON_FOR_TYPE = {
    "0 * * * *": ScheduleType.HOURLY,
    "0 0 * * *": ScheduleType.DAILY,
    "0 0 * * 0": ScheduleType.WEEKLY,
    "0 0 1 * *": ScheduleType.MONTHLY,
}


class TimeWindow(NamedTuple):
    """A span of time, ``start`` included and ``end`` excluded (aware datetimes)."""

    start: datetime
    end: datetime


class TimeWindowPartitionsDefinition(PartitionsDefinition):
    """One partition per tick of a cron schedule: the window from a tick to the next.

    The last partition is the last window that has ended by ``current_time``, moved by
    ``end_offset`` windows (1 adds the window in progress). ``end`` is exclusive: windows
    that end after it do not exist. Keys are the window starts formatted with ``fmt`` in
    ``timezone``; the second occurrence of a repeated hour (DST fall back) gets its UTC
    offset appended (``2024-11-03-01:00-0500``), as in the reference.

    Args:
        start: the first window starts at the first tick at or after this (a string in
            ``fmt``, or ISO 8601, or a datetime).
        fmt: the key format, e.g. ``%Y-%m-%d`` (``DailyPartitionsDefinition`` and the other
            calendar classes choose one for you).
        end: no window ends after this moment.
        schedule_type: a granularity, with the offsets below, instead of ``cron_schedule``.
        timezone: an IANA time zone name; ``UTC`` by default.
        end_offset: windows to add after (or remove before) the last ended window.
        minute_offset: minute of the hour windows start at (with ``schedule_type``).
        hour_offset: hour of the day windows start at (with ``schedule_type``).
        day_offset: weekday (0 = Sunday) or day of month windows start at.
        cron_schedule: when windows start, e.g. ``"0 0 * * 1-5"`` for weekdays.
        exclusions: windows to leave out: cron strings (every window starting on one of
            their ticks, ``"0 0 * * 6"`` for Saturdays) and datetimes (the window starting
            then, read in ``timezone``). The other windows keep their bounds.

    Raises:
        InvalidDefinitionError: the schedule, start, end or time zone is invalid.

    Example:
        ``TimeWindowPartitionsDefinition(start="2024-01-01", fmt="%Y-%m-%d",
        cron_schedule="0 0 * * 1-5", timezone="Europe/Paris")``
    """

    def __init__(
        self,
        start: datetime | str,
        fmt: str,
        end: datetime | str | None = None,
        schedule_type: ScheduleType | None = None,
        timezone: str | None = None,
        end_offset: int = 0,
        minute_offset: int | None = None,
        hour_offset: int | None = None,
        day_offset: int | None = None,
        cron_schedule: str | None = None,
        exclusions: Sequence[str | datetime] | None = None,
    ) -> None:
        subject = type(self).__name__
        if (cron_schedule is None) == (schedule_type is None):
            raise InvalidDefinitionError(
                f"{subject}: give exactly one of cron_schedule and schedule_type"
            )
        if schedule_type is not None:
            cron_schedule = cron_for_schedule_type(
                ScheduleType(schedule_type),
                minute_offset=minute_offset or 0,
                hour_offset=hour_offset or 0,
                day_offset=day_offset,
                subject=subject,
            )
        assert cron_schedule is not None  # one of the two was given, checked above
        try:
            cron = parse_cron(cron_schedule)
        except CronError as exc:
            raise InvalidDefinitionError(f"{subject}: {exc}") from None
        self.cron_schedule = cron_schedule
        self.schedule_type = schedule_type or _CRON_FOR_TYPE.get(cron_schedule)
        self.fmt = fmt or default_fmt(self.schedule_type)
        self.timezone = timezone or "UTC"
        self.end_offset = end_offset
        self.minute_offset = minute_offset
        self.hour_offset = hour_offset
        self.day_offset = day_offset
        self._tz = zone_named(self.timezone, subject)
        self._ticks = Ticks(cron, self._tz)
        self._exclusions = Exclusions(exclusions, self._tz, subject)
        # Kept in UTC for arithmetic and comparisons (see _ticks.Ticks); shown in the zone.
        self._start_utc = self._to_utc(start, "start", subject)
        self._end_utc = None if end is None else self._to_utc(end, "end", subject)
        self._first = self._ticks.at_or_after(self._start_utc)

    @property
    def start(self) -> datetime:
        """The ``start`` given, in the definition's time zone."""
        return self._ticks.local(self._start_utc)

    @property
    def end(self) -> datetime | None:
        """The ``end`` given (exclusive), in the definition's time zone, or ``None``."""
        return None if self._end_utc is None else self._ticks.local(self._end_utc)

    @property
    def exclusions(self) -> list[str | datetime] | None:
        """The excluded cron strings and window starts (in the time zone), or ``None``."""
        return list(self._exclusions.values) or None

    def is_window_start_excluded(self, window_start: datetime) -> bool:
        """Whether the window starting at ``window_start`` is left out by ``exclusions``."""
        return self._exclusions.excludes(self._utc(window_start))

    def get_last_partition_window_ignoring_exclusions(
        self, current_time: datetime | None = None
    ) -> TimeWindow | None:
        """The last window at ``current_time`` (now) as if nothing were excluded."""
        last = self._last_start(current_time)
        if last is None:
            return None
        return TimeWindow(self._ticks.local(last), self._ticks.local(self._ticks.next_after(last)))

    # keys --------------------------------------------------------------------------------

    def get_partition_keys(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Sequence[str]:
        """Every key, oldest first, of the windows that exist at ``current_time`` (now)."""
        last = self._last_start(current_time)
        return [] if last is None else [self._key(t) for t in self._starts(self._first, last)]

    def has_partition_key(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> bool:
        """Whether the key names an existing window (exactly as it would be formatted) that
        is not excluded."""
        start = self._parse(partition_key)
        return (
            start is not None
            and self._within(start, current_time)
            and not self._exclusions.excludes(start)
        )

    def get_partition_keys_in_range(
        self,
        partition_key_range: PartitionKeyRange,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Sequence[str]:
        """The keys from ``start`` to ``end`` inclusive (empty when ``end`` comes first);
        excluded windows are left out, and may be the range's ends.

        Raises:
            UnknownPartitionError: an end of the range is not a window of this definition.
        """
        bounds = []
        for key in (partition_key_range.start, partition_key_range.end):
            start = self._parse(key)
            if start is None or not self._within(start, current_time):
                raise self.unknown_key_error(key, current_time)
            bounds.append(start)
        return [self._key(t) for t in self._starts(bounds[0], bounds[1])]

    def unknown_key_error(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> UnknownPartitionError:
        """The error for a key that is not here: its neighbours in time, or, when it does
        not parse, the keys spelled like it and the expected format."""
        last = self._last_start(current_time)
        moment = self._parse_loose(partition_key)
        if last is None:
            nearest: list[str] = []
        elif moment is None:
            limit = self._ticks.shift(self._first, _SPELLING_SCAN_LIMIT)
            keys = [self._key(t) for t in self._starts(self._first, min(last, limit))]
            nearest = nearest_keys_by_spelling(partition_key, keys)
        else:
            nearest = [self._key(t) for t in self._neighbours(moment, last)]
        hint = ""
        if moment is None:
            example = self._key(self._first)
            hint = f"keys have the format {self.fmt!r}, like {example!r}"
        return UnknownPartitionError.build(partition_key, self.describe(), nearest, hint=hint)

    # windows -----------------------------------------------------------------------------

    def time_window_for_partition_key(self, partition_key: str) -> TimeWindow:
        """The window a key names (whether or not it exists yet at the current time); an
        excluded key names the next window that is not excluded.

        Raises:
            UnknownPartitionError: the key is not a window start formatted with ``fmt``.
        """
        start = self._parse(partition_key)
        if start is None:
            raise self.unknown_key_error(partition_key)
        # An excluded key names the first window after it that is not excluded.
        while self._exclusions.excludes(start):
            start = self._ticks.next_after(start)
        return TimeWindow(
            self._ticks.local(start), self._ticks.local(self._ticks.next_after(start))
        )

    def start_time_for_partition_key(self, partition_key: str) -> datetime:
        """When the key's window starts (see :meth:`time_window_for_partition_key`)."""
        return self.time_window_for_partition_key(partition_key).start

    def end_time_for_partition_key(self, partition_key: str) -> datetime:
        """When the key's window ends (see :meth:`time_window_for_partition_key`)."""
        return self.time_window_for_partition_key(partition_key).end

    def time_window_for_partition_key_range(
        self, partition_key_range: PartitionKeyRange
    ) -> TimeWindow:
        """From the start of the range's first window to the end of its last."""
        first = self.time_window_for_partition_key(partition_key_range.start)
        last = self.time_window_for_partition_key(partition_key_range.end)
        return TimeWindow(first.start, last.end)

    def get_partition_keys_in_time_window(
        self, time_window: TimeWindow, current_time: datetime | None = None
    ) -> Sequence[str]:
        """The existing keys whose windows start within ``time_window``."""
        last = self._last_start(current_time)
        if last is None:
            return []
        start = max(self._ticks.at_or_after(time_window.start), self._first)
        end = time_window.end.astimezone(timezone.utc)
        return [self._key(t) for t in _until(self._starts(start, last), end)]

    def get_partition_key_range_for_time_window(
        self, time_window: TimeWindow, current_time: datetime | None = None
    ) -> PartitionKeyRange | None:
        """The range of existing keys whose windows start within ``time_window``, if any."""
        keys = self.get_partition_keys_in_time_window(time_window, current_time)
        return PartitionKeyRange(keys[0], keys[-1]) if keys else None

    def get_partition_key_for_time(self, moment: datetime) -> str:
        """The key of the window holding ``moment`` (existing or not); for a moment in an
        excluded window, the key of the last window before it that is not excluded."""
        start = self._ticks.at_or_before(self._utc(moment))
        while self._exclusions.excludes(start) and start > self._first:
            start = self._ticks.prev_before(start)
        return self._key(start)

    def get_partition_key_for_timestamp(self, timestamp: float, end_closed: bool = False) -> str:
        """The key of the window holding the moment ``timestamp`` (seconds since the epoch)."""
        return self.get_partition_key_for_time(datetime.fromtimestamp(timestamp, timezone.utc))

    def get_partition_keys_overlapping(self, time_window: TimeWindow) -> list[str]:
        """Keys of every window overlapping ``time_window``, existing or not (for mappings)."""
        ticks = self._starts(self._ticks.at_or_before(time_window.start), None)
        return [self._key(t) for t in _until(ticks, time_window.end.astimezone(timezone.utc))]

    def get_shifted_time_window(
        self, partition_key: str, start_offset: int, end_offset: int
    ) -> TimeWindow:
        """From the start of the window ``start_offset`` windows from the key's to the end of
        the window ``end_offset`` windows from it (for mappings; bounds are not checked)."""
        start = self.time_window_for_partition_key(partition_key).start.astimezone(timezone.utc)
        first = self._ticks.shift(start, start_offset)
        last = self._ticks.next_after(self._ticks.shift(start, end_offset))
        return TimeWindow(self._ticks.local(first), self._ticks.local(last))

    def get_next_partition_key(self, partition_key: str) -> str | None:
        """The key after this one (excluded windows skipped), or ``None`` at the end
        (``end`` only; time is ignored)."""
        start = self.time_window_for_partition_key(partition_key).end.astimezone(timezone.utc)
        while True:
            if self._end_utc is not None and self._ticks.next_after(start) > self._end_utc:
                return None
            if not self._exclusions.excludes(start):
                return self._key(start)
            start = self._ticks.next_after(start)

    # description -------------------------------------------------------------------------

    def get_cron_schedule(
        self,
        minute_of_hour: int | None = None,
        hour_of_day: int | None = None,
        day_of_week: int | None = None,
        day_of_month: int | None = None,
    ) -> str:
        """The cron string of the window starts, with the given fields replaced.

        ``build_schedule_from_partitioned_job`` uses it to run a job once per window.
        """
        fields = self.cron_schedule.split()
        if len(fields) != 5:
            return self.cron_schedule
        for index, value in (
            (0, minute_of_hour),
            (1, hour_of_day),
            (2, day_of_month),
            (4, day_of_week),
        ):
            if value is not None:
                fields[index] = str(value)
        return " ".join(fields)

    def describe(self) -> str:
        """``daily partitions starting 2024-01-01 (UTC)``; the end is named when set."""
        kind = (
            f"{self.schedule_type.value.lower()} partitions"
            if self.schedule_type is not None
            else f"partitions on cron schedule {self.cron_schedule!r}"
        )
        text = f"{kind} starting {self._key(self._first)} ({self.timezone})"
        if self.end is not None:
            text += f" and ending before {self.end.strftime(self.fmt)}"
        return text

    def _identity(self) -> tuple[object, ...]:
        return (
            self._start_utc,
            self._end_utc,
            self.timezone,
            self.fmt,
            self.end_offset,
            self.cron_schedule,
            self._exclusions.identity(),
        )

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, TimeWindowPartitionsDefinition)
            and self._identity() == other._identity()
        )

    def __hash__(self) -> int:
        return hash((TimeWindowPartitionsDefinition, *self._identity()))

    def __repr__(self) -> str:
        end = None if self.end is None else self.end.isoformat()
        return (
            f"{type(self).__name__}(start={self.start.isoformat()!r}, end={end!r}, "
            f"timezone={self.timezone!r}, fmt={self.fmt!r}, end_offset={self.end_offset}, "
            f"cron_schedule={self.cron_schedule!r}"
            + (f", exclusions={self.exclusions!r})" if self._exclusions else ")")
        )

    def __str__(self) -> str:
        return self.describe()

    # internals ---------------------------------------------------------------------------

    def _key(self, start: datetime) -> str:
        local = self._ticks.local(start)
        key = local.strftime(self.fmt)
        return key + local.strftime("%z") if self._ticks.is_repeated(start) else key

    def _parse(self, key: str) -> datetime | None:
        """The start of the window the key names, when the key is exactly its key."""
        moment = self._parse_loose(key)
        if moment is None:
            return None
        start = self._ticks.at_or_after(moment)
        return start if self._key(start) == key else None

    def _parse_loose(self, key: str) -> datetime | None:
        """The moment the key's text names, on the schedule or not."""
        for fmt in (self.fmt, self.fmt + "%z"):
            try:
                parsed = datetime.strptime(key, fmt)
            except ValueError:
                continue
            return self._utc(parsed)
        return None

    def _within(self, start: datetime, current_time: datetime | None) -> bool:
        """Whether a window start lies between the first and the last window (exclusions
        aside)."""
        last = self._last_start(current_time)
        return start >= self._first and last is not None and start <= last

    def _last_start(self, current_time: datetime | None) -> datetime | None:
        now = self._utc(effective_dt(current_time))
        in_progress = self._ticks.at_or_before(now)
        last = self._ticks.shift(in_progress, self.end_offset - 1)
        if self._end_utc is not None:
            last = min(last, self._ticks.prev_before(self._ticks.at_or_before(self._end_utc)))
        return None if last < self._first else last

    def _starts(self, first: datetime, last: datetime | None) -> Iterator[datetime]:
        """Window starts from ``first`` to ``last`` (open-ended when ``None``), exclusions
        left out."""
        current = first
        while last is None or current <= last:
            if not self._exclusions.excludes(current):
                yield current
            current = self._ticks.next_after(current)

    def _neighbours(self, moment: datetime, last: datetime) -> list[datetime]:
        if moment <= self._first:
            return list(_take(self._starts(self._first, last), NEAREST_COUNT))
        if moment >= last:
            starts = [last]
            while len(starts) < NEAREST_COUNT and starts[0] > self._first:
                starts.insert(0, self._ticks.prev_before(starts[0]))
            return starts
        before = self._ticks.at_or_before(moment)
        if before == moment:  # a key of an existing window in another spelling
            return [before]
        return [before, self._ticks.next_after(before)]

    def _utc(self, moment: datetime) -> datetime:
        # Naive datetimes are read in the definition's time zone.
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=self._tz)
        return aware.astimezone(timezone.utc)

    def _to_utc(self, value: datetime | str, name: str, subject: str) -> datetime:
        if isinstance(value, datetime):
            return self._utc(value)
        moment = self._parse_loose(value)
        if moment is None:
            try:
                moment = self._utc(datetime.fromisoformat(value))
            except ValueError:
                example = datetime(2024, 1, 1).strftime(self.fmt)
                raise InvalidDefinitionError(
                    f"{subject}: {name} {value!r} does not match the format {self.fmt!r} "
                    f"(nor ISO 8601); write it like {example!r}"
                ) from None
        return moment


def _until(starts: Iterator[datetime], end: datetime) -> Iterator[datetime]:
    for start in starts:
        if start >= end:
            return
        yield start


def _take(starts: Iterator[datetime], count: int) -> Iterator[datetime]:
    for _, start in zip(range(count), starts, strict=False):
        yield start
