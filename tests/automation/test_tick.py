from __future__ import annotations

import re
from datetime import datetime

import pytest

import headwater as hw
from headwater.errors import InvariantViolationError, UserCodeExecutionError
from headwater.jobs import job, op


@op
def step() -> None: ...


@job(partitions_def=hw.StaticPartitionsDefinition(["a", "b"]))
def by_key() -> None:
    step()


def test_partitioned_request_needs_definitions_then_gets_partition_tags() -> None:
    @hw.sensor(job=by_key)
    def wants_b(context: hw.SensorEvaluationContext) -> hw.RunRequest:
        return hw.RunRequest(run_key="r", partition_key="b")

    msg = (
        "run request for partition 'b' cannot be resolved without the job's definitions; pass "
        "them: build_sensor_context(definitions=Definitions(...))"
    )
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        wants_b.evaluate_tick(hw.build_sensor_context())
    defs = hw.Definitions(jobs=[by_key], sensors=[wants_b])
    (request,) = wants_b.evaluate_tick(hw.build_sensor_context(definitions=defs)).run_requests
    assert request.tags == {
        "dagster/partition": "b",
        "dagster/partition_set": "by_key_partition_set",
        "dagster/sensor_name": "wants_b",
    }
    assert request.job_name is None  # left as the function gave it, as in the reference


def test_schedule_errors_are_wrapped_and_sensor_errors_are_not() -> None:
    @hw.schedule(cron_schedule="@daily", job=by_key)
    def broken_schedule(context: hw.ScheduleEvaluationContext) -> None:
        raise KeyError("k")

    @hw.sensor(job=by_key)
    def broken_sensor(context: hw.SensorEvaluationContext) -> None:
        raise KeyError("k")

    context = hw.build_schedule_context(scheduled_execution_time=datetime(2024, 1, 1))
    msg = "Error occurred during the evaluation of schedule broken_schedule: KeyError: 'k'"
    with pytest.raises(UserCodeExecutionError, match=re.escape(msg)):
        broken_schedule.evaluate_tick(context)
    with pytest.raises(KeyError):
        broken_sensor.evaluate_tick(hw.build_sensor_context())


def test_should_execute_and_tags_fn() -> None:
    @hw.schedule(
        cron_schedule="@daily",
        job=by_key,
        should_execute=lambda context: context.scheduled_execution_time.day == 1,
        tags_fn=lambda context: {"day": str(context.scheduled_execution_time.day)},
    )
    def monthly(context: hw.ScheduleEvaluationContext) -> dict[str, object]:
        return {}

    first = monthly.evaluate_tick(
        hw.build_schedule_context(scheduled_execution_time=datetime(2024, 1, 1))
    )
    assert first.run_requests[0].tags == {"day": "1", "dagster/schedule_name": "monthly"}
    second = monthly.evaluate_tick(
        hw.build_schedule_context(scheduled_execution_time=datetime(2024, 1, 2))
    )
    assert (second.run_requests, second.skip_message) == (
        (),
        "should_execute function for monthly returned false.",
    )
