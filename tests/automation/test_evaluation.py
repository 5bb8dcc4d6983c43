from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import pytest

from headwater.automation import (
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    build_sensor_context,
    evaluate_schedule,
    evaluate_sensor,
    schedule,
    sensor,
)
from headwater.errors import (
    InvalidDefinitionError,
    InvariantViolationError,
    ResourceFunctionError,
    UserCodeExecutionError,
)
from headwater.resources import resource

from .conftest import CountedClient, Lifecycle, daily_job, day_config, report_job

TICK = datetime(2024, 3, 5, 2)


@schedule(cron_schedule="0 2 * * *", job=daily_job, tags={"team": "data"})
def nightly(context: ScheduleEvaluationContext, client: CountedClient) -> dict[str, Any]:
    return day_config(context.scheduled_execution_time.day)


def test_schedule_request_is_checked_and_tagged(lifecycle: Lifecycle) -> None:
    result = evaluate_schedule(
        nightly, scheduled_execution_time=TICK, resource_defs={"client": CountedClient()}
    )
    assert result.run_requests == (
        RunRequest(
            run_config=day_config(5),
            tags={"team": "data", "dagster/schedule_name": "nightly"},
            job_name="daily_job",
        ),
    )
    assert result.invalid_requests == ()
    assert result.skip_message is None
    assert result.scheduled_execution_time == datetime(2024, 3, 5, 2, tzinfo=timezone.utc)
    # resources live for exactly one evaluation
    assert lifecycle.events == ["setup client", "teardown client"]
    evaluate_schedule(
        nightly, scheduled_execution_time=TICK, resource_defs={"client": CountedClient()}
    )
    assert lifecycle.events == ["setup client", "teardown client"] * 2


class DateFormatter(CountedClient):
    """The seed's pattern: a ConfigurableResource parameter on a schedule."""

    fmt: str = "%Y-%m-%d"


def test_seed_pattern_schedule_with_a_configurable_resource_parameter() -> None:
    @schedule(cron_schedule="@daily", job=report_job)
    def formatted(context: ScheduleEvaluationContext, formatter: DateFormatter) -> RunRequest:
        day = context.scheduled_execution_time.strftime(formatter.fmt)
        return RunRequest(run_key=day, tags={"date": day})

    result = evaluate_schedule(
        formatted,
        scheduled_execution_time=datetime(2020, 1, 1),
        resource_defs={"formatter": DateFormatter(fmt="%d/%m/%Y")},
    )
    assert [(r.run_key, r.tags["date"]) for r in result.run_requests] == [
        ("01/01/2020", "01/01/2020")
    ]


def test_naive_tick_is_read_in_the_schedule_timezone() -> None:
    sched = ScheduleDefinition(
        name="paris",
        cron_schedule="@daily",
        job=report_job,
        execution_timezone="Europe/Paris",
        run_config={},
    )
    result = evaluate_schedule(sched, scheduled_execution_time=datetime(2024, 6, 1))
    assert result.scheduled_execution_time is not None
    assert result.scheduled_execution_time.isoformat() == "2024-06-01T00:00:00+02:00"


def test_invalid_run_config_is_reported_per_request_with_paths() -> None:
    @schedule(cron_schedule="@daily", job=daily_job)
    def mixed(context: ScheduleEvaluationContext) -> list[RunRequest]:
        return [
            RunRequest(run_key="good", run_config=day_config(1)),
            RunRequest(run_key="bad", run_config=day_config("x")),
            RunRequest(run_key="extra", run_config={"ops": {"load": {"config": {"dya": 1}}}}),
        ]

    result = evaluate_schedule(mixed, scheduled_execution_time=TICK)
    assert [r.run_key for r in result.run_requests] == ["good"]
    assert [str(i) for i in result.invalid_requests] == [
        "run request 1 (run_key 'bad') for job 'daily_job': 1 problem(s) in run config:\n"
        '  ops.load.config.day: expected int, got str "x"',
        "run request 2 (run_key 'extra') for job 'daily_job': 2 problem(s) in run config:\n"
        '  ops.load.config: missing required field "day" (int)\n'
        '  ops.load.config: unknown field "dya"; did you mean "day"?',
    ]
    assert [p.code for p in result.invalid_requests[1].problems] == [
        "missing_field",
        "unknown_field",
    ]
    assert not result.is_skipped


