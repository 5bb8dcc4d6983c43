from __future__ import annotations

from datetime import datetime, timezone

from headwater.partitions import (
    AllPartitionMapping,
    DailyPartitionsDefinition,
    IdentityPartitionMapping,
    LastPartitionMapping,
    PartitionKeyRange,
    StaticPartitionMapping,
    StaticPartitionsDefinition,
    UpstreamPartitionsResult,
)

NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)
ABC = StaticPartitionsDefinition(["a", "b", "c"])
DAYS = DailyPartitionsDefinition("2024-01-01", end_date="2024-01-04")


def test_identity_maps_same_keys_and_reports_missing_ones() -> None:
    mapping = IdentityPartitionMapping()
    other = StaticPartitionsDefinition(["a", "q"])
    assert mapping.get_upstream_partition_keys(["a", "b"], ABC, other) == (
        UpstreamPartitionsResult(("a",), ("b",))
    )
    assert mapping.get_upstream_partition_keys("b", ABC, other) == UpstreamPartitionsResult(
        (), ("b",)
    )
    assert mapping.get_downstream_partition_keys(["a", "q"], other, ABC) == ("a",)
    assert mapping.get_upstream_partition_keys(PartitionKeyRange("a", "b"), ABC, ABC) == (
        UpstreamPartitionsResult(("a", "b"))
    )


def test_all_maps_to_every_partition() -> None:
    mapping = AllPartitionMapping()
    result = mapping.get_upstream_partition_keys("a", ABC, DAYS, current_time=NOW)
    assert result.partition_keys == ("2024-01-01", "2024-01-02", "2024-01-03")
    assert mapping.get_downstream_partition_keys("2024-01-02", DAYS, ABC, current_time=NOW) == (
        "a",
        "b",
        "c",
    )
    # an unpartitioned downstream asset reads every upstream partition
    assert mapping.get_upstream_partition_keys([], None, ABC).partition_keys == ("a", "b", "c")


def test_last_maps_to_the_upstream_last_partition() -> None:
    mapping = LastPartitionMapping()
    assert mapping.get_upstream_partition_keys("a", ABC, DAYS, current_time=NOW) == (
        UpstreamPartitionsResult(("2024-01-03",))
    )
    assert mapping.get_downstream_partition_keys("2024-01-03", DAYS, ABC, current_time=NOW) == (
        "a",
        "b",
        "c",
    )
    assert mapping.get_downstream_partition_keys("2024-01-02", DAYS, ABC, current_time=NOW) == ()


def test_static_table_in_both_directions() -> None:
    upstream = StaticPartitionsDefinition(["x", "y", "z"])
    mapping = StaticPartitionMapping({"x": "a", "y": ["a", "b"], "w": "c"})
    assert mapping.get_upstream_partition_keys("a", ABC, upstream) == (
        UpstreamPartitionsResult(("x", "y"))
    )
    # "w" is in the table but not upstream
    assert mapping.get_upstream_partition_keys("c", ABC, upstream) == (
        UpstreamPartitionsResult((), ("w",))
    )
    assert mapping.get_downstream_partition_keys(["y"], upstream, ABC) == ("a", "b")
    assert mapping.get_downstream_partition_keys(["z"], upstream, ABC) == ()


def test_mappings_are_values() -> None:
    assert IdentityPartitionMapping() == IdentityPartitionMapping()
    assert StaticPartitionMapping({"x": "a"}) == StaticPartitionMapping({"x": ["a"]})
    assert hash(AllPartitionMapping()) == hash(AllPartitionMapping())
    assert repr(StaticPartitionMapping({"x": "a"})) == (
        "StaticPartitionMapping(downstream_partition_keys_by_upstream_partition_key={'x': ['a']})"
    )
