from __future__ import annotations

import warnings
from datetime import datetime

import pytest

from headwater import DagsterInstance
from headwater.errors import InvalidInvocationError
from headwater.partitions import (
    DailyPartitionsDefinition,
    DynamicPartitionsDefinition,
    Partition,
    partition_loading_context,
)

DAYS = DailyPartitionsDefinition(start_date="2021-01-01")


def test_the_block_sets_the_moment_keys_are_read_at() -> None:
    with partition_loading_context(effective_dt=datetime(2021, 1, 3)) as context:
        assert context.effective_dt == datetime(2021, 1, 3)
        assert DAYS.get_last_partition_key() == "2021-01-02"
        with partition_loading_context():  # nested blocks inherit what they do not set
            assert DAYS.get_last_partition_key() == "2021-01-02"
        assert DAYS.get_last_partition_key(datetime(2021, 1, 5)) == "2021-01-04"
    assert DAYS.get_last_partition_key() != "2021-01-02"


def test_the_block_sets_the_instance_dynamic_keys_are_read_from() -> None:
    customers = DynamicPartitionsDefinition(name="customers")
    with DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions("customers", ["a", "b"])
        with partition_loading_context(dynamic_partitions_store=instance):
            assert customers.get_partition_keys() == ["a", "b"]


def test_effective_dt_must_be_a_datetime() -> None:
    with (
        pytest.raises(InvalidInvocationError, match="effective_dt must be a datetime, got str"),
        partition_loading_context(effective_dt="2021-01-01"),  # type: ignore[arg-type]
    ):
        pass


def test_partition_is_a_value_and_a_name() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        five: Partition[int] = Partition(5)
    assert caught[0].category is DeprecationWarning
    assert (five.value, five.name) == (5, "5")
    assert five == Partition(5, "5")
    assert five != Partition(5, "five")
    with pytest.raises(TypeError, match="unhashable"):
        hash(five)
    with pytest.raises(InvalidInvocationError, match="name must be a str, got int 3"):
        Partition(1, name=3)  # type: ignore[arg-type]
