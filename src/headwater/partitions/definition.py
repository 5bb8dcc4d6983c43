"""What every partitions definition offers, key ranges, and the unknown-key error."""

from __future__ import annotations

import abc
import difflib
import types
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from headwater._dataclass import dataclass
from headwater.errors import InvalidDefinitionError, InvalidInvocationError

__all__ = [
    "DynamicPartitionsStore",
    "PartitionKeyRange",
    "PartitionsDefinition",
    "UnknownPartitionError",
    "check_partition_keys",
    "nearest_keys_by_spelling",
]

# Reserved for the CLI's range syntax ("A...B") and for keys that print on one line.
INVALID_PARTITION_SUBSTRINGS = ("...", "\a", "\b", "\f", "\n", "\r", "\t", "\v", "\0")
NEAREST_COUNT = 3


class UnknownPartitionError(InvalidInvocationError, LookupError):
    """A partition key is not one of the keys of a partitions definition.

    The message lists the nearest valid keys. Alias ``DagsterUnknownPartitionError``.

    Attributes:
        partition_key: the key that was asked for.
        nearest_keys: valid keys close to it (by spelling, or by time for time windows).
    """

    def __init__(
        self, message: str, *, partition_key: str | None = None, nearest_keys: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.partition_key = partition_key
        self.nearest_keys = tuple(nearest_keys)

    @classmethod
    def build(
        cls,
        partition_key: str,
        subject: str,
        nearest_keys: Sequence[str],
        *,
        hint: str = "",
    ) -> UnknownPartitionError:
        """Say that ``partition_key`` is not in ``subject`` and name the nearest keys."""
        message = f"partition key {partition_key!r} is not in {subject}"
        if nearest_keys:
            listed = ", ".join(repr(k) for k in nearest_keys)
            message += f"; nearest valid keys: {listed}"
        else:
            message += "; it has no partitions"
        if hint:
            message += f"; {hint}"
        return cls(message, partition_key=partition_key, nearest_keys=nearest_keys)


@runtime_checkable
class DynamicPartitionsStore(Protocol):
    """Where dynamic partition keys live: an ``Instance`` is one."""

    def get_dynamic_partitions(self, partitions_def_name: str) -> Sequence[str]:
        """The keys of the dynamic partitions definition named so, in insertion order."""
        ...  # pragma: no cover

    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool:
        """Whether that dynamic partitions definition holds the key."""
        ...  # pragma: no cover


@dataclass(frozen=True, slots=True)
class PartitionKeyRange:
    """The partitions from ``start`` to ``end``, both included, in the definition's order.

    Args:
        start: the first key of the range.
        end: the last key of the range (inclusive).
    """

    start: str
    end: str


class PartitionsDefinition(abc.ABC):
    """The set of partition keys an asset or job is split into (abstract).

    Keys are ordered; ranges (``PartitionKeyRange``) and backfill chunks follow that order.
    ``current_time`` defaults to now for definitions whose keys grow with time;
    ``dynamic_partitions_store`` (an ``Instance``) is needed by dynamic partitions only.
    """

    def __class_getitem__(cls, params: object) -> types.GenericAlias:
        """``PartitionsDefinition[str]``, as the reference's generic class (not checked)."""
        return types.GenericAlias(cls, params)

    @abc.abstractmethod
    def get_partition_keys(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Sequence[str]:
        """Every partition key, in order.

        Args:
            current_time: the moment to evaluate at (time windows end before it); now when
                ``None``.
            dynamic_partitions_store: the instance holding dynamic keys.
        """

    @abc.abstractmethod
    def describe(self) -> str:
        """A short phrase naming this definition in messages ("daily partitions ...")."""

    def has_partition_key(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> bool:
        """Whether ``partition_key`` is one of this definition's keys."""
        return partition_key in self.get_partition_keys(current_time, dynamic_partitions_store)

    def validate_partition_key(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> None:
        """Do nothing when the key is valid; otherwise say which keys are near it.

        Raises:
            UnknownPartitionError: the key is not in this definition; the message lists
                the nearest valid keys.
        """
        if not self.has_partition_key(partition_key, current_time, dynamic_partitions_store):
            raise self.unknown_key_error(partition_key, current_time, dynamic_partitions_store)

    def unknown_key_error(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> UnknownPartitionError:
        """The error for a key that is not in this definition (nearest keys by spelling)."""
        keys = self.get_partition_keys(current_time, dynamic_partitions_store)
        return UnknownPartitionError.build(
            partition_key, self.describe(), nearest_keys_by_spelling(partition_key, keys)
        )

    def get_partition_keys_in_range(
        self,
        partition_key_range: PartitionKeyRange,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Sequence[str]:
        """The keys from ``range.start`` to ``range.end`` inclusive, in order.

        A range whose end comes before its start is empty (as in the reference).

        Raises:
            UnknownPartitionError: an end of the range is not a key of this definition.
        """
        keys = list(self.get_partition_keys(current_time, dynamic_partitions_store))
        positions = {key: i for i, key in enumerate(keys)}
        for end in (partition_key_range.start, partition_key_range.end):
            if end not in positions:
                raise self.unknown_key_error(end, current_time, dynamic_partitions_store)
        first = positions[partition_key_range.start]
        last = positions[partition_key_range.end]
        return keys[first : last + 1]

    def get_num_partitions(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> int:
        """How many partitions there are (at ``current_time``)."""
        return len(self.get_partition_keys(current_time, dynamic_partitions_store))

    def get_first_partition_key(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> str | None:
        """The first key, or ``None`` when there are none."""
        keys = self.get_partition_keys(current_time, dynamic_partitions_store)
        return keys[0] if keys else None

    def get_last_partition_key(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> str | None:
        """The last key, or ``None`` when there are none."""
        keys = self.get_partition_keys(current_time, dynamic_partitions_store)
        return keys[-1] if keys else None


def nearest_keys_by_spelling(key: str, keys: Sequence[str]) -> list[str]:
    """Up to three keys spelled like ``key``; the first keys when none is close."""
    close = difflib.get_close_matches(key, keys, n=NEAREST_COUNT, cutoff=0.6)
    return close or list(keys[:NEAREST_COUNT])


def check_partition_keys(keys: Sequence[str], *, subject: str) -> None:
    """Reject keys that are not strings or hold reserved substrings.

    Raises:
        InvalidDefinitionError: a key is not a ``str`` or contains ``...`` or a control
            character; the message names ``subject`` and the key.
    """
    for key in keys:
        if not isinstance(key, str):
            raise InvalidDefinitionError(
                f"{subject}: partition key {key!r} is a {type(key).__name__}; keys are strings"
            )
        found = [s for s in INVALID_PARTITION_SUBSTRINGS if s in key]
        if found:
            raise InvalidDefinitionError(
                f"{subject}: partition key {key!r} contains {', '.join(map(repr, found))}, "
                "which partition keys may not contain"
            )
