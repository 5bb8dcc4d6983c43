"""Whether an asset is up to date: compared with its code and its upstream assets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from headwater.asset_key import AssetKey
from headwater.assets.graph import AssetGraph

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
    the one its last materialization recorded, or when an upstream asset was materialized
    after it.
    """
    wanted = list(keys) if keys is not None else list(graph.toposorted_keys)
    names = {k: k.to_user_string() for k in graph.all_keys}
    latest = instance.get_latest_materialization_records(list(names.values()))
    statuses = []
    for key in wanted:
        definition = graph.def_by_key[key]
        record = latest.get(names[key])
        reasons: list[str] = []
        if record is None:
            if definition.is_executable:
                reasons.append("never materialized")
        else:
            data = record.event.data
            current = definition.code_versions_by_key.get(key)
            recorded = data.get("code_version")
            if current is not None and current != recorded:
                reasons.append(f"code version changed ({recorded or 'none'} → {current})")
            for upstream in sorted(graph.upstream.get(key, ())):
                other = latest.get(names[upstream])
                if other is not None and other.storage_id > record.storage_id:
                    reasons.append(f"upstream '{names[upstream]}' materialized since")
        event = record.event if record is not None else None
        statuses.append(
            AssetStatus(
                key=key,
                last_materialized=event.timestamp if event else None,
                last_run_id=event.run_id if event else None,
                last_partition=event.data.get("partition") if event else None,
                data_version=event.data.get("data_version") if event else None,
                stale_reasons=tuple(reasons) if definition.is_executable else (),
            )
        )
    return statuses
