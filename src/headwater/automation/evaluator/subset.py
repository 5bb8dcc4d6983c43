"""``EntitySubset``: which partitions of one asset (or check) a condition is true for."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["EntitySubset", "PartitionKey"]

# ``None`` stands for the one "partition" of an unpartitioned asset or of a check.
PartitionKey = str | None


class EntitySubset:
    """A set of partitions of one entity (an asset key or an asset check key).

    Subsets are immutable; the ``compute_*`` methods return new ones. An unpartitioned
    entity's full subset holds the single key ``None``.

    Args:
        key: the ``AssetKey`` or ``AssetCheckKey``.
        partition_keys: the partitions in the subset.
    """

    __slots__ = ("_keys", "key")

    def __init__(self, key: Any, partition_keys: Iterable[PartitionKey] = ()) -> None:
        self.key = key
        self._keys: frozenset[PartitionKey] = frozenset(partition_keys)

    @property
    def partition_keys(self) -> frozenset[PartitionKey]:
        """The partitions in the subset (``{None}`` when an unpartitioned entity is in it)."""
        return self._keys

    @property
    def is_empty(self) -> bool:
        """Whether no partition is in the subset."""
        return not self._keys

    @property
    def size(self) -> int:
        """How many partitions the subset holds."""
        return len(self._keys)

    def expensively_compute_partition_keys(self) -> set[str]:
        """The partition keys in the subset (none for an unpartitioned entity)."""
        return {k for k in self._keys if k is not None}

    def compute_union(self, other: EntitySubset) -> EntitySubset:
        """The partitions in either subset."""
        return EntitySubset(self.key, self._keys | other._keys)

    def compute_intersection(self, other: EntitySubset) -> EntitySubset:
        """The partitions in both subsets."""
        return EntitySubset(self.key, self._keys & other._keys)

    def compute_difference(self, other: EntitySubset) -> EntitySubset:
        """The partitions in this subset and not in ``other``."""
        return EntitySubset(self.key, self._keys - other._keys)

    def with_keys(self, partition_keys: Iterable[PartitionKey]) -> EntitySubset:
        """A subset of the same entity holding ``partition_keys``."""
        return EntitySubset(self.key, partition_keys)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, EntitySubset) and other.key == self.key and other._keys == self._keys
        )

    def __hash__(self) -> int:
        return hash((self.key, self._keys))

    def __repr__(self) -> str:
        shown = sorted("<unpartitioned>" if k is None else k for k in self._keys)
        return f"EntitySubset({self.key!r}, {shown})"
