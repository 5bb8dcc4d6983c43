from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest

from headwater.automation import (
    DefaultScheduleStatus,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SkipReason,
    build_schedule_context,
    schedule,
)
from headwater.errors import InvalidDefinitionError, InvalidInvocationError

from .conftest import CountedClient, Lifecycle, daily_job, day_config


def test_decorator_defaults() -> None:
    @schedule(cron_schedule="0 2 * * *", job=daily_job)
    def nightly(context: ScheduleEvaluationContext) -> dict[str, Any]:
        """Loads yesterday."""
        return day_config(context.scheduled_execution_time.day)

    assert nightly.name == "nightly"
    assert nightly.job_name == "daily_job"
    assert nightly.job is daily_job
    assert nightly.cron_schedule == "0 2 * * *"
    assert nightly.execution_timezone is None
    assert nightly.default_status is DefaultScheduleStatus.STOPPED
    assert nightly.required_resource_keys == frozenset()
    assert nightly.description is None  # the docstring is not used, as in the reference


def test_bad_cron_string_names_the_schedule_and_field() -> None:
    msg = (
        'schedule \'nightly\': cron string "0 25 * * *" is not valid: hour field "25" must be 0-23'
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        ScheduleDefinition(name="nightly", cron_schedule="0 25 * * *", job=daily_job)
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @schedule(cron_schedule="0 25 * * *", job=daily_job)
        def nightly() -> dict[str, Any]:
            return {}


def test_definition_errors_name_the_schedule() -> None:
    with pytest.raises(
        InvalidDefinitionError, match=re.escape("schedule 'x' has no job; pass job=...")
    ):
        ScheduleDefinition(name="x", cron_schedule="@daily")
    with pytest.raises(
        InvalidDefinitionError,
        match=re.escape("schedule 'x' got both run_config and run_config_fn; give only one"),
    ):
        ScheduleDefinition(
            name="x", cron_schedule="@daily", job=daily_job, run_config={}, run_config_fn=dict
        )
    with pytest.raises(
        InvalidDefinitionError,
        match=re.escape("schedule 'x' got job and job_name; give only one of job, jobs"),
    ):
        ScheduleDefinition(name="x", cron_schedule="@daily", job=daily_job, job_name="other")
    with pytest.raises(InvalidDefinitionError, match="schedule name 'bad name' is not valid"):
        ScheduleDefinition(name="bad name", cron_schedule="@daily", job=daily_job)


def test_default_name_and_times_in_the_timezone() -> None:
    sched = ScheduleDefinition(
        cron_schedule=["0 9 * * *", "0 17 * * *"],
        job_name="daily_job",
        execution_timezone="Europe/Paris",
    )
    assert sched.name == "daily_job_schedule"
    with pytest.raises(InvalidDefinitionError, match="without the job object"):
        _ = sched.job
    assert sched.next_execution_time(datetime(2024, 6, 1, 10)).isoformat() == (
        "2024-06-01T17:00:00+02:00"
    )
    assert sched.previous_execution_time(datetime(2024, 6, 1, 10)).isoformat() == (
        "2024-06-01T09:00:00+02:00"
    )
    times = sched.execution_times(datetime(2024, 6, 1, 10))
    assert [next(times).hour, next(times).hour, next(times).hour] == [17, 9, 17]


def test_direct_invocation_returns_what_the_function_returns() -> None:
    @schedule(cron_schedule="@daily", job=daily_job)
    def nightly(context: ScheduleEvaluationContext) -> dict[str, Any]:
        return day_config(context.scheduled_execution_time.day)

    context = build_schedule_context(scheduled_execution_time=datetime(2024, 1, 5))
    assert nightly(context) == day_config(5)

    @schedule(cron_schedule="@daily", job=daily_job)
    def no_context() -> SkipReason:
        return SkipReason("holiday")

    assert no_context() == SkipReason("holiday")


def test_direct_invocation_runs_a_generator_while_resources_are_open(
    lifecycle: Lifecycle,
) -> None:
    @schedule(cron_schedule="@daily", job=daily_job)
    def fan_out(context: ScheduleEvaluationContext, client: CountedClient) -> Any:
        lifecycle.events.append("body")
        for item in client.fetch():
            yield RunRequest(run_key=item, run_config=day_config(1))

    assert fan_out.required_resource_keys == frozenset({"client"})
    context = build_schedule_context(resources={"client": CountedClient(name="c")})
    result = fan_out(context)
    assert [r.run_key for r in result] == ["c-1", "c-2"]
    assert lifecycle.events == ["setup c", "body", "teardown c"]


def test_resources_passed_as_keywords_are_used_as_they_are(lifecycle: Lifecycle) -> None:
    class Fake:
        def fetch(self) -> list[str]:
            return ["f"]

    @schedule(cron_schedule="@daily", job=daily_job)
    def fan_out(context: ScheduleEvaluationContext, client: CountedClient) -> list[RunRequest]:
        return [RunRequest(run_key=k) for k in client.fetch()]

    assert fan_out(build_schedule_context(), client=Fake()) == [RunRequest(run_key="f")]
    assert lifecycle.events == []


def test_direct_invocation_without_the_resource_says_how_to_give_it() -> None:
    @schedule(cron_schedule="@daily", job=daily_job)
    def fan_out(context: ScheduleEvaluationContext, client: CountedClient) -> None:
        return None

    msg = (
        "schedule 'fan_out' requires resource 'client', which is not provided "
        "(available: none); pass it to build_schedule_context(resources={...}) or as a "
        "keyword argument"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        fan_out(build_schedule_context())


def test_run_config_schedules_cannot_be_invoked() -> None:
    sched = ScheduleDefinition(name="s", cron_schedule="@daily", job=daily_job, run_config={})
    msg = "schedule 's' has no function to call (it was built from run_config)"
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        sched(build_schedule_context())


def test_a_parameter_that_is_not_a_resource_is_rejected_at_definition() -> None:
    msg = (
        "schedule 'odd' has parameter 'day', which is neither the context nor a resource; "
        "annotate resource parameters with their ConfigurableResource class or "
        "ResourceParam[...], and put the context first"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @schedule(cron_schedule="@daily", job=daily_job)
        def odd(context: ScheduleEvaluationContext, day: int) -> None:
            return None
