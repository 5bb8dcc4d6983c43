"""The instants a cron schedule fires at in one time zone, DST included.

Cron fields describe wall-clock time. Around DST changes a wall-clock minute may not exist
(spring forward) or may happen twice (fall back). The rules follow the reference:

* a schedule that fires every hour fires at both occurrences of a repeated hour, and skips
  the hour that does not exist;
* any other schedule fires once at a repeated time (its later occurrence), and a time that
  does not exist moves to the end of the gap (02:30 on a spring-forward day fires at 03:00).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from headwater.errors import InvalidDefinitionError
from headwater.partitions._cron import CronSchedule

__all__ = ["Ticks", "zone_named"]

_UTC = timezone.utc
_SECOND = timedelta(seconds=1)
# Wider than any DST shift in the tz database (2 h), so that candidates from repeated hours
# on either side of a moment are seen.
_MARGIN = timedelta(hours=3)


class Ticks:
    """Step through the instants ``cron`` fires at in ``tz``.

    Every instant returned is in UTC. Aware datetimes that share a ``ZoneInfo`` compare and
    subtract by wall clock (the two 01:00s of a fall-back night are equal), so arithmetic
    and comparisons stay in UTC; :meth:`local` is for display and formatting only.
    """

    __slots__ = ("_cron", "_fixed", "_tz")

    def __init__(self, cron: CronSchedule, tz: tzinfo) -> None:
        self._cron = cron
        self._tz = tz
        self._fixed = tz is _UTC

    def local(self, moment: datetime) -> datetime:
        """``moment`` in the schedule's time zone."""
        return moment.astimezone(self._tz)

    def next_after(self, moment: datetime) -> datetime:
        """The first firing strictly after ``moment``."""
        wall = self._wall(moment)
        candidate = self._cron.next_after(wall)
        if self._fixed or (self._is_plain(wall) and self._is_plain(candidate)):
            return candidate.replace(tzinfo=self._tz).astimezone(_UTC)
        return self._search(moment, forward=True)

    def prev_before(self, moment: datetime) -> datetime:
        """The last firing strictly before ``moment``."""
        wall = self._wall(moment)
        candidate = self._cron.prev_before(wall)
        if self._fixed or (self._is_plain(wall) and self._is_plain(candidate)):
            return candidate.replace(tzinfo=self._tz).astimezone(_UTC)
        return self._search(moment, forward=False)

    def at_or_after(self, moment: datetime) -> datetime:
        """The first firing at or after ``moment``."""
        return self.next_after(moment.astimezone(_UTC) - _SECOND)

    def at_or_before(self, moment: datetime) -> datetime:
        """The last firing at or before ``moment``."""
        return self.prev_before(moment.astimezone(_UTC) + _SECOND)

    def shift(self, moment: datetime, count: int) -> datetime:
        """The firing ``count`` steps after (or, negative, before) the firing ``moment``."""
        for _ in range(abs(count)):
            moment = self.next_after(moment) if count > 0 else self.prev_before(moment)
        return moment

    def is_repeated(self, moment: datetime) -> bool:
        """Whether ``moment`` is the second firing at a wall-clock time (fall back)."""
        local = self.local(moment)
        if self._fixed or local.fold == 0 or self._is_plain(local.replace(tzinfo=None)):
            return False
        return self._cron.fires_every_hour and self._cron.matches(local)

    # internals -------------------------------------------------------------------------

    def _wall(self, moment: datetime) -> datetime:
        return moment.astimezone(self._tz).replace(tzinfo=None)

    def _is_plain(self, wall: datetime) -> bool:
        """Whether a wall-clock time happens exactly once (neither in a gap nor a fold)."""
        first = wall.replace(tzinfo=self._tz, fold=0).utcoffset()
        second = wall.replace(tzinfo=self._tz, fold=1).utcoffset()
        return first == second

    def _instants(self, wall: datetime) -> list[datetime]:
        """The instants at which the schedule fires for one matching wall-clock minute."""
        if self._is_plain(wall):
            return [wall.replace(tzinfo=self._tz)]
        earlier = wall.replace(tzinfo=self._tz, fold=0)
        later = wall.replace(tzinfo=self._tz, fold=1)
        if earlier.astimezone(_UTC) < later.astimezone(_UTC):  # a repeated time (fold)
            return [earlier, later] if self._cron.fires_every_hour else [later]
        if self._cron.fires_every_hour:  # a skipped time (gap)
            return []
        return [self._gap_end(later.astimezone(_UTC), earlier.astimezone(_UTC))]

    def _gap_end(self, low: datetime, high: datetime) -> datetime:
        """The instant clocks jump forward, between ``low`` and ``high`` (UTC)."""
        after_offset = high.astimezone(self._tz).utcoffset()
        while high - low > _SECOND:
            middle = low + (high - low) / 2
            if middle.astimezone(self._tz).utcoffset() == after_offset:
                high = middle
            else:
                low = middle
        return high.replace(microsecond=0)

    def _search(self, moment: datetime, *, forward: bool) -> datetime:
        # Near a DST change wall-clock order and real order disagree: gather the instants of
        # nearby matching minutes and take the closest one on the wanted side.
        instant = moment.astimezone(_UTC)
        wall = self._wall(moment)
        step = self._cron.next_after if forward else self._cron.prev_before
        candidate = step(wall - _MARGIN if forward else wall + _MARGIN)
        best: datetime | None = None
        while best is None or abs(candidate - self._wall(best)) <= _MARGIN:
            for option in self._instants(candidate):
                utc = option.astimezone(_UTC)
                if (utc > instant) if forward else (utc < instant):
                    closer = best is None or ((utc < best) if forward else (utc > best))
                    best = utc if closer else best
            candidate = step(candidate)
        return best


def zone_named(name: str, subject: str) -> tzinfo:
    """The time zone with that IANA name (``UTC`` is the fixed ``timezone.utc``).

    Raises:
        InvalidDefinitionError: no such zone; the message names ``subject``.
    """
    if name == "UTC":
        return _UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidDefinitionError(
            f"{subject}: unknown timezone {name!r}; use an IANA name such as "
            "'America/New_York', or 'UTC'"
        ) from None
