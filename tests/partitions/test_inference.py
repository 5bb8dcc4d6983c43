from __future__ import annotations

from headwater.partitions import (
    AllPartitionMapping,
    DailyPartitionsDefinition,
    HourlyPartitionsDefinition,
    IdentityPartitionMapping,
    LastPartitionMapping,
    MultiPartitionsDefinition,
    MultiToSingleDimensionPartitionMapping,
    StaticPartitionsDefinition,
    TimeWindowPartitionMapping,
    infer_partition_mapping,
)

DAYS = DailyPartitionsDefinition("2024-01-01")
HOURS = HourlyPartitionsDefinition("2024-01-01-00:00")
ABC = StaticPartitionsDefinition(["a", "b", "c"])
MULTI = MultiPartitionsDefinition({"date": DAYS, "letter": ABC})


def test_given_mapping_wins() -> None:
    assert infer_partition_mapping(LastPartitionMapping(), DAYS, ABC) == LastPartitionMapping()


def test_defaults_follow_the_reference() -> None:
    assert infer_partition_mapping(None, DAYS, HOURS) == TimeWindowPartitionMapping()
    assert infer_partition_mapping(None, ABC, ABC) == IdentityPartitionMapping()
    assert infer_partition_mapping(None, ABC, StaticPartitionsDefinition(["x"])) == (
        IdentityPartitionMapping()
    )
    assert infer_partition_mapping(None, None, DAYS) == AllPartitionMapping()
    assert infer_partition_mapping(None, DAYS, None) == AllPartitionMapping()
    assert infer_partition_mapping(None, MULTI, DAYS) == MultiToSingleDimensionPartitionMapping()
    assert infer_partition_mapping(None, ABC, MULTI) == MultiToSingleDimensionPartitionMapping()
    assert infer_partition_mapping(None, HOURS, MULTI) == IdentityPartitionMapping()
