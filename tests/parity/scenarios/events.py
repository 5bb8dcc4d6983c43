"""Events of in-process runs: kinds, order, step keys and the fields users read."""

from _harness import dg, scenario


def _two_op_job():
    @dg.op
    def one():
        return 1

    @dg.op
    def two(x):
        return x + 1

    @dg.job
    def j():
        two(one())

    return j


@scenario
def event_type_values_of_the_run_lifecycle(obs):
    obs.record("start", dg.DagsterEventType.RUN_START.value)
    obs.record("success", dg.DagsterEventType.RUN_SUCCESS.value)
    obs.record("failure", dg.DagsterEventType.RUN_FAILURE.value)
    obs.record("canceled", dg.DagsterEventType.RUN_CANCELED.value)
    obs.record("starting", dg.DagsterEventType.RUN_STARTING.value)
    obs.record("enqueued", dg.DagsterEventType.RUN_ENQUEUED.value)


@scenario
def event_type_members_in_order(obs):
    obs.record("names", [m.name for m in dg.DagsterEventType])
    obs.record("values", [m.value for m in dg.DagsterEventType])


@scenario
def event_type_pipeline_names_are_aliases_of_the_run_events(obs):
    kinds = dg.DagsterEventType
    names = ["ENQUEUED", "DEQUEUED", "STARTING", "START", "SUCCESS", "FAILURE"]
    names += ["CANCELING", "CANCELED"]
    obs.record("same", [kinds[f"PIPELINE_{n}"] is kinds[f"RUN_{n}"] for n in names])
    obs.record("name", kinds.PIPELINE_FAILURE.name)
    obs.record("from_value", kinds("PIPELINE_FAILURE").name)


@scenario
def event_type_is_a_str_enum(obs):
    obs.record("is_str", isinstance(dg.DagsterEventType.STEP_START, str))
    obs.record("eq", dg.DagsterEventType.STEP_START == "STEP_START")
    obs.record("lookup", dg.DagsterEventType("PIPELINE_SUCCESS").name)


@scenario
def two_op_job_event_sequence(obs):
    obs.events(_two_op_job().execute_in_process())


@scenario
def single_op_job_puts_its_step_key_on_resource_events(obs):
    @dg.op
    def only():
        return 1

    @dg.job
    def j():
        only()

    obs.events(j.execute_in_process())


@scenario
def op_returning_none_annotation_events(obs):
    @dg.op
    def nothing_returned():
        pass

    @dg.job
    def j():
        nothing_returned()

    obs.events(j.execute_in_process())


@scenario
def op_without_outputs_inits_no_resources(obs):
    @dg.op(out={})
    def no_out():
        pass

    @dg.job
    def j():
        no_out()

    obs.events(j.execute_in_process())


@scenario
def nothing_dependency_events(obs):
    @dg.op(out=dg.Out(dg.Nothing))
    def first():
        pass

    @dg.op(ins={"start": dg.In(dg.Nothing)})
    def second():
        return 3

    @dg.job
    def j():
        second(first())

    obs.events(j.execute_in_process())


@scenario
def two_inputs_load_then_get_inputs(obs):
    @dg.op
    def a1():
        return 1

    @dg.op
    def a2():
        return 2

    @dg.op
    def add(x, y):
        return x + y

    @dg.job
    def j():
        add(a1(), a2())

    obs.events(j.execute_in_process())


@scenario
def input_from_config_has_no_loaded_input(obs):
    @dg.op
    def with_input(x: int):
        return x

    @dg.job
    def j():
        with_input()

    r = j.execute_in_process(run_config={"ops": {"with_input": {"inputs": {"x": 3}}}})
    obs.events(r)
    obs.record("out", r.output_for_node("with_input"))


@scenario
def resource_events_name_every_resource(obs):
    @dg.op(required_resource_keys={"x"})
    def uses_x(context):
        return context.resources.x

    @dg.job(resource_defs={"x": dg.ResourceDefinition.hardcoded_resource(1)})
    def j():
        uses_x()

    r = j.execute_in_process()
    obs.events(r)
    starts = [e.message for e in r.all_events if e.event_type_value == "RESOURCE_INIT_STARTED"]
    ends = [e.message for e in r.all_events if e.event_type_value == "RESOURCE_INIT_SUCCESS"]
    obs.record("started", starts)
    obs.record("finished", ends)


