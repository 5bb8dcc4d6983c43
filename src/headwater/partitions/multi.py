"""Partitions along two dimensions at once: every pair of keys, written ``"a|b"``."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from datetime import datetime

from headwater._dataclass import dataclass
from headwater.errors import InvalidDefinitionError, InvalidInvocationError
from headwater.partitions.definition import (
    DynamicPartitionsStore,
    PartitionsDefinition,
    UnknownPartitionError,
    nearest_keys_by_spelling,
)
from headwater.partitions.dynamic import DynamicPartitionsDefinition
from headwater.partitions.static import StaticPartitionsDefinition
from headwater.partitions.time_window import TimeWindowPartitionsDefinition

__all__ = [
    "MultiPartitionKey",
    "MultiPartitionsDefinition",
    "PartitionDimensionDefinition",
    "PartitionDimensionKey",
]

SEPARATOR = "|"
# Characters a static key of a dimension may not hold: they would make "a|b" ambiguous.
_RESERVED = ("|", ",", "[", "]")
_SPELLING_SCAN_LIMIT = 5000


@dataclass(frozen=True, slots=True)
class PartitionDimensionKey:
    """One dimension's part of a multi-partition key."""

    dimension_name: str
    partition_key: str


@dataclass(frozen=True, slots=True)
class PartitionDimensionDefinition:
    """A named dimension of a :class:`MultiPartitionsDefinition`."""

    name: str
    partitions_def: PartitionsDefinition


class MultiPartitionKey(str):
    """A key of a multi-partitioned asset: a ``str`` (``"2024-01-01|us"``) that also knows
    its parts.

    The parts are joined with ``|`` in the order of the dimension names, sorted.

    Args:
        keys_by_dimension: each dimension's key, by dimension name.

    Example:
        ``MultiPartitionKey({"region": "us", "date": "2024-01-01"}) == "2024-01-01|us"``
    """

    keys_by_dimension: dict[str, str]

    def __new__(cls, keys_by_dimension: Mapping[str, str]) -> MultiPartitionKey:
        ordered = dict(sorted(keys_by_dimension.items()))
        key = super().__new__(cls, SEPARATOR.join(ordered.values()))
        key.keys_by_dimension = ordered
        return key

    @property
    def dimension_keys(self) -> list[PartitionDimensionKey]:
        """The parts, in dimension-name order."""
        return [PartitionDimensionKey(n, k) for n, k in self.keys_by_dimension.items()]

    def __getnewargs__(self) -> tuple[dict[str, str]]:  # type: ignore[override]  # pickling
        return (self.keys_by_dimension,)


