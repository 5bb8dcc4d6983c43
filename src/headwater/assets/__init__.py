"""Assets: data products named by keys, computed by ops, recorded as materializations."""

from __future__ import annotations

from headwater.asset_key import AssetKey, CoercibleToAssetKey, CoercibleToAssetKeyPrefix
from headwater.assets.checks import (
    AssetCheckKey,
    AssetChecksDefinition,
    AssetCheckSpec,
    asset_check,
    multi_asset_check,
)
from headwater.assets.decorators import asset, multi_asset
from headwater.assets.definition import AssetsDefinition, map_asset_specs
from headwater.assets.graph import AssetGraph
from headwater.assets.graph_decorators import graph_asset, graph_multi_asset
from headwater.assets.job import (
    UnresolvedAssetJobDefinition,
    build_asset_job,
    define_asset_job,
    materialize,
    materialize_to_memory,
)
from headwater.assets.observation import multi_observable_source_asset
from headwater.assets.results import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetMaterialization,
    AssetObservation,
    DataVersion,
    MaterializeResult,
    ObserveResult,
)
from headwater.assets.selection import AssetSelection
from headwater.assets.source import SourceAsset, observable_source_asset
from headwater.assets.spec import AssetDep, AssetIn, AssetOut, AssetSpec
from headwater.assets.versions import DataProvenance, DataVersionsByPartition

__all__ = [
    "SourceAsset",
    "observable_source_asset",
    "multi_observable_source_asset",
    "ObserveResult",
    "DataProvenance",
    "DataVersionsByPartition",
    "AssetCheckKey",
    "multi_asset_check",
    "AssetCheckResult",
    "AssetCheckSpec",
    "AssetChecksDefinition",
    "asset_check",
    "AssetCheckSeverity",
    "AssetDep",
    "AssetGraph",
    "AssetIn",
    "AssetKey",
    "AssetMaterialization",
    "AssetObservation",
    "AssetOut",
    "AssetSelection",
    "AssetSpec",
    "AssetsDefinition",
    "map_asset_specs",
    "CoercibleToAssetKey",
    "CoercibleToAssetKeyPrefix",
    "DataVersion",
    "MaterializeResult",
    "UnresolvedAssetJobDefinition",
    "asset",
    "build_asset_job",
    "define_asset_job",
    "materialize",
    "materialize_to_memory",
    "multi_asset",
    "graph_asset",
    "graph_multi_asset",
]
