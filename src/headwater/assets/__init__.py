"""Assets: data products named by keys, computed by ops, recorded as materializations.

Names load on first use: a run imports ``headwater.assets.results`` (what asset code
returns) on every step's path, and that must not load the decorators, the asset graph and
asset jobs (``headwater job execute`` start-up is timed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater._lazy import lazy_names

if TYPE_CHECKING:
    from headwater.asset_key import (
        AssetKey as AssetKey,
        CoercibleToAssetKey as CoercibleToAssetKey,
        CoercibleToAssetKeyPrefix as CoercibleToAssetKeyPrefix,
    )
    from headwater.assets.asset_io import (
        AssetIn as AssetIn,
        AssetOut as AssetOut,
    )
    from headwater.assets.checks import (
        AssetCheckKey as AssetCheckKey,
        AssetChecksDefinition as AssetChecksDefinition,
        AssetCheckSpec as AssetCheckSpec,
        asset_check as asset_check,
        multi_asset_check as multi_asset_check,
    )
    from headwater.assets.decorators import (
        asset as asset,
        multi_asset as multi_asset,
    )
    from headwater.assets.definition import (
        AssetsDefinition as AssetsDefinition,
        map_asset_specs as map_asset_specs,
    )
    from headwater.assets.graph import (
        AssetGraph as AssetGraph,
    )
    from headwater.assets.graph_decorators import (
        graph_asset as graph_asset,
        graph_multi_asset as graph_multi_asset,
    )
    from headwater.assets.job import (
        UnresolvedAssetJobDefinition as UnresolvedAssetJobDefinition,
        build_asset_job as build_asset_job,
        define_asset_job as define_asset_job,
        materialize as materialize,
        materialize_to_memory as materialize_to_memory,
    )
    from headwater.assets.observation import (
        multi_observable_source_asset as multi_observable_source_asset,
    )
    from headwater.assets.results import (
        AssetCheckResult as AssetCheckResult,
        AssetCheckSeverity as AssetCheckSeverity,
        AssetMaterialization as AssetMaterialization,
        AssetObservation as AssetObservation,
        DataVersion as DataVersion,
        MaterializeResult as MaterializeResult,
        ObserveResult as ObserveResult,
    )
    from headwater.assets.selection import (
        AssetSelection as AssetSelection,
    )
    from headwater.assets.source import (
        SourceAsset as SourceAsset,
        observable_source_asset as observable_source_asset,
    )
    from headwater.assets.spec import (
        AssetDep as AssetDep,
        AssetSpec as AssetSpec,
    )
    from headwater.assets.versions import (
        DataProvenance as DataProvenance,
        DataVersionsByPartition as DataVersionsByPartition,
    )

# name -> defining module: a name's module loads on first use, so that importing one
# module of this package (or this package) does not load all the others.
_EXPORTS = {
    **dict.fromkeys(
        ("AssetKey", "CoercibleToAssetKey", "CoercibleToAssetKeyPrefix"), "headwater.asset_key"
    ),
    **dict.fromkeys(
        (
            "AssetCheckKey",
            "AssetChecksDefinition",
            "AssetCheckSpec",
            "asset_check",
            "multi_asset_check",
        ),
        "headwater.assets.checks",
    ),
    **dict.fromkeys(("asset", "multi_asset"), "headwater.assets.decorators"),
    **dict.fromkeys(("AssetsDefinition", "map_asset_specs"), "headwater.assets.definition"),
    "AssetGraph": "headwater.assets.graph",
    **dict.fromkeys(("graph_asset", "graph_multi_asset"), "headwater.assets.graph_decorators"),
    **dict.fromkeys(
        (
            "UnresolvedAssetJobDefinition",
            "build_asset_job",
            "define_asset_job",
            "materialize",
            "materialize_to_memory",
        ),
        "headwater.assets.job",
    ),
    "multi_observable_source_asset": "headwater.assets.observation",
    **dict.fromkeys(
        (
            "AssetCheckResult",
            "AssetCheckSeverity",
            "AssetMaterialization",
            "AssetObservation",
            "DataVersion",
            "MaterializeResult",
            "ObserveResult",
        ),
        "headwater.assets.results",
    ),
    "AssetSelection": "headwater.assets.selection",
    **dict.fromkeys(("SourceAsset", "observable_source_asset"), "headwater.assets.source"),
    **dict.fromkeys(("AssetIn", "AssetOut"), "headwater.assets.asset_io"),
    **dict.fromkeys(("AssetDep", "AssetSpec"), "headwater.assets.spec"),
    **dict.fromkeys(("DataProvenance", "DataVersionsByPartition"), "headwater.assets.versions"),
}

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


__getattr__, __dir__ = lazy_names(__name__, _EXPORTS)
