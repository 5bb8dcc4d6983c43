from __future__ import annotations

import pickle
import re
from datetime import datetime, timezone

import pytest

from headwater.errors import InvalidDefinitionError, InvalidInvocationError
from headwater.partitions import (
    DailyPartitionsDefinition,
    DynamicPartitionsDefinition,
    MultiPartitionKey,
    MultiPartitionsDefinition,
    PartitionKeyRange,
    PartitionsDefinition,
    StaticPartitionsDefinition,
    UnknownPartitionError,
)
from headwater.storage import Instance

NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)
DATES = DailyPartitionsDefinition("2024-01-01", end_date="2024-01-03")
REGIONS = StaticPartitionsDefinition(["us", "eu"])
MULTI = MultiPartitionsDefinition({"region": REGIONS, "date": DATES})


def test_keys_join_parts_in_dimension_name_order() -> None:
    keys = MULTI.get_partition_keys(NOW)
    assert keys == ["2024-01-01|us", "2024-01-01|eu", "2024-01-02|us", "2024-01-02|eu"]
    assert [k.keys_by_dimension for k in keys[:2]] == [
        {"date": "2024-01-01", "region": "us"},
        {"date": "2024-01-01", "region": "eu"},
    ]
    other = MultiPartitionsDefinition(
        {"zeta": StaticPartitionsDefinition(["a", "b"]), "alpha": StaticPartitionsDefinition(["x"])}
    )
    assert other.get_partition_keys() == ["x|a", "x|b"]


def test_multi_partition_key_is_a_string() -> None:
    key = MultiPartitionKey({"region": "us", "date": "2024-01-01"})
    assert key == "2024-01-01|us"
    assert isinstance(key, str)
    assert hash(key) == hash("2024-01-01|us")
    assert [(d.dimension_name, d.partition_key) for d in key.dimension_keys] == [
        ("date", "2024-01-01"),
        ("region", "us"),
    ]
    copy = pickle.loads(pickle.dumps(key))
    assert copy == key
    assert copy.keys_by_dimension == key.keys_by_dimension


def test_parsing_and_membership() -> None:
    parsed = MULTI.get_partition_key_from_str("2024-01-02|eu")
    assert parsed.keys_by_dimension == {"date": "2024-01-02", "region": "eu"}
    assert MULTI.has_partition_key("2024-01-01|us", NOW)
    assert not MULTI.has_partition_key("us|2024-01-01", NOW)
    assert not MULTI.has_partition_key("2024-01-01", NOW)
    message = (
        "partition key 'us' is not in multi-partitions date|region; it has no partitions; "
        "a key has one part per dimension, written date|region"
    )
    with pytest.raises(UnknownPartitionError, match=f"^{re.escape(message)}$"):
        MULTI.get_partition_key_from_str("us")


def test_dimensions() -> None:
    assert MULTI.partition_dimension_names == ["date", "region"]
    assert MULTI.primary_dimension.name == "date"
    assert MULTI.secondary_dimension.name == "region"
    assert MULTI.time_window_dimension is not None
    assert MULTI.get_partitions_def_for_dimension("region") == REGIONS
    message = (
        "multi-partitions date|region has no dimension 'city'; its dimensions are 'date', 'region'"
    )
    with pytest.raises(InvalidDefinitionError, match=f"^{re.escape(message)}$"):
        MULTI.get_partitions_def_for_dimension("city")


def test_unknown_key_names_the_wrong_part_and_the_nearest_whole_keys() -> None:
    message = (
        "partition key '2024-01-01|eur' is not in multi-partitions date|region; nearest "
        "valid keys: '2024-01-01|eu'; its 'region' part 'eur' is not in static partitions "
        "'us', 'eu'"
    )
    with pytest.raises(UnknownPartitionError, match=f"^{re.escape(message)}$") as info:
        MULTI.validate_partition_key("2024-01-01|eur", NOW)
    assert info.value.nearest_keys == ("2024-01-01|eu",)
    message = (
        "partition key '2023-12-31|us' is not in multi-partitions date|region; nearest valid "
        "keys: '2024-01-01|us', '2024-01-02|us'; its 'date' part '2023-12-31' is not in "
        "daily partitions starting 2024-01-01 (UTC) and ending before 2024-01-03"
    )
    with pytest.raises(UnknownPartitionError, match=f"^{re.escape(message)}$"):
        MULTI.validate_partition_key("2023-12-31|us", NOW)
    message = (
        "partition key '2024-01-01' is not in multi-partitions date|region; nearest valid "
        "keys: '2024-01-01|us', '2024-01-01|eu', '2024-01-02|us'; a key has one part per "
        "dimension, written date|region"
    )
    with pytest.raises(UnknownPartitionError, match=f"^{re.escape(message)}$"):
        MULTI.validate_partition_key("2024-01-01", NOW)


def test_ranges_follow_key_order() -> None:
    assert MULTI.get_partition_keys_in_range(
        PartitionKeyRange("2024-01-01|eu", "2024-01-02|us"), NOW
    ) == ["2024-01-01|eu", "2024-01-02|us"]


@pytest.mark.parametrize(
    ("dimensions", "message"),
    [
        (
            {"a": REGIONS},
            "MultiPartitionsDefinition takes exactly 2 dimensions; got 1 ('a')",
        ),
        (
            {"a": REGIONS, "b": REGIONS, "c": REGIONS},
            "MultiPartitionsDefinition takes exactly 2 dimensions; got 3 ('a', 'b', 'c')",
        ),
        (
            {"a": REGIONS, "b": MULTI},
            "MultiPartitionsDefinition: dimension 'b' is a MultiPartitionsDefinition; a "
            "dimension must be static, time-window or dynamic partitions",
        ),
        (
            {"a": REGIONS, "b": StaticPartitionsDefinition(["x|y"])},
            "MultiPartitionsDefinition: key 'x|y' of dimension 'b' contains '|', which "
            "multi-partition keys reserve",
        ),
    ],
)
def test_bad_dimensions_are_explained(
    dimensions: dict[str, PartitionsDefinition], message: str
) -> None:
    # A wrong number of dimensions is an invalid call (InvalidInvocationError, as the
    # reference); a bad dimension is an invalid definition.
    with pytest.raises(
        (InvalidDefinitionError, InvalidInvocationError), match=f"^{re.escape(message)}$"
    ):
        MultiPartitionsDefinition(dimensions)


def test_equality() -> None:
    same = MultiPartitionsDefinition(
        {"date": DATES, "region": StaticPartitionsDefinition(["us", "eu"])}
    )
    assert same == MULTI
    assert hash(same) == hash(MULTI)
    assert MultiPartitionsDefinition({"date": DATES, "place": REGIONS}) != MULTI


def test_dynamic_dimension_reads_the_instance() -> None:
    instance = Instance.ephemeral()
    multi = MultiPartitionsDefinition(
        {"date": DATES, "customer": DynamicPartitionsDefinition(name="customers")}
    )
    assert multi.get_partition_keys(NOW, instance) == []
    instance.add_dynamic_partitions("customers", ["acme"])
    assert multi.get_partition_keys(NOW, instance) == ["acme|2024-01-01", "acme|2024-01-02"]
    assert multi.has_partition_key("acme|2024-01-02", NOW, instance)
