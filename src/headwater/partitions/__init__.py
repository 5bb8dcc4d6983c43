"""Partitions: how an asset or job is split into keys, and how keys map across assets.

Definitions here are values (no I/O); only ``DynamicPartitionsDefinition`` reads keys, from
the instance passed to it as ``dynamic_partitions_store``.
"""

from __future__ import annotations

from headwater.partitions.backfill import BackfillPolicy, BackfillPolicyType, plan_backfill_runs
from headwater.partitions.calendar import (
    DailyPartitionsDefinition,
    HourlyPartitionsDefinition,
    MonthlyPartitionsDefinition,
    WeeklyPartitionsDefinition,
)
from headwater.partitions.definition import (
    DynamicPartitionsStore,
    PartitionKeyRange,
    PartitionsDefinition,
    UnknownPartitionError,
)
from headwater.partitions.dynamic import DynamicPartitionsDefinition
from headwater.partitions.inference import infer_partition_mapping
from headwater.partitions.loading import (
    Partition,
    PartitionLoadingContext,
    partition_loading_context,
)
from headwater.partitions.mapping import (
    AllPartitionMapping,
    IdentityPartitionMapping,
    LastPartitionMapping,
    PartitionMapping,
    SpecificPartitionsPartitionMapping,
    StaticPartitionMapping,
    UpstreamPartitionsResult,
)
from headwater.partitions.multi import (
    MultiPartitionKey,
    MultiPartitionsDefinition,
    PartitionDimensionDefinition,
)
from headwater.partitions.multi_mapping import (
    DimensionPartitionMapping,
    MultiPartitionMapping,
    MultiToSingleDimensionPartitionMapping,
)
from headwater.partitions.schedule_type import ScheduleType
from headwater.partitions.static import StaticPartitionsDefinition
from headwater.partitions.time_mapping import TimeWindowPartitionMapping
from headwater.partitions.time_window import TimeWindow, TimeWindowPartitionsDefinition

__all__ = [
    "Partition",
    "PartitionLoadingContext",
    "partition_loading_context",
    "DimensionPartitionMapping",
    "MultiPartitionMapping",
    "SpecificPartitionsPartitionMapping",
    # definitions
    "PartitionsDefinition",
    "StaticPartitionsDefinition",
    "TimeWindowPartitionsDefinition",
    "DailyPartitionsDefinition",
    "HourlyPartitionsDefinition",
    "WeeklyPartitionsDefinition",
    "MonthlyPartitionsDefinition",
    "MultiPartitionsDefinition",
    "DynamicPartitionsDefinition",
    "ScheduleType",
    # keys and windows
    "PartitionKeyRange",
    "TimeWindow",
    "MultiPartitionKey",
    "PartitionDimensionDefinition",
    "DynamicPartitionsStore",
    "UnknownPartitionError",
    # mappings
    "PartitionMapping",
    "IdentityPartitionMapping",
    "TimeWindowPartitionMapping",
    "AllPartitionMapping",
    "LastPartitionMapping",
    "StaticPartitionMapping",
    "MultiToSingleDimensionPartitionMapping",
    "UpstreamPartitionsResult",
    "infer_partition_mapping",
    # backfills
    "BackfillPolicy",
    "BackfillPolicyType",
    "plan_backfill_runs",
]
