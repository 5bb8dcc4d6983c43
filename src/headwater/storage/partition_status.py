"""``AssetPartitionStatus``: what became of one partition of an asset."""

from __future__ import annotations

from enum import Enum

__all__ = ["AssetPartitionStatus"]


class AssetPartitionStatus(Enum):
    """The status of one partition of an asset: materialized, being materialized, or its
    last materialization failed."""

    MATERIALIZED = "MATERIALIZED"
    IN_PROGRESS = "IN_PROGRESS"
    FAILED = "FAILED"
