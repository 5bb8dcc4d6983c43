from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import pytest

import headwater as hw
from headwater.errors import InvalidDefinitionError
from headwater.jobs import job, op
from headwater.partitions.config import (
    Partition,
    PartitionedConfig,
    daily_partitioned_config,
    static_partitioned_config,
)
from headwater.partitions.definition import UnknownPartitionError


def test_static_config_gives_config_and_tags_by_key() -> None:
    @static_partitioned_config(["us", "eu"], tags_for_partition_key_fn=lambda k: {"r": k})
    def by_region(partition_key: str) -> dict[str, Any]:
        return {"ops": {"load": {"config": partition_key}}}

    assert by_region.get_run_config_for_partition_key("eu") == {"ops": {"load": {"config": "eu"}}}
    assert by_region.get_tags_for_partition_key("eu") == {"dagster/partition": "eu", "r": "eu"}
    assert list(by_region.get_partition_keys()) == ["us", "eu"]
    assert by_region("xx") == {"ops": {"load": {"config": "xx"}}}


def test_daily_config_calls_the_function_with_the_window() -> None:
    @daily_partitioned_config(start_date="2024-01-01", hour_offset=2)
    def by_day(start: datetime, end: datetime) -> dict[str, Any]:
        return {"start": start.isoformat(), "end": end.isoformat()}

    assert by_day.get_run_config_for_partition_key("2024-01-03") == {
        "start": "2024-01-03T02:00:00+00:00",
        "end": "2024-01-04T02:00:00+00:00",
    }
    assert by_day.partitions_def.get_cron_schedule() == "0 2 * * *"
    assert by_day.partitions_def.get_cron_schedule(minute_of_hour=5) == "5 2 * * *"


def test_legacy_partition_functions_receive_a_partition() -> None:
    seen: list[Partition] = []

    def config(partition: Partition) -> dict[str, Any]:
        seen.append(partition)
        return {"k": partition.name}

    pc = PartitionedConfig(hw.StaticPartitionsDefinition(["a"]), run_config_for_partition_fn=config)
    assert pc.get_run_config_for_partition_key("a") == {"k": "a"}
    assert seen == [Partition("a", "a")]


def test_both_config_functions_are_rejected() -> None:
    msg = (
        "PartitionedConfig got run_config_for_partition_fn and run_config_for_partition_key_fn; "
        "give only one (the key form is current)"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        PartitionedConfig(
            hw.StaticPartitionsDefinition(["a"]),
            run_config_for_partition_fn=lambda p: {},
            run_config_for_partition_key_fn=lambda k: {},
        )


def test_exclusions_are_not_supported_yet() -> None:
    msg = (
        "daily_partitioned_config(exclusions=...) is not supported yet; filter the windows in "
        "the config function instead"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        daily_partitioned_config(start_date="2024-01-01", exclusions=["2024-01-02"])


def test_a_job_with_partitioned_config_runs_a_partition_with_its_config() -> None:
    @static_partitioned_config(["x", "y"])
    def cfg(partition_key: str) -> dict[str, Any]:
        return {"ops": {"echo": {"config": partition_key}}}

    @op(config_schema=str)
    def echo(context: Any) -> str:
        return str(context.op_config)

    @job(config=cfg)
    def partitioned() -> None:
        echo()

    assert partitioned.partitions_def is cfg.partitions_def
    result = partitioned.execute_in_process(partition_key="y")
    assert result.output_for_node("echo") == "y"
    with pytest.raises(UnknownPartitionError):
        partitioned.execute_in_process(partition_key="z")


def test_schedule_from_a_daily_job_runs_the_window_that_ended() -> None:
    @daily_partitioned_config(start_date="2024-01-01")
    def by_day(start: datetime, end: datetime) -> dict[str, Any]:
        return {"ops": {"echo": {"config": start.date().isoformat()}}}

    @op(config_schema=str)
    def echo(context: Any) -> None: ...

    @job(config=by_day)
    def daily() -> None:
        echo()

    schedule = hw.build_schedule_from_partitioned_job(daily, hour_of_day=3)
    assert (schedule.name, schedule.cron_schedule) == ("daily_schedule", "0 3 * * *")
    tick = datetime(2024, 1, 5, 3, tzinfo=timezone.utc)
    (request,) = schedule.evaluate_tick(
        hw.build_schedule_context(scheduled_execution_time=tick)
    ).run_requests
    assert (request.run_key, request.partition_key, request.job_name) == (
        "2024-01-04",
        "2024-01-04",
        "daily",
    )
    assert request.run_config == {"ops": {"echo": {"config": "2024-01-04"}}}
    assert request.tags == {
        "dagster/partition": "2024-01-04",
        "dagster/partition_set": "daily_partition_set",
        "dagster/schedule_name": "daily_schedule",
    }


def test_schedule_from_a_job_partitioned_by_keys_needs_a_cron_schedule() -> None:
    @op
    def noop() -> None: ...

    @job(partitions_def=hw.StaticPartitionsDefinition(["a"]))
    def by_key() -> None:
        noop()

    msg = (
        "build_schedule_from_partitioned_job: job 'by_key' is not partitioned by time windows, "
        "so the schedule has no ticks of its own; pass cron_schedule='...'"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        hw.build_schedule_from_partitioned_job(by_key)
