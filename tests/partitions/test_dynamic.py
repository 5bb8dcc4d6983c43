from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater.errors import InvalidDefinitionError, InvariantViolationError
from headwater.partitions import (
    DynamicPartitionsDefinition,
    DynamicPartitionsStore,
    PartitionKeyRange,
    UnknownPartitionError,
)
from headwater.storage import Instance

CUSTOMERS = DynamicPartitionsDefinition(name="customers")


@pytest.fixture(params=["memory", "sqlite"])
def instance(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Instance]:
    inst = Instance.ephemeral() if request.param == "memory" else Instance.local_temp(tmp_path)
    with inst:
        yield inst


def test_keys_are_added_once_in_order_and_deleted(instance: Instance) -> None:
    assert isinstance(instance, DynamicPartitionsStore)
    assert instance.get_dynamic_partitions("customers") == []
    instance.add_dynamic_partitions("customers", ["b", "a", "b"])
    instance.add_dynamic_partitions("customers", ["a", "c"])
    assert instance.get_dynamic_partitions("customers") == ["b", "a", "c"]
    assert instance.has_dynamic_partition("customers", "a")
    instance.delete_dynamic_partition("customers", "a")
    instance.delete_dynamic_partition("customers", "never-added")  # no error, as the reference
    assert instance.get_dynamic_partitions("customers") == ["b", "c"]
    assert not instance.has_dynamic_partition("customers", "a")
    assert instance.get_dynamic_partitions("suppliers") == []


def test_definition_reads_keys_from_the_instance(instance: Instance) -> None:
    instance.add_dynamic_partitions("customers", ["acme", "globex", "initech"])
    assert CUSTOMERS.get_partition_keys(dynamic_partitions_store=instance) == [
        "acme",
        "globex",
        "initech",
    ]
    assert CUSTOMERS.has_partition_key("globex", dynamic_partitions_store=instance)
    assert CUSTOMERS.get_partition_keys_in_range(
        PartitionKeyRange("globex", "initech"), dynamic_partitions_store=instance
    ) == ["globex", "initech"]
    message = (
        "partition key 'globx' is not in dynamic partitions 'customers'; nearest valid keys: "
        "'globex'; add it with instance.add_dynamic_partitions('customers', ['globx'])"
    )
    with pytest.raises(UnknownPartitionError, match=f"^{re.escape(message)}$"):
        CUSTOMERS.validate_partition_key("globx", dynamic_partitions_store=instance)


def test_keys_survive_reopening_a_persistent_instance(tmp_path: Path) -> None:
    with Instance.local_temp(tmp_path) as first:
        first.add_dynamic_partitions("customers", ["acme"])
    with Instance.from_config(tmp_path) as second:
        assert second.get_dynamic_partitions("customers") == ["acme"]


def test_reserved_substrings_are_refused(instance: Instance) -> None:
    message = (
        "dynamic partitions 'customers': partition key 'a...b' contains '...', which "
        "partition keys may not contain"
    )
    with pytest.raises(InvalidDefinitionError, match=f"^{re.escape(message)}$"):
        instance.add_dynamic_partitions("customers", ["ok", "a...b"])
    assert instance.get_dynamic_partitions("customers") == []


def test_without_an_instance_the_error_says_what_to_pass() -> None:
    message = (
        "dynamic partitions 'customers' keep their keys in the instance; pass "
        "dynamic_partitions_store=instance, or read them inside "
        "partition_loading_context(dynamic_partitions_store=instance)"
    )
    with pytest.raises(InvariantViolationError, match=f"^{re.escape(message)}$"):
        CUSTOMERS.get_partition_keys()


def test_partition_fn_and_name_are_exclusive() -> None:
    legacy = DynamicPartitionsDefinition(lambda _now: ["x", "y"])
    assert legacy.get_partition_keys() == ["x", "y"]
    assert legacy.has_partition_key("y")
    message = (
        "DynamicPartitionsDefinition: give exactly one of name= (keys stored in the "
        "instance) and partition_fn="
    )
    with pytest.raises(InvalidDefinitionError, match=f"^{re.escape(message)}$"):
        DynamicPartitionsDefinition()


def test_equality_by_name() -> None:
    assert DynamicPartitionsDefinition(name="customers") == CUSTOMERS
    assert hash(CUSTOMERS) == hash(DynamicPartitionsDefinition(name="customers"))
    assert DynamicPartitionsDefinition(name="suppliers") != CUSTOMERS
    assert repr(CUSTOMERS) == "DynamicPartitionsDefinition(name='customers')"
