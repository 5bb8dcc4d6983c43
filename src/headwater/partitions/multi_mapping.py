"""Map a multi-partitioned asset to an asset partitioned like one of its dimensions."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from headwater._warnings import beta_warning
from headwater.errors import InvalidDefinitionError
from headwater.partitions.definition import PartitionsDefinition
from headwater.partitions.mapping import MappingScope, PartitionMapping
from headwater.partitions.multi import MultiPartitionKey, MultiPartitionsDefinition

__all__ = [
    "DimensionPartitionMapping",
    "MultiPartitionMapping",
    "MultiToSingleDimensionPartitionMapping",
    "single_dimension_for",
]


class MultiToSingleDimensionPartitionMapping(PartitionMapping):
    """Between a multi-partitioned asset and one partitioned like one of its dimensions.

    The multi key ``2024-01-01|us`` maps to the single key ``2024-01-01`` of the ``date``
    dimension; the single key maps to every multi key holding it.

    Args:
        partition_dimension_name: the shared dimension; inferred when exactly one
            dimension's definition equals the single-dimension asset's.

    Example:
        ``MultiToSingleDimensionPartitionMapping(partition_dimension_name="date")``
    """

    def __init__(self, partition_dimension_name: str | None = None) -> None:
        beta_warning("Class `MultiToSingleDimensionPartitionMapping`")
        self.partition_dimension_name = partition_dimension_name

    def upstream_keys_for(
        self,
        keys: list[str],
        downstream_def: PartitionsDefinition | None,
        upstream_def: PartitionsDefinition,
        scope: MappingScope,
    ) -> tuple[Iterable[str], Iterable[str]]:
        """The upstream keys sharing the dimension's part with each downstream key."""
        return scope.split(upstream_def, self._map(keys, downstream_def, upstream_def, scope))

    def downstream_keys_for(
        self,
        keys: list[str],
        upstream_def: PartitionsDefinition | None,
        downstream_def: PartitionsDefinition,
        scope: MappingScope,
    ) -> Iterable[str]:
        """The downstream keys sharing the dimension's part with each upstream key."""
        return scope.existing(downstream_def, self._map(keys, upstream_def, downstream_def, scope))

    def _map(
        self,
        keys: list[str],
        from_def: PartitionsDefinition | None,
        to_def: PartitionsDefinition,
        scope: MappingScope,
    ) -> list[str]:
        if isinstance(from_def, MultiPartitionsDefinition) and not isinstance(
            to_def, MultiPartitionsDefinition
        ):
            name = self._dimension(from_def, to_def)
            return [from_def.get_partition_key_from_str(k).keys_by_dimension[name] for k in keys]
        if isinstance(to_def, MultiPartitionsDefinition) and from_def is not None:
            name = self._dimension(to_def, from_def)
            other = next(d for d in to_def.partitions_defs if d.name != name)
            others = other.partitions_def.get_partition_keys(scope.current_time, scope.store)
            return [
                MultiPartitionKey({name: key, other.name: part}) for key in keys for part in others
            ]
        raise InvalidDefinitionError(
            "MultiToSingleDimensionPartitionMapping maps a multi-partitioned asset to a "
            "single-dimension one; exactly one side must be multi-partitioned"
        )

    def _dimension(self, multi: MultiPartitionsDefinition, single: PartitionsDefinition) -> str:
        if self.partition_dimension_name is not None:
            multi.get_partitions_def_for_dimension(self.partition_dimension_name)  # raises
            return self.partition_dimension_name
        name = single_dimension_for(multi, single)
        if name is None:
            raise InvalidDefinitionError(
                f"MultiToSingleDimensionPartitionMapping: no single dimension of "
                f"{multi.describe()} matches {single.describe()}; pass "
                "partition_dimension_name="
            )
        return name