@scenario
def failing_op_event_sequence(obs):
    @dg.op
    def boom():
        raise ValueError("bad")

    @dg.op
    def after(x):
        return x

    @dg.job
    def j():
        after(boom())

    obs.events(j.execute_in_process(raise_on_error=False))


@scenario
def failure_exception_event_sequence(obs):
    @dg.op
    def failing():
        raise dg.Failure(description="nope", metadata={"n": 1})

    @dg.job
    def j():
        failing()

    obs.events(j.execute_in_process(raise_on_error=False))


@scenario
def retry_policy_event_sequence(obs):
    calls = []

    @dg.op(retry_policy=dg.RetryPolicy(max_retries=2))
    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise ValueError("flaky")
        return 1

    @dg.job
    def j():
        flaky()

    r = j.execute_in_process()
    obs.events(r)
    obs.record(
        "messages",
        [
            e.message
            for e in r.all_events
            if e.event_type_value in ("STEP_UP_FOR_RETRY", "STEP_RESTARTED")
        ],
    )


@scenario
def retries_exhausted_event_sequence(obs):
    @dg.op(retry_policy=dg.RetryPolicy(max_retries=1))
    def always():
        raise ValueError("x")

    @dg.job
    def j():
        always()

    obs.events(j.execute_in_process(raise_on_error=False))


@scenario
def retry_requested_event_sequence(obs):
    @dg.op
    def asks(context):
        if context.retry_number < 1:
            raise dg.RetryRequested(max_retries=1)
        return context.retry_number

    @dg.job
    def j():
        asks()

    r = j.execute_in_process()
    obs.events(r)
    obs.record("out", r.output_for_node("asks"))


@scenario
def conditional_output_skips_downstream(obs):
    @dg.op(out={"a": dg.Out(is_required=False), "b": dg.Out(is_required=False)})
    def branch():
        yield dg.Output(1, "a")

    @dg.op
    def on_a(x):
        return x

    @dg.op
    def on_b(x):
        return x

    @dg.job
    def j():
        a, b = branch()
        on_a(a)
        on_b(b)

    r = j.execute_in_process()
    obs.events(r)
    obs.record("skip_message", [e.message for e in r.get_step_skipped_events()])


@scenario
def skip_propagates_to_the_next_step(obs):
    @dg.op(out={"a": dg.Out(is_required=False)})
    def maybe():
        if False:
            yield dg.Output(1, "a")

    @dg.op
    def first(x):
        return x

    @dg.op
    def second(x):
        return x

    @dg.job
    def j():
        second(first(maybe()))

    obs.events(j.execute_in_process())


@scenario
def resource_init_failure_event_sequence(obs):
    @dg.resource
    def bad(_):
        raise ValueError("res boom")

    @dg.op(required_resource_keys={"r"})
    def needs(context):
        return 1

    @dg.job(resource_defs={"r": bad})
    def j():
        needs()

    r = j.execute_in_process(raise_on_error=False)
    obs.events(r)
    obs.record("run_failure_message", r.get_run_failure_event().message)


@scenario
def resource_teardown_failure_is_an_engine_event(obs):
    @dg.resource
    def closes_badly(_):
        yield 1
        raise RuntimeError("close failed")

    @dg.op(required_resource_keys={"a"})
    def u(context):
        return 1

    @dg.job(resource_defs={"a": closes_badly})
    def j():
        u()

    r = j.execute_in_process()
    obs.record("success", r.success)
    obs.events(r)


@scenario
def graph_step_keys_are_dotted(obs):
    @dg.op
    def inner():
        return 1

    @dg.op
    def inner2(x):
        return x

    @dg.graph
    def g():
        return inner2(inner())

    @dg.job
    def j():
        g()

    obs.events(j.execute_in_process())


@scenario
def multi_output_op_events(obs):
    @dg.op(out={"a": dg.Out(), "b": dg.Out()})
    def two():
        return 1, 2

    @dg.job
    def j():
        two()

    obs.events(j.execute_in_process())


