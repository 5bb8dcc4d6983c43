from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from headwater.errors import InvalidDefinitionError
from headwater.partitions import (
    DailyPartitionsDefinition,
    HourlyPartitionsDefinition,
    PartitionKeyRange,
    ScheduleType,
    TimeWindow,
    TimeWindowPartitionsDefinition,
    UnknownPartitionError,
)

UTC = timezone.utc
JAN = DailyPartitionsDefinition("2024-01-01", end_date="2024-02-01")
JAN_TEXT = "daily partitions starting 2024-01-01 (UTC) and ending before 2024-02-01"


def _at(day: int, hour: int = 0) -> datetime:
    return datetime(2024, 1, day, hour, tzinfo=UTC)


def test_last_partition_is_the_last_window_that_has_ended() -> None:
    daily = DailyPartitionsDefinition("2024-01-01")
    assert daily.get_partition_keys(current_time=_at(4)) == [
        "2024-01-01",
        "2024-01-02",
        "2024-01-03",
    ]
    assert daily.get_partition_keys(current_time=_at(3, 23)) == ["2024-01-01", "2024-01-02"]
    assert daily.get_last_partition_key(current_time=_at(4)) == "2024-01-03"
    assert DailyPartitionsDefinition("2024-01-10").get_partition_keys(current_time=_at(4)) == []


def test_end_offset_adds_or_removes_windows() -> None:
    ahead = DailyPartitionsDefinition("2024-01-01", end_offset=1)
    assert ahead.get_partition_keys(current_time=_at(10, 12))[-2:] == ["2024-01-09", "2024-01-10"]
    behind = DailyPartitionsDefinition("2024-01-01", end_offset=-1)
    assert behind.get_partition_keys(current_time=_at(4)) == ["2024-01-01", "2024-01-02"]


def test_end_is_exclusive_and_caps_end_offset() -> None:
    assert JAN.get_partition_keys(current_time=datetime(2024, 6, 1, tzinfo=UTC))[-1] == (
        "2024-01-31"
    )
    capped = DailyPartitionsDefinition("2024-01-01", end_offset=2, end_date="2024-01-05")
    assert capped.get_partition_keys(current_time=_at(4)) == [
        "2024-01-01",
        "2024-01-02",
        "2024-01-03",
        "2024-01-04",
    ]
    assert JAN.get_next_partition_key("2024-01-30") == "2024-01-31"
    assert JAN.get_next_partition_key("2024-01-31") is None


def test_any_cron_schedule() -> None:
    weekdays = TimeWindowPartitionsDefinition(
        start="2024-01-01", fmt="%Y-%m-%d", cron_schedule="0 0 * * 1-5"
    )
    assert weekdays.get_partition_keys(current_time=_at(10)) == [
        "2024-01-01",
        "2024-01-02",
        "2024-01-03",
        "2024-01-04",
        "2024-01-05",
        "2024-01-08",
        "2024-01-09",
    ]
    assert weekdays.schedule_type is None
    assert (
        weekdays.describe() == "partitions on cron schedule '0 0 * * 1-5' starting 2024-01-01 (UTC)"
    )
    # the window of a Friday runs to Monday
    assert weekdays.time_window_for_partition_key("2024-01-05").end == _at(8)


def test_schedule_type_builds_the_cron_and_equals_the_subclass() -> None:
    pdef = TimeWindowPartitionsDefinition(
        start="2024-01-01", fmt="%Y-%m-%d", schedule_type=ScheduleType.DAILY, hour_offset=6
    )
    assert pdef.cron_schedule == "0 6 * * *"
    assert pdef == DailyPartitionsDefinition("2024-01-01", hour_offset=6)
    assert hash(pdef) == hash(DailyPartitionsDefinition("2024-01-01", hour_offset=6))
    assert pdef != DailyPartitionsDefinition("2024-01-01")
    assert pdef != DailyPartitionsDefinition("2024-01-01", hour_offset=6, timezone="Europe/Paris")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"start": "2024-01-01"},
            "TimeWindowPartitionsDefinition: give exactly one of cron_schedule and schedule_type",
        ),
        (
            {"start": "2024-01-01", "cron_schedule": "0 25 * * *"},
            "TimeWindowPartitionsDefinition: cron schedule '0 25 * * *': "
            "hour field '25' is outside 0-23",
        ),
        (
            {"start": "2024-01-01", "cron_schedule": "0 0 * *"},
            "TimeWindowPartitionsDefinition: cron schedule '0 0 * *' has 4 fields; expected 5 "
            "(minute hour day-of-month month day-of-week)",
        ),
    ],
)
def test_bad_schedules_are_explained(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidDefinitionError, match=f"^{re.escape(message)}$"):
        TimeWindowPartitionsDefinition(fmt="%Y-%m-%d", **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("key", "nearest", "hint"),
    [
        ("2023-12-31", "'2024-01-01', '2024-01-02', '2024-01-03'", ""),
        ("2024-02-01", "'2024-01-29', '2024-01-30', '2024-01-31'", ""),
        (
            "2024-01-32",
            "'2024-01-31', '2024-01-30', '2024-01-29'",
            "; keys have the format '%Y-%m-%d', like '2024-01-01'",
        ),
        ("2024-1-5", "'2024-01-05'", ""),  # parses, but is not spelled like a key
    ],
)
def test_unknown_key_lists_neighbours_in_time(key: str, nearest: str, hint: str) -> None:
    message = f"partition key {key!r} is not in {JAN_TEXT}; nearest valid keys: {nearest}{hint}"
    with pytest.raises(UnknownPartitionError, match=f"^{re.escape(message)}$"):
        JAN.validate_partition_key(key)


