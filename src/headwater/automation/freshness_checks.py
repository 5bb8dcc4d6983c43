"""Freshness checks: did an asset update recently enough, or did its latest partition arrive?

``build_last_update_freshness_checks`` compares an asset's last update with a lower bound
(now, or the latest tick of a deadline cron, minus ``lower_bound_delta``);
``build_time_partition_freshness_checks`` asks whether the partition that the latest
deadline completed has been materialized or observed. Both read the instance's history when
the check runs, and report what they compared as metadata, so that
``build_sensor_for_freshness_checks`` knows when a passing check could fail again.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta, timezone as dt_timezone
from typing import Any

from headwater.assets import AssetKey
from headwater.assets.checks import AssetChecksDefinition, AssetCheckSpec, multi_asset_check
from headwater.assets.freshness import is_valid_cron_string, timezone_named
from headwater.assets.results import AssetCheckResult, AssetCheckSeverity
from headwater.automation.check_builders import (
    LAST_UPDATED_TIMESTAMP_METADATA_KEY,
    assets_to_keys,
    check_severity,
    ensure_no_duplicate_assets,
    latest_update_record,
    seconds_in_words,
    superseded_warning,
    timestamp_of_record,
    unique_id,
)
from headwater.automation.cron import next_execution_time, previous_execution_time
from headwater.errors import InvalidDefinitionError
from headwater.metadata.values import JsonMetadataValue, MetadataValue, TimestampMetadataValue
from headwater.partitions.time_window import TimeWindowPartitionsDefinition

__all__ = [
    "FRESH_UNTIL_METADATA_KEY",
    "build_last_update_freshness_checks",
    "build_time_partition_freshness_checks",
]

FRESHNESS_PARAMS_METADATA_KEY = "dagster/freshness_params"
LOWER_BOUND_TIMESTAMP_METADATA_KEY = "dagster/freshness_lower_bound_timestamp"
# When a passing check could next fail: the sensor re-runs it only after this.
FRESH_UNTIL_METADATA_KEY = "dagster/fresh_until_timestamp"
LATEST_CRON_TICK_METADATA_KEY = "dagster/latest_cron_tick_timestamp"
_HINT = "Attach `FreshnessPolicy` objects to your assets instead."


def _check_cron_and_zone(deadline_cron: str | None, tz_name: str, *, where: str) -> None:
    if deadline_cron is not None and not is_valid_cron_string(deadline_cron):
        raise InvalidDefinitionError(
            f"{where}: Invalid cron string. deadline_cron {deadline_cron!r} is not a valid "
            "cron string; use five fields, e.g. '0 9 * * *'"
        )
    name: object = tz_name  # user input: not always the str the annotation says
    if not isinstance(name, str) or timezone_named(name) is None:
        raise InvalidDefinitionError(
            f"{where}: timezone {tz_name!r} is not a known IANA time zone; use a name like "
            "'UTC' or 'America/New_York'"
        )


def _freshness_check(
    keys: Sequence[AssetKey], params: dict[str, Any], blocking: bool, fn: Any
) -> AssetChecksDefinition:
    """One op evaluating a ``freshness_check`` of each asset of ``keys``."""
    specs = [
        AssetCheckSpec(
            "freshness_check",
            asset=key,
            metadata={FRESHNESS_PARAMS_METADATA_KEY: JsonMetadataValue(params)},
            description="Evaluates freshness for targeted asset.",
            blocking=blocking,
        )
        for key in keys
    ]
    return multi_asset_check(
        specs=specs, can_subset=True, name=f"freshness_check_{unique_id(keys)}"
    )(fn)


def _selected(context: Any) -> list[Any]:
    return sorted(context.selected_asset_check_keys, key=lambda k: k.to_user_string())


def build_last_update_freshness_checks(
    *,
    assets: Sequence[Any],
    lower_bound_delta: timedelta,
    deadline_cron: str | None = None,
    timezone: str = "UTC",
    severity: AssetCheckSeverity = AssetCheckSeverity.WARN,
    blocking: bool = False,
) -> Sequence[AssetChecksDefinition]:
    """Checks that pass when each asset was updated after a lower bound.

    The bound is ``lower_bound_delta`` before the latest tick of ``deadline_cron`` (or
    before now, without one). An update is the latest materialization or observation; its
    time is its ``dagster/last_updated_timestamp`` metadata entry when it has one.

    Args:
        assets: the assets (keys, definitions or source assets); one check each, named
            ``freshness_check``, all evaluated by one op.
        lower_bound_delta: how old the last update may be, at the deadline.
        deadline_cron: when updates are due; without it, at every evaluation.
        timezone: the IANA time zone of ``deadline_cron``.
        severity: the severity of a failure.
        blocking: whether a failure stops downstream assets in the same run.

    Returns:
        A list with one ``AssetChecksDefinition``.

    Raises:
        InvalidDefinitionError: a bad cron string, time zone or severity, a
            ``lower_bound_delta`` that is no ``timedelta``, or an asset given twice.
    """
    where = "build_last_update_freshness_checks"
    superseded_warning(where, _HINT)
    if not isinstance(lower_bound_delta, timedelta):
        raise InvalidDefinitionError(
            f"{where}: lower_bound_delta must be a datetime.timedelta, got "
            f"{type(lower_bound_delta).__name__}"
        )
    _check_cron_and_zone(deadline_cron, timezone, where=where)
    check_severity(severity, where=where)
    keys = assets_to_keys(assets, where=where)
    ensure_no_duplicate_assets(keys, where=where)
    params: dict[str, Any] = {
        "timezone": timezone,
        "lower_bound_delta_seconds": lower_bound_delta.total_seconds(),
    }
    if deadline_cron:
        params["deadline_cron"] = deadline_cron
    tz = timezone_named(timezone) or dt_timezone.utc

    def evaluate(context: Any) -> Iterator[AssetCheckResult]:
        for check_key in _selected(context):
            now = time.time()
            current = datetime.fromtimestamp(now, tz)
            tick = previous_execution_time([deadline_cron], current, tz) if deadline_cron else None
            lower_bound = ((tick or current) - lower_bound_delta).timestamp()
            record = latest_update_record(context.instance, check_key.asset_key, None)
            updated = timestamp_of_record(record) if record is not None else None
            passed = updated is not None and updated >= lower_bound
            metadata: dict[str, MetadataValue] = {
                FRESHNESS_PARAMS_METADATA_KEY: JsonMetadataValue(params),
                LOWER_BOUND_TIMESTAMP_METADATA_KEY: TimestampMetadataValue(lower_bound),
            }
            if tick is not None:
                metadata[LATEST_CRON_TICK_METADATA_KEY] = TimestampMetadataValue(tick.timestamp())
            if passed and updated is not None:
                # When the check can next fail: the next deadline, or when the update ages out.
                fresh_until = (
                    next_execution_time([deadline_cron], current, tz).timestamp()
                    if deadline_cron
                    else updated + lower_bound_delta.total_seconds()
                )
                metadata[FRESH_UNTIL_METADATA_KEY] = TimestampMetadataValue(fresh_until)
            if updated:
                metadata[LAST_UPDATED_TIMESTAMP_METADATA_KEY] = TimestampMetadataValue(updated)
            yield AssetCheckResult(
                passed=passed,
                description=_last_update_description(passed, lower_bound, now, updated),
                severity=severity,
                asset_key=check_key.asset_key,
                metadata=metadata,
            )

    return [_freshness_check(keys, params, blocking, evaluate)]


def _last_update_description(
    passed: bool, lower_bound: float, now: float, updated: float | None
) -> str:
    allowed = seconds_in_words(now - lower_bound)
    actual = seconds_in_words(now - updated) if updated else None
    if passed:
        return (
            f"Asset is currently fresh. The last update was {actual} ago, within the allowed "
            f"time range of {allowed}."
        )
    if updated is None:
        return "Asset has never been observed/materialized."
    return (
        f"Asset is overdue for an update. The last update was {actual} ago, which is past "
        f"the allowed distance of {allowed} ago."
    )


def build_time_partition_freshness_checks(
    *,
    assets: Sequence[Any],
    deadline_cron: str,
    timezone: str = "UTC",
    severity: AssetCheckSeverity = AssetCheckSeverity.WARN,
    blocking: bool = False,
) -> Sequence[AssetChecksDefinition]:
    """Checks that pass when each time-partitioned asset's latest due partition arrived.

    At the latest tick of ``deadline_cron``, the last partition whose window had ended is
    due; the check passes once that partition has been materialized or observed.

    Args:
        assets: time-partitioned assets (keys, definitions or source assets); one check
            each, named ``freshness_check``, all evaluated by one op.
        deadline_cron: when each partition is due.
        timezone: the IANA time zone of ``deadline_cron``.
        severity: the severity of a failure.
        blocking: whether a failure stops downstream assets in the same run.

    Returns:
        A list with one ``AssetChecksDefinition``.

    Raises:
        InvalidDefinitionError: a bad cron string, time zone or severity, or an asset
            given twice. An asset that is not time-partitioned fails the check's step.
    """
    where = "build_time_partition_freshness_checks"
    superseded_warning(where, _HINT)
    if deadline_cron is None:
        raise InvalidDefinitionError(f"{where}: deadline_cron is required, e.g. '0 9 * * *'")
    _check_cron_and_zone(deadline_cron, timezone, where=where)
    check_severity(severity, where=where)
    keys = assets_to_keys(assets, where=where)
    ensure_no_duplicate_assets(keys, where=where)
    params: dict[str, Any] = {"timezone": timezone, "deadline_cron": deadline_cron}
    tz = timezone_named(timezone) or dt_timezone.utc

    def evaluate(context: Any) -> Iterator[AssetCheckResult]:
        for check_key in _selected(context):
            key = check_key.asset_key
            current = datetime.fromtimestamp(time.time(), tz)
            deadline = previous_execution_time([deadline_cron], current, tz)
            expected = _due_partition(context, key, deadline)
            record = latest_update_record(context.instance, key, expected)
            passed = record is not None
            metadata: dict[str, MetadataValue] = {
                FRESHNESS_PARAMS_METADATA_KEY: JsonMetadataValue(params),
                LATEST_CRON_TICK_METADATA_KEY: TimestampMetadataValue(deadline.timestamp()),
            }
            any_record = latest_update_record(context.instance, key, None)
            if not passed and any_record is not None:
                updated = timestamp_of_record(any_record)
                if updated is not None:
                    metadata[LAST_UPDATED_TIMESTAMP_METADATA_KEY] = TimestampMetadataValue(updated)
            elif passed:
                fresh_until = next_execution_time([deadline_cron], current, tz).timestamp()
                metadata[FRESH_UNTIL_METADATA_KEY] = TimestampMetadataValue(fresh_until)
            yield AssetCheckResult(
                passed=passed,
                description=_partition_description(expected, passed, any_record is not None),
                severity=severity,
                asset_key=key,
                metadata=metadata,
            )

    return [_freshness_check(keys, params, blocking, evaluate)]


def _due_partition(context: Any, key: AssetKey, deadline: datetime) -> str:
    """The last partition of ``key`` whose window had ended at ``deadline``.

    Raises:
        InvalidDefinitionError: the asset is not partitioned by time, or no window had
            ended yet (the check's step fails with it).
    """
    where = f"time partition freshness check of asset '{key.to_user_string()}'"
    layer = context.job_def.asset_layer if context.job_def is not None else None
    partitions_def = layer.partitions_def_by_key.get(key) if layer is not None else None
    if not isinstance(partitions_def, TimeWindowPartitionsDefinition):
        raise InvalidDefinitionError(
            f"{where}: the asset is not partitioned by time (it needs a "
            "TimeWindowPartitionsDefinition, e.g. DailyPartitionsDefinition); use "
            "build_last_update_freshness_checks instead"
        )
    found = partitions_def.get_last_partition_key(current_time=deadline)
    if found is None:
        raise InvalidDefinitionError(
            f"{where}: no partition had ended by the deadline {deadline.isoformat()}"
        )
    return found


def _partition_description(partition: str, passed: bool, any_records: bool) -> str:
    if passed:
        return (
            f"Asset is currently fresh, since partition {partition} has been observed/materialized."
        )
    if not any_records:
        return (
            "The asset has never been observed/materialized. We currently expect partition "
            f"{partition} to have arrived."
        )
    return f"Asset is overdue. We expected partition {partition} to have arrived, and it has not."
