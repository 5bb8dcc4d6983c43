"""Whether an asset is up to date: compared with its code and its upstream assets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from headwater._dataclass import dataclass
from headwater.asset_key import AssetKey
from headwater.assets.graph import AssetGraph
from headwater.assets.versions import DATA_VERSION_TAG

__all__ = ["AssetStatus", "asset_statuses"]


@dataclass(frozen=True)
class AssetStatus:
    """What the instance knows about one asset, and whether it is stale.

    Attributes:
        key: the asset.
        last_materialized: when it was last materialized (seconds since the epoch).
        last_run_id: the run that did it.
        last_partition: the partition materialized last, if partitioned.
        data_version: the data version recorded then.
        stale_reasons: why it is stale; empty when it is up to date.
    """

    key: AssetKey
    last_materialized: float | None
    last_run_id: str | None
    last_partition: str | None
    data_version: str | None
    stale_reasons: tuple[str, ...]

    @property
    def is_stale(self) -> bool:
        """Whether the asset needs materializing again."""
        return bool(self.stale_reasons)


def asset_statuses(
    graph: AssetGraph, instance: Any, keys: Sequence[AssetKey] | None = None
) -> list[AssetStatus]:
    """The status of ``keys`` (every asset of ``graph`` by default), in dependency order.

    An asset is stale when it was never materialized, when its code version differs from
    the one its last materialization recorded, when an upstream asset was materialized
    after it, or when an observable source upstream was last observed with a data version
    other than the one its last materialization read. An observable source asset is never
    stale; its ``data_version`` is the one last observed.
    """
    wanted = list(keys) if keys is not None else list(graph.toposorted_keys)
    names = {k: k.to_user_string() for k in graph.all_keys}
    latest = instance.get_latest_materialization_records(list(names.values()))
    observed = _observed_versions(graph, instance, wanted)
    statuses = []
    for key in wanted:
        definition = graph.def_by_key[key]
        record = latest.get(names[key])
        reasons: list[str] = []
        if record is None:
            if definition.is_materializable:
                reasons.append("never materialized")
        else:
            reasons.extend(_stale_reasons(graph, key, record, latest, observed, names))
        event = record.event if record is not None else None
        statuses.append(
            AssetStatus(
                key=key,
                last_materialized=event.timestamp if event else None,
                last_run_id=event.run_id if event else None,
                last_partition=event.data.get("partition") if event else None,
                data_version=event.data.get("data_version") if event else observed.get(key),
                stale_reasons=tuple(reasons) if definition.is_materializable else (),
            )
        )
    return statuses


def _observed_versions(
    graph: AssetGraph, instance: Any, wanted: Sequence[AssetKey]
) -> dict[AssetKey, str]:
    """The last observed data version of each observable source among ``wanted`` and their
    upstream assets (one query each: sources are few)."""
    sources = {
        k
        for key in wanted
        for k in (key, *graph.upstream.get(key, ()))
        if graph.def_by_key[k].is_observable
    }
    versions: dict[AssetKey, str] = {}
    for key in sources:
        record = instance.get_latest_data_version_record(key, is_source=True)
        data = record.event.data if record is not None else {}
        version = data.get("data_version") or (data.get("tags") or {}).get(DATA_VERSION_TAG)
        if version is not None:
            versions[key] = str(version)
    return versions


def _stale_reasons(
    graph: AssetGraph,
    key: AssetKey,
    record: Any,
    latest: Mapping[str, Any],
    observed: Mapping[AssetKey, str],
    names: Mapping[AssetKey, str],
) -> list[str]:
    data = record.event.data
    reasons = []
    current = graph.def_by_key[key].code_versions_by_key.get(key)
    recorded = data.get("code_version")
    if current is not None and current != recorded:
        reasons.append(f"code version changed ({recorded or 'none'} → {current})")
    read = (data.get("provenance") or {}).get("input_data_versions") or {}
    for upstream in sorted(graph.upstream.get(key, ())):
        other = latest.get(names[upstream])
        if other is not None and other.storage_id > record.storage_id:
            reasons.append(f"upstream '{names[upstream]}' materialized since")
        elif upstream in observed and observed[upstream] != read.get(names[upstream]):
            was = read.get(names[upstream]) or "none"
            reasons.append(
                f"upstream '{names[upstream]}' observed with a new data version "
                f"({was} → {observed[upstream]})"
            )
    return reasons