def test_off_grid_key_lists_the_windows_around_it() -> None:
    hourly = HourlyPartitionsDefinition("2024-01-01-00:00", minute_offset=30)
    now = _at(2)
    assert hourly.has_partition_key("2024-01-01-05:30", now)
    message = (
        "partition key '2024-01-01-05:00' is not in hourly partitions starting "
        "2024-01-01-00:30 (UTC); nearest valid keys: '2024-01-01-04:30', '2024-01-01-05:30'"
    )
    with pytest.raises(UnknownPartitionError, match=f"^{re.escape(message)}$"):
        hourly.validate_partition_key("2024-01-01-05:00", now)


def test_key_of_a_window_not_yet_ended_is_unknown_now() -> None:
    daily = DailyPartitionsDefinition("2024-01-01")
    message = (
        "partition key '2024-01-04' is not in daily partitions starting 2024-01-01 (UTC); "
        "nearest valid keys: '2024-01-01', '2024-01-02', '2024-01-03'"
    )
    with pytest.raises(UnknownPartitionError, match=f"^{re.escape(message)}$"):
        daily.validate_partition_key("2024-01-04", _at(4, 12))
    daily.validate_partition_key("2024-01-04", _at(5))


def test_no_partitions_yet() -> None:
    message = (
        "partition key '2024-01-01' is not in daily partitions starting 2024-01-10 (UTC); "
        "it has no partitions"
    )
    with pytest.raises(UnknownPartitionError, match=f"^{re.escape(message)}$"):
        DailyPartitionsDefinition("2024-01-10").validate_partition_key("2024-01-01", _at(4))


def test_time_window_queries() -> None:
    window = JAN.time_window_for_partition_key("2024-01-02")
    assert window == TimeWindow(_at(2), _at(3))
    start, end = window  # a named tuple, as in the reference
    assert (start, end) == (_at(2), _at(3))
    # keys whose windows *start* inside the window
    assert JAN.get_partition_keys_in_time_window(TimeWindow(_at(3, 12), _at(6))) == [
        "2024-01-04",
        "2024-01-05",
    ]
    assert JAN.get_partition_keys_in_time_window(TimeWindow(_at(3), _at(6, 12))) == [
        "2024-01-03",
        "2024-01-04",
        "2024-01-05",
        "2024-01-06",
    ]
    assert JAN.get_partition_key_range_for_time_window(TimeWindow(_at(3), _at(5))) == (
        PartitionKeyRange("2024-01-03", "2024-01-04")
    )
    assert JAN.time_window_for_partition_key_range(
        PartitionKeyRange("2024-01-03", "2024-01-05")
    ) == TimeWindow(_at(3), _at(6))
    assert JAN.get_partition_key_for_time(_at(7, 13)) == "2024-01-07"
    message = (
        f"partition key 'nope' is not in {JAN_TEXT}; nearest valid keys: '2024-01-01', "
        "'2024-01-02', '2024-01-03'; keys have the format '%Y-%m-%d', like '2024-01-01'"
    )
    with pytest.raises(UnknownPartitionError, match=f"^{re.escape(message)}$"):
        JAN.time_window_for_partition_key("nope")


def test_ranges() -> None:
    assert JAN.get_partition_keys_in_range(PartitionKeyRange("2024-01-03", "2024-01-05")) == [
        "2024-01-03",
        "2024-01-04",
        "2024-01-05",
    ]
    assert JAN.get_partition_keys_in_range(PartitionKeyRange("2024-01-05", "2024-01-03")) == []
    with pytest.raises(UnknownPartitionError, match=r"^partition key '2023-01-03' is not in"):
        JAN.get_partition_keys_in_range(PartitionKeyRange("2023-01-03", "2024-01-05"))


def test_naive_current_time_is_read_in_the_definition_zone() -> None:
    tokyo = DailyPartitionsDefinition("2024-01-01", timezone="Asia/Tokyo")
    assert tokyo.get_partition_keys(current_time=datetime(2024, 1, 3)) == [
        "2024-01-01",
        "2024-01-02",
    ]


def test_repr_and_str() -> None:
    assert repr(JAN) == (
        "DailyPartitionsDefinition(start='2024-01-01T00:00:00+00:00', "
        "end='2024-02-01T00:00:00+00:00', timezone='UTC', fmt='%Y-%m-%d', end_offset=0, "
        "cron_schedule='0 0 * * *')"
    )
    assert str(JAN) == JAN_TEXT
    assert JAN.start == _at(1)
    assert JAN.end == datetime(2024, 2, 1, tzinfo=UTC)


def test_five_years_of_hourly_keys_are_fast_enough() -> None:
    hourly = HourlyPartitionsDefinition("2020-01-01-00:00", timezone="America/New_York")
    keys = hourly.get_partition_keys(current_time=datetime(2025, 1, 1, tzinfo=UTC))
    # 5 years * 8760 + leap day, less the 5 hours New York is behind UTC at the end
    assert len(keys) == 43843
    assert len(set(keys)) == len(keys)
