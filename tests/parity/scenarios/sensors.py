"""Parity scenarios: sensors as definitions, their contexts, direct calls and evaluate_tick."""

from typing import Any

from _harness import dg, scenario


def _job() -> Any:
    @dg.op
    def emit() -> int:
        return 1

    @dg.job
    def target_job() -> None:
        emit()

    return target_job


class Notifier(dg.ConfigurableResource):
    channel: str


def _req(r: Any) -> dict[str, Any]:
    return {
        "run_key": r.run_key,
        "run_config": dict(r.run_config),
        "tags": dict(r.tags),
        "job_name": r.job_name,
        "partition_key": r.partition_key,
    }


# ---- RunRequest / SkipReason / SensorResult values ---------------------------------------


@scenario
def run_request_defaults(obs):
    r = dg.RunRequest()
    obs.record("req", _req(r))
    obs.record("asset_selection", r.asset_selection)


@scenario
def run_request_with_fields(obs):
    r = dg.RunRequest(
        run_key="k",
        run_config={"ops": {"a": {"config": 1}}},
        tags={"t": "v"},
        job_name="j",
        partition_key="p",
    )
    obs.record("req", _req(r))


@scenario
def run_request_positional_run_key(obs):
    r = dg.RunRequest("key1", {"a": 1})
    obs.record("req", _req(r))


@scenario
def run_request_equality(obs):
    obs.record(
        "eq",
        dg.RunRequest(run_key="a", tags={"x": "1"}) == dg.RunRequest(run_key="a", tags={"x": "1"}),
    )
    obs.record("ne", dg.RunRequest(run_key="a") == dg.RunRequest(run_key="b"))


@scenario
def run_request_asset_selection_keys(obs):
    r = dg.RunRequest(asset_selection=[dg.AssetKey("a"), dg.AssetKey(["b", "c"])])
    obs.record("sel", [k.path for k in r.asset_selection])


@scenario
def run_request_non_string_tag_value_rejected(obs):
    obs.raises(lambda: dg.RunRequest(tags={"a": 1}), "tag")


@scenario
def run_request_non_string_run_key_rejected(obs):
    obs.raises(lambda: dg.RunRequest(run_key=5))


@scenario
def run_request_with_replaced_attrs(obs):
    r = dg.RunRequest(run_key="a", tags={"x": "1"})
    r2 = r.with_replaced_attrs(job_name="other")
    obs.record("req", _req(r2))
    obs.record("orig_job", r.job_name)


@scenario
def skip_reason_message(obs):
    obs.record("msg", dg.SkipReason("nothing new").skip_message)
    obs.record("none", dg.SkipReason().skip_message)


@scenario
def sensor_result_fields(obs):
    res = dg.SensorResult(run_requests=[dg.RunRequest(run_key="a")], cursor="5")
    obs.record("keys", [r.run_key for r in res.run_requests])
    obs.record("cursor", res.cursor)
    obs.record("skip", res.skip_reason)


@scenario
def sensor_result_skip_reason_string(obs):
    res = dg.SensorResult(skip_reason="nope")
    obs.record("skip", res.skip_reason.skip_message)
    obs.record("requests", list(res.run_requests or []))


@scenario
def sensor_result_requests_and_skip_rejected(obs):
    obs.raises(
        lambda: dg.SensorResult(run_requests=[dg.RunRequest()], skip_reason="x"),
        "run_requests",
    )


# ---- definitions ------------------------------------------------------------------------


@scenario
def sensor_decorator_defaults(obs):
    job = _job()

    @dg.sensor(job=job)
    def my_sensor(context):
        """Watches things."""
        return None

    obs.record("name", my_sensor.name)
    obs.record("interval", my_sensor.minimum_interval_seconds)
    obs.record("description", my_sensor.description)
    obs.record("job_name", my_sensor.job_name)
    obs.record("status", my_sensor.default_status.value)
    obs.record("is_sensor", isinstance(my_sensor, dg.SensorDefinition))


@scenario
def sensor_decorator_options(obs):
    job = _job()

    @dg.sensor(
        job=job,
        name="renamed",
        minimum_interval_seconds=120,
        description="d",
        default_status=dg.DefaultSensorStatus.RUNNING,
        tags={"team": "x"},
    )
    def my_sensor(context):
        return None

    obs.record("name", my_sensor.name)
    obs.record("interval", my_sensor.minimum_interval_seconds)
    obs.record("description", my_sensor.description)
    obs.record("status", my_sensor.default_status.value)
    obs.record("tags", dict(my_sensor.tags))


@scenario
def sensor_job_name_only(obs):
    @dg.sensor(job_name="some_job")
    def s(context):
        return None

    obs.record("job_name", s.job_name)


@scenario
def sensor_target_job(obs):
    job = _job()

    @dg.sensor(target=job)
    def s(context):
        return dg.RunRequest(run_key="a")

    obs.record("job_name", s.job_name)
    obs.record("job_is_given", s.job is job)


@scenario
def sensor_target_asset(obs):
    @dg.asset
    def upstream_thing() -> int:
        return 1

    @dg.sensor(target=upstream_thing)
    def s(context):
        return dg.RunRequest(run_key="a")

    obs.record("has_asset_selection", s.asset_selection is not None)


@scenario
def sensor_target_and_job_rejected(obs):
    job = _job()

    def make() -> Any:
        @dg.sensor(target=job, job=job)
        def s(context):
            return None

        return s

    obs.raises(make)


@scenario
def sensor_job_and_jobs_rejected(obs):
    job = _job()

    def make() -> Any:
        @dg.sensor(job=job, jobs=[job])
        def s(context):
            return None

        return s

    obs.raises(make)


@scenario
def sensor_jobs_names(obs):
    @dg.op
    def a_op() -> None:
        pass

    @dg.job
    def job_a() -> None:
        a_op()

    @dg.job
    def job_b() -> None:
        a_op()

    @dg.sensor(jobs=[job_a, job_b])
    def s(context):
        return None

    obs.record("names", sorted(j.name for j in s.jobs))
    obs.raises(lambda: s.job_name)


@scenario
def sensor_default_status_values(obs):
    obs.record("values", sorted(m.value for m in dg.DefaultSensorStatus))


@scenario
def sensor_bad_name_rejected(obs):
    def make() -> Any:
        return dg.SensorDefinition(
            name="bad name!", evaluation_fn=lambda context: None, job_name="j"
        )

    obs.raises(make)


