"""Dynamic partition keys, kept in the storage's key-value state (one JSON list per name)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from headwater.partitions.definition import check_partition_keys
from headwater.storage.base import Storage

__all__ = ["DynamicPartitionsMixin"]

_PREFIX = "dynamic_partitions/"


class DynamicPartitionsMixin:
    """The instance's dynamic-partitions methods (it is a ``DynamicPartitionsStore``).

    Keys of one name are stored together, in the order they were first added. Writes read
    then replace the list: two processes adding keys to the same name at the same moment
    can lose one's keys, so add them from one place (a sensor) at a time.
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
        check_partition_keys(partition_keys, subject=f"dynamic partitions {partitions_def_name!r}")
        keys = self.get_dynamic_partitions(partitions_def_name)
        added = [k for k in dict.fromkeys(partition_keys) if k not in set(keys)]
        if added:
            self._write(partitions_def_name, [*keys, *added])

    def delete_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> None:
        """Remove a key from a dynamic partitions definition (nothing if it is absent)."""
        keys = self.get_dynamic_partitions(partitions_def_name)
        if partition_key in keys:
            self._write(partitions_def_name, [k for k in keys if k != partition_key])

    def get_dynamic_partitions(self, partitions_def_name: str) -> list[str]:
        """The keys of a dynamic partitions definition, in the order they were added."""
        name = _PREFIX + partitions_def_name
        stored = self._storage.kv_get([name]).get(name)
        return [] if stored is None else list(json.loads(stored))

    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool:
        """Whether a dynamic partitions definition holds the key."""
        return partition_key in self.get_dynamic_partitions(partitions_def_name)

    def _write(self, partitions_def_name: str, keys: list[str]) -> None:
        self._storage.kv_set({_PREFIX + partitions_def_name: json.dumps(keys)})
