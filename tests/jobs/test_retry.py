"""``RetryPolicy``: validation and the delay before each retry (no sleeping here)."""

from __future__ import annotations

import random
import re

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError


def test_defaults_retry_once_without_delay() -> None:
    policy = dg.RetryPolicy()
    assert (policy.max_retries, policy.delay, policy.backoff, policy.jitter) == (
        1,
        None,
        None,
        None,
    )
    assert policy.delay_for(1) == 0.0


def test_constant_delay_without_backoff() -> None:
    policy = dg.RetryPolicy(max_retries=3, delay=0.5)
    assert [policy.delay_for(n) for n in (1, 2, 3)] == [0.5, 0.5, 0.5]


def test_linear_backoff_grows_by_the_delay() -> None:
    policy = dg.RetryPolicy(max_retries=3, delay=2, backoff=dg.Backoff.LINEAR)
    assert [policy.delay_for(n) for n in (1, 2, 3)] == [2, 4, 6]


def test_exponential_backoff_follows_the_reference_curve() -> None:
    # delay * (2**n - 1), as Dagster computes it, so ported policies wait as long.
    policy = dg.RetryPolicy(max_retries=4, delay=0.5, backoff=dg.Backoff.EXPONENTIAL)
    assert [policy.delay_for(n) for n in (1, 2, 3, 4)] == [0.5, 1.5, 3.5, 7.5]


def test_full_jitter_picks_between_zero_and_the_delay() -> None:
    policy = dg.RetryPolicy(
        delay=4, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.FULL, max_retries=3
    )
    expected = 12 * random.Random(7).random()
    assert policy.delay_for(2, rng=random.Random(7)) == pytest.approx(expected)
    rng = random.Random(1)
    assert all(0 <= policy.delay_for(3, rng=rng) <= 28 for _ in range(200))


def test_plus_minus_jitter_stays_within_one_delay_of_the_base_and_above_zero() -> None:
    policy = dg.RetryPolicy(delay=1, backoff=dg.Backoff.LINEAR, jitter=dg.Jitter.PLUS_MINUS)
    rng = random.Random(3)
    picks = [policy.delay_for(2, rng=rng) for _ in range(200)]
    assert all(1 <= p <= 3 for p in picks)
    assert min(picks) < 1.5 and max(picks) > 2.5  # spread both ways
    first = dg.RetryPolicy(delay=1, jitter=dg.Jitter.PLUS_MINUS)
    assert all(first.delay_for(1, rng=rng) >= 0 for _ in range(200))


def test_zero_delay_ignores_backoff() -> None:
    policy = dg.RetryPolicy(delay=0, backoff=dg.Backoff.EXPONENTIAL)
    assert policy.delay_for(5) == 0.0


@pytest.mark.parametrize(
    ("kwargs", "msg"),
    [
        ({"max_retries": -1}, "RetryPolicy(max_retries=-1): max_retries must be 0 or more"),
        ({"delay": -0.5}, "RetryPolicy(delay=-0.5): delay must be 0 or more seconds"),
        (
            {"backoff": dg.Backoff.LINEAR},
            "RetryPolicy: backoff and jitter need a base delay; pass delay=<seconds>",
        ),
        (
            {"jitter": dg.Jitter.FULL},
            "RetryPolicy: backoff and jitter need a base delay; pass delay=<seconds>",
        ),
    ],
)
def test_invalid_policies_say_what_is_wrong(kwargs: dict[str, object], msg: str) -> None:
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_policy_is_an_immutable_value() -> None:
    policy = dg.RetryPolicy(max_retries=2, delay=1)
    assert policy == dg.RetryPolicy(max_retries=2, delay=1)
    with pytest.raises(AttributeError):
        policy.max_retries = 3  # type: ignore[misc]
