"""Parity scenarios: schedules as definitions, their contexts, direct calls and evaluate_tick."""

import datetime
from typing import Any

from _harness import dg, scenario

TICK = datetime.datetime(2024, 3, 5, 6, 30, tzinfo=datetime.timezone.utc)


def _job(config_schema: Any = None) -> Any:
    @dg.op(config_schema=config_schema)
    def emit(context) -> int:
        return 1

    @dg.job
    def target_job() -> None:
        emit()

    return target_job


def _req(r: Any) -> dict[str, Any]:
    return {
        "run_key": r.run_key,
        "run_config": dict(r.run_config),
        "tags": dict(r.tags),
        "job_name": r.job_name,
        "partition_key": r.partition_key,
    }


def _ctx(**kwargs: Any) -> Any:
    return dg.build_schedule_context(scheduled_execution_time=TICK, **kwargs)


# ---- definitions -------------------------------------------------------------------------


@scenario
def decorator_defaults(obs):
    job = _job()

    @dg.schedule(cron_schedule="0 2 * * *", job=job)
    def nightly(context):
        """Runs nightly."""
        return {}

    obs.record("name", nightly.name)
    obs.record("cron", nightly.cron_schedule)
    obs.record("job_name", nightly.job_name)
    obs.record("tz", nightly.execution_timezone)
    obs.record("description", nightly.description)
    obs.record("status", nightly.default_status.value)
    obs.record("is_schedule", isinstance(nightly, dg.ScheduleDefinition))


