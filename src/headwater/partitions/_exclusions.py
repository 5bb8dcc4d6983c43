"""Windows left out of a time-window partitions definition (``exclusions=``).

An exclusion is a cron string (every window starting on one of its ticks is left out, e.g.
``"0 0 * * 6"`` for Saturdays) or a datetime (the window starting then is left out). A
datetime is read as wall-clock time in the definition's time zone: its own ``tzinfo``, if
any, is replaced, not converted, so ``datetime(2024, 12, 25)`` means Christmas day wherever
the partitions live.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone, tzinfo

from headwater.errors import InvalidDefinitionError
from headwater.partitions._cron import CronError, parse_cron
from headwater.partitions._ticks import Ticks

__all__ = ["Exclusions"]


class Exclusions:
    """The exclusions of one definition, checked once when it is built.

    Attributes:
        values: the exclusions as given (cron strings, and datetimes in the time zone).
    """

    def __init__(
        self, exclusions: Sequence[str | datetime] | None, zone: tzinfo, subject: str
    ) -> None:
        if isinstance(exclusions, str | datetime):
            raise InvalidDefinitionError(
                f"{subject}: exclusions must be a list of cron strings and datetimes, got a "
                f"single {type(exclusions).__name__}; wrap it in a list"
            )
        values: list[str | datetime] = []
        self._instants: set[datetime] = set()
        self._ticks: list[Ticks] = []
        invalid: list[str] = []
        for item in exclusions or ():
            if isinstance(item, datetime):
                local = item.replace(tzinfo=zone)
                values.append(local)
                self._instants.add(local.astimezone(timezone.utc))
            elif isinstance(item, str):
                try:
                    self._ticks.append(Ticks(parse_cron(item), zone))
                except CronError:
                    invalid.append(repr(item))
                    continue
                values.append(item)
            else:
                raise InvalidDefinitionError(
                    f"{subject}: exclusion {item!r} is a {type(item).__name__}; give cron "
                    "strings (like '0 0 * * 6') and datetimes"
                )
        if invalid:
            raise InvalidDefinitionError(
                f"{subject}: invalid cron schedule(s) {', '.join(invalid)} in exclusions; "
                "give cron strings (like '0 0 * * 6') and datetimes"
            )
        self.values = tuple(values)

    def __bool__(self) -> bool:
        return bool(self.values)

    def excludes(self, start: datetime) -> bool:
        """Whether the window starting at ``start`` (an aware UTC datetime) is left out."""
        if start in self._instants:
            return True
        return any(ticks.at_or_after(start) == start for ticks in self._ticks)

    def identity(self) -> tuple[object, ...]:
        """What makes two definitions' exclusions the same, for equality."""
        crons = sorted(v for v in self.values if isinstance(v, str))
        return (tuple(crons), tuple(sorted(self._instants)))
