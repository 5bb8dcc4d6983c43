from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from headwater.automation import build_schedule_context
from headwater.automation.partitioned_schedule import build_schedule_from_partitioned_job
from headwater.errors import InvalidDefinitionError, InvalidInvocationError
from headwater.partitions import (
    DailyPartitionsDefinition,
    HourlyPartitionsDefinition,
    PartitionKeyRange,
    TimeWindowPartitionsDefinition,
)

SATURDAYS_AND_THE_3RD: list[str | datetime] = ["0 0 * * 6", datetime(2024, 1, 3)]


def _days(**kwargs: object) -> DailyPartitionsDefinition:
    return DailyPartitionsDefinition(
        start_date="2024-01-01",
        end_date="2024-01-10",
        exclusions=SATURDAYS_AND_THE_3RD,
        **kwargs,  # type: ignore[arg-type]
    )


def test_excluded_windows_have_no_key() -> None:
    days = _days()
    assert days.get_partition_keys() == [
        "2024-01-01",
        "2024-01-02",
        "2024-01-04",
        "2024-01-05",
        "2024-01-07",
        "2024-01-08",
        "2024-01-09",
    ]
    assert not days.has_partition_key("2024-01-03")
    assert days.get_next_partition_key("2024-01-02") == "2024-01-04"
    assert days.get_num_partitions() == 7


def test_ranges_skip_exclusions_and_may_start_on_one() -> None:
    days = _days()
    assert days.get_partition_keys_in_range(PartitionKeyRange("2024-01-03", "2024-01-07")) == [
        "2024-01-04",
        "2024-01-05",
        "2024-01-07",
    ]


def test_an_excluded_key_names_the_next_window() -> None:
    window = _days().time_window_for_partition_key("2024-01-06")
    assert window.start == datetime(2024, 1, 7, tzinfo=timezone.utc)
    assert window.end == datetime(2024, 1, 8, tzinfo=timezone.utc)


def test_datetimes_are_read_in_the_definitions_time_zone() -> None:
    days = DailyPartitionsDefinition(
        start_date="2024-01-01",
        end_date="2024-01-05",
        timezone="America/New_York",
        exclusions=[datetime(2024, 1, 2, tzinfo=timezone.utc)],
    )
    assert days.get_partition_keys() == ["2024-01-01", "2024-01-03", "2024-01-04"]


def test_cron_exclusions_leave_out_hours() -> None:
    hours = HourlyPartitionsDefinition(
        start_date="2024-01-01-00:00", end_date="2024-01-01-06:00", exclusions=["0 2-3 * * *"]
    )
    assert hours.get_partition_keys() == [
        "2024-01-01-00:00",
        "2024-01-01-01:00",
        "2024-01-01-04:00",
        "2024-01-01-05:00",
    ]


def test_exclusions_take_part_in_equality_and_repr() -> None:
    assert _days() != DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-10")
    assert _days() == _days()
    assert "exclusions=['0 0 * * 6'" in repr(_days())
    assert _days().exclusions == [
        "0 0 * * 6",
        datetime(2024, 1, 3, tzinfo=timezone.utc),
    ]


@pytest.mark.parametrize(
    ("exclusions", "message"),
    [
        (
            ["bad"],
            "DailyPartitionsDefinition: invalid cron schedule(s) 'bad' in exclusions; give cron "
            "strings (like '0 0 * * 6') and datetimes",
        ),
        (
            [3],
            "DailyPartitionsDefinition: exclusion 3 is a int; give cron strings (like "
            "'0 0 * * 6') and datetimes",
        ),
        (
            "0 0 * * 6",
            "DailyPartitionsDefinition: exclusions must be a list of cron strings and "
            "datetimes, got a single str; wrap it in a list",
        ),
    ],
)
def test_bad_exclusions_are_explained(exclusions: object, message: str) -> None:
    with pytest.raises(InvalidDefinitionError, match=f"^{re.escape(message)}$"):
        DailyPartitionsDefinition(start_date="2024-01-01", exclusions=exclusions)  # type: ignore[arg-type]


def test_cron_schedule_keyword_replaces_the_granularity() -> None:
    days = DailyPartitionsDefinition(start_date="2024-01-01", cron_schedule="0 6 * * *")
    assert days.cron_schedule == "0 6 * * *"
    with pytest.raises(InvalidInvocationError, match="unexpected argument\\(s\\) 'foo'"):
        DailyPartitionsDefinition(start_date="2024-01-01", foo=1)


def test_time_window_definition_needs_a_format() -> None:
    with pytest.raises(TypeError, match="fmt"):
        TimeWindowPartitionsDefinition(start="2024-01-01", cron_schedule="0 0 * * *")  # type: ignore[call-arg]


def test_a_schedule_skips_the_tick_of_an_excluded_window() -> None:
    import headwater as dg

    days = DailyPartitionsDefinition(start_date="2024-01-01", exclusions=SATURDAYS_AND_THE_3RD)

    @dg.asset(partitions_def=days)
    def a() -> int:
        return 1

    job = dg.define_asset_job("j", selection=[a], partitions_def=days)
    schedule = build_schedule_from_partitioned_job(job)
    outcomes = {}
    for day in (3, 4, 7, 8):
        context = build_schedule_context(
            scheduled_execution_time=datetime(2024, 1, day, tzinfo=timezone.utc)
        )
        result = schedule.evaluate_tick(context)
        outcomes[day] = [r.partition_key for r in result.run_requests or []] or result.skip_message
    assert outcomes == {
        3: ["2024-01-02"],
        4: "should_execute function for j_schedule returned false.",
        7: "should_execute function for j_schedule returned false.",
        8: ["2024-01-07"],
    }