@scenario
def decorator_options(obs):
    job = _job()

    @dg.schedule(
        cron_schedule="@daily",
        job=job,
        name="renamed",
        execution_timezone="Europe/Paris",
        description="d",
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
    def s(context):
        return {}

    obs.record("name", s.name)
    obs.record("cron", s.cron_schedule)
    obs.record("tz", s.execution_timezone)
    obs.record("description", s.description)
    obs.record("status", s.default_status.value)


@scenario
def definition_default_name(obs):
    job = _job()
    s = dg.ScheduleDefinition(job=job, cron_schedule="0 * * * *")
    obs.record("name", s.name)
    obs.record("job_name", s.job_name)


@scenario
def definition_job_name_only(obs):
    s = dg.ScheduleDefinition(name="by_name", job_name="elsewhere", cron_schedule="0 * * * *")
    obs.record("job_name", s.job_name)


@scenario
def definition_target_job(obs):
    job = _job()
    s = dg.ScheduleDefinition(name="t", target=job, cron_schedule="0 * * * *")
    obs.record("job_name", s.job_name)


@scenario
def decorator_target_job(obs):
    job = _job()

    @dg.schedule(cron_schedule="0 * * * *", target=job)
    def s(context):
        return {}

    obs.record("job_name", s.job_name)


@scenario
def definition_target_asset(obs):
    @dg.asset
    def scheduled_asset() -> int:
        return 1

    s = dg.ScheduleDefinition(name="asset_sched", target=scheduled_asset, cron_schedule="@daily")
    obs.record("name", s.name)
    obs.record("has_job", s.job is not None)


@scenario
def definition_cron_list(obs):
    job = _job()
    s = dg.ScheduleDefinition(job=job, cron_schedule=["0 1 * * *", "0 13 * * *"])
    obs.record("cron", list(s.cron_schedule))


@scenario
def definition_invalid_cron(obs):
    job = _job()
    obs.raises(lambda: dg.ScheduleDefinition(job=job, cron_schedule="not a cron"), "cron")


@scenario
def definition_invalid_timezone(obs):
    job = _job()
    obs.raises(
        lambda: dg.ScheduleDefinition(
            job=job, cron_schedule="@daily", execution_timezone="Mars/Base"
        ),
        "Mars/Base",
    )


@scenario
def definition_no_job(obs):
    obs.raises(lambda: dg.ScheduleDefinition(name="x", cron_schedule="@daily"))


@scenario
def definition_run_config_and_fn_rejected(obs):
    job = _job()
    obs.raises(
        lambda: dg.ScheduleDefinition(
            job=job, cron_schedule="@daily", run_config={}, run_config_fn=lambda context: {}
        ),
        "run_config",
    )


@scenario
def definition_tags_and_tags_fn_rejected(obs):
    job = _job()
    obs.raises(
        lambda: dg.ScheduleDefinition(
            job=job, cron_schedule="@daily", tags={"a": "b"}, tags_fn=lambda context: {}
        ),
        "tags",
    )


@scenario
def definition_bad_name(obs):
    job = _job()
    obs.raises(lambda: dg.ScheduleDefinition(name="no good", job=job, cron_schedule="@daily"))


@scenario
def default_status_values(obs):
    obs.record("values", sorted(m.value for m in dg.DefaultScheduleStatus))


@scenario
def definition_environment_vars(obs):
    job = _job()
    s = dg.ScheduleDefinition(job=job, cron_schedule="@daily", environment_vars={"A": "1"})
    obs.record("env", dict(s.environment_vars or {}))


@scenario
def required_resource_keys_recorded(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job, required_resource_keys={"db"})
    def s(context):
        return {}

    obs.record("keys", sorted(s.required_resource_keys))


# ---- context -----------------------------------------------------------------------------


@scenario
def context_scheduled_time(obs):
    ctx = _ctx()
    obs.record("time", ctx.scheduled_execution_time.isoformat())


@scenario
def context_naive_time(obs):
    ctx = dg.build_schedule_context(scheduled_execution_time=datetime.datetime(2024, 1, 2, 3))
    obs.record("time", ctx.scheduled_execution_time.isoformat())


@scenario
def context_without_time(obs):
    ctx = dg.build_schedule_context()
    obs.record("time_is_set", ctx.scheduled_execution_time is not None)


@scenario
def context_resources_plain(obs):
    ctx = _ctx(resources={"x": 3})
    obs.record("x", ctx.resources.x)


# ---- direct invocation -------------------------------------------------------------------


@scenario
def direct_call_returns_dict(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context):
        return {"ops": {"emit": {"config": context.scheduled_execution_time.strftime("%Y-%m-%d")}}}

    obs.record("out", s(_ctx()))


@scenario
def direct_call_returns_request(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context):
        return dg.RunRequest(run_key="r", tags={"a": "b"})

    obs.record("req", _req(s(_ctx())))


@scenario
def direct_call_generator(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context):
        yield dg.RunRequest(run_key="1")
        yield dg.RunRequest(run_key="2")

    obs.record("keys", [r.run_key for r in s(_ctx())])


@scenario
def direct_call_skip(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context):
        return dg.SkipReason("holiday")

    obs.record("skip", s(_ctx()).skip_message)


@scenario
def direct_call_no_context_param(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s():
        return {"x": 1}

    obs.record("out", s())


@scenario
def direct_call_missing_context(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context):
        return {}

    obs.raises(s, "context")


@scenario
def direct_call_wrong_context(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context):
        return {}

    obs.raises(lambda: s(dg.build_sensor_context()))


@scenario
def direct_call_user_error(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context):
        raise ValueError("bad schedule")

    obs.raises(lambda: s(_ctx()), "bad schedule")


@scenario
def direct_call_run_config_schedule(obs):
    job = _job()
    s = dg.ScheduleDefinition(job=job, cron_schedule="@daily", run_config={"ops": {}})
    obs.raises(lambda: s(_ctx()))


# ---- evaluate_tick -------------------------------------------------------------------------


@scenario
def tick_static_run_config(obs):
    job = _job({"n": int})
    s = dg.ScheduleDefinition(
        job=job, cron_schedule="@daily", run_config={"ops": {"emit": {"config": {"n": 1}}}}
    )
    data = s.evaluate_tick(_ctx())
    obs.record("reqs", [_req(r) for r in data.run_requests])
    obs.record("skip", data.skip_message)


@scenario
def tick_static_tags(obs):
    job = _job()
    s = dg.ScheduleDefinition(job=job, cron_schedule="@daily", tags={"team": "data"})
    data = s.evaluate_tick(_ctx())
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def tick_run_config_fn(obs):
    job = _job()

    def cfg(context):
        return {"ops": {"emit": {"config": context.scheduled_execution_time.day}}}

    s = dg.ScheduleDefinition(name="fn_sched", job=job, cron_schedule="@daily", run_config_fn=cfg)
    data = s.evaluate_tick(_ctx())
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def tick_tags_fn(obs):
    job = _job()

    def tags(context):
        return {"day": str(context.scheduled_execution_time.day)}

    s = dg.ScheduleDefinition(name="tagged", job=job, cron_schedule="@daily", tags_fn=tags)
    data = s.evaluate_tick(_ctx())
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def tick_decorator_tags(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job, tags={"owner": "me"})
    def s(context):
        return {"ops": {}}

    data = s.evaluate_tick(_ctx())
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def tick_decorator_tags_fn(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job, tags_fn=lambda context: {"dyn": "yes"})
    def s(context):
        return {}

    data = s.evaluate_tick(_ctx())
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def tick_decorator_tags_not_on_run_request(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job, tags={"owner": "me"})
    def s(context):
        return dg.RunRequest(run_key="k", tags={"own": "1"})

    data = s.evaluate_tick(_ctx())
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def tick_request_list(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context):
        return [dg.RunRequest(run_key="a"), dg.RunRequest(run_key="b")]

    data = s.evaluate_tick(_ctx())
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def tick_skip_reason(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context):
        return dg.SkipReason("not today")

    data = s.evaluate_tick(_ctx())
    obs.record("skip", data.skip_message)
    obs.record("reqs", list(data.run_requests or []))


@scenario
def tick_none_result(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context):
        return None

    obs.raises(lambda: s.evaluate_tick(_ctx()))


@scenario
def tick_empty_generator(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context):
        if False:
            yield dg.RunRequest()

    data = s.evaluate_tick(_ctx())
    obs.record("skip", data.skip_message)
    obs.record("reqs", list(data.run_requests or []))


@scenario
def tick_should_execute_false(obs):
    job = _job()
    s = dg.ScheduleDefinition(
        name="gated", job=job, cron_schedule="@daily", should_execute=lambda context: False
    )
    data = s.evaluate_tick(_ctx())
    obs.record("skip", data.skip_message)
    obs.record("reqs", list(data.run_requests or []))


@scenario
def tick_should_execute_true(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job, should_execute=lambda context: True)
    def s(context):
        return {}

    data = s.evaluate_tick(_ctx())
    obs.record("n", len(data.run_requests))


@scenario
def tick_should_execute_reads_time(obs):
    job = _job()

    @dg.schedule(
        cron_schedule="@daily",
        job=job,
        should_execute=lambda context: context.scheduled_execution_time.weekday() < 5,
    )
    def s(context):
        return {}

    weekend = dg.build_schedule_context(scheduled_execution_time=datetime.datetime(2024, 3, 9))
    obs.record("weekday", len(s.evaluate_tick(_ctx()).run_requests))
    obs.record("weekend_skip", s.evaluate_tick(weekend).skip_message)


@scenario
def tick_user_error(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context):
        raise KeyError("tick failure")

    obs.raises(lambda: s.evaluate_tick(_ctx()), "schedule s")


@scenario
def tick_wrong_return(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context):
        return 5

    obs.raises(lambda: s.evaluate_tick(_ctx()))


@scenario
def tick_skip_and_request_rejected(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context):
        yield dg.RunRequest(run_key="a")
        yield dg.SkipReason("no")

    obs.raises(lambda: s.evaluate_tick(_ctx()))


@scenario
def tick_run_config_object(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context):
        return dg.RunRequest(run_config=dg.RunConfig(ops={"emit": {"config": 3}}))

    data = s.evaluate_tick(_ctx())
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def tick_partitioned_job_request(obs):
    @dg.op
    def p() -> None:
        pass

    @dg.job(partitions_def=dg.StaticPartitionsDefinition(["a", "b"]))
    def pjob() -> None:
        p()

    @dg.schedule(cron_schedule="@daily", job=pjob)
    def s(context):
        return dg.RunRequest(partition_key="b")

    obs.raises(lambda: s.evaluate_tick(_ctx()), key="no_defs")


@scenario
def tick_multiple_requests_need_run_keys(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context):
        return [dg.RunRequest(run_key="a"), dg.RunRequest()]

    obs.raises(lambda: s.evaluate_tick(_ctx()), "run_key")


@scenario
def tick_no_time_context(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context):
        return dg.RunRequest(run_key="x")

    data = s.evaluate_tick(dg.build_schedule_context())
    obs.record("keys", [r.run_key for r in data.run_requests])


# ---- resources -------------------------------------------------------------------------------


class Calendar(dg.ConfigurableResource):
    holiday: str


@scenario
def resource_param(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context, calendar: Calendar):
        return dg.RunRequest(run_key=calendar.holiday)

    ctx = _ctx(resources={"calendar": Calendar(holiday="xmas")})
    obs.record("direct", s(ctx).run_key)
    obs.record("tick", [r.run_key for r in s.evaluate_tick(ctx).run_requests])
    obs.record("keys", sorted(s.required_resource_keys))


@scenario
def resource_param_keyword(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context, calendar: Calendar):
        return dg.RunRequest(run_key=calendar.holiday)

    obs.record("key", s(_ctx(), calendar=Calendar(holiday="kw")).run_key)


@scenario
def resource_missing(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context, calendar: Calendar):
        return {}

    obs.raises(lambda: s(_ctx()), "calendar")


@scenario
def resource_required_keys_tick(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job, required_resource_keys={"label"})
    def s(context):
        return dg.RunRequest(run_key=context.resources.label)

    data = s.evaluate_tick(_ctx(resources={"label": "lbl"}))
    obs.record("keys", [r.run_key for r in data.run_requests])


@scenario
def schedule_in_definitions(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context, calendar: Calendar):
        return {}

    defs = dg.Definitions(jobs=[job], schedules=[s], resources={"calendar": Calendar(holiday="h")})
    obs.record("names", [x.name for x in defs.schedules])


# ---- more definition and evaluation details ---------------------------------------------------


@scenario
def graph_target_default_name(obs):
    @dg.op
    def step() -> None:
        pass

    @dg.graph
    def nightly_graph() -> None:
        step()

    s = dg.ScheduleDefinition(job=nightly_graph, cron_schedule="@daily")
    obs.record("name", s.name)
    obs.record("job_name", s.job_name)


@scenario
def job_attr_without_job_object(obs):
    s = dg.ScheduleDefinition(name="by_name_only", job_name="j", cron_schedule="@daily")
    obs.raises(lambda: s.job)


@scenario
def job_attr_with_job_object(obs):
    job = _job()
    s = dg.ScheduleDefinition(job=job, cron_schedule="@daily")
    obs.record("same", s.job is job)


@scenario
def context_instance_missing(obs):
    ctx = dg.build_schedule_context()
    obs.raises(lambda: ctx.instance)


@scenario
def tick_time_not_converted_to_timezone(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job, execution_timezone="US/Pacific")
    def tz_sched(context):
        return dg.RunRequest(run_key=context.scheduled_execution_time.isoformat())

    aware = dg.build_schedule_context(
        scheduled_execution_time=datetime.datetime(2024, 1, 1, 12, tzinfo=datetime.timezone.utc)
    )
    naive = dg.build_schedule_context(scheduled_execution_time=datetime.datetime(2024, 1, 1, 12))
    obs.record("aware", tz_sched.evaluate_tick(aware).run_requests[0].run_key)
    obs.record("naive", tz_sched.evaluate_tick(naive).run_requests[0].run_key)


@scenario
def timezone_attribute(obs):
    job = _job()
    obs.record(
        "given",
        dg.ScheduleDefinition(
            job=job, cron_schedule="@daily", execution_timezone="US/Pacific"
        ).execution_timezone,
    )
    obs.record("default", dg.ScheduleDefinition(job=job, cron_schedule="@daily").execution_timezone)


@scenario
def tick_cron_list(obs):
    job = _job()
    s = dg.ScheduleDefinition(job=job, cron_schedule=["@daily", "@hourly"])
    data = s.evaluate_tick(_ctx())
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def tick_tags_fn_not_applied_to_run_requests(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job, tags_fn=lambda context: {"x": "1"})
    def s(context):
        return dg.RunRequest(run_key="k")

    obs.record("tags", dict(s.evaluate_tick(_ctx()).run_requests[0].tags))


@scenario
def tick_resource_lifecycle(obs):
    job = _job()
    calls = []

    @dg.resource
    def tracked(_):
        calls.append("setup")
        try:
            yield "value"
        finally:
            calls.append("teardown")

    @dg.schedule(cron_schedule="@daily", job=job, required_resource_keys={"tracked"})
    def s(context):
        calls.append("body:" + context.resources.tracked)
        return {}

    with _ctx(resources={"tracked": tracked}) as ctx:
        s.evaluate_tick(ctx)
        calls.append("after-tick")
    calls.append("after-with")
    obs.record("calls", calls)


@scenario
def tick_pythonic_resource_lifecycle(obs):
    job = _job()
    calls = []

    class Tracked(dg.ConfigurableResource):
        label: str

        def setup_for_execution(self, context) -> None:
            calls.append("setup:" + self.label)

        def teardown_after_execution(self, context) -> None:
            calls.append("teardown:" + self.label)

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context, tracked: Tracked):
        calls.append("body")
        return {}

    with _ctx(resources={"tracked": Tracked(label="t")}) as ctx:
        s.evaluate_tick(ctx)
        calls.append("after-tick")
    obs.record("calls", calls)


@scenario
def tick_opens_resources_outside_with(obs):
    job = _job()
    calls = []

    @dg.resource
    def tracked(_):
        calls.append("setup")
        yield "value"
        calls.append("teardown")

    @dg.schedule(cron_schedule="@daily", job=job, required_resource_keys={"tracked"})
    def s(context):
        calls.append("body")
        return {}

    s.evaluate_tick(_ctx(resources={"tracked": tracked}))
    obs.record("calls", calls)


@scenario
def direct_call_with_block_resource_param(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context, calendar: Calendar):
        return dg.RunRequest(run_key=calendar.holiday)

    with _ctx(resources={"calendar": Calendar(holiday="h1")}) as ctx:
        obs.record("first", s(ctx).run_key)
        obs.record("second", s(ctx).run_key)


@scenario
def decorated_schedule_returns_run_request_list_with_keys(obs):
    job = _job()

    @dg.schedule(cron_schedule="@daily", job=job)
    def s(context):
        return [dg.RunRequest(run_key=f"k{i}", run_config={"i": i}) for i in range(3)]

    data = s.evaluate_tick(_ctx())
    obs.record("keys", [r.run_key for r in data.run_requests])
    obs.record("configs", [dict(r.run_config) for r in data.run_requests])


# ---- signatures ----------------------------------------------------------------------------


def _signature(name: str) -> Any:
    def run(obs: Any) -> None:
        obs.signature("signature", getattr(dg, name))

    return run


for _name in [
    "schedule",
    "ScheduleDefinition",
    "build_schedule_context",
    "ScheduleEvaluationContext",
]:
    scenario(_signature(_name), name=f"signature_{_name}")


@scenario
def context_resources_pythonic_outside_with(obs):
    ctx = _ctx(resources={"calendar": Calendar(holiday="h")})
    obs.record("holiday", ctx.resources.calendar.holiday)


@scenario
def asset_job_schedule(obs):
    @dg.asset
    def scheduled_thing() -> int:
        return 1

    job = dg.define_asset_job("thing_job", selection=[scheduled_thing])
    s = dg.ScheduleDefinition(job=job, cron_schedule="@daily")
    obs.record("name", s.name)
    obs.record("job_name", s.job_name)
    obs.record("reqs", [_req(r) for r in s.evaluate_tick(_ctx()).run_requests])