@scenario
def sensor_definition_class_direct(obs):
    job = _job()
    s = dg.SensorDefinition(
        name="plain", evaluation_fn=lambda context: dg.RunRequest(run_key="x"), job=job
    )
    obs.record("name", s.name)
    data = s.evaluate_tick(dg.build_sensor_context())
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def sensor_without_context_param(obs):
    job = _job()

    @dg.sensor(job=job)
    def no_context():
        return dg.RunRequest(run_key="nc")

    obs.record("direct", _req(no_context()))
    data = no_context.evaluate_tick(dg.build_sensor_context())
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def sensor_required_resource_keys_recorded(obs):
    job = _job()

    @dg.sensor(job=job, required_resource_keys={"foo"})
    def s(context):
        return dg.RunRequest(run_key=context.resources.foo)

    obs.record("keys", sorted(s.required_resource_keys))


# ---- direct invocation -------------------------------------------------------------------


@scenario
def direct_call_returns_request(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        return dg.RunRequest(run_key="a", tags={"x": "1"})

    r = s(dg.build_sensor_context())
    obs.record("req", _req(r))


@scenario
def direct_call_generator_items(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        yield dg.RunRequest(run_key="a")
        yield dg.RunRequest(run_key="b")

    obs.record("keys", [r.run_key for r in s(dg.build_sensor_context())])


@scenario
def direct_call_of_a_generator_sensor_returns_a_generator(obs):
    import types

    job = _job()

    @dg.sensor(job=job)
    def s(context):
        yield dg.SkipReason("nothing new")

    produced = s(dg.build_sensor_context())
    obs.record("is_generator", isinstance(produced, types.GeneratorType))
    obs.record("first", next(produced) == dg.SkipReason("nothing new"))


@scenario
def direct_call_of_a_generator_schedule_returns_a_generator(obs):
    import types

    job = _job()

    @dg.schedule(job=job, cron_schedule="0 0 * * *")
    def s(context):
        yield dg.RunRequest(run_key="x")

    produced = s(dg.build_schedule_context())
    obs.record("is_generator", isinstance(produced, types.GeneratorType))
    obs.record("keys", [r.run_key for r in produced])


@scenario
def direct_call_skip_reason(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        return dg.SkipReason("no files")

    obs.record("skip", s(dg.build_sensor_context()).skip_message)


@scenario
def direct_call_without_context_arg(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        return dg.RunRequest(run_key=str(context.cursor))

    obs.raises(s)


@scenario
def direct_call_wrong_context_type(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        return None

    obs.raises(lambda: s(dg.build_schedule_context()))


@scenario
def direct_call_too_many_args(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        return None

    obs.raises(lambda: s(dg.build_sensor_context(), 1))


@scenario
def direct_call_context_keyword(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        return dg.RunRequest(run_key=context.cursor)

    obs.record("key", s(context=dg.build_sensor_context(cursor="c9")).run_key)


@scenario
def direct_call_user_error_propagates(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        raise ValueError("boom in sensor")

    obs.raises(lambda: s(dg.build_sensor_context()), "boom in sensor")


@scenario
def direct_call_sensor_result(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        return dg.SensorResult(run_requests=[dg.RunRequest(run_key="a")], cursor="2")

    res = s(dg.build_sensor_context())
    obs.record("type", type(res).__name__)
    obs.record("cursor", res.cursor)


# ---- context -----------------------------------------------------------------------------


@scenario
def context_cursor_and_update(obs):
    ctx = dg.build_sensor_context(cursor="1")
    obs.record("cursor", ctx.cursor)
    ctx.update_cursor("2")
    obs.record("after", ctx.cursor)


@scenario
def context_defaults(obs):
    ctx = dg.build_sensor_context()
    obs.record("cursor", ctx.cursor)
    obs.record("last_run_key", ctx.last_run_key)
    obs.record("last_tick_completion_time", ctx.last_tick_completion_time)
    obs.record("instance_ref", ctx.instance_ref)
    obs.record("repository_def", ctx.repository_def)


@scenario
def context_sensor_name_unset(obs):
    ctx = dg.build_sensor_context()
    obs.raises(lambda: ctx.sensor_name, "sensor name")


@scenario
def context_sensor_name(obs):
    ctx = dg.build_sensor_context(sensor_name="named")
    obs.record("name", ctx.sensor_name)


@scenario
def context_instance_given(obs):
    with dg.instance_for_test() as instance:
        ctx = dg.build_sensor_context(instance=instance)
        obs.record("same", ctx.instance is instance)


@scenario
def context_log_is_logger(obs):
    ctx = dg.build_sensor_context()
    obs.record("has_info", callable(getattr(ctx.log, "info", None)))


@scenario
def context_resources_plain_values(obs):
    ctx = dg.build_sensor_context(resources={"foo": "bar"})
    obs.record("foo", ctx.resources.foo)


@scenario
def context_update_cursor_none(obs):
    ctx = dg.build_sensor_context(cursor="x")
    ctx.update_cursor(None)
    obs.record("cursor", ctx.cursor)


# ---- evaluate_tick -------------------------------------------------------------------------


@scenario
def tick_adds_sensor_name_tag(obs):
    job = _job()

    @dg.sensor(job=job)
    def tagging(context):
        return dg.RunRequest(run_key="a", tags={"mine": "1"})

    data = tagging.evaluate_tick(dg.build_sensor_context())
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def tick_keeps_job_name_unset(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        return [dg.RunRequest(run_key="a"), dg.RunRequest(run_key="b", job_name="target_job")]

    data = s.evaluate_tick(dg.build_sensor_context())
    obs.record("job_names", [r.job_name for r in data.run_requests])


@scenario
def tick_skip_reason(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        return dg.SkipReason("waiting")

    data = s.evaluate_tick(dg.build_sensor_context())
    obs.record("skip", data.skip_message)
    obs.record("reqs", list(data.run_requests))
    obs.record("cursor", data.cursor)


@scenario
def tick_empty_result(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        return None

    data = s.evaluate_tick(dg.build_sensor_context())
    obs.record("skip", data.skip_message)
    obs.record("reqs", list(data.run_requests))


@scenario
def tick_empty_generator(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        if False:
            yield dg.RunRequest()

    data = s.evaluate_tick(dg.build_sensor_context())
    obs.record("skip", data.skip_message)


@scenario
def tick_cursor_from_update(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        context.update_cursor(str(int(context.cursor or 0) + 1))
        return dg.RunRequest(run_key="a")

    data = s.evaluate_tick(dg.build_sensor_context(cursor="4"))
    obs.record("cursor", data.cursor)


@scenario
def tick_cursor_from_sensor_result(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        return dg.SensorResult(run_requests=[dg.RunRequest(run_key="a")], cursor="new")

    data = s.evaluate_tick(dg.build_sensor_context(cursor="old"))
    obs.record("cursor", data.cursor)
    obs.record("keys", [r.run_key for r in data.run_requests])


@scenario
def tick_cursor_unchanged_when_not_updated(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        return dg.RunRequest(run_key="a")

    data = s.evaluate_tick(dg.build_sensor_context(cursor="keep"))
    obs.record("cursor", data.cursor)


@scenario
def tick_cursor_set_twice_rejected(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        context.update_cursor("a")
        return dg.SensorResult(run_requests=[], cursor="b")

    obs.raises(lambda: s.evaluate_tick(dg.build_sensor_context()), "cursor")


@scenario
def tick_sensor_result_skip(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        return dg.SensorResult(skip_reason=dg.SkipReason("later"))

    data = s.evaluate_tick(dg.build_sensor_context())
    obs.record("skip", data.skip_message)


@scenario
def tick_sensor_result_with_other_values_rejected(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        yield dg.RunRequest(run_key="a")
        yield dg.SensorResult(run_requests=[dg.RunRequest(run_key="b")])

    obs.raises(lambda: s.evaluate_tick(dg.build_sensor_context()))


@scenario
def tick_user_error(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        raise RuntimeError("sensor exploded")

    obs.raises(lambda: s.evaluate_tick(dg.build_sensor_context()), "sensor exploded")


@scenario
def tick_wrong_return_type(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        return 42

    obs.raises(lambda: s.evaluate_tick(dg.build_sensor_context()))


@scenario
def tick_run_key_duplicates_kept(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        return [dg.RunRequest(run_key="a"), dg.RunRequest(run_key="a")]

    data = s.evaluate_tick(dg.build_sensor_context())
    obs.record("keys", [r.run_key for r in data.run_requests])


@scenario
def tick_dynamic_partitions_requests(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        return dg.SensorResult(
            run_requests=[],
            dynamic_partitions_requests=[
                dg.AddDynamicPartitionsRequest(
                    partitions_def_name="fruits", partition_keys=["apple"]
                ),
                dg.DeleteDynamicPartitionsRequest(
                    partitions_def_name="fruits", partition_keys=["pear"]
                ),
            ],
        )

    data = s.evaluate_tick(dg.build_sensor_context())
    obs.record(
        "dpr",
        [
            (type(r).__name__, r.partitions_def_name, list(r.partition_keys))
            for r in data.dynamic_partitions_requests
        ],
    )


@scenario
def tick_dynamic_partitions_build_add_request(obs):
    fruits = dg.DynamicPartitionsDefinition(name="fruits")
    req = fruits.build_add_request(["a", "b"])
    obs.record("req", (type(req).__name__, req.partitions_def_name, list(req.partition_keys)))


@scenario
def tick_data_has_fields(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        return dg.RunRequest(run_key="a")

    data = s.evaluate_tick(dg.build_sensor_context())
    obs.record("dpr", list(data.dynamic_partitions_requests))
    obs.record("cursor", data.cursor)
    obs.record("skip", data.skip_message)


@scenario
def tick_partition_key_request(obs):
    @dg.op
    def p_op() -> None:
        pass

    @dg.job(partitions_def=dg.StaticPartitionsDefinition(["x", "y"]))
    def pjob() -> None:
        p_op()

    @dg.sensor(job=pjob)
    def s(context):
        return dg.RunRequest(run_key="r", partition_key="y")

    obs.raises(lambda: s.evaluate_tick(dg.build_sensor_context()), key="no_defs")
    defs = dg.Definitions(jobs=[pjob], sensors=[s])
    data = s.evaluate_tick(dg.build_sensor_context(definitions=defs))
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def tick_partition_key_unknown(obs):
    @dg.op
    def p_op() -> None:
        pass

    @dg.job(partitions_def=dg.StaticPartitionsDefinition(["x", "y"]))
    def pjob() -> None:
        p_op()

    @dg.sensor(job=pjob)
    def s(context):
        return dg.RunRequest(run_key="r", partition_key="zzz")

    defs = dg.Definitions(jobs=[pjob], sensors=[s])
    obs.raises(lambda: s.evaluate_tick(dg.build_sensor_context(definitions=defs)))


@scenario
def tick_partitioned_config_request(obs):
    @dg.static_partitioned_config(partition_keys=["x", "y"])
    def cfg(partition_key: str):
        return {"ops": {"p_op": {"config": partition_key}}}

    @dg.op(config_schema=str)
    def p_op(context) -> None:
        pass

    @dg.job(config=cfg)
    def pjob() -> None:
        p_op()

    @dg.sensor(job=pjob)
    def s(context):
        return dg.RunRequest(run_key="r", partition_key="x")

    defs = dg.Definitions(jobs=[pjob], sensors=[s])
    data = s.evaluate_tick(dg.build_sensor_context(definitions=defs))
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def tick_asset_selection_sensor(obs):
    @dg.asset
    def one() -> int:
        return 1

    @dg.asset
    def two() -> int:
        return 2

    @dg.sensor(asset_selection=[one, two])
    def s(context):
        return dg.RunRequest(run_key="a")

    defs = dg.Definitions(assets=[one, two], sensors=[s])
    data = s.evaluate_tick(dg.build_sensor_context(definitions=defs))
    obs.record("keys", [r.run_key for r in data.run_requests])
    obs.record("tags", dict(data.run_requests[0].tags))
    obs.record(
        "selection", sorted(k.to_user_string() for k in data.run_requests[0].asset_selection)
    )


@scenario
def tick_sensor_tags_not_on_runs(obs):
    job = _job()

    @dg.sensor(job=job, tags={"sensor_tag": "v"})
    def s(context):
        return dg.RunRequest(run_key="a")

    data = s.evaluate_tick(dg.build_sensor_context())
    obs.record("tags", dict(data.run_requests[0].tags))


# ---- resources -----------------------------------------------------------------------------


@scenario
def resource_param_from_context(obs):
    job = _job()

    class Api(dg.ConfigurableResource):
        prefix: str

    @dg.sensor(job=job)
    def s(context, api: Api):
        return dg.RunRequest(run_key=api.prefix + "-1")

    ctx = dg.build_sensor_context(resources={"api": Api(prefix="p")})
    obs.record("direct", s(ctx).run_key)
    obs.record("tick", [r.run_key for r in s.evaluate_tick(ctx).run_requests])
    obs.record("keys", sorted(s.required_resource_keys))


@scenario
def resource_param_keyword(obs):
    job = _job()

    class Api(dg.ConfigurableResource):
        prefix: str

    @dg.sensor(job=job)
    def s(context, api: Api):
        return dg.RunRequest(run_key=api.prefix)

    obs.record("key", s(dg.build_sensor_context(), api=Api(prefix="kw")).run_key)


@scenario
def resource_missing_rejected(obs):
    job = _job()

    class Api(dg.ConfigurableResource):
        prefix: str

    @dg.sensor(job=job)
    def s(context, api: Api):
        return dg.RunRequest(run_key=api.prefix)

    obs.raises(lambda: s(dg.build_sensor_context()), "api")


@scenario
def resource_required_keys_context(obs):
    job = _job()

    @dg.sensor(job=job, required_resource_keys={"greeting"})
    def s(context):
        return dg.RunRequest(run_key=context.resources.greeting)

    data = s.evaluate_tick(dg.build_sensor_context(resources={"greeting": "hi"}))
    obs.record("keys", [r.run_key for r in data.run_requests])


@scenario
def resource_function_resource(obs):
    job = _job()

    @dg.resource
    def number(_):
        return 7

    @dg.sensor(job=job, required_resource_keys={"number"})
    def s(context):
        return dg.RunRequest(run_key=str(context.resources.number))

    data = s.evaluate_tick(dg.build_sensor_context(resources={"number": number}))
    obs.record("keys", [r.run_key for r in data.run_requests])


@scenario
def resource_context_manager_teardown(obs):
    job = _job()
    calls: list[str] = []

    @dg.resource
    def tracked(_):
        calls.append("setup")
        try:
            yield "t"
        finally:
            calls.append("teardown")

    @dg.sensor(job=job, required_resource_keys={"tracked"})
    def s(context):
        calls.append("body")
        return dg.RunRequest(run_key=context.resources.tracked)

    with dg.build_sensor_context(resources={"tracked": tracked}) as ctx:
        s.evaluate_tick(ctx)
        calls.append("after-call")
    calls.append("after-with")
    obs.record("calls", calls)


@scenario
def resource_definitions_sensor_in_defs(obs):
    job = _job()

    class Api(dg.ConfigurableResource):
        prefix: str

    @dg.sensor(job=job)
    def s(context, api: Api):
        return dg.RunRequest(run_key=api.prefix)

    defs = dg.Definitions(jobs=[job], sensors=[s], resources={"api": Api(prefix="d")})
    got = defs.get_sensor_def("s")
    obs.record("name", got.name)


# ---- asset sensors ---------------------------------------------------------------------------


@scenario
def asset_sensor_definition(obs):
    job = _job()

    @dg.asset_sensor(asset_key=dg.AssetKey("watched"), job=job)
    def watch(context, asset_event):
        return dg.RunRequest(run_key=str(asset_event.storage_id))

    obs.record("name", watch.name)
    obs.record("key", watch.asset_key.path)
    obs.record("is_sensor", isinstance(watch, dg.SensorDefinition))
    obs.record("is_asset_sensor", isinstance(watch, dg.AssetSensorDefinition))


@scenario
def asset_sensor_tick_after_materialization(obs):
    @dg.asset
    def watched() -> int:
        return 1

    job = _job()

    @dg.asset_sensor(asset_key=dg.AssetKey("watched"), job=job)
    def watch(context, asset_event):
        return dg.RunRequest(
            run_key="seen", tags={"k": asset_event.dagster_event.asset_key.to_user_string()}
        )

    with dg.instance_for_test() as instance:
        empty = watch.evaluate_tick(dg.build_sensor_context(instance=instance))
        obs.record("before", [r.run_key for r in empty.run_requests])
        dg.materialize([watched], instance=instance)
        data = watch.evaluate_tick(dg.build_sensor_context(instance=instance))
        obs.record("after", [_req(r) for r in data.run_requests])
        obs.record("cursor_set", data.cursor is not None)


# ---- run status sensors ----------------------------------------------------------------------


def _jobs() -> Any:
    @dg.op
    def ok() -> int:
        return 1

    @dg.op
    def bad() -> None:
        raise ValueError("nope")

    @dg.job
    def good_job() -> None:
        ok()

    @dg.job
    def bad_job() -> None:
        bad()

    return good_job, bad_job


@scenario
def run_status_sensor_definition(obs):
    good_job, _ = _jobs()

    @dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, request_job=good_job)
    def on_success(context):
        return None

    obs.record("name", on_success.name)
    obs.record("interval", on_success.minimum_interval_seconds)
    obs.record("status", on_success.default_status.value)
    obs.record("job_name", on_success.job_name)
    obs.record("is_sensor", isinstance(on_success, dg.SensorDefinition))
    obs.record("is_run_status", isinstance(on_success, dg.RunStatusSensorDefinition))


@scenario
def run_status_sensor_options(obs):
    _, bad_job = _jobs()

    @dg.run_status_sensor(
        run_status=dg.DagsterRunStatus.FAILURE,
        monitored_jobs=[bad_job],
        name="named",
        minimum_interval_seconds=5,
        description="d",
        default_status=dg.DefaultSensorStatus.RUNNING,
    )
    def s2(context):
        return None

    obs.record("name", s2.name)
    obs.record("interval", s2.minimum_interval_seconds)
    obs.record("description", s2.description)
    obs.record("status", s2.default_status.value)
    obs.record("job_name", s2.job_name)


@scenario
def run_status_sensor_context_fields(obs):
    good_job, _ = _jobs()
    instance = dg.DagsterInstance.ephemeral()
    result = good_job.execute_in_process(instance=instance)
    ctx = dg.build_run_status_sensor_context(
        sensor_name="on_success",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_run_success_event(),
    )
    obs.kind("kind", ctx)
    obs.record("sensor_name", ctx.sensor_name)
    obs.record("job_name", ctx.dagster_run.job_name)
    obs.record("status", ctx.dagster_run.status.value)
    obs.record("event", ctx.dagster_event.event_type_value)
    obs.record("partition_key", ctx.partition_key)
    obs.record("same_instance", ctx.instance is instance)


@scenario
def run_status_sensor_direct_call(obs):
    good_job, _ = _jobs()

    @dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, request_job=good_job)
    def on_success(context):
        return dg.RunRequest(run_key="after", tags={"from": context.dagster_run.job_name})

    instance = dg.DagsterInstance.ephemeral()
    result = good_job.execute_in_process(instance=instance)
    ctx = dg.build_run_status_sensor_context(
        sensor_name="on_success",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_run_success_event(),
    )
    obs.record("req", _req(on_success(ctx)))


@scenario
def run_status_sensor_wrong_context(obs):

    @dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS)
    def on_success(context):
        return None

    obs.raises(lambda: on_success(dg.build_sensor_context()))


@scenario
def run_status_sensor_resources(obs):
    good_job, _ = _jobs()

    @dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS)
    def on_success(context, notifier: Notifier):
        return dg.SkipReason(notifier.channel + ":" + context.dagster_run.job_name)

    instance = dg.DagsterInstance.ephemeral()
    result = good_job.execute_in_process(instance=instance)
    ctx = dg.build_run_status_sensor_context(
        sensor_name="on_success",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_run_success_event(),
        resources={"notifier": Notifier(channel="ops")},
    )
    obs.record("skip", on_success(ctx).skip_message)
    obs.record("keys", sorted(on_success.required_resource_keys))


@scenario
def run_failure_sensor_bare_decorator(obs):
    @dg.run_failure_sensor
    def on_fail(context):
        return None

    obs.record("name", on_fail.name)
    obs.record("is_run_status", isinstance(on_fail, dg.RunStatusSensorDefinition))


@scenario
def run_failure_sensor_named(obs):
    @dg.run_failure_sensor(name="failures", minimum_interval_seconds=10)
    def on_fail(context):
        return None

    obs.record("name", on_fail.name)
    obs.record("interval", on_fail.minimum_interval_seconds)


@scenario
def run_failure_sensor_context(obs):
    _, bad_job = _jobs()
    instance = dg.DagsterInstance.ephemeral()
    result = bad_job.execute_in_process(instance=instance, raise_on_error=False)
    ctx = dg.build_run_status_sensor_context(
        sensor_name="on_fail",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_run_failure_event(),
    ).for_run_failure()
    obs.kind("kind", ctx)
    obs.record("failure_event", ctx.failure_event.event_type_value)
    obs.record("step_failures", [e.step_key for e in ctx.get_step_failure_events()])
    obs.record("status", ctx.dagster_run.status.value)


@scenario
def run_failure_sensor_direct_call(obs):
    _, bad_job = _jobs()

    @dg.run_failure_sensor
    def on_fail(context):
        return dg.SkipReason(
            f"{context.dagster_run.job_name}:{context.failure_event.event_type_value}"
        )

    instance = dg.DagsterInstance.ephemeral()
    result = bad_job.execute_in_process(instance=instance, raise_on_error=False)
    ctx = dg.build_run_status_sensor_context(
        sensor_name="on_fail",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_run_failure_event(),
    ).for_run_failure()
    obs.record("skip", on_fail(ctx).skip_message)


@scenario
def run_failure_sensor_takes_status_context(obs):
    _, bad_job = _jobs()

    @dg.run_failure_sensor
    def on_fail(context):
        return dg.SkipReason(context.failure_event.event_type_value)

    instance = dg.DagsterInstance.ephemeral()
    result = bad_job.execute_in_process(instance=instance, raise_on_error=False)
    ctx = dg.build_run_status_sensor_context(
        sensor_name="on_fail",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_run_failure_event(),
    )
    obs.record("skip", on_fail(ctx).skip_message)


@scenario
def run_status_sensor_context_partition_key(obs):
    good_job, _ = _jobs()
    instance = dg.DagsterInstance.ephemeral()
    result = good_job.execute_in_process(instance=instance)
    ctx = dg.build_run_status_sensor_context(
        sensor_name="s",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_run_success_event(),
        partition_key="p1",
    )
    obs.record("partition_key", ctx.partition_key)


# ---- multi-asset sensors ---------------------------------------------------------------------


def _two_assets() -> Any:
    @dg.asset
    def m_one() -> int:
        return 1

    @dg.asset
    def m_two() -> int:
        return 2

    return m_one, m_two


def _both_sensor(job: Any) -> Any:
    @dg.multi_asset_sensor(monitored_assets=[dg.AssetKey("m_one"), dg.AssetKey("m_two")], job=job)
    def both(context):
        recs = context.latest_materialization_records_by_key()
        if all(recs.values()):
            context.advance_all_cursors()
            return dg.RunRequest(run_key="both")
        return dg.SkipReason(
            "waiting for "
            + ",".join(sorted(k.to_user_string() for k, v in recs.items() if v is None))
        )

    return both


def _multi_ctx(instance: Any, defs: Any, cursor: Any = None) -> Any:
    return dg.build_multi_asset_sensor_context(
        monitored_assets=[dg.AssetKey("m_one"), dg.AssetKey("m_two")],
        instance=instance,
        definitions=defs,
        cursor=cursor,
    )


@scenario
def multi_asset_sensor_definition(obs):
    job = _job()
    both = _both_sensor(job)
    obs.record("name", both.name)
    obs.record("job_name", both.job_name)
    obs.record("is_sensor", isinstance(both, dg.SensorDefinition))
    obs.record("is_multi", isinstance(both, dg.MultiAssetSensorDefinition))


@scenario
def multi_asset_sensor_context_fields(obs):
    m_one, m_two = _two_assets()
    job = _job()
    both = _both_sensor(job)
    defs = dg.Definitions(assets=[m_one, m_two], jobs=[job], sensors=[both])
    with dg.instance_for_test() as instance:
        ctx = _multi_ctx(instance, defs)
        obs.kind("kind", ctx)
        obs.record("keys", sorted(k.to_user_string() for k in ctx.asset_keys))
        obs.record("cursor", ctx.cursor)
        recs = ctx.latest_materialization_records_by_key()
        obs.record("recs", {k.to_user_string(): v for k, v in recs.items()})


@scenario
def multi_asset_sensor_waits_for_all(obs):
    m_one, m_two = _two_assets()
    job = _job()
    both = _both_sensor(job)
    defs = dg.Definitions(assets=[m_one, m_two], jobs=[job], sensors=[both])
    with dg.instance_for_test() as instance:
        ctx = _multi_ctx(instance, defs)
        obs.record("none", both(ctx).skip_message)
        dg.materialize([m_one], instance=instance)
        obs.record("one", both(ctx).skip_message)
        dg.materialize([m_two], instance=instance)
        obs.record("both", both(ctx).run_key)
        obs.record("cursor_keys", sorted(__import__("json").loads(ctx.cursor)))


@scenario
def multi_asset_sensor_cursor_consumes(obs):
    m_one, m_two = _two_assets()
    job = _job()
    both = _both_sensor(job)
    defs = dg.Definitions(assets=[m_one, m_two], jobs=[job], sensors=[both])
    with dg.instance_for_test() as instance:
        dg.materialize([m_one, m_two], instance=instance)
        ctx = _multi_ctx(instance, defs)
        obs.record("first", both(ctx).run_key)
        again = _multi_ctx(instance, defs, cursor=ctx.cursor)
        obs.record("second", both(again).skip_message)
        dg.materialize([m_one], instance=instance)
        third = _multi_ctx(instance, defs, cursor=ctx.cursor)
        obs.record("third", both(third).skip_message)


@scenario
def multi_asset_sensor_evaluate_tick(obs):
    m_one, m_two = _two_assets()
    job = _job()
    both = _both_sensor(job)
    defs = dg.Definitions(assets=[m_one, m_two], jobs=[job], sensors=[both])
    with dg.instance_for_test() as instance:
        dg.materialize([m_one, m_two], instance=instance)
        data = both.evaluate_tick(_multi_ctx(instance, defs))
        obs.record("reqs", [_req(r) for r in data.run_requests])
        obs.record("cursor_set", data.cursor is not None)
        data2 = both.evaluate_tick(_multi_ctx(instance, defs, cursor=data.cursor))
        obs.record("skip", data2.skip_message)


@scenario
def multi_asset_sensor_records_for_key(obs):
    m_one, m_two = _two_assets()
    job = _job()
    both = _both_sensor(job)
    defs = dg.Definitions(assets=[m_one, m_two], jobs=[job], sensors=[both])
    with dg.instance_for_test() as instance:
        dg.materialize([m_one], instance=instance)
        dg.materialize([m_one], instance=instance)
        ctx = _multi_ctx(instance, defs)
        records = ctx.materialization_records_for_key(dg.AssetKey("m_one"), limit=5)
        obs.record("count", len(records))
        obs.record("ascending", records[0].storage_id < records[1].storage_id)
        obs.record("key", records[0].asset_key.to_user_string())


@scenario
def multi_asset_sensor_advance_cursor(obs):
    m_one, m_two = _two_assets()
    job = _job()
    both = _both_sensor(job)
    defs = dg.Definitions(assets=[m_one, m_two], jobs=[job], sensors=[both])
    with dg.instance_for_test() as instance:
        dg.materialize([m_one], instance=instance)
        ctx = _multi_ctx(instance, defs)
        recs = ctx.latest_materialization_records_by_key([dg.AssetKey("m_one")])
        ctx.advance_cursor(recs)
        # outside an evaluation the cursor is written only when the evaluation ends
        obs.record("cursor", ctx.cursor)
        later = _multi_ctx(instance, defs, cursor=ctx.cursor)
        after = later.latest_materialization_records_by_key()
        obs.record("after", {k.to_user_string(): v is not None for k, v in after.items()})


@scenario
def multi_asset_sensor_wrong_context(obs):
    job = _job()
    both = _both_sensor(job)
    obs.raises(lambda: both(dg.build_sensor_context()))


# ---- more evaluation details -----------------------------------------------------------------


@scenario
def tick_skip_in_list(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        return [dg.SkipReason("listed")]

    obs.record("skip", s.evaluate_tick(dg.build_sensor_context()).skip_message)


@scenario
def tick_two_skips_rejected(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        yield dg.SkipReason("a")
        yield dg.SkipReason("b")

    obs.raises(lambda: s.evaluate_tick(dg.build_sensor_context()), "SkipReason")


@scenario
def tick_skip_with_cursor_update(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        context.update_cursor("moved")
        return dg.SkipReason("nothing")

    data = s.evaluate_tick(dg.build_sensor_context(cursor="old"))
    obs.record("cursor", data.cursor)
    obs.record("skip", data.skip_message)


@scenario
def context_instance_missing(obs):
    obs.raises(lambda: dg.build_sensor_context().instance)


@scenario
def sensor_result_defaults(obs):
    res = dg.SensorResult()
    obs.record("reqs", list(res.run_requests or []))
    obs.record("skip", res.skip_reason)
    obs.record("cursor", res.cursor)
    obs.record("dpr", list(res.dynamic_partitions_requests or []))


@scenario
def run_request_none_fields(obs):
    r = dg.RunRequest(tags=None, run_config=None)
    obs.record("tags", dict(r.tags))
    obs.record("config", dict(r.run_config))


@scenario
def skip_reason_equality(obs):
    obs.record("eq", dg.SkipReason("a") == dg.SkipReason("a"))
    obs.record("ne", dg.SkipReason("a") == dg.SkipReason("b"))


@scenario
def sensor_asset_selection_and_job_rejected(obs):
    def make() -> Any:
        @dg.sensor(asset_selection=["a"], job_name="j")
        def both_targets(context):
            return None

        return both_targets

    obs.raises(make)


@scenario
def sensor_job_attr_by_name(obs):
    @dg.sensor(job_name="j")
    def by_name(context):
        return None

    obs.raises(lambda: by_name.jobs, key="jobs")
    obs.raises(lambda: by_name.job, key="job")


@scenario
def sensor_minimum_interval_zero(obs):
    @dg.sensor(job_name="j", minimum_interval_seconds=0)
    def fast(context):
        return None

    obs.record("interval", fast.minimum_interval_seconds)


@scenario
def tick_jobs_request_job_name_kept(obs):
    @dg.op
    def a_op() -> None:
        pass

    @dg.job
    def job_a() -> None:
        a_op()

    @dg.job
    def job_b() -> None:
        a_op()

    @dg.sensor(jobs=[job_a, job_b])
    def s(context):
        return [
            dg.RunRequest(run_key="1", job_name="job_b"),
            dg.RunRequest(run_key="2", job_name="job_a"),
        ]

    data = s.evaluate_tick(dg.build_sensor_context())
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def tick_resource_lifecycle_pythonic(obs):
    job = _job()
    calls = []

    class Tracked(dg.ConfigurableResource):
        label: str

        def setup_for_execution(self, context) -> None:
            calls.append("setup:" + self.label)

        def teardown_after_execution(self, context) -> None:
            calls.append("teardown:" + self.label)

    @dg.sensor(job=job)
    def s(context, tracked: Tracked):
        calls.append("body")
        return dg.RunRequest(run_key=tracked.label)

    with dg.build_sensor_context(resources={"tracked": Tracked(label="t")}) as ctx:
        data = s.evaluate_tick(ctx)
        calls.append("after-tick")
    obs.record("keys", [r.run_key for r in data.run_requests])
    obs.record("calls", calls)


@scenario
def tick_opens_resources_outside_with(obs):
    job = _job()
    calls = []

    class Tracked(dg.ConfigurableResource):
        label: str

        def setup_for_execution(self, context) -> None:
            calls.append("setup")

        def teardown_after_execution(self, context) -> None:
            calls.append("teardown")

    @dg.sensor(job=job)
    def s(context, tracked: Tracked):
        calls.append("body")
        return dg.RunRequest(run_key=tracked.label)

    s.evaluate_tick(dg.build_sensor_context(resources={"tracked": Tracked(label="t")}))
    obs.record("calls", calls)


@scenario
def tick_nested_resource_dependency(obs):
    job = _job()

    class Credentials(dg.ConfigurableResource):
        token: str

    class Client(dg.ConfigurableResource):
        credentials: Credentials

        def fetch(self) -> str:
            return "fetched-with-" + self.credentials.token

    @dg.sensor(job=job)
    def s(context, client: Client):
        return dg.RunRequest(run_key=client.fetch())

    ctx = dg.build_sensor_context(
        resources={"client": Client(credentials=Credentials(token="abc"))}
    )
    obs.record("keys", [r.run_key for r in s.evaluate_tick(ctx).run_requests])


@scenario
def direct_call_resource_context_open_in_with(obs):
    job = _job()

    class Counter(dg.ConfigurableResource):
        start: int

    @dg.sensor(job=job)
    def s(context, counter: Counter):
        return dg.RunRequest(run_key=str(counter.start))

    with dg.build_sensor_context(resources={"counter": Counter(start=3)}) as ctx:
        obs.record("key", s(ctx).run_key)
        obs.record("inside", ctx.resources.counter.start)


@scenario
def tick_run_config_passed_through(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context):
        return dg.RunRequest(
            run_key="c", run_config={"ops": {"emit": {"config": {"unchecked": 1}}}}
        )

    data = s.evaluate_tick(dg.build_sensor_context())
    obs.record("config", dict(data.run_requests[0].run_config))


# ---- signatures ----------------------------------------------------------------------------


def _signature(name: str) -> Any:
    def run(obs: Any) -> None:
        obs.signature("signature", getattr(dg, name))

    return run


for _name in [
    "sensor",
    "SensorDefinition",
    "RunRequest",
    "SensorResult",
    "SkipReason",
    "build_sensor_context",
    "asset_sensor",
    "AssetSensorDefinition",
    "multi_asset_sensor",
    "MultiAssetSensorDefinition",
    "build_multi_asset_sensor_context",
    "run_status_sensor",
    "run_failure_sensor",
    "RunStatusSensorDefinition",
    "build_run_status_sensor_context",
    "AddDynamicPartitionsRequest",
    "DeleteDynamicPartitionsRequest",
    "SensorEvaluationContext",
    "MultiAssetSensorEvaluationContext",
]:
    scenario(_signature(_name), name=f"signature_{_name}")


# ---- context resources outside a with-block -----------------------------------------------------


class _Api(dg.ConfigurableResource):
    prefix: str


@scenario
def context_resources_pythonic_outside_with(obs):
    ctx = dg.build_sensor_context(resources={"api": _Api(prefix="p")})
    obs.record("prefix", ctx.resources.api.prefix)


@scenario
def context_resources_function_outside_with(obs):
    @dg.resource
    def five(_):
        return 5

    obs.record("value", dg.build_sensor_context(resources={"five": five}).resources.five)


@scenario
def context_resources_generator_outside_with(obs):
    @dg.resource
    def opened(_):
        yield 6

    obs.raises(lambda: dg.build_sensor_context(resources={"opened": opened}).resources.opened)


@scenario
def context_resources_unknown_key(obs):
    ctx = dg.build_sensor_context(resources={"api": _Api(prefix="p")})
    obs.raises(lambda: ctx.resources.nope, "nope")


@scenario
def tick_asset_job_partition_request(obs):
    pd = dg.DailyPartitionsDefinition(start_date="2024-01-01")

    @dg.asset(partitions_def=pd)
    def daily_asset() -> int:
        return 1

    job = dg.define_asset_job("daily_assets_job", selection=[daily_asset], partitions_def=pd)

    @dg.sensor(job=job)
    def s(context):
        return dg.RunRequest(partition_key="2024-01-02")

    defs = dg.Definitions(assets=[daily_asset], jobs=[job], sensors=[s])
    data = s.evaluate_tick(dg.build_sensor_context(definitions=defs))
    obs.record("reqs", [_req(r) for r in data.run_requests])


# ---- run status sensor ticks -------------------------------------------------------------------


@scenario
def run_status_sensor_first_tick_initializes_cursor(obs):
    good_job, _ = _jobs()

    @dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, request_job=good_job)
    def on_success(context):
        return dg.RunRequest(run_key="after-" + context.dagster_run.job_name)

    with dg.instance_for_test() as instance:
        data = on_success.evaluate_tick(dg.build_sensor_context(instance=instance))
        obs.record("reqs", list(data.run_requests))
        obs.record("skip_starts", data.skip_message.split(".")[0])
        cursor = __import__("json").loads(data.cursor)
        obs.record("cursor_class", cursor["__class__"])
        obs.record("cursor_keys", sorted(cursor))
        obs.record("record_id", cursor["record_id"])


@scenario
def run_status_sensor_tick_reacts_to_new_runs(obs):
    good_job, bad_job = _jobs()

    @dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, request_job=good_job)
    def on_success(context):
        return dg.RunRequest(run_key="after-" + context.dagster_run.job_name)

    with dg.instance_for_test() as instance:
        first = on_success.evaluate_tick(dg.build_sensor_context(instance=instance))
        good_job.execute_in_process(instance=instance)
        bad_job.execute_in_process(instance=instance, raise_on_error=False)
        second = on_success.evaluate_tick(
            dg.build_sensor_context(instance=instance, cursor=first.cursor)
        )
        obs.record("reqs", [_req(r) for r in second.run_requests])
        obs.record("skip", second.skip_message)
        third = on_success.evaluate_tick(
            dg.build_sensor_context(instance=instance, cursor=second.cursor)
        )
        obs.record("third_reqs", list(third.run_requests))
        obs.record("third_skip", third.skip_message)
        obs.record("cursor_kept", third.cursor == second.cursor)


@scenario
def run_failure_sensor_tick_reactions(obs):
    _, bad_job = _jobs()
    seen = []

    @dg.run_failure_sensor(monitored_jobs=[bad_job])
    def on_fail(context):
        seen.append(context.dagster_run.job_name)

    with dg.instance_for_test() as instance:
        first = on_fail.evaluate_tick(dg.build_sensor_context(instance=instance))
        bad_job.execute_in_process(instance=instance, raise_on_error=False)
        second = on_fail.evaluate_tick(
            dg.build_sensor_context(instance=instance, cursor=first.cursor)
        )
        obs.record("reqs", list(second.run_requests))
        obs.record("skip", second.skip_message)
        obs.record("reactions", [r.dagster_run.job_name for r in second.dagster_run_reactions])
        obs.record("seen", seen)


@scenario
def run_status_sensor_tick_request_without_target(obs):
    good_job, _ = _jobs()

    @dg.op
    def other_op() -> None:
        pass

    @dg.job
    def other_job() -> None:
        other_op()

    @dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, monitored_jobs=[good_job])
    def only_good(context):
        return dg.RunRequest(run_key=context.dagster_run.job_name, job_name="good_job")

    with dg.instance_for_test() as instance:
        first = only_good.evaluate_tick(dg.build_sensor_context(instance=instance))
        other_job.execute_in_process(instance=instance)
        good_job.execute_in_process(instance=instance)
        second = only_good.evaluate_tick(
            dg.build_sensor_context(instance=instance, cursor=first.cursor)
        )
        obs.record("keys", [r.run_key for r in second.run_requests])


@scenario
def run_status_sensor_tick_monitored_jobs(obs):
    good_job, _ = _jobs()

    @dg.op
    def other_op() -> None:
        pass

    @dg.job
    def other_job() -> None:
        other_op()

    @dg.run_status_sensor(
        run_status=dg.DagsterRunStatus.SUCCESS, monitored_jobs=[good_job], request_job=good_job
    )
    def only_good(context):
        return dg.RunRequest(run_key=context.dagster_run.job_name)

    with dg.instance_for_test() as instance:
        first = only_good.evaluate_tick(dg.build_sensor_context(instance=instance))
        other_job.execute_in_process(instance=instance)
        good_job.execute_in_process(instance=instance)
        second = only_good.evaluate_tick(
            dg.build_sensor_context(instance=instance, cursor=first.cursor)
        )
        obs.record("keys", [r.run_key for r in second.run_requests])


@scenario
def tick_request_without_target(obs):
    @dg.sensor()
    def untargeted(context):
        return dg.RunRequest(run_key="x")

    obs.raises(lambda: untargeted.evaluate_tick(dg.build_sensor_context()), "target")


@scenario
def context_first_tick_and_logs(obs):
    ctx = dg.build_sensor_context(repository_name="loc", last_sensor_start_time=5.0)
    obs.record("first_tick", ctx.is_first_tick_since_sensor_start)
    obs.record("repository_name", ctx.repository_name)
    obs.record("captured", bool(ctx.has_captured_logs()))
    obs.record("start", ctx.last_sensor_start_time)


@scenario
def context_merge_resources(obs):
    job = _job()

    @dg.sensor(job=job, required_resource_keys={"a", "b"})
    def s(context):
        return dg.RunRequest(run_key=f"{context.resources.a}-{context.resources.b}")

    ctx = dg.build_sensor_context(resources={"a": "one"})
    merged = ctx.merge_resources({"b": "two"})
    obs.record("keys", [r.run_key for r in s.evaluate_tick(merged).run_requests])


@scenario
def tick_definitions_resources_not_used(obs):
    job = _job()

    @dg.sensor(job=job)
    def s(context, api: _Api):
        return dg.RunRequest(run_key=api.prefix)

    defs = dg.Definitions(jobs=[job], sensors=[s], resources={"api": _Api(prefix="from-defs")})
    obs.raises(lambda: s.evaluate_tick(dg.build_sensor_context(definitions=defs)), "api")


# ---- the default automation condition sensor -----------------------------------------------


def _conditioned_assets() -> Any:
    @dg.asset(automation_condition=dg.AutomationCondition.eager())
    def first() -> int:
        return 1

    @dg.asset(automation_condition=dg.AutomationCondition.eager())
    def second() -> int:
        return 2

    @dg.asset
    def plain() -> int:
        return 3

    return first, second, plain


def _describe_sensors(defs: Any) -> list[Any]:
    repo = defs.get_repository_def()
    graph = defs.resolve_asset_graph()
    return [
        {
            "name": s.name,
            "kind": type(s).__name__,
            "default_status": s.default_status.value,
            "interval": s.minimum_interval_seconds,
            "target": sorted(k.to_user_string() for k in s.asset_selection.resolve(graph))
            if isinstance(s, dg.AutomationConditionSensorDefinition)
            else None,
        }
        for s in repo.sensor_defs
    ]


@scenario
def default_condition_sensor_for_conditioned_assets(obs):
    defs = dg.Definitions(assets=list(_conditioned_assets()))
    obs.record("sensors", _describe_sensors(defs))
    obs.record("defs_sensors", [s.name for s in (defs.sensors or [])])
    obs.record(
        "has", defs.get_repository_def().has_sensor_def("default_automation_condition_sensor")
    )
    obs.record("get", defs.get_sensor_def("default_automation_condition_sensor").name)


@scenario
def default_condition_sensor_leaves_out_targeted_assets(obs):
    first, second, plain = _conditioned_assets()
    mine = dg.AutomationConditionSensorDefinition("mine", target=[second])
    defs = dg.Definitions(assets=[first, second, plain], sensors=[mine])
    obs.record("sensors", _describe_sensors(defs))


@scenario
def no_default_condition_sensor_when_every_condition_is_targeted(obs):
    first, second, plain = _conditioned_assets()
    every = dg.AutomationConditionSensorDefinition("every", target=[first, second])
    obs.record(
        "with_sensor",
        _describe_sensors(dg.Definitions(assets=[first, second, plain], sensors=[every])),
    )
    obs.record("no_condition", _describe_sensors(dg.Definitions(assets=[plain])))


@scenario
def repository_sensor_defs_are_sorted_by_name(obs):
    job = _job()

    @dg.sensor(job=job)
    def zed(context):
        return None

    @dg.sensor(job=job)
    def alpha(context):
        return None

    defs = dg.Definitions(jobs=[job], sensors=[zed, alpha])
    obs.record("names", [s.name for s in defs.get_repository_def().sensor_defs])


@scenario
def tick_dynamic_partition_request_resolved_with_instance(obs):
    fruits = dg.DynamicPartitionsDefinition(name="fruits")

    @dg.asset(partitions_def=fruits)
    def fruit() -> int:
        return 1

    fruit_job = dg.define_asset_job("fruit_job", selection=[fruit], partitions_def=fruits)

    @dg.sensor(job=fruit_job)
    def s(context):
        return dg.RunRequest(partition_key="apple")

    defs = dg.Definitions(assets=[fruit], jobs=[fruit_job], sensors=[s])
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("fruits", ["apple"])
    data = s.evaluate_tick(dg.build_sensor_context(instance=instance, definitions=defs))
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def run_failure_sensor_tick_reacts_to_every_failed_run(obs):
    _, bad_job = _jobs()
    seen = []

    @dg.run_failure_sensor(monitored_jobs=[bad_job])
    def on_fail(context):
        seen.append(context.dagster_run.run_id)

    with dg.instance_for_test() as instance:
        first = on_fail.evaluate_tick(dg.build_sensor_context(instance=instance))
        failed = [
            bad_job.execute_in_process(instance=instance, raise_on_error=False).run_id
            for _ in range(8)
        ]
        second = on_fail.evaluate_tick(
            dg.build_sensor_context(instance=instance, cursor=first.cursor)
        )
        obs.record("reacted", len(second.dagster_run_reactions))
        obs.record("in_order", seen == failed[: len(seen)])
        third = on_fail.evaluate_tick(
            dg.build_sensor_context(instance=instance, cursor=second.cursor)
        )
        obs.record("reacted_later", len(third.dagster_run_reactions))
