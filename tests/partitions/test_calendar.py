"""Calendar granularities, checked against the reference's keys for the same inputs."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from headwater.errors import InvalidDefinitionError
from headwater.partitions import (
    DailyPartitionsDefinition,
    HourlyPartitionsDefinition,
    MonthlyPartitionsDefinition,
    TimeWindow,
    WeeklyPartitionsDefinition,
)

UTC = timezone.utc
NOW = datetime(2024, 1, 10, 12, 30, tzinfo=UTC)
NY = ZoneInfo("America/New_York")


def _hours(window: TimeWindow) -> float:
    # Subtract in UTC: datetimes sharing a ZoneInfo subtract by wall clock.
    return (window.end.astimezone(UTC) - window.start.astimezone(UTC)).total_seconds() / 3600


def test_defaults_per_granularity() -> None:
    daily = DailyPartitionsDefinition("2024-01-01")
    assert (daily.fmt, daily.cron_schedule) == ("%Y-%m-%d", "0 0 * * *")
    keys = daily.get_partition_keys(current_time=NOW)
    assert (keys[0], keys[-1], len(keys)) == ("2024-01-01", "2024-01-09", 9)

    hourly = HourlyPartitionsDefinition("2024-01-10-00:00")
    assert (hourly.fmt, hourly.cron_schedule) == ("%Y-%m-%d-%H:%M", "0 * * * *")
    keys = hourly.get_partition_keys(current_time=NOW)
    assert (keys[0], keys[-1], len(keys)) == ("2024-01-10-00:00", "2024-01-10-11:00", 12)


def test_weeks_start_on_sunday_and_months_on_the_first() -> None:
    weekly = WeeklyPartitionsDefinition("2023-12-01")  # a Friday
    assert weekly.cron_schedule == "0 0 * * 0"
    assert weekly.get_partition_keys(current_time=NOW) == [
        "2023-12-03",
        "2023-12-10",
        "2023-12-17",
        "2023-12-24",
        "2023-12-31",
    ]
    monthly = MonthlyPartitionsDefinition("2023-10-01")
    assert monthly.cron_schedule == "0 0 1 * *"
    assert monthly.get_partition_keys(current_time=NOW) == [
        "2023-10-01",
        "2023-11-01",
        "2023-12-01",
    ]


def test_offsets_move_the_window_starts() -> None:
    daily = DailyPartitionsDefinition("2024-01-01", hour_offset=2, minute_offset=30)
    assert daily.cron_schedule == "30 2 * * *"
    window = daily.time_window_for_partition_key("2024-01-01")
    assert window.start == datetime(2024, 1, 1, 2, 30, tzinfo=UTC)
    assert window.end == datetime(2024, 1, 2, 2, 30, tzinfo=UTC)

    weekly = WeeklyPartitionsDefinition("2024-01-01", day_offset=1, hour_offset=3)
    assert weekly.cron_schedule == "0 3 * * 1"
    assert weekly.get_first_partition_key(current_time=NOW) == "2024-01-01"
    assert weekly.time_window_for_partition_key("2024-01-01").end == datetime(
        2024, 1, 8, 3, tzinfo=UTC
    )

    monthly = MonthlyPartitionsDefinition("2024-01-15", day_offset=15)
    assert monthly.cron_schedule == "0 0 15 * *"
    assert monthly.get_first_partition_key(current_time=datetime(2024, 3, 1, tzinfo=UTC)) == (
        "2024-01-15"
    )
    hourly = HourlyPartitionsDefinition("2024-01-01-00:00", minute_offset=15)
    assert hourly.get_first_partition_key(current_time=NOW) == "2024-01-01-00:15"


def test_month_ends() -> None:
    monthly = MonthlyPartitionsDefinition("2024-01-31", day_offset=1)
    assert monthly.get_partition_keys(current_time=datetime(2024, 4, 4, tzinfo=UTC)) == [
        "2024-02-01",
        "2024-03-01",
    ]
    window = monthly.time_window_for_partition_key("2024-02-01")
    assert _hours(window) == 29 * 24  # 2024 is a leap year
    last_day = MonthlyPartitionsDefinition("2024-01-01", day_offset=31, fmt="%Y-%m")
    # months without a 31st are skipped, as cron skips them
    assert last_day.get_partition_keys(current_time=datetime(2024, 9, 1, tzinfo=UTC)) == [
        "2024-01",
        "2024-03",
        "2024-05",
        "2024-07",
    ]


def test_daily_in_new_york_across_spring_forward_has_a_23_hour_day() -> None:
    daily = DailyPartitionsDefinition("2024-03-09", timezone="America/New_York")
    keys = daily.get_partition_keys(current_time=datetime(2024, 3, 12, 6, tzinfo=UTC))
    assert keys == ["2024-03-09", "2024-03-10", "2024-03-11"]
    window = daily.time_window_for_partition_key("2024-03-10")
    assert window.start == datetime(2024, 3, 10, tzinfo=NY)
    assert window.end == datetime(2024, 3, 11, tzinfo=NY)
    assert _hours(window) == 23
    # the day ends at local midnight: 04:59 UTC on Jan 3 is still Jan 2 in New York
    jan = DailyPartitionsDefinition("2024-01-01", timezone="America/New_York")
    assert jan.get_partition_keys(current_time=datetime(2024, 1, 3, 4, 59, tzinfo=UTC)) == [
        "2024-01-01"
    ]
    assert jan.get_partition_keys(current_time=datetime(2024, 1, 3, 5, tzinfo=UTC)) == [
        "2024-01-01",
        "2024-01-02",
    ]


def test_hourly_in_new_york_skips_two_am_on_spring_forward() -> None:
    hourly = HourlyPartitionsDefinition("2024-03-10-00:00", timezone="America/New_York")
    keys = hourly.get_partition_keys(current_time=datetime(2024, 3, 11, 3, 30, tzinfo=UTC))
    assert len(keys) == 22
    assert keys[:4] == [
        "2024-03-10-00:00",
        "2024-03-10-01:00",
        "2024-03-10-03:00",
        "2024-03-10-04:00",
    ]
    assert not hourly.has_partition_key("2024-03-10-02:00")
    window = hourly.time_window_for_partition_key("2024-03-10-01:00")
    assert _hours(window) == 1  # 01:00 EST to 03:00 EDT


def test_hourly_in_new_york_has_two_one_am_partitions_on_fall_back() -> None:
    hourly = HourlyPartitionsDefinition("2024-11-03-00:00", timezone="America/New_York")
    keys = hourly.get_partition_keys(current_time=datetime(2024, 11, 3, 9, tzinfo=UTC))
    assert keys == [
        "2024-11-03-00:00",
        "2024-11-03-01:00",
        "2024-11-03-01:00-0500",
        "2024-11-03-02:00",
        "2024-11-03-03:00",
    ]
    first = hourly.time_window_for_partition_key("2024-11-03-01:00")
    second = hourly.time_window_for_partition_key("2024-11-03-01:00-0500")
    assert first.start.isoformat() == "2024-11-03T01:00:00-04:00"
    assert second.start.isoformat() == "2024-11-03T01:00:00-05:00"
    assert second.end.isoformat() == "2024-11-03T02:00:00-05:00"
    assert all(hourly.has_partition_key(k, datetime(2024, 11, 3, 9, tzinfo=UTC)) for k in keys)


def test_daily_with_hour_offset_in_the_gap_and_in_the_fold() -> None:
    spring = DailyPartitionsDefinition(
        "2024-03-09", hour_offset=2, minute_offset=30, timezone="America/New_York"
    )
    window = spring.time_window_for_partition_key("2024-03-10")
    assert window.start.isoformat() == "2024-03-10T03:00:00-04:00"
    assert window.end.isoformat() == "2024-03-11T02:30:00-04:00"
    fall = DailyPartitionsDefinition(
        "2024-11-01", hour_offset=1, minute_offset=30, timezone="America/New_York"
    )
    window = fall.time_window_for_partition_key("2024-11-03")
    assert window.start.isoformat() == "2024-11-03T01:30:00-05:00"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: DailyPartitionsDefinition("2024-01-01", hour_offset=24),
            "DailyPartitionsDefinition: hour_offset=24 is out of range; "
            "use an integer from 0 to 23",
        ),
        (
            lambda: HourlyPartitionsDefinition("2024-01-01-00:00", minute_offset=60),
            "HourlyPartitionsDefinition: minute_offset=60 is out of range; "
            "use an integer from 0 to 59",
        ),
        (
            lambda: WeeklyPartitionsDefinition("2024-01-01", day_offset=7),
            "WeeklyPartitionsDefinition: day_offset=7 is out of range; use an integer from 0 to 6",
        ),
        (
            lambda: MonthlyPartitionsDefinition("2024-01-01", day_offset=0),
            "MonthlyPartitionsDefinition: day_offset=0 is out of range; "
            "use an integer from 1 to 31",
        ),
        (
            lambda: DailyPartitionsDefinition("2024/01/01"),
            "DailyPartitionsDefinition: start '2024/01/01' does not match the format "
            "'%Y-%m-%d' (nor ISO 8601); write it like '2024-01-01'",
        ),
        (
            lambda: DailyPartitionsDefinition("2024-01-01", timezone="Mars/Base"),
            "DailyPartitionsDefinition: unknown timezone 'Mars/Base'; use an IANA name such "
            "as 'America/New_York', or 'UTC'",
        ),
    ],
)
def test_bad_arguments_are_named(build: object, message: str) -> None:
    with pytest.raises(InvalidDefinitionError, match=f"^{re.escape(message)}$"):
        build()  # type: ignore[operator]


def test_start_accepts_datetimes_and_iso_strings() -> None:
    # the first partition starts at the first tick at or after the start
    assert (
        DailyPartitionsDefinition(datetime(2024, 1, 1, 5)).get_first_partition_key(current_time=NOW)
        == "2024-01-02"
    )
    custom = DailyPartitionsDefinition("2024-01-01", fmt="%Y%m%d")
    assert custom.get_first_partition_key(current_time=NOW) == "20240101"
    assert DailyPartitionsDefinition("20240101", fmt="%Y%m%d") == custom
