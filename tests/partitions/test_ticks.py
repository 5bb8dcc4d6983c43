"""Cron firings around DST changes in America/New_York (2024: Mar 10 and Nov 3)."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from headwater.partitions._cron import parse_cron
from headwater.partitions._ticks import Ticks

NY = ZoneInfo("America/New_York")
UTC = timezone.utc


def _walk(ticks: Ticks, start: datetime, count: int) -> list[str]:
    out = []
    moment = start
    for _ in range(count):
        out.append(ticks.local(moment).isoformat())
        moment = ticks.next_after(moment)
    return out


def test_hourly_skips_the_missing_hour_and_repeats_the_doubled_one() -> None:
    ticks = Ticks(parse_cron("0 * * * *"), NY)
    spring = datetime(2024, 3, 10, 5, tzinfo=UTC)  # 00:00 EST
    assert _walk(ticks, spring, 4) == [
        "2024-03-10T00:00:00-05:00",
        "2024-03-10T01:00:00-05:00",
        "2024-03-10T03:00:00-04:00",
        "2024-03-10T04:00:00-04:00",
    ]
    fall = datetime(2024, 11, 3, 4, tzinfo=UTC)  # 00:00 EDT
    assert _walk(ticks, fall, 4) == [
        "2024-11-03T00:00:00-04:00",
        "2024-11-03T01:00:00-04:00",
        "2024-11-03T01:00:00-05:00",
        "2024-11-03T02:00:00-05:00",
    ]
    assert ticks.is_repeated(datetime(2024, 11, 3, 6, tzinfo=UTC))
    assert not ticks.is_repeated(datetime(2024, 11, 3, 5, tzinfo=UTC))


def test_walking_back_through_a_fold_visits_both_occurrences() -> None:
    ticks = Ticks(parse_cron("0 * * * *"), NY)
    moment = datetime(2024, 11, 3, 8, tzinfo=UTC)  # 03:00 EST
    seen = []
    for _ in range(4):
        moment = ticks.prev_before(moment)
        seen.append(ticks.local(moment).isoformat())
    assert seen == [
        "2024-11-03T02:00:00-05:00",
        "2024-11-03T01:00:00-05:00",
        "2024-11-03T01:00:00-04:00",
        "2024-11-03T00:00:00-04:00",
    ]


def test_daily_time_in_the_gap_fires_at_the_end_of_the_gap() -> None:
    ticks = Ticks(parse_cron("30 2 * * *"), NY)
    start = datetime(2024, 3, 9, 7, 30, tzinfo=UTC)  # 02:30 EST
    assert _walk(ticks, start, 3) == [
        "2024-03-09T02:30:00-05:00",
        "2024-03-10T03:00:00-04:00",
        "2024-03-11T02:30:00-04:00",
    ]
    back = ticks.prev_before(datetime(2024, 3, 11, 6, 30, tzinfo=UTC))
    assert ticks.local(back).isoformat() == "2024-03-10T03:00:00-04:00"


def test_daily_time_in_the_fold_fires_once_at_the_later_occurrence() -> None:
    ticks = Ticks(parse_cron("30 1 * * *"), NY)
    start = datetime(2024, 11, 2, 5, 30, tzinfo=UTC)  # 01:30 EDT
    assert _walk(ticks, start, 3) == [
        "2024-11-02T01:30:00-04:00",
        "2024-11-03T01:30:00-05:00",
        "2024-11-04T01:30:00-05:00",
    ]
    assert not ticks.is_repeated(datetime(2024, 11, 3, 6, 30, tzinfo=UTC))


def test_shift_and_at_or_before() -> None:
    ticks = Ticks(parse_cron("0 0 * * *"), UTC)
    day = datetime(2024, 1, 10, tzinfo=UTC)
    assert ticks.shift(day, -2) == datetime(2024, 1, 8, tzinfo=UTC)
    assert ticks.shift(day, 3) == datetime(2024, 1, 13, tzinfo=UTC)
    assert ticks.at_or_before(datetime(2024, 1, 10, 12, tzinfo=UTC)) == day
    assert ticks.at_or_before(day) == day
    assert ticks.at_or_after(day) == day