def test_static_run_config_and_run_config_fn() -> None:
    static = ScheduleDefinition(
        name="static", cron_schedule="@daily", job=daily_job, run_config=day_config(2)
    )
    assert evaluate_schedule(static, scheduled_execution_time=TICK).run_requests[0].run_config == (
        day_config(2)
    )
    dynamic = ScheduleDefinition(
        name="dynamic",
        cron_schedule="@daily",
        job=daily_job,
        run_config_fn=lambda context: day_config(context.scheduled_execution_time.day),
        tags={"k": "v"},
    )
    request = evaluate_schedule(dynamic, scheduled_execution_time=TICK).run_requests[0]
    assert (request.run_config, request.tags["k"]) == (day_config(5), "v")


@pytest.mark.parametrize(
    ("output", "message"),
    [
        (SkipReason("holiday"), "holiday"),
        (None, "Schedule function returned an empty result"),
        ([], "Schedule function returned an empty result"),
    ],
)
def test_schedule_skips(output: Any, message: str) -> None:
    sched = ScheduleDefinition(
        name="s", cron_schedule="@daily", job=daily_job, execution_fn=lambda: output
    )
    result = evaluate_schedule(sched, scheduled_execution_time=TICK)
    assert (result.run_requests, result.skip_message, result.is_skipped) == ((), message, True)


def test_bad_outputs_and_user_errors() -> None:
    sched = ScheduleDefinition(
        name="s", cron_schedule="@daily", job=daily_job, execution_fn=lambda: 5
    )
    msg = (
        "schedule 's' returned 5 (int); return or yield a run config dict, RunRequest or SkipReason"
    )
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        evaluate_schedule(sched, scheduled_execution_time=TICK)

    @sensor(job=daily_job)
    def both(context: SensorEvaluationContext) -> list[Any]:
        return [RunRequest("a"), SkipReason("b")]

    msg = "sensor 'both' returned 1 run request(s) and a SkipReason; return one or the other"
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        evaluate_sensor(both)

    @sensor(job=daily_job)
    def broken(context: SensorEvaluationContext) -> None:
        raise ValueError("boom")

    with pytest.raises(
        UserCodeExecutionError, match=re.escape("sensor 'broken' raised ValueError: boom")
    ) as info:
        evaluate_sensor(broken)
    assert isinstance(info.value.__cause__, ValueError)


