"""One tick of an automation condition sensor, as the daemon evaluates it.

The instance is read once into a snapshot, the pure evaluator
(:func:`~headwater.automation.condition_sensor.evaluate_condition_sensor`) decides which
asset partitions to request, and each requested partition becomes a run request of the
implicit asset job: one run per partition key, materializing every requested asset of that
partition. The evaluator's cursor is stored as JSON in the sensor's cursor.

With ``emit_backfills`` (the default), an asset requested in several partitions does not
make one run per partition: it, and every requested asset connected to it through requested
parents and children, become one backfill (:class:`ConditionBackfill`), which the
backfills duty works through under the run queue's limits, in runs as the assets'
``backfill_policy`` asks. The other requested assets run as above.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from headwater._dataclass import dataclass
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
from headwater.storage.backfills import UNPARTITIONED_UNIT, BackfillUnit

__all__ = ["ConditionBackfill", "ConditionTick", "evaluate_condition_tick"]


@dataclass(frozen=True, slots=True)
class ConditionBackfill:
    """The asset partitions one tick requests as a backfill.

    Attributes:
        units: its runs: the unpartitioned assets upstream of the partitioned ones once
            (if any), then the partitioned assets by partition (a run's assets are those
            requested in its partitions), then the other unpartitioned assets once.
        asset_selection: every partitioned asset of the backfill (user strings).
        final_selection: the unpartitioned assets run last (``None``: there are none).
    """

    units: tuple[BackfillUnit, ...]
    asset_selection: tuple[str, ...]
    final_selection: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class ConditionTick:
    """What one tick of an automation condition sensor asks for.

    Attributes:
        run_requests: one request per partition key (``None``: unpartitioned assets).
        cursor: the evaluator's cursor, as JSON.
        requested: how many asset partitions were requested.
        backfill: what is requested as a backfill (``emit_backfills``), if anything.
    """

    run_requests: tuple[RunRequest, ...]
    cursor: str
    requested: int
    backfill: ConditionBackfill | None = None


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
    requested = {
        key: frozenset(subset.partition_keys)
        for key, subset in evaluation.requested.items()
        if isinstance(key, AssetKey) and subset.partition_keys  # a check runs with its asset
    }
    count = sum(len(partitions) for partitions in requested.values())
    backfill = None
    if sensor.emit_backfills:
        backfilled = _backfilled(graph, requested)
        if backfilled:
            backfill = _plan(graph, {k: requested[k] for k in backfilled}, instance)
            requested = {k: p for k, p in requested.items() if k not in backfilled}
    by_partition: dict[str | None, list[AssetKey]] = defaultdict(list)
    for key, partitions in requested.items():
        for partition in partitions:
            by_partition[partition].append(key)
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
    return ConditionTick(requests, evaluation.cursor.to_json(), count, backfill)


def _backfilled(graph: Any, requested: Mapping[AssetKey, frozenset[Any]]) -> set[AssetKey]:
    """The requested assets that go into a backfill: each asset requested in several
    partitions, with the requested assets connected to it by requested parents and children."""
    chosen: set[AssetKey] = set()
    stack = [k for k, partitions in requested.items() if len(partitions) > 1]
    while stack:
        key = stack.pop()
        if key in chosen or key not in requested or key not in graph.executable_keys:
            continue
        chosen.add(key)
        stack.extend(graph.upstream.get(key, ()))
        stack.extend(graph.downstream.get(key, ()))
    return chosen


def _plan(
    graph: Any, requested: Mapping[AssetKey, frozenset[Any]], instance: Instance
) -> ConditionBackfill:
    """The backfill's runs: the partitions of one partitions definition asked for the same
    assets run together, cut into runs as those assets' ``backfill_policy`` asks."""
    from headwater.daemon.backfill_order import split_unpartitioned, with_upstream_unit
    from headwater.daemon.backfills import shared_backfill_policy
    from headwater.partitions import plan_backfill_runs

    groups: dict[tuple[int, frozenset[AssetKey]], list[Any]] = defaultdict(list)
    definitions: dict[int, Any] = {}
    unpartitioned = {k for k, p in requested.items() if None in p}
    by_partition: dict[tuple[int, Any], set[AssetKey]] = defaultdict(set)
    for key, partitions in requested.items():
        partitions_def = graph.def_by_key[key].partitions_def
        if partitions_def is None:
            continue
        definitions[id(partitions_def)] = partitions_def
        for partition in partitions:
            by_partition[(id(partitions_def), partition)].add(key)
    for (which, partition), keys in by_partition.items():
        groups[(which, frozenset(keys))].append(partition)
    units: list[BackfillUnit] = []
    seen: set[str] = set()
    for (which, assets), wanted in sorted(groups.items(), key=lambda g: _names(g[0][1])):
        policy = shared_backfill_policy([graph.def_by_key[k].backfill_policy for k in assets])
        ranges = plan_backfill_runs(
            policy, wanted, definitions[which], dynamic_partitions_store=instance
        )
        selection = tuple(_names(assets))
        for run in ranges:
            name = run.start if run.start == run.end else f"{run.start}...{run.end}"
            while name in seen:  # one key in two partitions definitions: keep units apart
                name += "+"
            seen.add(name)
            if run.start == run.end:
                units.append(BackfillUnit(name, partition=run.start, selection=selection))
            else:
                span = (run.start, run.end)
                units.append(BackfillUnit(name, range=span, selection=selection))
    partitioned = sorted({n for u in units for n in u.selection or ()})
    # Parents first: the unpartitioned assets upstream of the partitioned ones run before.
    parts = {k for k in requested if graph.def_by_key[k].partitions_def is not None}
    first, last = split_unpartitioned(graph, unpartitioned, parts)
    units = with_upstream_unit(units, first)
    if last:
        units.append(BackfillUnit(UNPARTITIONED_UNIT))
    final = tuple(_names(set(last))) or None
    return ConditionBackfill(tuple(units), tuple(partitioned), final)


def _names(keys: frozenset[AssetKey] | set[AssetKey]) -> list[str]:
    return sorted(k.to_user_string() for k in keys)


def _sorted(keys: list[AssetKey]) -> list[AssetKey]:
    return sorted(keys, key=AssetKey.to_user_string)
