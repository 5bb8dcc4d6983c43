"""Freshness policies: how recently an asset is expected to have been updated.

``FreshnessPolicy.time_window(...)`` and ``FreshnessPolicy.cron(...)`` build the two kinds;
``apply_freshness_policy`` (in ``spec.py``) attaches one to an ``AssetSpec``.
``LegacyFreshnessPolicy`` is the older, deprecated declaration (a maximum lag in minutes),
kept so that code using it loads.
The policies are values: they are stored on specs and read by whoever evaluates them.
"""

from __future__ import annotations

import warnings
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from headwater._dataclass import dataclass
from headwater.errors import InvalidDefinitionError

__all__ = [
    "CronFreshnessPolicy",
    "FreshnessPolicy",
    "LegacyFreshnessPolicy",
    "TimeWindowFreshnessPolicy",
    "check_freshness_policy",
    "check_legacy_freshness_policy",
    "is_valid_cron_string",
    "timezone_named",
]

_MINUTE = timedelta(minutes=1)
# How many consecutive ticks (at most) and how far ahead to look for a cron string's
# shortest interval: enough to see every month length, leap day and DST change.
_SAMPLE_TICKS = 1000
_SAMPLE_YEARS = 20


def is_valid_cron_string(cron_string: str) -> bool:
    """Whether ``cron_string`` is a five-field cron string that fires on some date."""
    # Deferred: croniter loads only when a cron-based policy or check is defined.
    from croniter import croniter

    text: object = cron_string  # user input: not always the str the annotation says
    if not isinstance(text, str) or not croniter.is_valid(text):
        return False
    fields = croniter.expand(cron_string)[0]
    if len(fields) != 5:
        return False
    # February 30th or 31st: valid to croniter, but it never fires.
    return not (fields[3] == [2] and len(fields[2]) == 1 and fields[2][0] in (30, 31))


def timezone_named(name: str) -> tzinfo | None:
    """The IANA time zone ``name`` (``UTC`` as the fixed ``timezone.utc``), or ``None``."""
    if name == "UTC":
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return None


def smallest_cron_interval(cron_string: str, tz: tzinfo) -> timedelta:
    """The shortest time between two consecutive ticks of ``cron_string`` in ``tz``."""
    from croniter import croniter  # deferred, see is_valid_cron_string

    start = datetime.now(tz) - timedelta(days=365)
    horizon = start.replace(year=start.year + _SAMPLE_YEARS, day=min(start.day, 28))
    ticks = croniter(cron_string, start)
    previous: datetime = ticks.get_next(datetime)
    smallest: timedelta | None = None
    for _ in range(_SAMPLE_TICKS - 1):
        current: datetime = ticks.get_next(datetime)
        if current > horizon:
            break
        gap = timedelta(seconds=current.timestamp() - previous.timestamp())
        smallest = gap if smallest is None else min(smallest, gap)
        previous = current
    return smallest if smallest is not None else timedelta(days=366 * _SAMPLE_YEARS)


class FreshnessPolicy:
    """When an asset is expected to have been updated; build one with a static method.

    An asset with a policy is, at any moment, ``PASS``ing it, ``WARN``ing (close to
    failing), ``FAIL``ing it, or ``UNKNOWN`` (never materialized).

    Example:
        ``@asset(freshness_policy=FreshnessPolicy.time_window(fail_window=timedelta(hours=24)))``
    """

    @staticmethod
    def time_window(
        fail_window: timedelta, warn_window: timedelta | None = None
    ) -> TimeWindowFreshnessPolicy:
        """Expect an update at least every ``fail_window``; warn past ``warn_window``.

        Args:
            fail_window: the asset fails once its last update is older than this.
            warn_window: the asset warns once its last update is older than this (shorter
                than ``fail_window``).

        Returns:
            A ``TimeWindowFreshnessPolicy``.

        Raises:
            InvalidDefinitionError: a window is under a minute, or the warning window is
                not shorter than the failure window.
        """
        return TimeWindowFreshnessPolicy.from_timedeltas(fail_window, warn_window)

    @staticmethod
    def cron(
        deadline_cron: str, lower_bound_delta: timedelta, timezone: str = "UTC"
    ) -> CronFreshnessPolicy:
        """Expect an update in the ``lower_bound_delta`` before each tick of ``deadline_cron``.

        Args:
            deadline_cron: a cron string; each tick is a deadline.
            lower_bound_delta: how long before a deadline an update counts for it.
            timezone: the IANA time zone the cron string is read in.

        Returns:
            A ``CronFreshnessPolicy``.

        Raises:
            InvalidDefinitionError: a bad cron string or time zone, or a
                ``lower_bound_delta`` under a minute or longer than the cron's interval.
        """
        return CronFreshnessPolicy(
            deadline_cron=deadline_cron, lower_bound_delta=lower_bound_delta, timezone=timezone
        )


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidDefinitionError(message)


