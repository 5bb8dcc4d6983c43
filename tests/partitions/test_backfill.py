from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from headwater.errors import InvalidDefinitionError
from headwater.partitions import (
    BackfillPolicy,
    BackfillPolicyType,
    DailyPartitionsDefinition,
    PartitionKeyRange,
    StaticPartitionsDefinition,
    UnknownPartitionError,
    plan_backfill_runs,
)

NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)
DAYS = DailyPartitionsDefinition("2024-01-01", end_date="2024-01-08")
WEEK = [f"2024-01-0{d}" for d in range(1, 8)]


def _plan(policy: BackfillPolicy | None, keys: list[str]) -> list[PartitionKeyRange]:
    return plan_backfill_runs(policy, keys, DAYS, current_time=NOW)


def test_policies_are_values_with_the_reference_repr() -> None:
    single = BackfillPolicy.single_run()
    assert (single.policy_type, single.max_partitions_per_run) == (
        BackfillPolicyType.SINGLE_RUN,
        None,
    )
    assert repr(single) == "BackfillPolicy.single_run()"
    multi = BackfillPolicy.multi_run(3)
    assert (multi.policy_type, multi.max_partitions_per_run) == (BackfillPolicyType.MULTI_RUN, 3)
    assert repr(multi) == "BackfillPolicy.multi_run(max_partitions_per_run=3)"
    assert BackfillPolicy.multi_run() == BackfillPolicy.multi_run(1)
    message = "BackfillPolicy.multi_run: max_partitions_per_run=0 must be at least 1"
    with pytest.raises(InvalidDefinitionError, match=f"^{re.escape(message)}$"):
        BackfillPolicy.multi_run(0)


def test_single_run_is_one_run_per_unbroken_range() -> None:
    assert _plan(BackfillPolicy.single_run(), WEEK) == [
        PartitionKeyRange("2024-01-01", "2024-01-07")
    ]
    gap = ["2024-01-01", "2024-01-02", "2024-01-05", "2024-01-06"]
    assert _plan(BackfillPolicy.single_run(), gap) == [
        PartitionKeyRange("2024-01-01", "2024-01-02"),
        PartitionKeyRange("2024-01-05", "2024-01-06"),
    ]


def test_multi_run_chunks_and_no_policy_is_one_run_per_key() -> None:
    assert _plan(BackfillPolicy.multi_run(3), WEEK[::-1]) == [  # any order in
        PartitionKeyRange("2024-01-01", "2024-01-03"),
        PartitionKeyRange("2024-01-04", "2024-01-06"),
        PartitionKeyRange("2024-01-07", "2024-01-07"),
    ]
    assert _plan(None, ["2024-01-03", "2024-01-02", "2024-01-03"]) == [
        PartitionKeyRange("2024-01-02", "2024-01-02"),
        PartitionKeyRange("2024-01-03", "2024-01-03"),
    ]
    assert _plan(BackfillPolicy.single_run(), []) == []


def test_static_keys_follow_definition_order() -> None:
    letters = StaticPartitionsDefinition(["a", "b", "c", "d"])
    assert plan_backfill_runs(BackfillPolicy.multi_run(2), ["d", "b", "c"], letters) == [
        PartitionKeyRange("b", "c"),
        PartitionKeyRange("d", "d"),
    ]


def test_unknown_keys_are_refused_with_the_nearest() -> None:
    message = (
        "partition key '2024-01-09' is not in daily partitions starting 2024-01-01 (UTC) and "
        "ending before 2024-01-08; nearest valid keys: '2024-01-05', '2024-01-06', '2024-01-07'"
    )
    with pytest.raises(UnknownPartitionError, match=f"^{re.escape(message)}$"):
        _plan(BackfillPolicy.single_run(), ["2024-01-01", "2024-01-09"])
