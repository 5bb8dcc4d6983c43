"""``build_sensor_for_freshness_checks``: re-run freshness checks only when they could change.

Each tick looks at every check's last evaluation in the instance: a check never run is
requested; a check that passed is requested once its ``dagster/fresh_until_timestamp`` has
gone by; a check that failed is requested only after its asset was materialized again
(that run usually evaluates it anyway); a check being evaluated by a run this sensor
launched is left alone. The cursor remembers where a tick stopped, so that a tick cut
short by its time budget resumes with the next check.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from headwater.assets import AssetKey
from headwater.assets.checks import AssetCheckKey, AssetChecksDefinition
from headwater.automation.check_builders import seconds_in_words, superseded_warning
from headwater.automation.context import SensorEvaluationContext
from headwater.automation.freshness_checks import FRESH_UNTIL_METADATA_KEY
from headwater.automation.requests import RunRequest, SkipReason
from headwater.automation.sensor import (
    SENSOR_NAME_TAG,
    DefaultSensorStatus,
    SensorDefinition,
)
from headwater.errors import InvalidDefinitionError
from headwater.events import EventType
from headwater.storage.queries import EventRecordsFilter, find_event_records

__all__ = ["build_sensor_for_freshness_checks"]

DEFAULT_FRESHNESS_SENSOR_NAME = "freshness_checks_sensor"
# A tick stops looking after this long and resumes at the cursor on the next one.
_TIME_BUDGET_S = 35.0
_DESCRIPTION = (
    "This sensor launches execution of freshness checks for the provided assets. It only "
    "launches a check again when the check previously passed but enough time has passed "
    "that it could be overdue; once a check has failed, it waits until the asset is updated "
    "(which should execute the check)."
)
_NOTHING_TO_DO = (
    "No freshness checks need to be evaluated at this time, since all checks are either "
    "currently evaluating, have failed, or are not yet overdue."
)


def _parse_cursor(cursor: str | None) -> AssetCheckKey | None:
    if not cursor or ":" not in cursor:
        return None
    asset, _, name = cursor.rpartition(":")
    return AssetCheckKey(AssetKey.from_user_string(asset), name)


def _ordered(keys: Sequence[AssetCheckKey], after: AssetCheckKey | None) -> list[AssetCheckKey]:
    """Every key by name, starting after ``after`` (the cursor) and wrapping around."""
    ordered = sorted(keys, key=lambda k: k.to_user_string())
    if after is None or after not in ordered:
        return ordered
    cut = ordered.index(after) + 1
    return ordered[cut:] + ordered[:cut]


def _latest(instance: Any, event_type: EventType, key: AssetCheckKey) -> Any:
    """The newest stored event of ``event_type`` about check ``key``, or ``None``."""
    wanted = EventRecordsFilter(event_type=event_type, asset_key=key.asset_key)
    for record in find_event_records(instance.storage, wanted, limit=None, ascending=False):
        if record.event.data.get("check_name") == key.name:
            return record
    return None


def _in_flight(instance: Any, planned: Any, done: Any) -> Any:
    """The run still evaluating the check (planned after the last evaluation), or ``None``."""
    if planned is None or (done is not None and planned.storage_id < done.storage_id):
        return None
    run = instance.get_run(planned.run_id)
    return run if run is not None and not run.status.is_finished else None


def _after_failure(context: SensorEvaluationContext, key: AssetCheckKey, done: Any) -> bool:
    """A failed check runs again only once its asset has been materialized since."""
    name = key.to_user_string()
    latest = context.instance.get_latest_materialization_event(key.asset_key)
    if latest is not None and latest.timestamp > done.timestamp:
        context.log.info(f"Freshness check {name} failed, but the asset was updated since.")
        return True
    context.log.info(f"Freshness check {name} failed, and the asset was not updated since.")
    return False


def _after_pass(
    context: SensorEvaluationContext, key: AssetCheckKey, evaluation: Any, started: float
) -> bool:
    """A passing check runs again once its ``fresh_until`` time has gone by."""
    name = key.to_user_string()
    fresh_until = evaluation.metadata.get(FRESH_UNTIL_METADATA_KEY)
    deadline = float(fresh_until.value) if fresh_until is not None else 0.0
    if deadline < started:
        context.log.info(f"Freshness check {name} passed, but could be overdue again.")
        return True
    context.log.info(
        f"Freshness check {name} passed, and cannot be overdue again until "
        f"{seconds_in_words(deadline - started)} from now. Skipping..."
    )
    return False


def _decide(context: SensorEvaluationContext, key: AssetCheckKey, started: float) -> bool:
    """Whether check ``key`` should be evaluated now (the reasons are logged)."""
    instance, name = context.instance, key.to_user_string()
    done = _latest(instance, EventType.ASSET_CHECK_EVALUATION, key)
    planned = _latest(instance, EventType.ASSET_CHECK_EVALUATION_PLANNED, key)
    running = _in_flight(instance, planned, done)
    if done is None:
        state = "is being evaluated for the first time" if running else "was never evaluated"
        context.log.info(f"Freshness check {name} {state}.")
        return running is None
    evaluation = done.event_log_entry.asset_check_evaluation
    launched_here = running is not None and (
        running.tags.get(SENSOR_NAME_TAG) == context.sensor_name
    )
    if evaluation.passed and launched_here:
        context.log.info(f"Freshness check {name} is being evaluated by a run of this sensor.")
        return False
    if not evaluation.passed:
        return _after_failure(context, key, done)
    return _after_pass(context, key, evaluation, started)


def _evaluations(
    context: SensorEvaluationContext, keys: Sequence[AssetCheckKey], started: float
) -> Iterator[tuple[AssetCheckKey, bool]]:
    for key in _ordered(keys, _parse_cursor(context.cursor)):
        yield key, _decide(context, key, started)


def build_sensor_for_freshness_checks(
    *,
    freshness_checks: Sequence[AssetChecksDefinition],
    minimum_interval_seconds: int | None = None,
    name: str = DEFAULT_FRESHNESS_SENSOR_NAME,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    tags: Mapping[str, Any] | None = None,
) -> SensorDefinition:
    """A sensor that requests runs of the freshness checks that could have changed.

    Args:
        freshness_checks: checks from ``build_last_update_freshness_checks`` or
            ``build_time_partition_freshness_checks``.
        minimum_interval_seconds: the least time between two ticks.
        name: the sensor's name (give another when building several).
        default_status: whether it runs as soon as it is loaded.
        tags: tags of the runs it requests.

    Returns:
        A ``SensorDefinition`` whose ticks return a ``RunRequest(asset_check_keys=[...])``
        or a ``SkipReason``.

    Raises:
        InvalidDefinitionError: a check given twice, a negative interval, or something
            that is not an ``AssetChecksDefinition``.
    """
    where = "build_sensor_for_freshness_checks"
    superseded_warning(
        where, "Use `FreshnessPolicy` objects, which do not require a sensor, instead."
    )
    checks = list(freshness_checks)
    for item in checks:
        if not isinstance(item, AssetChecksDefinition):
            raise InvalidDefinitionError(
                f"{where}: freshness_checks must hold AssetChecksDefinitions (from "
                f"build_last_update_freshness_checks), got {type(item).__name__}"
            )
    keys = [spec.key for item in checks for spec in item.check_specs]
    repeated = sorted({k.to_user_string() for k in keys if keys.count(k) > 1})
    if repeated:
        raise InvalidDefinitionError(
            f"{where}: Found duplicate asset checks in the provided list of asset checks: "
            f"{', '.join(repeated)}. Please ensure that each provided asset check is unique."
        )
    if minimum_interval_seconds is not None and minimum_interval_seconds < 0:
        raise InvalidDefinitionError(
            f"{where}: minimum_interval_seconds is {minimum_interval_seconds}; Interval must "
            "be a positive integer."
        )
    run_tags = dict(tags or {})

    def evaluate(context: SensorEvaluationContext) -> RunRequest | SkipReason:
        started = time.time()
        wanted: list[AssetCheckKey] = []
        stopped_at: AssetCheckKey | None = None
        for key, should_run in _evaluations(context, keys, started):
            if should_run:
                wanted.append(key)
            if time.time() - started >= _TIME_BUDGET_S:
                stopped_at = key
                break
        context.update_cursor(stopped_at.to_user_string() if stopped_at is not None else None)
        if wanted:
            return RunRequest(asset_check_keys=wanted, tags=run_tags)
        return SkipReason(_NOTHING_TO_DO)

    return SensorDefinition(
        name=name,
        evaluation_fn=evaluate,
        minimum_interval_seconds=minimum_interval_seconds,
        description=_DESCRIPTION,
        default_status=default_status,
        asset_selection=checks,
    )