@dataclass(frozen=True)
class TimeWindowFreshnessPolicy(FreshnessPolicy):
    """Fresh while the last update is younger than ``fail_window`` (``warn_window`` warns).

    Attributes:
        fail_window: the age past which the asset fails.
        warn_window: the age past which it warns, if any.
    """

    fail_window: timedelta
    warn_window: timedelta | None = None

    def __post_init__(self) -> None:
        for name in ("fail_window", "warn_window"):
            value = getattr(self, name)
            _require(
                value is None or isinstance(value, timedelta),
                f"FreshnessPolicy.time_window: {name} must be a datetime.timedelta, got "
                f"{type(value).__name__}",
            )
        _require(
            self.fail_window >= _MINUTE,
            "FreshnessPolicy.time_window: fail_window cannot be less than 1 minute "
            f"(got {self.fail_window.total_seconds():g} seconds)",
        )
        if self.warn_window is not None:
            _require(
                self.warn_window >= _MINUTE,
                "FreshnessPolicy.time_window: warn_window cannot be less than 1 minute "
                f"(got {self.warn_window.total_seconds():g} seconds)",
            )
            _require(
                self.warn_window < self.fail_window,
                "FreshnessPolicy.time_window: warn_window must be less than fail_window "
                f"(got {self.warn_window} and {self.fail_window})",
            )

    @classmethod
    def from_timedeltas(
        cls, fail_window: timedelta, warn_window: timedelta | None = None
    ) -> TimeWindowFreshnessPolicy:
        """The policy for these windows (a zero ``warn_window`` means none)."""
        return cls(fail_window=fail_window, warn_window=warn_window or None)


@dataclass(frozen=True)
class CronFreshnessPolicy(FreshnessPolicy):
    """Fresh when updated within ``lower_bound_delta`` before the latest ``deadline_cron`` tick.

    Attributes:
        deadline_cron: the cron string of the deadlines.
        lower_bound_delta: how long before a deadline an update counts for it.
        timezone: the IANA time zone of the cron string.
    """

    deadline_cron: str
    lower_bound_delta: timedelta
    timezone: str = "UTC"

    def __post_init__(self) -> None:
        where = "FreshnessPolicy.cron"
        _require(
            is_valid_cron_string(self.deadline_cron),
            f"{where}: Invalid cron string. deadline_cron {self.deadline_cron!r} is not a "
            "valid cron string; use five fields, e.g. '0 10 * * *' (10:00 every day)",
        )
        _require(
            isinstance(self.lower_bound_delta, timedelta),
            f"{where}: lower_bound_delta must be a datetime.timedelta, got "
            f"{type(self.lower_bound_delta).__name__}",
        )
        seconds = self.lower_bound_delta.total_seconds()
        _require(
            self.lower_bound_delta >= _MINUTE,
            f"{where}: lower_bound_delta must be greater than or equal to 1 minute, was "
            f"{seconds} seconds",
        )
        tz = timezone_named(self.timezone)
        _require(
            tz is not None,
            f"{where}: Invalid IANA timezone: {self.timezone}; use a name like 'UTC' or "
            "'America/New_York'",
        )
        smallest = smallest_cron_interval(self.deadline_cron, tz or timezone.utc)
        _require(
            self.lower_bound_delta <= smallest,
            f"{where}: lower_bound_delta must be less than or equal to the smallest cron "
            f"interval ({smallest.total_seconds()} seconds for deadline_cron "
            f"{self.deadline_cron}); it is {seconds} seconds",
        )


class _LegacyFields(NamedTuple):
    maximum_lag_minutes: float
    cron_schedule: str | None
    cron_schedule_timezone: str | None


