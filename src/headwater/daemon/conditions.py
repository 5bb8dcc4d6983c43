"""One tick of an automation condition sensor, as the daemon evaluates it.

The instance is read once into a snapshot, the pure evaluator
(:func:`~headwater.automation.condition_sensor.evaluate_condition_sensor`) decides which
asset partitions to request, and each requested partition becomes a run request of the
implicit asset job: one run per partition key, materializing every requested asset of that
partition. The evaluator's cursor is stored as JSON in the sensor's cursor.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from headwater.asset_key import AssetKey
from headwater.assets.job import IMPLICIT_ASSET_JOB_NAME
from headwater.automation.condition_sensor import (
    AutomationConditionSensorDefinition,
    evaluate_condition_sensor,
)
from headwater.automation.evaluator import AssetDaemonCursor, read_instance_state
from headwater.automation.requests import RunRequest
from headwater.automation.sensor import SENSOR_NAME_TAG
from headwater.storage import Instance

__all__ = ["ConditionTick", "evaluate_condition_tick"]


@dataclass(frozen=True, slots=True)
class ConditionTick:
    """What one tick of an automation condition sensor asks for.

    Attributes:
        run_requests: one request per partition key (``None``: unpartitioned assets).
        cursor: the evaluator's cursor, as JSON.
        requested: how many asset partitions were requested.
    """

    run_requests: tuple[RunRequest, ...]
    cursor: str
    requested: int


def evaluate_condition_tick(
    sensor: AutomationConditionSensorDefinition,
    graph: Any,
    instance: Instance,
    *,
    cursor: str | None,
    now: float,
) -> ConditionTick:
    """Evaluate ``sensor``'s target conditions against ``instance`` at ``now``."""
    previous = AssetDaemonCursor.from_json(cursor) if cursor else AssetDaemonCursor()
    state = read_instance_state(instance, graph.partitions_def_by_key.values())
    evaluation = evaluate_condition_sensor(
        sensor,
        graph,
        state,
        evaluation_time=datetime.fromtimestamp(now, timezone.utc),
        cursor=previous,
    )
    by_partition: dict[str | None, list[AssetKey]] = defaultdict(list)
    count = 0
    for key, subset in evaluation.requested.items():
        if not isinstance(key, AssetKey):
            continue  # a check runs with its asset
        for partition in subset.partition_keys:
            by_partition[partition].append(key)
            count += 1
    run_tags = {**(sensor.run_tags or {}), SENSOR_NAME_TAG: sensor.name}
    requests = tuple(
        RunRequest(
            asset_selection=_sorted(keys),
            partition_key=partition,
            job_name=IMPLICIT_ASSET_JOB_NAME,
            tags=run_tags,
        )
        for partition, keys in sorted(by_partition.items(), key=lambda item: item[0] or "")
    )
    return ConditionTick(requests, evaluation.cursor.to_json(), count)


def _sorted(keys: list[AssetKey]) -> list[AssetKey]:
    return sorted(keys, key=AssetKey.to_user_string)
