from __future__ import annotations

import re
from typing import Any

import pytest

import headwater as hw
from headwater.errors import InvalidInvocationError, InvariantViolationError
from headwater.jobs import job, op
from headwater.storage import Instance, RunStatus


@op
def ok() -> int:
    return 1


@op
def bad() -> None:
    raise ValueError("nope")


@job
def good_job() -> None:
    ok()


@job
def bad_job() -> None:
    bad()


def test_status_sensor_called_with_a_finished_run() -> None:
    @hw.run_status_sensor(run_status=RunStatus.SUCCESS, request_job=good_job)
    def after(context: hw.RunStatusSensorContext) -> hw.RunRequest:
        return hw.RunRequest(
            run_key=context.dagster_run.run_id, tags={"job": context.dagster_run.job_name}
        )

    instance = Instance.ephemeral()
    result = good_job.execute_in_process(instance=instance)
    context = hw.build_run_status_sensor_context(
        sensor_name="after",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_run_success_event(),
    )
    request = after(context)
    assert (request.run_key, request.tags) == (result.run_id, {"job": "good_job"})
    assert (after.run_status, after.job_name, after.minimum_interval_seconds) == (
        RunStatus.SUCCESS,
        "good_job",
        30,
    )


def test_failure_sensor_gets_the_failure_and_step_failures() -> None:
    seen: list[Any] = []

    @hw.run_failure_sensor
    def alert(context: hw.RunFailureSensorContext) -> None:
        seen.append((context.failure_event.event_type_value, context.get_step_failure_events()))

    instance = Instance.ephemeral()
    result = bad_job.execute_in_process(instance=instance, raise_on_error=False)
    context = hw.build_run_status_sensor_context(
        sensor_name="alert",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_run_failure_event(),
    )
    alert(context)  # a status context is turned into a failure context
    ((event_type, steps),) = seen
    assert event_type == "PIPELINE_FAILURE"
    assert [e.step_key for e in steps] == ["bad"]
    assert alert.run_status is RunStatus.FAILURE


def test_status_sensor_needs_its_context() -> None:
    @hw.run_status_sensor(run_status=RunStatus.SUCCESS)
    def after(context: hw.RunStatusSensorContext) -> None: ...

    msg = (
        "sensor 'after' expects a RunStatusSensorContext (build_run_status_sensor_context()), "
        "got SensorEvaluationContext"
    )
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        after(hw.build_sensor_context())
    with pytest.raises(InvariantViolationError, match="has no instance"):
        after.evaluate_tick(hw.build_sensor_context())


def test_ticks_place_the_cursor_then_react_to_new_runs() -> None:
    @hw.run_status_sensor(run_status=RunStatus.SUCCESS, request_job=good_job)
    def after(context: hw.RunStatusSensorContext) -> hw.RunRequest:
        return hw.RunRequest(run_key=context.dagster_run.run_id)

    instance = Instance.ephemeral()
    first = after.evaluate_tick(hw.build_sensor_context(instance=instance))
    assert first.run_requests == ()
    assert (first.skip_message or "").startswith("Initiating after. Set cursor to ")
    result = good_job.execute_in_process(instance=instance)
    second = after.evaluate_tick(hw.build_sensor_context(instance=instance, cursor=first.cursor))
    assert [r.run_key for r in second.run_requests] == [result.run_id]
    assert [r.dagster_run.run_id for r in second.dagster_run_reactions] == [result.run_id]
    third = after.evaluate_tick(hw.build_sensor_context(instance=instance, cursor=second.cursor))
    assert (third.run_requests, third.skip_message) == (
        (),
        "Sensor function returned an empty result",
    )
