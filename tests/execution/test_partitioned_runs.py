"""Partitioned runs: one key, key ranges, mapped upstream partitions, and bad keys."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidInvocationError, InvariantViolationError
from headwater.execution.partitions import PARTITION_TAG, RANGE_END_TAG, RANGE_START_TAG

daily = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-06")
colors = dg.StaticPartitionsDefinition(["red", "green", "blue"])


def range_tags(start: str, end: str) -> dict[str, str]:
    return {RANGE_START_TAG: start, RANGE_END_TAG: end}


def partitions_of(result: dg.ExecuteInProcessResult) -> list[tuple[str, str | None]]:
    return [
        (e.data["asset_key"], e.data["partition"])
        for e in result.get_asset_materialization_events()
    ]


@pytest.fixture
def instance(tmp_path: Path) -> Any:
    with dg.DagsterInstance.from_config(tmp_path / "home") as opened:
        yield opened


@dg.asset(partitions_def=daily)
def temps(context: dg.AssetExecutionContext) -> str:
    return f"t{context.partition_key[-2:]}"


def materialize_days(instance: Any, *days: str) -> None:
    for day in days:
        assert dg.materialize([temps], instance=instance, partition_key=day).success


def test_single_key_run_sees_its_partition_and_records_it(instance: Any) -> None:
    seen: dict[str, Any] = {}

    @dg.asset(partitions_def=daily)
    def probe(context: dg.AssetExecutionContext) -> None:
        seen.update(
            key=context.partition_key,
            keys=context.partition_keys,
            range=context.partition_key_range,
            window=context.partition_time_window,
        )

    result = dg.materialize([probe], instance=instance, partition_key="2024-01-02")
    assert seen["key"] == "2024-01-02"
    assert seen["keys"] == ["2024-01-02"]
    assert seen["range"] == dg.PartitionKeyRange("2024-01-02", "2024-01-02")
    assert seen["window"].start.isoformat() == "2024-01-02T00:00:00+00:00"
    assert seen["window"].end.isoformat() == "2024-01-03T00:00:00+00:00"
    assert result.dagster_run.tags[PARTITION_TAG] == "2024-01-02"
    [event] = result.get_asset_materialization_events()
    assert event.message == "Materialized value probe."
    assert event.partition == "2024-01-02"
    assert event.data["partition"] == "2024-01-02"


def test_single_key_value_is_stored_per_partition_by_the_fs_io_manager(instance: Any) -> None:
    materialize_days(instance, "2024-01-01", "2024-01-02")
    loader = dg.Definitions(assets=[temps]).get_asset_value_loader(instance=instance)
    with loader:
        assert loader.load_asset_value("temps", partition_key="2024-01-02") == "t02"


def test_range_run_of_a_single_run_asset_reads_the_range(instance: Any) -> None:
    seen: dict[str, Any] = {}

    @dg.asset(partitions_def=daily, backfill_policy=dg.BackfillPolicy.single_run())
    def ranged(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        seen.update(
            range=context.partition_key_range,
            keys=context.partition_keys,
            window=context.partition_time_window,
        )
        return dg.MaterializeResult(metadata={"days": len(context.partition_keys)})

    tags = range_tags("2024-01-02", "2024-01-04")
    result = dg.materialize([ranged], instance=instance, tags=tags)
    assert seen["range"] == dg.PartitionKeyRange("2024-01-02", "2024-01-04")
    assert seen["keys"] == ["2024-01-02", "2024-01-03", "2024-01-04"]
    assert (seen["window"].start.day, seen["window"].end.day) == (2, 5)
    assert partitions_of(result) == [
        ("ranged", "2024-01-02"),
        ("ranged", "2024-01-03"),
        ("ranged", "2024-01-04"),
    ]
    assert all(
        e.data["metadata"]["days"]["raw_value"] == 3
        for e in result.get_asset_materialization_events()
    )
    assert dict(result.dagster_run.tags) == tags


def test_range_run_context_refuses_a_single_partition_key(instance: Any) -> None:
    @dg.asset(partitions_def=daily)
    def wants_key(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        _ = context.partition_key
        return dg.MaterializeResult()

    msg = (
        "op 'wants_key' asked for context.partition_key, but this run targets the partition "
        "range 2024-01-01...2024-01-02; use context.partition_key_range or context.partition_keys"
    )
    with pytest.raises(dg.DagsterInvariantViolationError, match=re.escape(msg)):
        dg.materialize([wants_key], instance=instance, tags=range_tags("2024-01-01", "2024-01-02"))


def test_range_of_one_key_is_a_single_key_run(instance: Any) -> None:
    result = dg.materialize([temps], instance=instance, tags=range_tags("2024-01-03", "2024-01-03"))
    assert result.success
    assert partitions_of(result) == [("temps", "2024-01-03")]


def test_fs_io_manager_refuses_one_value_for_several_partitions(instance: Any) -> None:
    @dg.asset(partitions_def=daily)
    def whole_range() -> int:
        return 1

    msg = (
        "fs_io_manager cannot store output 'result' of step 'whole_range' (asset "
        "'whole_range', 2 partitions '2024-01-01' to '2024-01-02') as one value: it writes "
        "one file per partition; launch one run per partition (backfill_policy single-run "
        "is not supported by this IO manager)"
    )
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        dg.materialize(
            [whole_range], instance=instance, tags=range_tags("2024-01-01", "2024-01-02")
        )


def test_time_window_mapping_with_offset_loads_several_upstream_partitions(instance: Any) -> None:
    @dg.asset(
        partitions_def=daily,
        ins={"temps": dg.AssetIn(partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-2))},
    )
    def three_days(temps: dict[str, str]) -> list[str]:
        return sorted(temps.values())

    materialize_days(instance, "2024-01-01", "2024-01-02", "2024-01-03")
    result = dg.materialize(
        [temps, three_days], instance=instance, partition_key="2024-01-03", selection=[three_days]
    )
    assert result.output_for_node("three_days") == ["t01", "t02", "t03"]


def test_time_window_mapping_at_the_first_day_loads_the_one_existing_partition(
    instance: Any,
) -> None:
    @dg.asset(
        partitions_def=daily,
        ins={"temps": dg.AssetIn(partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-2))},
    )
    def clipped(temps: Any) -> Any:
        return temps

    materialize_days(instance, "2024-01-01")
    result = dg.materialize(
        [temps, clipped], instance=instance, partition_key="2024-01-01", selection=[clipped]
    )
    # One upstream partition loads as the value itself, as the reference's fs manager does.
    assert result.output_for_node("clipped") == "t01"


def test_previous_day_mapping_through_asset_dep_orders_without_loading(instance: Any) -> None:
    seen: list[str] = []

    @dg.asset(
        partitions_def=daily,
        deps=[
            dg.AssetDep(
                "temps",
                partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-1, end_offset=-1),
            )
        ],
    )
    def after_yesterday(context: dg.AssetExecutionContext) -> None:
        seen.append(context.partition_key)

    result = dg.materialize([temps, after_yesterday], instance=instance, partition_key="2024-01-02")
    assert result.success
    assert seen == ["2024-01-02"]


def test_identity_mapping_is_inferred_between_same_partitioned_assets(instance: Any) -> None:
    @dg.asset(partitions_def=daily)
    def doubled(temps: str) -> str:
        return temps * 2

    result = dg.materialize([temps, doubled], instance=instance, partition_key="2024-01-04")
    assert result.output_for_node("doubled") == "t04t04"


def test_unpartitioned_downstream_reads_every_upstream_partition(instance: Any) -> None:
    @dg.asset
    def week(temps: dict[str, str]) -> dict[str, str]:
        return temps

    materialize_days(instance, "2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05")
    result = dg.materialize([temps, week], instance=instance, selection=[week])
    assert result.output_for_node("week") == {
        "2024-01-01": "t01",
        "2024-01-02": "t02",
        "2024-01-03": "t03",
        "2024-01-04": "t04",
        "2024-01-05": "t05",
    }
    assert partitions_of(result) == [("week", None)]


def test_unpartitioned_downstream_names_the_missing_upstream_partition(instance: Any) -> None:
    @dg.asset
    def week(temps: dict[str, str]) -> int:
        return len(temps)

    materialize_days(instance, "2024-01-01")
    result = dg.materialize(
        [temps, week], instance=instance, selection=[week], raise_on_error=False
    )
    failure = next(e for e in result.all_events if e.event_type is dg.EventType.STEP_FAILURE)
    assert failure.error is not None
    assert failure.error.message.startswith(
        "IO manager 'io_manager' (PickledObjectFilesystemIOManager) failed to load input 'temps' "
        "of step 'week' (asset 'temps', 5 partitions '2024-01-01' to '2024-01-05'): "
        "MissingValueError: fs_io_manager could not load asset 'temps' for partition "
        "'2024-01-02': no file at "
    )


def test_static_partitions_run_each_key_and_fan_in_downstream(instance: Any) -> None:
    @dg.asset(partitions_def=colors)
    def paint(context: dg.AssetExecutionContext) -> str:
        return context.partition_key.upper()

    @dg.asset
    def palette(paint: dict[str, str]) -> list[str]:
        return sorted(paint.values())

    for color in ("red", "green", "blue"):
        dg.materialize([paint], instance=instance, partition_key=color)
    result = dg.materialize([paint, palette], instance=instance, selection=[palette])
    assert result.output_for_node("palette") == ["BLUE", "GREEN", "RED"]


def test_dynamic_partitions_added_through_the_instance_become_runnable(instance: Any) -> None:
    fruits = dg.DynamicPartitionsDefinition(name="fruits")

    @dg.asset(partitions_def=fruits)
    def fruit(context: dg.AssetExecutionContext) -> str:
        return context.partition_key

    msg = (
        "partition key 'apple' is not in dynamic partitions 'fruits'; it has no partitions; add "
        "it with instance.add_dynamic_partitions('fruits', ['apple'])"
    )
    with pytest.raises(dg.UnknownPartitionError, match=re.escape(msg)):
        dg.materialize([fruit], instance=instance, partition_key="apple")
    instance.add_dynamic_partitions("fruits", ["apple", "banana"])
    result = dg.materialize([fruit], instance=instance, partition_key="apple")
    assert result.output_for_node("fruit") == "apple"
    result = dg.materialize(
        [fruit], instance=instance, tags=range_tags("apple", "banana"), raise_on_error=False
    )
    assert partitions_of(result) == []  # fs_io_manager cannot store one value for two keys


def test_unknown_dynamic_key_suggests_the_nearest_added_key(instance: Any) -> None:
    fruits = dg.DynamicPartitionsDefinition(name="fruits")

    @dg.asset(partitions_def=fruits)
    def fruit() -> None:
        return None

    instance.add_dynamic_partitions("fruits", ["apple", "banana"])
    msg = (
        "partition key 'aple' is not in dynamic partitions 'fruits'; nearest valid keys: "
        "'apple'; add it with instance.add_dynamic_partitions('fruits', ['aple'])"
    )
    with pytest.raises(dg.UnknownPartitionError, match=re.escape(msg)):
        dg.materialize([fruit], instance=instance, partition_key="aple")


@pytest.mark.parametrize(
    ("key", "nearest"),
    [
        ("2024-02-01", "'2024-01-03', '2024-01-04', '2024-01-05'"),
        ("2024-1-3", "'2024-01-03'"),
    ],
)
def test_unknown_time_key_lists_the_nearest_valid_keys(
    instance: Any, key: str, nearest: str
) -> None:
    msg = (
        f"partition key '{key}' is not in daily partitions starting 2024-01-01 (UTC) and ending "
        f"before 2024-01-06; nearest valid keys: {nearest}"
    )
    with pytest.raises(dg.UnknownPartitionError, match=re.escape(msg)) as caught:
        dg.materialize([temps], instance=instance, partition_key=key)
    assert caught.value.partition_key == key


def test_unknown_static_key_suggests_by_spelling(instance: Any) -> None:
    @dg.asset(partitions_def=colors)
    def paint() -> None:
        return None

    msg = (
        "partition key 'gren' is not in static partitions 'red', 'green', 'blue'; nearest "
        "valid keys: 'green'"
    )
    with pytest.raises(dg.UnknownPartitionError, match=re.escape(msg)):
        dg.materialize([paint], instance=instance, partition_key="gren")


def test_unknown_range_end_is_refused_before_the_run(instance: Any) -> None:
    msg = (
        "partition key '2024-01-09' is not in daily partitions starting 2024-01-01 (UTC) and "
        "ending before 2024-01-06; nearest valid keys: '2024-01-03', '2024-01-04', '2024-01-05'"
    )
    with pytest.raises(dg.UnknownPartitionError, match=re.escape(msg)):
        dg.materialize([temps], instance=instance, tags=range_tags("2024-01-01", "2024-01-09"))
    assert list(instance.get_runs()) == []


def test_range_with_only_a_start_tag_is_refused(instance: Any) -> None:
    msg = (
        "a partition range needs both tags 'dagster/asset_partition_range_start' and "
        "'dagster/asset_partition_range_end'"
    )
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        dg.materialize([temps], instance=instance, tags={RANGE_START_TAG: "2024-01-01"})


def test_partitioned_job_without_a_key_says_how_to_give_one(instance: Any) -> None:
    msg = (
        "job '__ephemeral_asset_job__' is partitioned; give the partition to run with "
        "partition_key=... (or a range with the tags 'dagster/asset_partition_range_start' and "
        "'dagster/asset_partition_range_end')"
    )
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        dg.materialize([temps], instance=instance)


def test_key_for_an_unpartitioned_job_is_refused() -> None:
    @dg.asset
    def plain() -> int:
        return 1

    msg = (
        "job '__ephemeral_asset_job__' has no partitions, but the run asks for partition 'x'; drop "
        "partition_key"
    )
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        dg.materialize([plain], partition_key="x")


@dg.op
def which(context: dg.OpExecutionContext) -> str:
    return context.partition_key


def test_partitioned_op_job_passes_the_key_to_its_ops() -> None:
    @dg.job(partitions_def=colors)
    def paint_job() -> None:
        which()

    result = paint_job.execute_in_process(partition_key="blue")
    assert result.output_for_node("which") == "blue"
    assert result.dagster_run.tags == {PARTITION_TAG: "blue"}
    msg = (
        "job 'paint_job' is partitioned; give the partition to run with partition_key=... (or a "
        "range with the tags 'dagster/asset_partition_range_start' and "
        "'dagster/asset_partition_range_end')"
    )
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        paint_job.execute_in_process()


def test_unpartitioned_op_job_refuses_a_partition_key() -> None:
    @dg.job
    def plain_job() -> None:
        which()

    msg = (
        "job 'plain_job' has no partitions, but the run asks for partition 'blue'; drop "
        "partition_key"
    )
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        plain_job.execute_in_process(partition_key="blue")


def test_partition_tag_gives_a_partitioned_job_its_partition() -> None:
    # As the reference: how its CLI (`--tags '{"dagster/partition": ...}'`) gives one.
    @dg.job(partitions_def=colors)
    def tagged_job() -> None:
        which()

    result = tagged_job.execute_in_process(tags={PARTITION_TAG: "green"})
    assert result.output_for_node("which") == "green"


@dg.op
def which_or_none(context: dg.OpExecutionContext) -> bool:
    return context.has_partition_key


def test_partition_tag_on_an_unpartitioned_job_is_ignored() -> None:
    @dg.job
    def untagged_job() -> None:
        which_or_none()

    assert untagged_job.execute_in_process(tags={PARTITION_TAG: "green"}).success
