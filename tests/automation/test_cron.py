from __future__ import annotations

import re
from datetime import datetime, timezone
from itertools import islice
from zoneinfo import ZoneInfo

import pytest

from headwater.automation.cron import (
    cron_problem,
    iter_execution_times,
    next_execution_time,
    previous_execution_time,
    resolve_timezone,
    validate_cron_schedule,
)
from headwater.errors import InvalidDefinitionError

NY = ZoneInfo("America/New_York")
FIELDS_HINT = (
    "a cron string has 5 (minute hour day-of-month month day-of-week) or is one of "
    "@hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually"
)


@pytest.mark.parametrize(
    ("cron", "problem"),
    [
        ("0 25 * * *", 'hour field "25" must be 0-23'),
        ("61 * * * *", 'minute field "61" must be 0-59'),
        ("0 0 32 * *", 'day-of-month field "32" must be 1-31'),
        ("0 0 * 13 *", 'month field "13" must be 1-12 or JAN-DEC'),
        ("0 0 * * 8", 'day-of-week field "8" must be 0-7 (0 and 7 are Sunday) or SUN-SAT'),
        ("1-70 * * * *", 'minute field "1-70" must be 0-59'),
        ("*/0 * * * *", 'minute field "*/0" has step "0", which must be at least 1'),
        ("*/x * * * *", 'minute field "*/x" has step "x", which must be a number'),
        (
            "0 0 * FOO *",
            'month field "FOO" is not valid: use numbers 1-12 or JAN-DEC, "*", ranges, '
            'steps and lists (e.g. "1-6")',
        ),
        (
            "0 60 * * 9",
            'hour field "60" must be 0-23; day-of-week field "9" must be 0-7 '
            "(0 and 7 are Sunday) or SUN-SAT",
        ),
        ("* * *", f"it has 3 field(s); {FIELDS_HINT}"),
        ("0 0 * * * *", f"it has 6 field(s); {FIELDS_HINT}"),
        ("0 0 30 2 *", 'it never fires: no date has day-of-month "30" in month "2"'),
    ],
)
def test_cron_problem_names_the_bad_field(cron: str, problem: str) -> None:
    assert cron_problem(cron) == problem


@pytest.mark.parametrize(
    "cron", ["@daily", "@hourly", "0 2 * * MON-FRI", "0 0 * * 7", "*/15 9-17 * * *", "0 0 L * *"]
)
def test_valid_cron_strings_have_no_problem(cron: str) -> None:
    assert cron_problem(cron) is None


def test_validate_names_subject_string_and_field() -> None:
    msg = (
        'schedule \'nightly\': cron string "0 25 * * *" is not valid: hour field "25" must be 0-23'
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        validate_cron_schedule("0 25 * * *", subject="schedule 'nightly'")


def test_validate_accepts_a_list_and_checks_each() -> None:
    assert validate_cron_schedule(["0 1 * * *", "@hourly"], subject="s") == (
        "0 1 * * *",
        "@hourly",
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape('"0 0 * 13 *" is not valid')):
        validate_cron_schedule(["0 1 * * *", "0 0 * 13 *"], subject="s")
    with pytest.raises(InvalidDefinitionError, match=re.escape("s: cron_schedule is an empty")):
        validate_cron_schedule([], subject="s")


def test_unknown_timezone_is_a_definition_error() -> None:
    msg = (
        "schedule 'x': execution_timezone \"Mars/Base\" is not a known IANA timezone; use a "
        'name like "UTC", "Europe/Paris" or "America/New_York"'
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        resolve_timezone("Mars/Base", subject="schedule 'x'")
    assert resolve_timezone(None, subject="x") is timezone.utc


def test_next_and_previous_are_in_the_timezone() -> None:
    nxt = next_execution_time(["0 0 * * *"], datetime(2024, 1, 1, 3), NY)
    assert nxt == datetime(2024, 1, 2, tzinfo=NY)
    assert nxt.utcoffset() is not None
    assert nxt.isoformat() == "2024-01-02T00:00:00-05:00"
    prev = previous_execution_time(["0 0 * * *"], datetime(2024, 1, 1, 3), NY)
    assert prev.isoformat() == "2024-01-01T00:00:00-05:00"
    # an aware time in another zone is converted first
    utc = datetime(2024, 1, 1, 3, tzinfo=timezone.utc)  # 22:00 the day before in New York
    assert next_execution_time(["0 0 * * *"], utc, NY).isoformat() == "2024-01-01T00:00:00-05:00"


def test_merged_lists_ascend_without_repeats() -> None:
    times = list(islice(iter_execution_times(["0 12 * * *", "0 0 * * *"], datetime(2024, 1, 1)), 3))
    assert [t.isoformat() for t in times] == [
        "2024-01-01T12:00:00+00:00",
        "2024-01-02T00:00:00+00:00",
        "2024-01-02T12:00:00+00:00",
    ]


def test_spring_forward_runs_a_missing_time_at_the_next_valid_one() -> None:
    nxt = next_execution_time(["30 2 * * *"], datetime(2024, 3, 9, 3), NY)
    assert nxt.isoformat() == "2024-03-10T03:00:00-04:00"


def test_fall_back_runs_a_daily_schedule_once_and_an_hourly_one_twice() -> None:
    daily = list(islice(iter_execution_times(["30 1 * * *"], datetime(2024, 11, 2, 3), NY), 2))
    assert [t.isoformat() for t in daily] == [
        "2024-11-03T01:30:00-04:00",
        "2024-11-04T01:30:00-05:00",
    ]
    hourly = list(islice(iter_execution_times(["0 * * * *"], datetime(2024, 11, 3, 0, 30), NY), 3))
    assert [t.isoformat() for t in hourly] == [
        "2024-11-03T01:00:00-04:00",
        "2024-11-03T01:00:00-05:00",
        "2024-11-03T02:00:00-05:00",
    ]


def test_previous_on_fall_back_is_the_first_pass() -> None:
    prev = previous_execution_time(["30 1 * * *"], datetime(2024, 11, 3, 3), NY)
    assert prev.isoformat() == "2024-11-03T01:30:00-04:00"