def single_dimension_for(
    multi: MultiPartitionsDefinition, single: PartitionsDefinition
) -> str | None:
    """The one dimension of ``multi`` defined exactly like ``single``, if exactly one is."""
    names = [d.name for d in multi.partitions_defs if d.partitions_def == single]
    return names[0] if len(names) == 1 else None


class DimensionPartitionMapping(NamedTuple):
    """In a ``MultiPartitionMapping``: the downstream dimension an upstream dimension maps
    to, and how.

    Args:
        dimension_name: the downstream dimension.
        partition_mapping: how its keys map to the upstream dimension's.
    """

    dimension_name: str
    partition_mapping: PartitionMapping


class MultiPartitionMapping(PartitionMapping):
    """Between two multi-partitioned assets, dimension by dimension.

    Each upstream dimension named in the table reads the upstream keys its mapping gives
    for the downstream dimension's key; an upstream dimension left out reads all its keys.

    Args:
        downstream_mappings_by_upstream_dimension: upstream dimension name → a
            ``DimensionPartitionMapping``.

    Example:
        ``MultiPartitionMapping({"date": DimensionPartitionMapping("date",
        TimeWindowPartitionMapping(start_offset=-1, end_offset=-1))})``
    """

    def __init__(
        self, downstream_mappings_by_upstream_dimension: Mapping[str, DimensionPartitionMapping]
    ) -> None:
        beta_warning("Class `MultiPartitionMapping`")
        self.downstream_mappings_by_upstream_dimension = dict(
            downstream_mappings_by_upstream_dimension
        )

    def upstream_keys_for(
        self,
        keys: list[str],
        downstream_def: PartitionsDefinition | None,
        upstream_def: PartitionsDefinition,
        scope: MappingScope,
    ) -> tuple[Iterable[str], Iterable[str]]:
        down, up = _both_multi(downstream_def, upstream_def)
        table = self.downstream_mappings_by_upstream_dimension
        mapped: list[str] = []
        for key in keys:
            parts = down.get_partition_key_from_str(key).keys_by_dimension
            choices: list[list[str]] = []
            for dim in up.partitions_defs:
                how = table.get(dim.name)
                if how is None:
                    choices.append(
                        list(dim.partitions_def.get_partition_keys(scope.current_time, scope.store))
                    )
                    continue
                result = how.partition_mapping.get_upstream_partition_keys(
                    parts[how.dimension_name],
                    down.get_partitions_def_for_dimension(how.dimension_name),
                    dim.partitions_def,
                    current_time=scope.current_time,
                    dynamic_partitions_store=scope.store,
                )
                choices.append(list(result.partition_keys))
            names = [d.name for d in up.partitions_defs]
            mapped += [
                MultiPartitionKey(dict(zip(names, combo, strict=True)))
                for combo in itertools.product(*choices)
            ]
        return scope.split(up, mapped)

    def downstream_keys_for(
        self,
        keys: list[str],
        upstream_def: PartitionsDefinition | None,
        downstream_def: PartitionsDefinition,
        scope: MappingScope,
    ) -> Iterable[str]:
        every = downstream_def.get_partition_keys(scope.current_time, scope.store)
        wanted = set(keys)
        return [
            k
            for k in every
            if wanted & set(self.upstream_keys_for([k], downstream_def, upstream_def, scope)[0])  # type: ignore[arg-type]  # upstream_def is set for multi mappings
        ]


def _both_multi(
    downstream_def: PartitionsDefinition | None, upstream_def: PartitionsDefinition | None
) -> tuple[MultiPartitionsDefinition, MultiPartitionsDefinition]:
    if not isinstance(downstream_def, MultiPartitionsDefinition) or not isinstance(
        upstream_def, MultiPartitionsDefinition
    ):
        raise InvalidDefinitionError(
            "MultiPartitionMapping maps between two multi-partitioned assets; use "
            "MultiToSingleDimensionPartitionMapping when one side has one dimension"
        )
    return downstream_def, upstream_def