class LegacyFreshnessPolicy(_LegacyFields):
    """The older freshness declaration: data at most ``maximum_lag_minutes`` old (deprecated).

    Use ``FreshnessPolicy`` instead; this one is stored (``legacy_freshness_policy=`` of
    ``@asset`` and ``AssetSpec``) but never evaluated.

    Args:
        maximum_lag_minutes: how old the asset's data may be.
        cron_schedule: the ticks at which the lag must hold (at all times if omitted).
        cron_schedule_timezone: the IANA time zone of ``cron_schedule``.

    Raises:
        InvalidDefinitionError: a bad cron string or time zone, or a time zone without a
            cron string.
    """

    def __new__(
        cls,
        *,
        maximum_lag_minutes: float,
        cron_schedule: str | None = None,
        cron_schedule_timezone: str | None = None,
    ) -> LegacyFreshnessPolicy:
        warnings.warn(
            "Class `LegacyFreshnessPolicy` is deprecated and will be removed in 1.10.0. For "
            "monitoring freshness, use freshness checks instead. If using lazy "
            "auto-materialize, use AutomationCondition.cron() and "
            "AutomationCondition.any_downstream_conditions().",
            DeprecationWarning,
            stacklevel=2,
        )
        if cron_schedule is not None and not is_valid_cron_string(cron_schedule):
            raise InvalidDefinitionError(f"Invalid cron schedule '{cron_schedule}'.")
        if cron_schedule_timezone is not None:
            _require(
                cron_schedule is not None,
                "LegacyFreshnessPolicy: Cannot specify cron_schedule_timezone without a "
                "cron_schedule.",
            )
            _require(
                timezone_named(cron_schedule_timezone) is not None,
                f"Invalid cron schedule timezone '{cron_schedule_timezone}'.",
            )
        if isinstance(maximum_lag_minutes, bool) or not isinstance(
            maximum_lag_minutes, (int, float)
        ):
            raise InvalidDefinitionError(
                "LegacyFreshnessPolicy: maximum_lag_minutes must be a number, got "
                f"{type(maximum_lag_minutes).__name__}"
            )
        return super().__new__(
            cls, float(maximum_lag_minutes), cron_schedule, cron_schedule_timezone
        )

    def __getnewargs_ex__(self) -> tuple[tuple[Any, ...], dict[str, Any]]:
        return (), {
            "maximum_lag_minutes": self.maximum_lag_minutes,
            "cron_schedule": self.cron_schedule,
            "cron_schedule_timezone": self.cron_schedule_timezone,
        }

    def __repr__(self) -> str:
        return (
            f"LegacyFreshnessPolicy(maximum_lag_minutes={self.maximum_lag_minutes!r}, "
            f"cron_schedule={self.cron_schedule!r}, "
            f"cron_schedule_timezone={self.cron_schedule_timezone!r})"
        )

    @property
    def maximum_lag_delta(self) -> timedelta:
        """``maximum_lag_minutes`` as a ``timedelta``."""
        return timedelta(minutes=self.maximum_lag_minutes)


def check_freshness_policy(value: object, *, where: str, legacy_hint: bool = True) -> Any:
    """``value`` if it is ``None`` or a ``FreshnessPolicy``.

    Raises:
        InvalidDefinitionError: anything else; a ``LegacyFreshnessPolicy`` is pointed at
            ``legacy_freshness_policy=``.
    """
    if value is None or isinstance(value, FreshnessPolicy):
        return value
    hint = (
        "; a LegacyFreshnessPolicy goes in legacy_freshness_policy= instead"
        if legacy_hint and isinstance(value, LegacyFreshnessPolicy)
        else ""
    )
    raise InvalidDefinitionError(
        f"{where}: freshness_policy must be a FreshnessPolicy (FreshnessPolicy.time_window(...) "
        f"or FreshnessPolicy.cron(...)), got {type(value).__name__}{hint}"
    )


def check_legacy_freshness_policy(value: object, *, where: str) -> Any:
    """``value`` if it is ``None`` or a ``LegacyFreshnessPolicy``.

    Raises:
        InvalidDefinitionError: anything else.
    """
    if value is None or isinstance(value, LegacyFreshnessPolicy):
        return value
    raise InvalidDefinitionError(
        f"{where}: legacy_freshness_policy must be a LegacyFreshnessPolicy, got "
        f"{type(value).__name__}"
    )
