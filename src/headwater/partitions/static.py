"""A fixed list of partition keys."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from headwater.errors import InvalidDefinitionError
from headwater.partitions.definition import (
    DynamicPartitionsStore,
    PartitionsDefinition,
    check_partition_keys,
)

__all__ = ["StaticPartitionsDefinition"]

_SHOWN_KEYS = 5


class StaticPartitionsDefinition(PartitionsDefinition):
    """Partitions whose keys are known when the code is written.

    Args:
        partition_keys: the keys, in order; each must be unique.

    Raises:
        InvalidDefinitionError: a key repeats, is not a string, or holds ``...`` or a
            control character.

    Example:
        ``regions = StaticPartitionsDefinition(["us", "eu", "apac"])``
    """

    def __init__(self, partition_keys: Sequence[str]) -> None:
        if isinstance(partition_keys, str):
            raise InvalidDefinitionError(
                f"StaticPartitionsDefinition takes a list of keys, got the string "
                f"{partition_keys!r}; write [{partition_keys!r}]"
            )
        keys = tuple(partition_keys)
        check_partition_keys(keys, subject="StaticPartitionsDefinition")
        duplicates = sorted(key for key, count in Counter(keys).items() if count > 1)
        if duplicates:
            raise InvalidDefinitionError(
                "StaticPartitionsDefinition: partition keys must be unique; "
                f"repeated: {', '.join(map(repr, duplicates))}"
            )
        self._keys = keys
        self._key_set = frozenset(keys)

    def get_partition_keys(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Sequence[str]:
        """The keys, in the order given."""
        return list(self._keys)

    def has_partition_key(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> bool:
        """Whether ``partition_key`` is one of the keys."""
        return partition_key in self._key_set

    def describe(self) -> str:
        """``static partitions 'a', 'b', 'c'`` (the first five keys and a count)."""
        if not self._keys:
            return "static partitions (no keys)"
        shown = ", ".join(repr(k) for k in self._keys[:_SHOWN_KEYS])
        more = len(self._keys) - _SHOWN_KEYS
        return f"static partitions {shown}" + (f" (and {more} more)" if more > 0 else "")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StaticPartitionsDefinition) and self._keys == other._keys

    def __hash__(self) -> int:
        return hash((StaticPartitionsDefinition, self._keys))

    def __repr__(self) -> str:
        return f"StaticPartitionsDefinition(partition_keys={list(self._keys)!r})"

    def __str__(self) -> str:
        return ", ".join(repr(k) for k in self._keys)
