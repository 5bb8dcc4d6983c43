from __future__ import annotations

import re
from datetime import datetime

import pytest

from headwater.partitions._cron import CronError, parse_cron


@pytest.mark.parametrize(
    ("expression", "after", "expected"),
    [
        ("0 0 * * 0", datetime(2023, 12, 1), datetime(2023, 12, 3)),  # Sunday
        ("30 2 * * *", datetime(2024, 1, 1, 2, 30), datetime(2024, 1, 2, 2, 30)),
        ("0 0 29 * *", datetime(2023, 1, 30), datetime(2023, 3, 29)),  # no Feb 29 in 2023
        ("0 0 31 * *", datetime(2024, 4, 1), datetime(2024, 5, 31)),  # April has 30 days
        ("*/15 9-17 * * mon-fri", datetime(2024, 1, 5, 17, 50), datetime(2024, 1, 8, 9, 0)),
        ("0 0 1 jan *", datetime(2024, 1, 1), datetime(2025, 1, 1)),
        ("0 12 * * 7", datetime(2024, 1, 1), datetime(2024, 1, 7, 12)),  # 7 is Sunday too
    ],
)
def test_next_after_finds_the_next_matching_minute(
    expression: str, after: datetime, expected: datetime
) -> None:
    assert parse_cron(expression).next_after(after) == expected


def test_prev_before_is_strict_and_ignores_seconds() -> None:
    cron = parse_cron("30 2 * * *")
    assert cron.prev_before(datetime(2024, 1, 1, 2, 30)) == datetime(2023, 12, 31, 2, 30)
    assert cron.prev_before(datetime(2024, 1, 1, 2, 30, 1)) == datetime(2024, 1, 1, 2, 30)
    assert parse_cron("0 0 31 * *").prev_before(datetime(2024, 5, 1)) == datetime(2024, 3, 31)


def test_day_fields_match_either_when_both_are_restricted() -> None:
    cron = parse_cron("0 0 13 * fri")  # the 13th, or any Friday
    assert cron.next_after(datetime(2024, 1, 1)) == datetime(2024, 1, 5)
    assert cron.next_after(datetime(2024, 1, 12)) == datetime(2024, 1, 13)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("0 24 * * *", "cron schedule '0 24 * * *': hour field '24' is outside 0-23"),
        ("x * * * *", "cron schedule 'x * * * *': minute field 'x' does not parse"),
        (
            "* * *",
            "cron schedule '* * *' has 3 fields; expected 5 "
            "(minute hour day-of-month month day-of-week)",
        ),
        ("0 0 30 2 *", "cron schedule '0 0 30 2 *' never fires"),
        ("0 0 * 13 *", "cron schedule '0 0 * 13 *': month field '13' is outside 1-12"),
    ],
)
def test_bad_cron_names_the_field(expression: str, message: str) -> None:
    with pytest.raises(CronError, match=f"^{re.escape(message)}$"):
        parse_cron(expression)


def test_fires_every_hour() -> None:
    assert parse_cron("15 * * * *").fires_every_hour
    assert not parse_cron("15 0-22 * * *").fires_every_hour
