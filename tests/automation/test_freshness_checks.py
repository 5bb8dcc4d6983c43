"""The freshness check builders and their sensor, evaluated against a real instance."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

import headwater as dg
from headwater.assets.checks import AssetCheckKey
from headwater.automation.check_builders import seconds_in_words, unique_id
from headwater.automation.freshness_sensor import _ordered, _parse_cursor
from headwater.errors import InvalidDefinitionError

HOUR = timedelta(hours=1)
LONG_AGO = 1000.0
FAR_FUTURE = 4102444800.0
DAILY = dg.DailyPartitionsDefinition(start_date="2020-01-01")

pytestmark = pytest.mark.filterwarnings("ignore::headwater.SupersessionWarning")


def stamped(name: str, timestamp: float) -> dg.AssetsDefinition:
    @dg.asset(name=name)
    def _asset() -> dg.MaterializeResult:
        stamp = dg.MetadataValue.timestamp(timestamp)
        return dg.MaterializeResult(metadata={"dagster/last_updated_timestamp": stamp})

    return _asset


def evaluations(result: Any) -> dict[str, Any]:
    return {ev.asset_key.to_user_string(): ev for ev in result.get_asset_check_evaluations()}


def test_builders_warn_and_name_the_op_after_the_keys() -> None:
    with pytest.warns(dg.SupersessionWarning, match="`build_last_update_freshness_checks`"):
        checks = dg.build_last_update_freshness_checks(assets=["a", "b"], lower_bound_delta=HOUR)
    (definition,) = checks
    # The reference's name for the same keys: runs stored by either name steps alike.
    assert definition.node_def.name == "freshness_check_d38bcca1"
    assert {k.to_user_string() for k in definition.check_keys} == {
        "a:freshness_check",
        "b:freshness_check",
    }
    spec = definition.check_specs[0]
    assert spec.description == "Evaluates freshness for targeted asset."
    assert spec.metadata["dagster/freshness_params"].value == {
        "timezone": "UTC",
        "lower_bound_delta_seconds": 3600.0,
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"assets": ["a", "a"]}, "Found duplicate assets in the provided list of assets: 'a'"),
        ({"assets": ["a"], "deadline_cron": "nope"}, "Invalid cron string. deadline_cron 'nope'"),
        ({"assets": ["a"], "timezone": "Mars/X"}, "timezone 'Mars/X' is not a known IANA"),
        ({"assets": ["a"], "severity": "WARN"}, "severity must be AssetCheckSeverity.WARN or"),
        ({"assets": "a"}, "assets must be a list of asset keys or definitions, got str"),
    ],
)
def test_last_update_builder_rejects_bad_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidDefinitionError, match=re.escape(message)):
        dg.build_last_update_freshness_checks(lower_bound_delta=HOUR, **kwargs)
    with pytest.raises(InvalidDefinitionError, match="lower_bound_delta must be a datetime"):
        dg.build_last_update_freshness_checks(assets=["a"], lower_bound_delta=3600)  # type: ignore[arg-type]  # on purpose


def test_last_update_check_fails_for_a_stale_update_and_passes_for_a_fresh_one() -> None:
    stale, fresh = stamped("stale", LONG_AGO), stamped("fresh", FAR_FUTURE)
    checks = dg.build_last_update_freshness_checks(assets=[stale, fresh], lower_bound_delta=HOUR)
    before = time.time()
    result = dg.materialize([stale, fresh, *checks], instance=dg.DagsterInstance.ephemeral())
    found = evaluations(result)
    assert (found["stale"].passed, found["fresh"].passed) == (False, True)
    assert found["stale"].severity is dg.AssetCheckSeverity.WARN
    assert found["stale"].description.startswith("Asset is overdue for an update. The last ")
    md = found["fresh"].metadata
    assert md["dagster/last_updated_timestamp"].value == FAR_FUTURE
    assert md["dagster/fresh_until_timestamp"].value == FAR_FUTURE + 3600
    assert md["dagster/freshness_lower_bound_timestamp"].value >= before - 3600
    assert "dagster/fresh_until_timestamp" not in found["stale"].metadata


def test_last_update_check_with_a_cron_reports_the_tick_and_next_deadline() -> None:
    fresh = stamped("fresh", FAR_FUTURE)
    checks = dg.build_last_update_freshness_checks(
        assets=[fresh], lower_bound_delta=HOUR, deadline_cron="0 * * * *"
    )
    result = dg.materialize([fresh, *checks], instance=dg.DagsterInstance.ephemeral())
    md = evaluations(result)["fresh"].metadata
    tick = md["dagster/latest_cron_tick_timestamp"].value
    assert tick % 3600 == 0 and tick <= time.time()
    assert md["dagster/freshness_lower_bound_timestamp"].value == tick - 3600
    assert md["dagster/fresh_until_timestamp"].value == tick + 3600


def test_an_observation_with_a_newer_timestamp_wins_over_the_materialization() -> None:
    @dg.asset
    def source(context: dg.AssetExecutionContext) -> int:
        stamp = dg.MetadataValue.timestamp(FAR_FUTURE)
        context.log_event(
            dg.AssetObservation(
                asset_key="source", metadata={"dagster/last_updated_timestamp": stamp}
            )
        )
        return 1

    checks = dg.build_last_update_freshness_checks(assets=[source], lower_bound_delta=HOUR)
    result = dg.materialize([source, *checks], instance=dg.DagsterInstance.ephemeral())
    md = evaluations(result)["source"].metadata
    assert md["dagster/last_updated_timestamp"].value == FAR_FUTURE


def daily_asset(name: str) -> dg.AssetsDefinition:
    @dg.asset(name=name, partitions_def=DAILY)
    def _asset() -> int:
        return 1

    return _asset


def test_time_partition_check_looks_for_the_partition_due_at_the_last_deadline() -> None:
    daily = daily_asset("daily")
    checks = dg.build_time_partition_freshness_checks(assets=[daily], deadline_cron="0 0 * * *")
    due = DAILY.get_last_partition_key()
    instance = dg.DagsterInstance.ephemeral()
    old = dg.materialize([daily, *checks], instance=instance, partition_key="2020-01-01")
    missing = evaluations(old)["daily"]
    assert missing.passed is False
    assert missing.description == (
        f"Asset is overdue. We expected partition {due} to have arrived, and it has not."
    )
    assert "dagster/last_updated_timestamp" in missing.metadata
    ok = evaluations(dg.materialize([daily, *checks], instance=instance, partition_key=due))
    assert ok["daily"].passed is True
    assert "dagster/fresh_until_timestamp" in ok["daily"].metadata


def test_time_partition_check_of_an_unpartitioned_asset_fails_its_step() -> None:
    plain = stamped("plain", FAR_FUTURE)
    checks = dg.build_time_partition_freshness_checks(assets=[plain], deadline_cron="0 0 * * *")
    result = dg.materialize(
        [plain, *checks], instance=dg.DagsterInstance.ephemeral(), raise_on_error=False
    )
    assert result.success is False


def test_words_and_ids_read_as_the_reference_writes_them() -> None:
    assert seconds_in_words(0) == "0 seconds"
    assert seconds_in_words(90061) == "1 day, 1 hour, 1 minute, 1 second"
    assert seconds_in_words(2 * 86400 + 7200) == "2 days, 2 hours"
    key = AssetCheckKey(dg.AssetKey("a"), "dagster_row_count_bounds_check")
    assert unique_id([key]) == "8aeaf583"


def test_sensor_cursor_resumes_after_the_last_check_and_wraps() -> None:
    keys = [AssetCheckKey(dg.AssetKey(n), "freshness_check") for n in ("c", "a", "b")]
    resumed = _ordered(keys, _parse_cursor("b:freshness_check"))
    assert [k.asset_key.to_user_string() for k in resumed] == ["c", "a", "b"]
    assert _parse_cursor(None) is None


def test_sensor_requests_new_checks_then_skips_until_something_changes() -> None:
    fresh, stale = stamped("fresh", FAR_FUTURE), stamped("stale", LONG_AGO)
    checks = dg.build_last_update_freshness_checks(assets=[fresh, stale], lower_bound_delta=HOUR)
    sensor = dg.build_sensor_for_freshness_checks(freshness_checks=checks, tags={"team": "x"})
    instance = dg.DagsterInstance.ephemeral()
    first = sensor(dg.build_sensor_context(instance=instance))
    assert isinstance(first, dg.RunRequest)
    assert [k.to_user_string() for k in first.asset_check_keys or ()] == [
        "fresh:freshness_check",
        "stale:freshness_check",
    ]
    assert first.tags == {"team": "x"}
    dg.materialize([fresh, stale, *checks], instance=instance)
    skipped = sensor(dg.build_sensor_context(instance=instance))
    assert isinstance(skipped, dg.SkipReason)
    assert "No freshness checks need to be evaluated" in (skipped.skip_message or "")
    dg.materialize([stale], instance=instance)
    again = sensor(dg.build_sensor_context(instance=instance))
    assert [k.to_user_string() for k in again.asset_check_keys or ()] == ["stale:freshness_check"]


def test_sensor_reruns_a_passing_check_once_its_fresh_until_time_is_past() -> None:
    @dg.asset
    def orders() -> int:
        return 1

    @dg.multi_asset_check(specs=[dg.AssetCheckSpec("freshness_check", asset=orders)])
    def expired() -> Iterator[dg.AssetCheckResult]:
        stamp = dg.MetadataValue.timestamp(LONG_AGO)
        yield dg.AssetCheckResult(
            passed=True, asset_key="orders", metadata={"dagster/fresh_until_timestamp": stamp}
        )

    checks = dg.build_last_update_freshness_checks(assets=[orders], lower_bound_delta=HOUR)
    sensor = dg.build_sensor_for_freshness_checks(freshness_checks=checks)
    instance = dg.DagsterInstance.ephemeral()
    dg.materialize([orders, expired], instance=instance)
    request = sensor(dg.build_sensor_context(instance=instance))
    assert isinstance(request, dg.RunRequest)


def test_sensor_refuses_duplicates_and_bad_intervals() -> None:
    checks = dg.build_last_update_freshness_checks(assets=["a"], lower_bound_delta=HOUR)
    build = dg.build_sensor_for_freshness_checks
    with pytest.raises(InvalidDefinitionError, match=r"duplicate asset checks .*a:freshness_check"):
        build(freshness_checks=[*checks, *checks])
    with pytest.raises(InvalidDefinitionError, match="Interval must be a positive integer"):
        build(freshness_checks=checks, minimum_interval_seconds=-1)
    with pytest.raises(InvalidDefinitionError, match="must hold AssetChecksDefinitions"):
        build(freshness_checks=["a"])  # type: ignore[list-item]  # on purpose
    sensor = build(freshness_checks=checks, minimum_interval_seconds=60, name="mine")
    assert (sensor.name, sensor.minimum_interval_seconds) == ("mine", 60)
    assert sensor.default_status is dg.DefaultSensorStatus.STOPPED
