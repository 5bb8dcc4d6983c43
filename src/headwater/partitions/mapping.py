"""Which upstream partitions a downstream partition reads, and back: partition mappings."""

from __future__ import annotations

import abc
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime

from headwater._dataclass import dataclass
from headwater.partitions.definition import (
    DynamicPartitionsStore,
    PartitionKeyRange,
    PartitionsDefinition,
)

__all__ = [
    "AllPartitionMapping",
    "IdentityPartitionMapping",
    "LastPartitionMapping",
    "MappingScope",
    "PartitionMapping",
    "PartitionsSelection",
    "SpecificPartitionsPartitionMapping",
    "StaticPartitionMapping",
    "UpstreamPartitionsResult",
]

PartitionsSelection = str | Sequence[str] | PartitionKeyRange
"""What a mapping is asked about: one key, several keys, or a range of keys."""


@dataclass(frozen=True, slots=True)
class UpstreamPartitionsResult:
    """The upstream partitions some downstream partitions read.

    Attributes:
        partition_keys: existing upstream keys, in order, without repeats.
        required_but_nonexistent_partition_keys: upstream keys the mapping asks for that the
            upstream definition does not have (a run for them should fail, naming these).
    """

    partition_keys: tuple[str, ...]
    required_but_nonexistent_partition_keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MappingScope:
    """The moment and the dynamic-partitions store a mapping is evaluated with."""

    current_time: datetime | None
    store: DynamicPartitionsStore | None

    def has(self, pdef: PartitionsDefinition, key: str) -> bool:
        """Whether ``pdef`` holds ``key`` at this moment."""
        return pdef.has_partition_key(key, self.current_time, self.store)

    def existing(self, pdef: PartitionsDefinition, keys: Iterable[str]) -> list[str]:
        """The ``keys`` that ``pdef`` holds, in order."""
        return [k for k in keys if self.has(pdef, k)]

    def split(self, pdef: PartitionsDefinition, keys: Iterable[str]) -> tuple[list[str], list[str]]:
        """The ``keys`` that ``pdef`` holds and those it does not, each in order."""
        existing: list[str] = []
        missing: list[str] = []
        for key in keys:
            (existing if self.has(pdef, key) else missing).append(key)
        return existing, missing