class MultiPartitionsDefinition(PartitionsDefinition):
    """Partitions along two dimensions: every combination of one key from each.

    Args:
        partitions_defs: exactly two dimensions, by name; each static, time-window or
            dynamic.

    Raises:
        InvalidDefinitionError: not two dimensions, a dimension that is itself multi, or a
            static key holding ``|``, ``,``, ``[`` or ``]``.

    Example:
        ``MultiPartitionsDefinition({"date": DailyPartitionsDefinition("2024-01-01"),
        "region": StaticPartitionsDefinition(["us", "eu"])})``
    """

    def __init__(self, partitions_defs: Mapping[str, PartitionsDefinition]) -> None:
        if len(partitions_defs) != 2:
            names = ", ".join(repr(n) for n in partitions_defs)
            raise InvalidInvocationError(
                f"MultiPartitionsDefinition takes exactly 2 dimensions; got "
                f"{len(partitions_defs)} ({names or 'none'})"
            )
        for name, pdef in partitions_defs.items():
            _check_dimension(name, pdef)
        self._dimensions = tuple(
            PartitionDimensionDefinition(name, pdef)
            for name, pdef in sorted(partitions_defs.items())
        )

    @property
    def partitions_defs(self) -> Sequence[PartitionDimensionDefinition]:
        """The dimensions, sorted by name (the order of a key's parts)."""
        return list(self._dimensions)

    @property
    def partition_dimension_names(self) -> list[str]:
        """The dimension names, sorted."""
        return [d.name for d in self._dimensions]

    @property
    def time_window_dimension(self) -> PartitionDimensionDefinition | None:
        """The time-window dimension, if there is one."""
        for dimension in self._dimensions:
            if isinstance(dimension.partitions_def, TimeWindowPartitionsDefinition):
                return dimension
        return None

    @property
    def primary_dimension(self) -> PartitionDimensionDefinition:
        """The time-window dimension if any, else the first by name."""
        return self.time_window_dimension or self._dimensions[0]

    @property
    def secondary_dimension(self) -> PartitionDimensionDefinition:
        """The dimension that is not primary."""
        primary = self.primary_dimension
        return next(d for d in self._dimensions if d is not primary)

    def get_partitions_def_for_dimension(self, dimension_name: str) -> PartitionsDefinition:
        """The definition of one dimension.

        Raises:
            InvalidDefinitionError: no dimension has that name.
        """
        for dimension in self._dimensions:
            if dimension.name == dimension_name:
                return dimension.partitions_def
        raise InvalidDefinitionError(
            f"{self.describe()} has no dimension {dimension_name!r}; its dimensions are "
            f"{', '.join(repr(n) for n in self.partition_dimension_names)}"
        )

    def get_partition_keys(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Sequence[MultiPartitionKey]:
        """Every combination, the first dimension (by name) varying slowest."""
        first, second = (
            d.partitions_def.get_partition_keys(current_time, dynamic_partitions_store)
            for d in self._dimensions
        )
        names = self.partition_dimension_names
        return [
            MultiPartitionKey({names[0]: a, names[1]: b})
            for a, b in itertools.product(first, second)
        ]

    def get_partition_key_from_str(self, partition_key_str: str) -> MultiPartitionKey:
        """The :class:`MultiPartitionKey` a string like ``"2024-01-01|us"`` stands for.

        Raises:
            UnknownPartitionError: the string does not have one part per dimension.
        """
        parts = partition_key_str.split(SEPARATOR)
        if len(parts) != len(self._dimensions):
            raise UnknownPartitionError.build(
                partition_key_str,
                self.describe(),
                [],
                hint=f"a key has one part per dimension, written {self._shape()}",
            )
        return MultiPartitionKey(dict(zip(self.partition_dimension_names, parts, strict=True)))

    def has_partition_key(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> bool:
        """Whether each part of the key is a key of its dimension."""
        parts = partition_key.split(SEPARATOR)
        return len(parts) == len(self._dimensions) and all(
            d.partitions_def.has_partition_key(part, current_time, dynamic_partitions_store)
            for d, part in zip(self._dimensions, parts, strict=True)
        )

    def unknown_key_error(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> UnknownPartitionError:
        """The error for a key that is not here: which dimension's part is wrong, and the
        keys that differ from it only in that part."""
        parts = partition_key.split(SEPARATOR)
        if len(parts) != len(self._dimensions):
            keys = self.get_partition_keys(current_time, dynamic_partitions_store)
            nearest = nearest_keys_by_spelling(partition_key, keys[:_SPELLING_SCAN_LIMIT])
            hint = f"a key has one part per dimension, written {self._shape()}"
            return UnknownPartitionError.build(partition_key, self.describe(), nearest, hint=hint)
        names = self.partition_dimension_names
        for index, dimension in enumerate(self._dimensions):
            pdef = dimension.partitions_def
            if pdef.has_partition_key(parts[index], current_time, dynamic_partitions_store):
                continue
            inner = pdef.unknown_key_error(parts[index], current_time, dynamic_partitions_store)
            nearest = [
                MultiPartitionKey(
                    dict(zip(names, [*parts[:index], k, *parts[index + 1 :]], strict=True))
                )
                for k in inner.nearest_keys
            ]
            hint = f"its {dimension.name!r} part {parts[index]!r} is not in {pdef.describe()}"
            return UnknownPartitionError.build(partition_key, self.describe(), nearest, hint=hint)
        return UnknownPartitionError.build(partition_key, self.describe(), [])

    def describe(self) -> str:
        """``multi-partitions date|region`` (the dimension names in key order)."""
        return f"multi-partitions {self._shape()}"

    def _shape(self) -> str:
        return SEPARATOR.join(self.partition_dimension_names)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, MultiPartitionsDefinition) and self._dimensions == other._dimensions
        )

    def __hash__(self) -> int:
        return hash((MultiPartitionsDefinition, self._dimensions))

    def __repr__(self) -> str:
        inner = ", ".join(f"{d.name!r}: {d.partitions_def!r}" for d in self._dimensions)
        return f"MultiPartitionsDefinition({{{inner}}})"


def _check_dimension(name: str, pdef: PartitionsDefinition) -> None:
    allowed = (
        StaticPartitionsDefinition,
        TimeWindowPartitionsDefinition,
        DynamicPartitionsDefinition,
    )
    if not isinstance(pdef, allowed):
        raise InvalidDefinitionError(
            f"MultiPartitionsDefinition: dimension {name!r} is a {type(pdef).__name__}; "
            "a dimension must be static, time-window or dynamic partitions"
        )
    if isinstance(pdef, StaticPartitionsDefinition):
        for key in pdef.get_partition_keys():
            found = [c for c in _RESERVED if c in key]
            if found:
                raise InvalidDefinitionError(
                    f"MultiPartitionsDefinition: key {key!r} of dimension {name!r} contains "
                    f"{', '.join(map(repr, found))}, which multi-partition keys reserve"
                )