@scenario
def asset_materialization_before_handled_output(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b(a):
        return a + 1

    obs.events(dg.materialize_to_memory([a, b]))


@scenario
def materialize_to_disk_event_sequence(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b(a):
        return a + 1

    obs.events(dg.materialize([a, b]))


@scenario
def materialize_result_has_no_handled_output(obs):
    @dg.asset
    def mr():
        return dg.MaterializeResult(metadata={"rows": 3})

    r = dg.materialize_to_memory([mr])
    obs.events(r)
    obs.materializations(r)


@scenario
def multi_asset_events(obs):
    @dg.multi_asset(outs={"m1": dg.AssetOut(), "m2": dg.AssetOut()})
    def multi():
        return 1, 2

    r = dg.materialize_to_memory([multi])
    obs.events(r)
    obs.materializations(r)


@scenario
def logged_events_come_before_outputs(obs):
    @dg.op
    def logs_mat(context):
        context.log_event(dg.AssetMaterialization("ext", partition="p1"))
        context.log_event(dg.AssetObservation("obs"))
        return 1

    @dg.job
    def j():
        logs_mat()

    r = j.execute_in_process()
    obs.events(r)
    obs.materializations(r)


@scenario
def inline_check_events(obs):
    @dg.asset(check_specs=[dg.AssetCheckSpec("pos", asset="a")])
    def a():
        yield dg.Output(1)
        yield dg.AssetCheckResult(passed=True)

    r = dg.materialize_to_memory([a])
    obs.events(r)


@scenario
def separate_check_step_events(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a)
    def a_ok(a):
        return dg.AssetCheckResult(passed=a > 5, description="big")

    r = dg.materialize_to_memory([a, a_ok])
    obs.events(r)
    obs.record(
        "check_messages",
        [e.message for e in r.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"],
    )


@scenario
def blocking_check_failure_fails_its_step(obs):
    @dg.asset
    def orders():
        return [1, -1]

    @dg.asset_check(asset=orders, blocking=True)
    def no_neg(orders):
        return dg.AssetCheckResult(passed=all(o >= 0 for o in orders))

    @dg.asset
    def totals(orders):
        return sum(orders)

    r = dg.materialize_to_memory([orders, no_neg, totals], raise_on_error=False)
    obs.record("success", r.success)
    obs.events(r)


@scenario
def inline_blocking_check_failure_fails_the_asset_step(obs):
    @dg.asset(check_specs=[dg.AssetCheckSpec("pos", asset="scored", blocking=True)])
    def scored():
        yield dg.Output(-5)
        yield dg.AssetCheckResult(passed=False, description="neg")

    @dg.asset
    def uses(scored):
        return scored

    r = dg.materialize_to_memory([scored, uses], raise_on_error=False)
    obs.events(r)
    obs.check_evaluations(r)


@scenario
def failing_asset_leaves_downstream_untouched(obs):
    @dg.asset
    def af():
        raise ValueError("x")

    @dg.asset
    def down(af):
        return 1

    r = dg.materialize_to_memory([af, down], raise_on_error=False)
    obs.events(r)


@scenario
def partitioned_asset_event_partition(obs):
    @dg.asset(partitions_def=dg.StaticPartitionsDefinition(["x", "y"]))
    def p(context):
        return context.partition_key

    r = dg.materialize_to_memory([p], partition_key="x")
    obs.events(r)
    e = r.get_asset_materialization_events()[0]
    obs.record("partition", e.partition)
    obs.record("key", list(e.asset_key.path))


@scenario
def step_events_carry_job_and_node_names(obs):
    r = _two_op_job().execute_in_process()
    step_events = [e for e in r.all_events if e.step_key is not None]
    obs.record("job_names", sorted({e.job_name for e in r.all_events}))
    obs.record("node_names", [e.node_name for e in step_events if e.is_step_event])


@scenario
def event_predicates(obs):
    r = _two_op_job().execute_in_process()
    obs.record(
        "flags",
        [
            [
                e.event_type_value,
                e.is_step_event,
                e.is_step_start,
                e.is_step_success,
                e.is_step_failure,
                e.is_successful_output,
                e.is_failure,
                e.is_handled_output,
                e.is_loaded_input,
                e.is_engine_event,
                e.is_job_event,
            ]
            for e in r.all_events
        ],
    )


@scenario
def failure_predicates(obs):
    @dg.op
    def boom():
        raise ValueError("x")

    @dg.job
    def j():
        boom()

    r = j.execute_in_process(raise_on_error=False)
    obs.record(
        "flags",
        [
            [
                e.event_type_value,
                e.is_failure,
                e.is_step_failure,
                e.is_run_failure,
                e.is_job_failure,
            ]
            for e in r.all_events
        ],
    )


@scenario
def logging_tags_of_step_and_run_events(obs):
    r = _two_op_job().execute_in_process()
    step = next(e for e in r.all_events if e.event_type_value == "STEP_START")
    tags = dict(step.logging_tags)
    tags.pop("run_id")
    obs.record("step_tags", tags)
    obs.record("run_tags", r.all_events[0].logging_tags)
    obs.record("step_kind", step.step_kind_value)
    obs.record("run_kind", r.all_events[0].step_kind_value)


@scenario
def step_success_data_has_a_duration(obs):
    r = _two_op_job().execute_in_process()
    e = r.get_step_success_events()[0]
    obs.kind("data", e.event_specific_data)
    obs.record("positive", e.event_specific_data.duration_ms >= 0)


@scenario
def step_failure_data_wraps_the_user_error(obs):
    @dg.op
    def boom():
        raise ValueError("bad")

    @dg.job
    def j():
        boom()

    r = j.execute_in_process(raise_on_error=False)
    d = r.get_step_failure_events()[0].step_failure_data
    obs.record("cls", d.error.cls_name)
    obs.record("cause_cls", d.error.cause.cls_name)
    obs.record("cause_has_message", "bad" in d.error.cause.message)
    obs.record("names_op", 'op "boom"' in d.error.message)
    obs.record("user_failure_data", d.user_failure_data)


@scenario
def step_failure_data_of_a_failure(obs):
    @dg.op
    def failing():
        raise dg.Failure(description="nope", metadata={"n": 1})

    @dg.job
    def j():
        failing()

    r = j.execute_in_process(raise_on_error=False)
    e = r.get_step_failure_events()[0]
    d = e.step_failure_data
    obs.record("cls", d.error.cls_name)
    obs.record("description", d.user_failure_data.description)
    obs.record("label", d.user_failure_data.label)
    obs.metadata("metadata", d.user_failure_data.metadata)
    obs.record("message", e.message)


@scenario
def step_failure_data_on_another_event_raises(obs):
    r = _two_op_job().execute_in_process()
    obs.raises(lambda: r.all_events[0].step_failure_data, "step_failure_data")


@scenario
def materialization_of_an_event(obs):
    @dg.asset
    def a():
        return dg.Output(1, metadata={"rows": 1})

    r = dg.materialize_to_memory([a])
    e = r.get_asset_materialization_events()[0]
    obs.kind("kind", e.materialization)
    obs.record("key", list(e.materialization.asset_key.path))
    obs.metadata("metadata", e.materialization.metadata)
    obs.kind("data", e.event_specific_data)
    obs.record("message", e.message)


@scenario
def asset_key_is_none_for_non_asset_events(obs):
    r = _two_op_job().execute_in_process()
    obs.record("keys", [e.asset_key is None for e in r.all_events])
    obs.record("partitions", [e.partition for e in r.all_events])


@scenario
def handled_output_and_loaded_input_data(obs):
    r = _two_op_job().execute_in_process()
    handled = next(e for e in r.all_events if e.event_type_value == "HANDLED_OUTPUT")
    loaded = next(e for e in r.all_events if e.event_type_value == "LOADED_INPUT")
    obs.record(
        "handled",
        [handled.event_specific_data.output_name, handled.event_specific_data.manager_key],
    )
    d = loaded.event_specific_data
    obs.record("loaded", [d.input_name, d.manager_key, d.upstream_output_name, d.upstream_step_key])
    obs.record("messages", [handled.message, loaded.message])


@scenario
def step_output_and_input_data(obs):
    r = _two_op_job().execute_in_process()
    out = next(e for e in r.all_events if e.event_type_value == "STEP_OUTPUT")
    inp = next(e for e in r.all_events if e.event_type_value == "STEP_INPUT")
    obs.record(
        "output",
        [
            out.event_specific_data.step_output_handle.output_name,
            out.event_specific_data.step_output_handle.step_key,
        ],
    )
    obs.record("input", inp.event_specific_data.input_name)
    obs.record(
        "type_check",
        [
            out.event_specific_data.type_check_data.success,
            inp.event_specific_data.type_check_data.success,
        ],
    )
    obs.record("messages", [out.message, inp.message])


@scenario
def step_start_and_skip_messages(obs):
    r = _two_op_job().execute_in_process()
    obs.record(
        "messages",
        [e.message for e in r.all_events if e.event_type_value == "STEP_START"],
    )
    obs.record("first", r.all_events[0].message)
    obs.record("last", r.all_events[-1].message)


@scenario
def run_failure_message_names_the_failed_steps(obs):
    @dg.op
    def boom():
        raise ValueError("x")

    @dg.job
    def j():
        boom()

    r = j.execute_in_process(raise_on_error=False)
    obs.record("message", r.get_run_failure_event().message)


@scenario
def event_specific_data_of_run_events_is_none(obs):
    r = _two_op_job().execute_in_process()
    obs.record("start", r.all_events[0].event_specific_data)
    obs.record("success", r.all_events[-1].event_specific_data)
    obs.record("step_start", next(e for e in r.all_events if e.is_step_start).event_specific_data)


@scenario
def op_annotated_none_has_a_nothing_output(obs):
    @dg.op
    def returns_none() -> None:
        pass

    @dg.job
    def j():
        returns_none()

    r = j.execute_in_process()
    obs.events(r)
    obs.record("outputs", [e.message for e in r.all_events if e.event_type_value == "STEP_OUTPUT"])


@scenario
def resource_init_failure_error_is_the_user_exception(obs):
    @dg.resource
    def bad(_):
        raise ValueError("res boom")

    @dg.op(required_resource_keys={"r"})
    def needs(context):
        return 1

    @dg.job(resource_defs={"r": bad})
    def j():
        needs()

    r = j.execute_in_process(raise_on_error=False)
    e = next(e for e in r.all_events if e.event_type_value == "RESOURCE_INIT_FAILURE")
    obs.record("error", e.event_specific_data.error.cls_name)
    obs.record("run_error", r.get_run_failure_event().job_failure_data.error.cls_name)


@scenario
def observation_event_message(obs):
    @dg.op
    def observes(context):
        context.log_event(dg.AssetObservation("o"))
        context.log_event(dg.AssetMaterialization("m", description="described"))
        return 1

    @dg.job
    def j():
        observes()

    r = j.execute_in_process()
    obs.record(
        "messages",
        [
            e.message
            for e in r.all_events
            if e.event_type_value in ("ASSET_OBSERVATION", "ASSET_MATERIALIZATION")
        ],
    )


@scenario
def blocking_check_step_failure_error(obs):
    @dg.asset(check_specs=[dg.AssetCheckSpec("pos", asset="scored", blocking=True)])
    def scored():
        yield dg.Output(-5)
        yield dg.AssetCheckResult(passed=False)

    r = dg.materialize_to_memory([scored], raise_on_error=False)
    d = r.get_step_failure_events()[0].step_failure_data
    obs.record("cls", d.error.cls_name)
    obs.record("user_failure_data", d.user_failure_data)


@scenario
def invalid_output_step_failure_error(obs):
    @dg.op
    def wrong():
        return dg.Output(1, "other")

    @dg.job
    def j():
        wrong()

    r = j.execute_in_process(raise_on_error=False)
    obs.record("cls", r.get_step_failure_events()[0].step_failure_data.error.cls_name)


@scenario
def retry_event_data(obs):
    calls = []

    @dg.op(retry_policy=dg.RetryPolicy(max_retries=1))
    def flaky():
        calls.append(1)
        if len(calls) < 2:
            raise ValueError("flaky")
        return 1

    @dg.job
    def j():
        flaky()

    r = j.execute_in_process()
    e = next(e for e in r.all_events if e.event_type_value == "STEP_UP_FOR_RETRY")
    obs.kind("data", e.event_specific_data)
    obs.record("error", e.event_specific_data.error.cls_name)


@scenario
def node_and_step_handles_of_a_nested_step(obs):
    @dg.op
    def inner():
        return 1

    @dg.graph
    def g():
        return inner()

    @dg.job
    def j():
        g()

    r = j.execute_in_process()
    e = r.get_step_success_events()[0]
    obs.record("node", [e.node_handle.name, e.node_handle.parent.name])
    obs.record("step", e.step_handle.key)
    obs.record("run_level", r.all_events[0].node_handle)


@scenario
def logs_captured_data_names_the_steps(obs):
    r = _two_op_job().execute_in_process()
    e = next(e for e in r.all_events if e.event_type_value == "LOGS_CAPTURED")
    obs.record("steps", list(e.logs_captured_data.step_keys))
