from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from headwater.errors import InvalidDefinitionError
from headwater.partitions import (
    DailyPartitionsDefinition,
    MultiPartitionsDefinition,
    MultiToSingleDimensionPartitionMapping,
    StaticPartitionsDefinition,
    UpstreamPartitionsResult,
)

NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)
DATES = DailyPartitionsDefinition("2024-01-01", end_date="2024-01-03")
MULTI = MultiPartitionsDefinition(
    {"date": DATES, "region": StaticPartitionsDefinition(["us", "eu"])}
)
MAPPING = MultiToSingleDimensionPartitionMapping("date")


def test_multi_downstream_reads_its_dimension_key() -> None:
    assert MAPPING.get_upstream_partition_keys(
        "2024-01-01|us", MULTI, DATES, current_time=NOW
    ) == UpstreamPartitionsResult(("2024-01-01",))


def test_single_downstream_reads_every_multi_key_holding_it() -> None:
    assert MAPPING.get_upstream_partition_keys(
        "2024-01-01", DATES, MULTI, current_time=NOW
    ) == UpstreamPartitionsResult(("2024-01-01|us", "2024-01-01|eu"))
    assert MAPPING.get_downstream_partition_keys("2024-01-01", DATES, MULTI, current_time=NOW) == (
        "2024-01-01|us",
        "2024-01-01|eu",
    )


def test_dimension_is_inferred_when_one_matches() -> None:
    inferred = MultiToSingleDimensionPartitionMapping()
    assert inferred.get_downstream_partition_keys(
        "2024-01-02|eu", MULTI, DATES, current_time=NOW
    ) == ("2024-01-02",)
    message = (
        "MultiToSingleDimensionPartitionMapping: no single dimension of multi-partitions "
        "date|region matches static partitions 'x'; pass partition_dimension_name="
    )
    with pytest.raises(InvalidDefinitionError, match=f"^{re.escape(message)}$"):
        inferred.get_upstream_partition_keys(
            "2024-01-01|us", MULTI, StaticPartitionsDefinition(["x"]), current_time=NOW
        )


def test_two_single_definitions_are_refused() -> None:
    message = (
        "MultiToSingleDimensionPartitionMapping maps a multi-partitioned asset to a "
        "single-dimension one; exactly one side must be multi-partitioned"
    )
    with pytest.raises(InvalidDefinitionError, match=f"^{re.escape(message)}$"):
        MAPPING.get_upstream_partition_keys("2024-01-01", DATES, DATES, current_time=NOW)
