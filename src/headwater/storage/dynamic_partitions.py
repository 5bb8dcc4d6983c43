"""Dynamic partition keys, kept in the storage's key-value state (one JSON list per name)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from headwater.storage.base import Storage

if TYPE_CHECKING:
    from headwater.storage.pagination import PaginatedResults

__all__ = ["DynamicPartitionsMixin"]

_PREFIX = "dynamic_partitions/"


class DynamicPartitionsMixin:
    """The instance's dynamic-partitions methods (it is a ``DynamicPartitionsStore``).

    Keys of one name are stored together, in the order they were first added. A write
    replaces the list only if nobody changed it since it was read (compare-and-set, retried
    on conflict), so processes adding keys to the same name at once lose none.
    """

    _storage: Storage

    def add_dynamic_partitions(
        self, partitions_def_name: str, partition_keys: Sequence[str]
    ) -> None:
        """Add keys to a dynamic partitions definition; keys it already has are skipped.

        Raises:
            InvalidDefinitionError: a key is not a string or holds ``...`` or a control
                character.
        """
        # Deferred: opening an instance (every CLI command) need not import partitions.
        from headwater.partitions.definition import check_partition_keys

        check_partition_keys(partition_keys, subject=f"dynamic partitions {partitions_def_name!r}")
        wanted = list(dict.fromkeys(partition_keys))
        self._update(
            partitions_def_name, lambda keys: [*keys, *(k for k in wanted if k not in keys)]
        )

    def delete_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> None:
        """Remove a key from a dynamic partitions definition (nothing if it is absent)."""
        self._update(partitions_def_name, lambda keys: [k for k in keys if k != partition_key])

    def get_dynamic_partitions(self, partitions_def_name: str) -> list[str]:
        """The keys of a dynamic partitions definition, in the order they were added."""
        name = _PREFIX + partitions_def_name
        stored = self._storage.kv_get([name]).get(name)
        return [] if stored is None else list(json.loads(stored))

    def get_paginated_dynamic_partitions(
        self, partitions_def_name: str, limit: int, ascending: bool, cursor: str | None = None
    ) -> PaginatedResults[str]:
        """A page of the keys of a dynamic partitions definition.

        Args:
            partitions_def_name: the definition's name.
            limit: the most keys a page holds.
            ascending: in the order the keys were added, else newest first.
            cursor: the ``cursor`` of the previous page (``None``: the first page).

        Raises:
            InvalidInvocationError: ``cursor`` is not one a page returned.
        """
        from headwater.storage.pagination import PaginatedResults  # base64: paging only

        keys = self.get_dynamic_partitions(partitions_def_name)
        return PaginatedResults.create_from_sequence(keys, limit, ascending, cursor)

    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool:
        """Whether a dynamic partitions definition holds the key."""
        return partition_key in self.get_dynamic_partitions(partitions_def_name)

    def _update(self, partitions_def_name: str, change: Callable[[list[str]], list[str]]) -> None:
        name = _PREFIX + partitions_def_name
        while True:  # retried only when another writer changed the list in between
            stored = self._storage.kv_get([name]).get(name)
            keys = [] if stored is None else list(json.loads(stored))
            changed = change(keys)
            if changed == keys:
                return
            if self._storage.kv_compare_and_set(name, stored, json.dumps(changed)):
                return
