"""Assets: data products named by keys, materialized by runs."""

from __future__ import annotations

from headwater.assets.key import AssetKey, CoercibleToAssetKey, CoercibleToAssetKeyPrefix

__all__ = ["AssetKey", "CoercibleToAssetKey", "CoercibleToAssetKeyPrefix"]
