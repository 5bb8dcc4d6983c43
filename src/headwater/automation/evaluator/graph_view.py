"""The asset graph seen at one evaluation time, with the instance's state: full subsets,
partition mappings between dependencies, checks. Pure: reads only its arguments."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from headwater.asset_key import AssetKey
from headwater.assets.checks import AssetCheckKey
from headwater.assets.graph import AssetGraph
from headwater.automation.evaluator.backfilling import backfill_partitions, targets_by_key
from headwater.automation.evaluator.state import BackfillTarget, InstanceState
from headwater.automation.evaluator.subset import EntitySubset, PartitionKey
from headwater.partitions.inference import infer_partition_mapping
from headwater.partitions.multi import MultiPartitionsDefinition
from headwater.partitions.time_window import TimeWindowPartitionsDefinition

__all__ = ["GraphView"]


class GraphView:
    """Answers the evaluator's questions about the graph at ``evaluation_time``.

    Args:
        graph: the asset graph.
        state: the instance snapshot (dynamic partition keys come from it).
        evaluation_time: the moment time-window partitions are computed at.
    """

    def __init__(self, graph: AssetGraph, state: InstanceState, evaluation_time: datetime) -> None:
        self.graph = graph
        self.state = state
        self.evaluation_time = evaluation_time

    # -- entities ---------------------------------------------------------------------------

    def partitions_def(self, key: Any) -> Any:
        """The partitions definition of an asset (checks are unpartitioned)."""
        if isinstance(key, AssetCheckKey):
            return None
        return self.graph.partitions_def_by_key.get(key)

    def is_external(self, key: AssetKey) -> bool:
        """Whether the asset is defined outside this code (its updates may be observations)."""
        definition = self.graph.def_by_key.get(key)
        return definition is None or definition.is_external

    def code_version(self, key: AssetKey) -> str | None:
        """The asset's code version, if it has one."""
        definition = self.graph.def_by_key.get(key)
        return None if definition is None else definition.code_versions_by_key.get(key)

    def parents(self, key: Any) -> set[AssetKey]:
        """The asset's direct dependencies (a check's: the asset it checks)."""
        if isinstance(key, AssetCheckKey):
            return {key.asset_key}
        return set(self.graph.upstream.get(key, ()))

    @functools.cache  # noqa: B019 - one view lives for one evaluation
    def partition_keys(self, key: Any) -> tuple[PartitionKey, ...]:
        """Every partition of the entity at the evaluation time (``(None,)`` unpartitioned)."""
        pdef = self.partitions_def(key)
        if pdef is None:
            return (None,)
        return tuple(
            pdef.get_partition_keys(
                current_time=self.evaluation_time, dynamic_partitions_store=self.state
            )
        )

    def full_subset(self, key: Any) -> EntitySubset:
        """Every partition of the entity."""
        return EntitySubset(key, self.partition_keys(key))

    def empty_subset(self, key: Any) -> EntitySubset:
        """No partition of the entity."""
        return EntitySubset(key)

    @functools.cached_property
    def check_specs(self) -> dict[AssetCheckKey, Any]:
        """Every check of the graph, by key."""
        specs = [s for d in self.graph.check_defs for s in d.check_specs]
        specs += [s for d in self.graph.assets_defs for s in d.check_specs]
        return {s.key: s for s in specs}

    def check_keys(self, key: AssetKey, *, blocking_only: bool) -> list[AssetCheckKey]:
        """The checks of an asset, sorted by name."""
        found = [
            k
            for k, s in self.check_specs.items()
            if k.asset_key == key and (s.blocking or not blocking_only)
        ]
        return sorted(found, key=lambda k: k.name)

    # -- backfills --------------------------------------------------------------------------

    @functools.cached_property
    def backfill_targets_by_key(self) -> Mapping[AssetKey, Sequence[BackfillTarget]]:
        """The requested backfills' runs, by the assets they materialize."""
        return targets_by_key(self)

    @functools.cache  # noqa: B019 - one view lives for one evaluation
    def backfill_partitions(self, key: AssetKey, *, in_progress: bool) -> frozenset[PartitionKey]:
        """The partitions of ``key`` the requested backfills target or, with
        ``in_progress``, will still materialize (see the ``backfilling`` module)."""
        return backfill_partitions(self, key, in_progress=in_progress)

    # -- time windows -----------------------------------------------------------------------

    def latest_time_window_subset(self, key: Any, lookback: timedelta | None) -> EntitySubset:
        """The partitions in the latest time window (all of them without a time dimension)."""
        pdef = self.partitions_def(key)
        time_def, dimension = _time_dimension(pdef)
        if time_def is None:
            return self.full_subset(key)
        keys = time_def.get_partition_keys(current_time=self.evaluation_time)
        if not keys:
            return self.empty_subset(key)
        latest = time_def.time_window_for_partition_key(keys[-1])
        start = latest.start if not lookback else latest.end - lookback
        in_window = {k for k in keys if time_def.time_window_for_partition_key(k).end > start} | {
            keys[-1]
        }
        if dimension is None:
            return EntitySubset(key, in_window)
        return EntitySubset(
            key,
            (
                k
                for k in self.partition_keys(key)
                if k is not None and _dim(pdef, k, dimension) in in_window
            ),
        )

    # -- mapping across dependencies ------------------------------------------------------------

    def map_subset(self, subset: EntitySubset, to_key: Any) -> EntitySubset:
        """The partitions of ``to_key`` related to ``subset`` (a parent or a child of it).

        An asset and its checks map onto each other whole.
        """
        if subset.is_empty or subset.key == to_key:
            return EntitySubset(to_key, subset.partition_keys if subset.key == to_key else ())
        if isinstance(subset.key, AssetCheckKey) or isinstance(to_key, AssetCheckKey):
            return self.full_subset(to_key)
        if to_key in self.parents(subset.key):
            return self._map(subset, downstream=subset.key, upstream=to_key, up=True)
        return self._map(subset, downstream=to_key, upstream=subset.key, up=False)

    def _map(
        self, subset: EntitySubset, *, downstream: AssetKey, upstream: AssetKey, up: bool
    ) -> EntitySubset:
        to_key = upstream if up else downstream
        down_def, up_def = self.partitions_def(downstream), self.partitions_def(upstream)
        if down_def is None or up_def is None:
            # An unpartitioned side depends on, or feeds, every partition of the other.
            return self.full_subset(to_key)
        definition = self.graph.def_by_key.get(downstream)
        given = None if definition is None else definition.partition_mappings.get(upstream)
        mapping = infer_partition_mapping(given, down_def, up_def)
        keys = [k for k in subset.partition_keys if k is not None]
        if up:
            found: Sequence[str] = mapping.get_upstream_partition_keys(
                keys,
                down_def,
                up_def,
                current_time=self.evaluation_time,
                dynamic_partitions_store=self.state,
            ).partition_keys
        else:
            found = mapping.get_downstream_partition_keys(
                keys,
                up_def,
                down_def,
                current_time=self.evaluation_time,
                dynamic_partitions_store=self.state,
            )
        return EntitySubset(to_key, set(found) & set(self.partition_keys(to_key)))

    def nonexistent_parent_keys(
        self, key: AssetKey, p: PartitionKey, parent: AssetKey
    ) -> tuple[str, ...]:
        """The partitions of ``parent`` that partition ``p`` of ``key`` needs and that the
        parent's partitions definition does not have."""
        down_def, up_def = self.partitions_def(key), self.partitions_def(parent)
        if p is None or down_def is None or up_def is None:
            return ()
        definition = self.graph.def_by_key.get(key)
        given = None if definition is None else definition.partition_mappings.get(parent)
        mapping = infer_partition_mapping(given, down_def, up_def)
        result = mapping.get_upstream_partition_keys(
            [p],
            down_def,
            up_def,
            current_time=self.evaluation_time,
            dynamic_partitions_store=self.state,
        )
        return tuple(result.required_but_nonexistent_partition_keys)


def _time_dimension(pdef: Any) -> tuple[TimeWindowPartitionsDefinition | None, str | None]:
    if isinstance(pdef, TimeWindowPartitionsDefinition):
        return pdef, None
    if isinstance(pdef, MultiPartitionsDefinition):
        dimension = pdef.time_window_dimension
        if dimension is not None:
            return dimension.partitions_def, dimension.name  # type: ignore[return-value]
    return None, None


def _dim(pdef: MultiPartitionsDefinition, key: str, dimension: str) -> str | None:
    return pdef.get_partition_key_from_str(key).keys_by_dimension.get(dimension)
