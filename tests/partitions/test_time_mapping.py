from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from headwater.errors import InvalidDefinitionError
from headwater.partitions import (
    DailyPartitionsDefinition,
    HourlyPartitionsDefinition,
    PartitionKeyRange,
    PartitionMapping,
    PartitionsDefinition,
    StaticPartitionsDefinition,
    TimeWindowPartitionMapping,
    UpstreamPartitionsResult,
    WeeklyPartitionsDefinition,
)
from headwater.partitions.mapping import PartitionsSelection

NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)
DAYS = DailyPartitionsDefinition("2024-01-01", end_date="2024-02-01")
HOURS = HourlyPartitionsDefinition("2024-01-01-00:00", end_date="2024-01-05-00:00")
SAME = TimeWindowPartitionMapping()
PREVIOUS = TimeWindowPartitionMapping(start_offset=-1)


def _up(
    mapping: PartitionMapping,
    down: PartitionsDefinition,
    up: PartitionsDefinition,
    keys: PartitionsSelection,
) -> UpstreamPartitionsResult:
    return mapping.get_upstream_partition_keys(keys, down, up, current_time=NOW)


def _down(
    mapping: PartitionMapping,
    up: PartitionsDefinition,
    down: PartitionsDefinition,
    keys: PartitionsSelection,
) -> tuple[str, ...]:
    return mapping.get_downstream_partition_keys(keys, up, down, current_time=NOW)


def test_daily_reads_its_24_hours_and_an_hour_reads_its_day() -> None:
    result = _up(SAME, DAYS, HOURS, "2024-01-02")
    assert result.partition_keys == tuple(f"2024-01-02-{h:02d}:00" for h in range(24))
    assert _up(SAME, HOURS, DAYS, "2024-01-02-05:00") == UpstreamPartitionsResult(("2024-01-02",))
    assert _down(SAME, DAYS, HOURS, "2024-01-02")[:2] == ("2024-01-02-00:00", "2024-01-02-01:00")
    assert len(_down(SAME, DAYS, HOURS, "2024-01-02")) == 24
    assert _down(SAME, HOURS, DAYS, ["2024-01-02-05:00", "2024-01-02-06:00"]) == ("2024-01-02",)


def test_start_offset_reads_the_previous_window_too() -> None:
    assert _up(PREVIOUS, DAYS, DAYS, "2024-01-02").partition_keys == ("2024-01-01", "2024-01-02")
    assert _down(PREVIOUS, DAYS, DAYS, "2024-01-02") == ("2024-01-02", "2024-01-03")
    only_previous = TimeWindowPartitionMapping(start_offset=-1, end_offset=-1)
    assert _up(only_previous, DAYS, DAYS, "2024-01-02").partition_keys == ("2024-01-01",)
    assert _down(only_previous, DAYS, DAYS, "2024-01-02") == ("2024-01-03",)
    # ranges expand in the downstream definition
    assert _up(PREVIOUS, DAYS, DAYS, PartitionKeyRange("2024-01-03", "2024-01-04")) == (
        UpstreamPartitionsResult(("2024-01-02", "2024-01-03", "2024-01-04"))
    )


def test_offsets_past_the_ends_are_dropped_so_the_first_day_can_run() -> None:
    assert _up(PREVIOUS, DAYS, DAYS, "2024-01-01") == UpstreamPartitionsResult(("2024-01-01",))
    following = TimeWindowPartitionMapping(end_offset=1)
    assert _up(following, DAYS, DAYS, "2024-01-31") == UpstreamPartitionsResult(("2024-01-31",))
    assert _down(following, DAYS, DAYS, "2024-01-01") == ("2024-01-01",)


def test_missing_upstream_windows_are_reported_unless_allowed() -> None:
    later = DailyPartitionsDefinition("2024-01-10", end_date="2024-02-01")
    assert _up(SAME, DAYS, later, "2024-01-05") == UpstreamPartitionsResult((), ("2024-01-05",))
    allowing = TimeWindowPartitionMapping(allow_nonexistent_upstream_partitions=True)
    assert _up(allowing, DAYS, later, "2024-01-05") == UpstreamPartitionsResult(())
    weeks = WeeklyPartitionsDefinition("2024-01-01", end_date="2024-02-01")
    # 2024-01-03 lies in the week of Sunday 2023-12-31, before the first week (01-07)
    assert _up(SAME, DAYS, weeks, "2024-01-03") == UpstreamPartitionsResult((), ("2023-12-31",))
    assert _down(SAME, weeks, DAYS, "2024-01-07") == tuple(f"2024-01-{d:02d}" for d in range(7, 14))


def test_across_time_zones_windows_overlap_by_instant() -> None:
    ny_days = DailyPartitionsDefinition(
        "2024-01-01", end_date="2024-01-10", timezone="America/New_York"
    )
    # a New York day runs 05:00 to 05:00 UTC, so it overlaps two UTC days
    assert _up(SAME, ny_days, DAYS, "2024-01-02").partition_keys == ("2024-01-02", "2024-01-03")


def test_non_time_definitions_are_refused() -> None:
    message = (
        "TimeWindowPartitionMapping maps time windows to time windows, but the upstream "
        "asset has static partitions 'a'; use a time-window partitions definition or another "
        "mapping"
    )
    with pytest.raises(InvalidDefinitionError, match=f"^{re.escape(message)}$"):
        _up(SAME, DAYS, StaticPartitionsDefinition(["a"]), "2024-01-01")
    message = (
        "TimeWindowPartitionMapping: start_offset=1 is after end_offset=0; the start may not "
        "come after the end"
    )
    with pytest.raises(InvalidDefinitionError, match=f"^{re.escape(message)}$"):
        TimeWindowPartitionMapping(start_offset=1)


def test_value_semantics() -> None:
    assert TimeWindowPartitionMapping(start_offset=-1) == PREVIOUS
    assert repr(PREVIOUS) == (
        "TimeWindowPartitionMapping(start_offset=-1, end_offset=0, "
        "allow_nonexistent_upstream_partitions=False)"
    )