def test_missing_resource_names_the_sensor_and_the_fix() -> None:
    @sensor(job=daily_job)
    def needs(context: SensorEvaluationContext, client: CountedClient) -> None: ...

    msg = (
        "sensor 'needs' requires resource 'client', which is not provided (available: 'db'); "
        "add it to Definitions(resources={...})"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        evaluate_sensor(needs, resource_defs={"db": object()})


def test_resources_are_torn_down_when_the_function_raises(lifecycle: Lifecycle) -> None:
    @sensor(job=daily_job)
    def broken(context: SensorEvaluationContext, client: CountedClient) -> None:
        raise RuntimeError("down")

    with pytest.raises(UserCodeExecutionError):
        evaluate_sensor(broken, resource_defs={"client": CountedClient()})
    assert lifecycle.events == ["setup client", "teardown client"]


def test_only_the_needed_resources_are_initialized() -> None:
    opened: list[str] = []

    def counted(key: str) -> Any:
        @resource
        def make() -> str:
            opened.append(key)
            return key

        return make

    @sensor(job=daily_job, required_resource_keys={"a"})
    def uses_a(context: SensorEvaluationContext) -> SkipReason:
        return SkipReason(context.resources.a)

    result = evaluate_sensor(uses_a, resource_defs={"a": counted("a"), "b": counted("b")})
    assert (result.skip_message, opened) == ("a", ["a"])


def test_failing_resource_init_raises_resource_error() -> None:
    @resource
    def flaky() -> None:
        raise OSError("no network")

    @sensor(job=daily_job, required_resource_keys={"flaky"})
    def s(context: SensorEvaluationContext) -> None: ...

    with pytest.raises(
        ResourceFunctionError,
        match=re.escape("error initializing resource 'flaky': OSError: no network"),
    ):
        evaluate_sensor(s, resource_defs={"flaky": flaky})


def test_sensor_cursor_moves_by_update_or_result() -> None:
    @sensor(job=report_job)
    def by_update(context: SensorEvaluationContext) -> list[RunRequest]:
        context.update_cursor(str(int(context.cursor or 0) + 1))
        return [RunRequest(run_key=context.cursor)]

    first = evaluate_sensor(by_update)
    second = evaluate_sensor(by_update, cursor=first.cursor)
    assert (first.cursor, second.cursor) == ("1", "2")
    assert second.run_requests == (
        RunRequest(run_key="2", job_name="report_job", tags={"dagster/sensor_name": "by_update"}),
    )

    @sensor(job=report_job)
    def by_result(context: SensorEvaluationContext) -> SensorResult:
        return SensorResult(skip_reason="idle", cursor="z")

    result = evaluate_sensor(by_result, cursor="y", last_completion_time=1.0)
    assert (result.cursor, result.skip_message, result.run_requests) == ("z", "idle", ())
    assert (
        evaluate_sensor(
            by_update.__class__(name="keep", evaluation_fn=lambda: None, job=report_job), cursor="c"
        ).cursor
        == "c"
    )

    @sensor(job=report_job)
    def twice(context: SensorEvaluationContext) -> SensorResult:
        context.update_cursor("a")
        return SensorResult(cursor="b")

    msg = "sensor 'twice' called context.update_cursor() and returned SensorResult(cursor=...)"
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        evaluate_sensor(twice)


def test_empty_sensor_result_skips_like_the_reference() -> None:
    @sensor(job=report_job)
    def nothing(context: SensorEvaluationContext) -> None:
        return None

    assert evaluate_sensor(nothing).skip_message == "Sensor function returned an empty result"


def test_requests_must_name_one_of_several_jobs() -> None:
    @sensor(jobs=[daily_job, report_job])
    def multi(context: SensorEvaluationContext) -> list[RunRequest]:
        return [
            RunRequest(run_key="a"),
            RunRequest(run_key="b", job_name="nope"),
            RunRequest(run_key="c", job_name="report_job"),
        ]

    result = evaluate_sensor(multi)
    assert [r.job_name for r in result.run_requests] == ["report_job"]
    assert [str(i) for i in result.invalid_requests] == [
        "run request 0 (run_key 'a') names no job, but sensor 'multi' targets 'daily_job', "
        "'report_job'; set RunRequest(job_name=...) to one of them",
        "run request 1 (run_key 'b') names job 'nope', but sensor 'multi' targets "
        "'daily_job', 'report_job'; set job_name to one of them",
    ]


def test_job_given_by_name_is_checked_against_loaded_jobs() -> None:
    @sensor(job_name="daily_job")
    def by_name(context: SensorEvaluationContext) -> RunRequest:
        return RunRequest(run_key="r", run_config=day_config("x"))

    unloaded = evaluate_sensor(by_name).invalid_requests[0]
    assert unloaded.reason == (
        "run request 0 (run_key 'r') is for job 'daily_job', which is not loaded here; "
        "evaluate it through Definitions (or pass jobs={...}) so that its run config can "
        "be checked"
    )
    loaded = evaluate_sensor(by_name, jobs={"daily_job": daily_job}).invalid_requests[0]
    assert [p.path for p in loaded.problems] == ["ops.load.config.day"]


def test_asset_selection_sensor_requests_need_no_job() -> None:
    @sensor(asset_selection=["orders", "customers"])
    def assets(context: SensorEvaluationContext) -> RunRequest:
        return RunRequest(run_key="a")

    (request,) = evaluate_sensor(assets).run_requests
    assert [k.to_user_string() for k in request.asset_selection or ()] == ["orders", "customers"]


def test_evaluate_tick_uses_the_context_resources(lifecycle: Lifecycle) -> None:
    @sensor(job=report_job)
    def s(context: SensorEvaluationContext, client: CountedClient) -> RunRequest:
        return RunRequest(run_key=client.name)

    context = build_sensor_context(resources={"client": CountedClient(name="t")})
    assert [r.run_key for r in s.evaluate_tick(context).run_requests] == ["t"]
    assert lifecycle.events == ["setup t", "teardown t"]
