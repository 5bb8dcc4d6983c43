"""Freshness policies: construction, validation, and where assets and specs keep them."""

from __future__ import annotations

import pickle
import re
from datetime import timedelta

import pytest

import headwater as dg
from headwater.assets.freshness import (
    CronFreshnessPolicy,
    TimeWindowFreshnessPolicy,
    is_valid_cron_string,
    smallest_cron_interval,
    timezone_named,
)
from headwater.errors import InvalidDefinitionError

HOUR = timedelta(hours=1)


def test_time_window_policy_keeps_its_windows_and_compares_by_value() -> None:
    policy = dg.FreshnessPolicy.time_window(fail_window=2 * HOUR, warn_window=HOUR)
    assert isinstance(policy, TimeWindowFreshnessPolicy)
    assert isinstance(policy, dg.FreshnessPolicy)
    assert (policy.fail_window, policy.warn_window) == (2 * HOUR, HOUR)
    assert policy == dg.FreshnessPolicy.time_window(fail_window=2 * HOUR, warn_window=HOUR)
    assert policy != dg.FreshnessPolicy.time_window(fail_window=2 * HOUR)
    assert dg.FreshnessPolicy.time_window(fail_window=HOUR).warn_window is None


@pytest.mark.parametrize(
    ("fail", "warn", "message"),
    [
        (timedelta(seconds=30), None, "fail_window cannot be less than 1 minute (got 30 seconds)"),
        (HOUR, timedelta(seconds=5), "warn_window cannot be less than 1 minute (got 5 seconds)"),
        (HOUR, 2 * HOUR, "warn_window must be less than fail_window"),
        (HOUR, HOUR, "warn_window must be less than fail_window"),
    ],
)
def test_time_window_policy_rejects_bad_windows(
    fail: timedelta, warn: timedelta | None, message: str
) -> None:
    with pytest.raises(InvalidDefinitionError, match=re.escape(message)):
        dg.FreshnessPolicy.time_window(fail_window=fail, warn_window=warn)


def test_cron_policy_defaults_to_utc_and_validates_its_zone() -> None:
    policy = dg.FreshnessPolicy.cron(deadline_cron="0 10 * * *", lower_bound_delta=HOUR)
    assert isinstance(policy, CronFreshnessPolicy)
    assert (policy.deadline_cron, policy.lower_bound_delta, policy.timezone) == (
        "0 10 * * *",
        HOUR,
        "UTC",
    )
    with pytest.raises(InvalidDefinitionError, match="Invalid IANA timezone: Mars/X"):
        dg.FreshnessPolicy.cron(
            deadline_cron="0 10 * * *", lower_bound_delta=HOUR, timezone="Mars/X"
        )


@pytest.mark.parametrize(
    ("cron", "delta", "message"),
    [
        ("not cron", HOUR, "Invalid cron string. deadline_cron 'not cron'"),
        ("0 0 30 2 *", HOUR, "Invalid cron string."),
        ("0 10 * * *", timedelta(seconds=1), "greater than or equal to 1 minute, was 1.0 seconds"),
        ("0 10 * * *", timedelta(days=2), "(86400.0 seconds for deadline_cron 0 10 * * *)"),
        ("*/30 * * * *", HOUR, "(1800.0 seconds for deadline_cron */30 * * * *)"),
    ],
)
def test_cron_policy_rejects_bad_crons_and_bounds(
    cron: str, delta: timedelta, message: str
) -> None:
    with pytest.raises(InvalidDefinitionError, match=re.escape(message)):
        dg.FreshnessPolicy.cron(deadline_cron=cron, lower_bound_delta=delta)


def test_smallest_interval_sees_the_shortest_gap_of_irregular_crons() -> None:
    utc = timezone_named("UTC")
    assert utc is not None
    assert smallest_cron_interval("0 9,17 * * *", utc) == timedelta(hours=8)
    assert smallest_cron_interval("0 0 1 * *", utc) == timedelta(days=28)
    assert is_valid_cron_string("0 0 * * * *") is False  # five fields only (no seconds)
    assert timezone_named("Nowhere/Land") is None