class PartitionMapping(abc.ABC):
    """How the partitions of an asset map to the partitions of an asset it depends on.

    Pure: the time and the dynamic-partitions store are arguments. ``downstream`` and
    ``upstream`` name the two ends of the dependency; both directions are offered.
    A subclass implements :meth:`upstream_keys_for` and :meth:`downstream_keys_for`.

    Example:
        ``AssetIn(partition_mapping=TimeWindowPartitionMapping(start_offset=-1))``
    """

    def get_upstream_partition_keys(
        self,
        downstream_partitions: PartitionsSelection,
        downstream_partitions_def: PartitionsDefinition | None,
        upstream_partitions_def: PartitionsDefinition,
        *,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> UpstreamPartitionsResult:
        """The upstream keys that the given downstream partitions read.

        Args:
            downstream_partitions: a key, keys, or a ``PartitionKeyRange`` of the
                downstream definition.
            downstream_partitions_def: the downstream asset's definition (``None`` when it
                is not partitioned).
            upstream_partitions_def: the upstream asset's definition.
            current_time: the moment to evaluate time windows at; now when ``None``.
            dynamic_partitions_store: the instance, for dynamic partitions.

        Raises:
            UnknownPartitionError: a range end is not a downstream key.
            InvalidDefinitionError: the mapping cannot map these two definitions.
        """
        scope = MappingScope(current_time, dynamic_partitions_store)
        keys = _expand(downstream_partitions, downstream_partitions_def, scope)
        existing, missing = self.upstream_keys_for(
            keys, downstream_partitions_def, upstream_partitions_def, scope
        )
        return UpstreamPartitionsResult(_unique(existing), _unique(missing))

    def get_downstream_partition_keys(
        self,
        upstream_partitions: PartitionsSelection,
        upstream_partitions_def: PartitionsDefinition | None,
        downstream_partitions_def: PartitionsDefinition,
        *,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> tuple[str, ...]:
        """The existing downstream keys that read any of the given upstream partitions.

        Raises:
            UnknownPartitionError: a range end is not an upstream key.
            InvalidDefinitionError: the mapping cannot map these two definitions.
        """
        scope = MappingScope(current_time, dynamic_partitions_store)
        keys = _expand(upstream_partitions, upstream_partitions_def, scope)
        found = self.downstream_keys_for(
            keys, upstream_partitions_def, downstream_partitions_def, scope
        )
        return _unique(found)

    @abc.abstractmethod
    def upstream_keys_for(
        self,
        keys: list[str],
        downstream_def: PartitionsDefinition | None,
        upstream_def: PartitionsDefinition,
        scope: MappingScope,
    ) -> tuple[Iterable[str], Iterable[str]]:
        """Existing and missing upstream keys for downstream ``keys``."""

    @abc.abstractmethod
    def downstream_keys_for(
        self,
        keys: list[str],
        upstream_def: PartitionsDefinition | None,
        downstream_def: PartitionsDefinition,
        scope: MappingScope,
    ) -> Iterable[str]:
        """Existing downstream keys for upstream ``keys``."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash((type(self), repr(self)))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


class IdentityPartitionMapping(PartitionMapping):
    """Each partition reads the upstream partition with the same key."""

    def upstream_keys_for(
        self,
        keys: list[str],
        downstream_def: PartitionsDefinition | None,
        upstream_def: PartitionsDefinition,
        scope: MappingScope,
    ) -> tuple[Iterable[str], Iterable[str]]:
        return scope.split(upstream_def, keys)

    def downstream_keys_for(
        self,
        keys: list[str],
        upstream_def: PartitionsDefinition | None,
        downstream_def: PartitionsDefinition,
        scope: MappingScope,
    ) -> Iterable[str]:
        return scope.existing(downstream_def, keys)


class AllPartitionMapping(PartitionMapping):
    """Every partition reads every upstream partition."""

    def upstream_keys_for(
        self,
        keys: list[str],
        downstream_def: PartitionsDefinition | None,
        upstream_def: PartitionsDefinition,
        scope: MappingScope,
    ) -> tuple[Iterable[str], Iterable[str]]:
        return upstream_def.get_partition_keys(scope.current_time, scope.store), ()

    def downstream_keys_for(
        self,
        keys: list[str],
        upstream_def: PartitionsDefinition | None,
        downstream_def: PartitionsDefinition,
        scope: MappingScope,
    ) -> Iterable[str]:
        return downstream_def.get_partition_keys(scope.current_time, scope.store) if keys else ()


class LastPartitionMapping(PartitionMapping):
    """Every partition reads the upstream's last partition."""

    def upstream_keys_for(
        self,
        keys: list[str],
        downstream_def: PartitionsDefinition | None,
        upstream_def: PartitionsDefinition,
        scope: MappingScope,
    ) -> tuple[Iterable[str], Iterable[str]]:
        last = upstream_def.get_last_partition_key(scope.current_time, scope.store)
        return ([last] if last is not None else []), ()

    def downstream_keys_for(
        self,
        keys: list[str],
        upstream_def: PartitionsDefinition | None,
        downstream_def: PartitionsDefinition,
        scope: MappingScope,
    ) -> Iterable[str]:
        if upstream_def is None:
            return ()
        last = upstream_def.get_last_partition_key(scope.current_time, scope.store)
        if last is None or last not in keys:
            return ()
        return downstream_def.get_partition_keys(scope.current_time, scope.store)


class StaticPartitionMapping(PartitionMapping):
    """An explicit table: each upstream key and the downstream key(s) that read it.

    Args:
        downstream_partition_keys_by_upstream_partition_key: upstream key → a downstream
            key or a collection of them.

    Example:
        ``StaticPartitionMapping({"us-east": "us", "us-west": "us", "eu": "eu"})``
    """

    def __init__(
        self,
        downstream_partition_keys_by_upstream_partition_key: Mapping[str, str | Collection[str]],
    ) -> None:
        self.downstream_partition_keys_by_upstream_partition_key = {
            up: [down] if isinstance(down, str) else list(down)
            for up, down in downstream_partition_keys_by_upstream_partition_key.items()
        }

    def upstream_keys_for(
        self,
        keys: list[str],
        downstream_def: PartitionsDefinition | None,
        upstream_def: PartitionsDefinition,
        scope: MappingScope,
    ) -> tuple[Iterable[str], Iterable[str]]:
        wanted = set(keys)
        mapped = [
            up
            for up, downs in self.downstream_partition_keys_by_upstream_partition_key.items()
            if wanted.intersection(downs)
        ]
        return scope.split(upstream_def, mapped)

    def downstream_keys_for(
        self,
        keys: list[str],
        upstream_def: PartitionsDefinition | None,
        downstream_def: PartitionsDefinition,
        scope: MappingScope,
    ) -> Iterable[str]:
        table = self.downstream_partition_keys_by_upstream_partition_key
        return scope.existing(downstream_def, (down for up in keys for down in table.get(up, [])))


class SpecificPartitionsPartitionMapping(PartitionMapping):
    """Every partition (or the unpartitioned asset) reads the same fixed upstream keys.

    Args:
        partition_keys: the upstream keys read.

    Example:
        ``SpecificPartitionsPartitionMapping(["2024-01-01"])``
    """

    def __init__(self, partition_keys: Sequence[str]) -> None:
        self.partition_keys = list(partition_keys)

    def upstream_keys_for(
        self,
        keys: list[str],
        downstream_def: PartitionsDefinition | None,
        upstream_def: PartitionsDefinition,
        scope: MappingScope,
    ) -> tuple[Iterable[str], Iterable[str]]:
        return scope.split(upstream_def, self.partition_keys)

    def downstream_keys_for(
        self,
        keys: list[str],
        upstream_def: PartitionsDefinition | None,
        downstream_def: PartitionsDefinition,
        scope: MappingScope,
    ) -> Iterable[str]:
        if not set(keys) & set(self.partition_keys):
            return ()
        return downstream_def.get_partition_keys(scope.current_time, scope.store)


def _expand(
    partitions: PartitionsSelection, pdef: PartitionsDefinition | None, scope: MappingScope
) -> list[str]:
    if isinstance(partitions, str):
        return [partitions]
    if isinstance(partitions, PartitionKeyRange):
        if pdef is None:
            return [partitions.start, partitions.end]
        return list(pdef.get_partition_keys_in_range(partitions, scope.current_time, scope.store))
    return list(partitions)


def _unique(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(keys))
