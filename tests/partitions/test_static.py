from __future__ import annotations

import re

import pytest

from headwater.errors import InvalidDefinitionError
from headwater.partitions import (
    PartitionKeyRange,
    StaticPartitionsDefinition,
    UnknownPartitionError,
)


def test_keys_keep_their_order() -> None:
    pdef = StaticPartitionsDefinition(["us", "eu", "apac"])
    assert pdef.get_partition_keys() == ["us", "eu", "apac"]
    assert pdef.get_num_partitions() == 3
    assert pdef.has_partition_key("eu")
    assert not pdef.has_partition_key("EU")
    assert pdef.get_first_partition_key() == "us"
    assert pdef.get_last_partition_key() == "apac"


def test_duplicates_are_named() -> None:
    message = "StaticPartitionsDefinition: partition keys must be unique; repeated: 'a', 'b'"
    with pytest.raises(InvalidDefinitionError, match=f"^{re.escape(message)}$"):
        StaticPartitionsDefinition(["b", "a", "b", "a", "c"])


def test_reserved_substrings_and_non_strings_are_refused() -> None:
    message = (
        "StaticPartitionsDefinition: partition key 'a...b' contains '...', "
        "which partition keys may not contain"
    )
    with pytest.raises(InvalidDefinitionError, match=f"^{re.escape(message)}$"):
        StaticPartitionsDefinition(["a...b"])
    message = "StaticPartitionsDefinition: partition key 3 is a int; keys are strings"
    with pytest.raises(InvalidDefinitionError, match=f"^{re.escape(message)}$"):
        StaticPartitionsDefinition(["a", 3])  # type: ignore[list-item]
    message = "StaticPartitionsDefinition takes a list of keys, got the string 'abc'; write ['abc']"
    with pytest.raises(InvalidDefinitionError, match=f"^{re.escape(message)}$"):
        StaticPartitionsDefinition("abc")


def test_unknown_key_lists_the_nearest_by_spelling() -> None:
    pdef = StaticPartitionsDefinition(["us-east", "us-west", "eu-central", "apac"])
    message = (
        "partition key 'us-eats' is not in static partitions 'us-east', 'us-west', "
        "'eu-central', 'apac'; nearest valid keys: 'us-east', 'us-west'"
    )
    with pytest.raises(UnknownPartitionError, match=f"^{re.escape(message)}$") as info:
        pdef.validate_partition_key("us-eats")
    assert info.value.partition_key == "us-eats"
    assert info.value.nearest_keys == ("us-east", "us-west")
    assert isinstance(info.value, LookupError)


def test_unknown_key_far_from_all_lists_the_first_keys() -> None:
    pdef = StaticPartitionsDefinition([f"k{i}" for i in range(8)])
    message = (
        "partition key 'zzzzzz' is not in static partitions 'k0', 'k1', 'k2', 'k3', 'k4' "
        "(and 3 more); nearest valid keys: 'k0', 'k1', 'k2'"
    )
    with pytest.raises(UnknownPartitionError, match=f"^{re.escape(message)}$"):
        pdef.validate_partition_key("zzzzzz")


def test_empty_definition_says_it_has_no_partitions() -> None:
    message = "partition key 'a' is not in static partitions (no keys); it has no partitions"
    with pytest.raises(UnknownPartitionError, match=f"^{re.escape(message)}$"):
        StaticPartitionsDefinition([]).validate_partition_key("a")


def test_ranges_are_inclusive_and_reversed_ranges_are_empty() -> None:
    pdef = StaticPartitionsDefinition(["a", "b", "c", "d"])
    assert pdef.get_partition_keys_in_range(PartitionKeyRange("b", "d")) == ["b", "c", "d"]
    assert pdef.get_partition_keys_in_range(PartitionKeyRange("c", "c")) == ["c"]
    assert pdef.get_partition_keys_in_range(PartitionKeyRange("d", "b")) == []
    message = (
        "partition key 'x' is not in static partitions 'a', 'b', 'c', 'd'; "
        "nearest valid keys: 'a', 'b', 'c'"
    )
    with pytest.raises(UnknownPartitionError, match=f"^{re.escape(message)}$"):
        pdef.get_partition_keys_in_range(PartitionKeyRange("x", "b"))


def test_equality_hash_and_repr() -> None:
    one = StaticPartitionsDefinition(["a", "b"])
    assert one == StaticPartitionsDefinition(["a", "b"])
    assert hash(one) == hash(StaticPartitionsDefinition(["a", "b"]))
    assert one != StaticPartitionsDefinition(["b", "a"])
    assert repr(one) == "StaticPartitionsDefinition(partition_keys=['a', 'b'])"
    assert str(one) == "'a', 'b'"
    assert bool(StaticPartitionsDefinition([]))  # no __len__: a definition is always truthy