def test_legacy_policy_warns_validates_and_pickles() -> None:
    with pytest.warns(DeprecationWarning, match="LegacyFreshnessPolicy` is deprecated"):
        policy = dg.LegacyFreshnessPolicy(maximum_lag_minutes=30, cron_schedule="0 9 * * *")
    assert policy.maximum_lag_minutes == 30.0
    assert policy.maximum_lag_delta == timedelta(minutes=30)
    with pytest.warns(DeprecationWarning):  # unpickling builds it anew, as constructing does
        assert pickle.loads(pickle.dumps(policy)) == policy
    assert not isinstance(policy, dg.FreshnessPolicy)
    with (
        pytest.warns(DeprecationWarning),
        pytest.raises(InvalidDefinitionError, match=re.escape("Invalid cron schedule 'bad'.")),
    ):
        dg.LegacyFreshnessPolicy(maximum_lag_minutes=5, cron_schedule="bad")
    with (
        pytest.warns(DeprecationWarning),
        pytest.raises(InvalidDefinitionError, match="without a cron_schedule"),
    ):
        dg.LegacyFreshnessPolicy(maximum_lag_minutes=5, cron_schedule_timezone="UTC")


def test_spec_keeps_its_policy_through_replace_and_merge() -> None:
    policy = dg.FreshnessPolicy.time_window(fail_window=HOUR)
    spec = dg.AssetSpec("orders", freshness_policy=policy)
    assert spec.freshness_policy is policy
    assert spec.merge_attributes(owners=["team:data"]).freshness_policy is policy
    assert spec.replace_attributes(freshness_policy=None).freshness_policy is None
    assert spec.metadata == {}


def test_spec_refuses_a_legacy_policy_as_freshness_policy_and_unknown_kwargs() -> None:
    with pytest.warns(DeprecationWarning):
        legacy = dg.LegacyFreshnessPolicy(maximum_lag_minutes=5)
    with pytest.raises(InvalidDefinitionError, match="goes in legacy_freshness_policy= instead"):
        dg.AssetSpec("a", freshness_policy=legacy)  # type: ignore[arg-type]  # on purpose
    spec = dg.AssetSpec("a", legacy_freshness_policy=legacy)
    assert spec.legacy_freshness_policy is legacy
    with pytest.raises(TypeError, match="unexpected keyword argument 'freshnes_policy'"):
        dg.AssetSpec("a", freshnes_policy=legacy)


def test_asset_and_multi_asset_store_policies_by_key() -> None:
    policy = dg.FreshnessPolicy.time_window(fail_window=HOUR)

    @dg.asset(freshness_policy=policy)
    def orders() -> int:
        return 1

    @dg.multi_asset(outs={"a": dg.AssetOut(freshness_policy=policy), "b": dg.AssetOut()})
    def pair() -> tuple[int, int]:
        return 1, 2

    assert orders.freshness_policies_by_key == {dg.AssetKey("orders"): policy}
    assert pair.freshness_policies_by_key == {dg.AssetKey("a"): policy}
    graph = dg.Definitions(assets=[orders, pair]).resolve_asset_graph()
    assert graph.get(dg.AssetKey("a")).freshness_policy == policy
    assert graph.get(dg.AssetKey("b")).freshness_policy is None
    assert set(graph.freshness_policy_by_key) == {dg.AssetKey("orders"), dg.AssetKey("a")}
    with pytest.raises(InvalidDefinitionError, match="asset 'orders': freshness_policy must be"):
        dg.asset(freshness_policy="daily", name="orders")(lambda: 1)


def test_asset_legacy_policy_warns_and_is_listed() -> None:
    with pytest.warns(DeprecationWarning):
        legacy = dg.LegacyFreshnessPolicy(maximum_lag_minutes=5)
    with pytest.warns(DeprecationWarning, match="`legacy_freshness_policy` of function `asset`"):

        @dg.asset(legacy_freshness_policy=legacy)
        def orders() -> int:
            return 1

    assert orders.legacy_freshness_policies_by_key == {dg.AssetKey("orders"): legacy}


def test_apply_freshness_policy_overwrites_unless_told_to_keep() -> None:
    old = dg.FreshnessPolicy.time_window(fail_window=HOUR)
    new = dg.FreshnessPolicy.time_window(fail_window=2 * HOUR)
    spec = dg.AssetSpec("a", freshness_policy=old)
    assert dg.apply_freshness_policy(spec, new).freshness_policy == new
    assert dg.apply_freshness_policy(spec, new, overwrite_existing=False).freshness_policy == old
    bare = dg.AssetSpec("b")
    assert dg.apply_freshness_policy(bare, new, overwrite_existing=False).freshness_policy == new
    with pytest.raises(InvalidDefinitionError, match="spec must be an AssetSpec"):
        dg.apply_freshness_policy("a", new)  # type: ignore[arg-type]  # on purpose
    with pytest.raises(InvalidDefinitionError, match="freshness_policy must be a FreshnessPolicy"):
        dg.apply_freshness_policy(spec, "daily")  # type: ignore[arg-type]  # on purpose
