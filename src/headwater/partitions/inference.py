"""The partition mapping a dependency gets when the user names none."""

from __future__ import annotations

from headwater.partitions.definition import PartitionsDefinition
from headwater.partitions.mapping import (
    AllPartitionMapping,
    IdentityPartitionMapping,
    PartitionMapping,
)
from headwater.partitions.multi import MultiPartitionsDefinition
from headwater.partitions.multi_mapping import (
    MultiToSingleDimensionPartitionMapping,
    single_dimension_for,
)
from headwater.partitions.time_mapping import TimeWindowPartitionMapping
from headwater.partitions.time_window import TimeWindowPartitionsDefinition

__all__ = ["infer_partition_mapping"]


def infer_partition_mapping(
    partition_mapping: PartitionMapping | None,
    downstream_partitions_def: PartitionsDefinition | None,
    upstream_partitions_def: PartitionsDefinition | None,
) -> PartitionMapping:
    """The mapping to use for one dependency, as the reference chooses it.

    The given mapping if any; else, when either side is unpartitioned, all partitions;
    a multi-partitioned side and a side defined like one of its dimensions, that
    dimension; two time-window definitions, overlapping windows; otherwise the same key.

    Returns:
        A partition mapping (a value; cheap to build).
    """
    if partition_mapping is not None:
        return partition_mapping
    if downstream_partitions_def is None or upstream_partitions_def is None:
        return AllPartitionMapping()
    if _is_single_to_multi(downstream_partitions_def, upstream_partitions_def):
        return MultiToSingleDimensionPartitionMapping()
    if isinstance(downstream_partitions_def, TimeWindowPartitionsDefinition) and isinstance(
        upstream_partitions_def, TimeWindowPartitionsDefinition
    ):
        return TimeWindowPartitionMapping()
    return IdentityPartitionMapping()


def _is_single_to_multi(one: PartitionsDefinition, other: PartitionsDefinition) -> bool:
    if isinstance(one, MultiPartitionsDefinition) == isinstance(other, MultiPartitionsDefinition):
        return False
    multi, single = (one, other) if isinstance(one, MultiPartitionsDefinition) else (other, one)
    assert isinstance(multi, MultiPartitionsDefinition)  # one of the two is, checked above
    return single_dimension_for(multi, single) is not None
