"""Partitions: how an asset or job is split into keys, and how keys map across assets.

Definitions here are values (no I/O); only ``DynamicPartitionsDefinition`` reads keys, from
the instance passed to it as ``dynamic_partitions_store``.

Names load on first use: a run of an unpartitioned job needs ``PartitionKeyRange`` at most,
not the calendars, mappings and cron parsing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater._lazy import lazy_names

if TYPE_CHECKING:
    from headwater.partitions.backfill import (
        BackfillPolicy as BackfillPolicy,
        BackfillPolicyType as BackfillPolicyType,
        plan_backfill_runs as plan_backfill_runs,
    )
    from headwater.partitions.calendar import (
        DailyPartitionsDefinition as DailyPartitionsDefinition,
        HourlyPartitionsDefinition as HourlyPartitionsDefinition,
        MonthlyPartitionsDefinition as MonthlyPartitionsDefinition,
        WeeklyPartitionsDefinition as WeeklyPartitionsDefinition,
    )
    from headwater.partitions.definition import (
        DynamicPartitionsStore as DynamicPartitionsStore,
        PartitionKeyRange as PartitionKeyRange,
        PartitionsDefinition as PartitionsDefinition,
        UnknownPartitionError as UnknownPartitionError,
    )
    from headwater.partitions.dynamic import (
        DynamicPartitionsDefinition as DynamicPartitionsDefinition,
    )
    from headwater.partitions.inference import (
        infer_partition_mapping as infer_partition_mapping,
    )
    from headwater.partitions.loading import (
        Partition as Partition,
        PartitionLoadingContext as PartitionLoadingContext,
        partition_loading_context as partition_loading_context,
    )
    from headwater.partitions.mapping import (
        AllPartitionMapping as AllPartitionMapping,
        IdentityPartitionMapping as IdentityPartitionMapping,
        LastPartitionMapping as LastPartitionMapping,
        PartitionMapping as PartitionMapping,
        SpecificPartitionsPartitionMapping as SpecificPartitionsPartitionMapping,
        StaticPartitionMapping as StaticPartitionMapping,
        UpstreamPartitionsResult as UpstreamPartitionsResult,
    )
    from headwater.partitions.multi import (
        MultiPartitionKey as MultiPartitionKey,
        MultiPartitionsDefinition as MultiPartitionsDefinition,
        PartitionDimensionDefinition as PartitionDimensionDefinition,
    )
    from headwater.partitions.multi_mapping import (
        DimensionPartitionMapping as DimensionPartitionMapping,
        MultiPartitionMapping as MultiPartitionMapping,
        MultiToSingleDimensionPartitionMapping as MultiToSingleDimensionPartitionMapping,
    )
    from headwater.partitions.schedule_type import (
        ScheduleType as ScheduleType,
    )
    from headwater.partitions.static import (
        StaticPartitionsDefinition as StaticPartitionsDefinition,
    )
    from headwater.partitions.time_mapping import (
        TimeWindowPartitionMapping as TimeWindowPartitionMapping,
    )
    from headwater.partitions.time_window import (
        TimeWindow as TimeWindow,
        TimeWindowPartitionsDefinition as TimeWindowPartitionsDefinition,
    )

# name -> defining module: a name's module loads on first use, so that importing one
# module of this package (or this package) does not load all the others.
_EXPORTS = {
    **dict.fromkeys(
        ("BackfillPolicy", "BackfillPolicyType", "plan_backfill_runs"),
        "headwater.partitions.backfill",
    ),
    **dict.fromkeys(
        (
            "DailyPartitionsDefinition",
            "HourlyPartitionsDefinition",
            "MonthlyPartitionsDefinition",
            "WeeklyPartitionsDefinition",
        ),
        "headwater.partitions.calendar",
    ),
    **dict.fromkeys(
        (
            "DynamicPartitionsStore",
            "PartitionKeyRange",
            "PartitionsDefinition",
            "UnknownPartitionError",
        ),
        "headwater.partitions.definition",
    ),
    "DynamicPartitionsDefinition": "headwater.partitions.dynamic",
    "infer_partition_mapping": "headwater.partitions.inference",
    **dict.fromkeys(
        ("Partition", "PartitionLoadingContext", "partition_loading_context"),
        "headwater.partitions.loading",
    ),
    **dict.fromkeys(
        (
            "AllPartitionMapping",
            "IdentityPartitionMapping",
            "LastPartitionMapping",
            "PartitionMapping",
            "SpecificPartitionsPartitionMapping",
            "StaticPartitionMapping",
            "UpstreamPartitionsResult",
        ),
        "headwater.partitions.mapping",
    ),
    **dict.fromkeys(
        ("MultiPartitionKey", "MultiPartitionsDefinition", "PartitionDimensionDefinition"),
        "headwater.partitions.multi",
    ),
    **dict.fromkeys(
        (
            "DimensionPartitionMapping",
            "MultiPartitionMapping",
            "MultiToSingleDimensionPartitionMapping",
        ),
        "headwater.partitions.multi_mapping",
    ),
    "ScheduleType": "headwater.partitions.schedule_type",
    "StaticPartitionsDefinition": "headwater.partitions.static",
    "TimeWindowPartitionMapping": "headwater.partitions.time_mapping",
    **dict.fromkeys(
        ("TimeWindow", "TimeWindowPartitionsDefinition"), "headwater.partitions.time_window"
    ),
}

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


__getattr__, __dir__ = lazy_names(__name__, _EXPORTS)
