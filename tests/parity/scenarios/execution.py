"""In-process execution: which error each failure raises, and what a failed run returns."""

from _harness import dg, scenario


def _job_of(op_def, **job_kwargs):
    @dg.job(**job_kwargs)
    def j():
        op_def()

    return j


@scenario
def op_exception_is_reraised_unchanged(obs):
    class Custom(LookupError):
        pass

    @dg.op
    def boom():
        raise Custom("exactly this")

    obs.raises(lambda: _job_of(boom).execute_in_process(), "exactly this")


@scenario
def op_value_error_is_reraised(obs):
    @dg.op
    def boom():
        raise ValueError("bad row 7")

    obs.raises(lambda: _job_of(boom).execute_in_process(), "bad row 7")


@scenario
def op_exception_without_raising_returns_a_failed_result(obs):
    @dg.op
    def boom():
        raise ValueError("bad")

    r = _job_of(boom).execute_in_process(raise_on_error=False)
    obs.record("success", r.success)
    obs.record("failed", r.get_failed_step_keys())
    obs.record("status", r.dagster_run.status.name)


@scenario
def failure_is_reraised(obs):
    @dg.op
    def failing():
        raise dg.Failure(description="table is empty", metadata={"rows": 0})

    obs.raises(lambda: _job_of(failing).execute_in_process(), "table is empty")


@scenario
def failure_attributes(obs):
    f = dg.Failure(description="why", metadata={"n": 1}, allow_retries=False)
    obs.record("description", f.description)
    obs.metadata("metadata", f.metadata)
    obs.record("allow_retries", f.allow_retries)
    obs.record("str", str(f))


@scenario
def failure_without_retries_is_not_retried(obs):
    calls = []

    @dg.op(retry_policy=dg.RetryPolicy(max_retries=3))
    def failing():
        calls.append(1)
        raise dg.Failure(description="final", allow_retries=False)

    r = _job_of(failing).execute_in_process(raise_on_error=False)
    obs.record("calls", len(calls))
    obs.events(r)


@scenario
def resource_init_error_class(obs):
    @dg.resource
    def bad(_):
        raise ValueError("res boom")

    @dg.op(required_resource_keys={"r"})
    def needs(context):
        return 1

    j = _job_of(needs, resource_defs={"r": bad})
    obs.raises(j.execute_in_process, "r")


@scenario
def resource_init_error_keeps_the_user_exception_as_cause(obs):
    @dg.resource
    def bad(_):
        raise KeyError("missing")

    @dg.op(required_resource_keys={"r"})
    def needs(context):
        return 1

    j = _job_of(needs, resource_defs={"r": bad})
    try:
        j.execute_in_process()
    except Exception as exc:
        obs.kind("error", exc)
        obs.record("cause", type(exc.__cause__).__name__)
        obs.record("user_exception", type(exc.user_exception).__name__)


@scenario
def resource_init_failure_without_raising(obs):
    @dg.resource
    def bad(_):
        raise ValueError("res boom")

    @dg.op(required_resource_keys={"r"})
    def needs(context):
        return 1

    r = _job_of(needs, resource_defs={"r": bad}).execute_in_process(raise_on_error=False)
    obs.record("success", r.success)
    obs.record("status", r.dagster_run.status.name)
    obs.record("failed_steps", r.get_failed_step_keys())
    failure = r.get_run_failure_event()
    obs.record("job_failure_error", failure.job_failure_data.error is not None)


@scenario
def resource_init_failure_event_error(obs):
    @dg.resource
    def bad(_):
        raise ValueError("res boom")

    @dg.op(required_resource_keys={"r"})
    def needs(context):
        return 1

    r = _job_of(needs, resource_defs={"r": bad}).execute_in_process(raise_on_error=False)
    e = next(e for e in r.all_events if e.event_type_value == "RESOURCE_INIT_FAILURE")
    obs.record("step_key", e.step_key)
    obs.record("is_resource_init_failure", e.is_resource_init_failure)
    obs.record("is_failure", e.is_failure)


@scenario
def op_config_of_the_wrong_type(obs):
    @dg.op(config_schema={"n": int})
    def needs_n(context):
        return context.op_config["n"]

    j = _job_of(needs_n)
    obs.raises(
        lambda: j.execute_in_process(run_config={"ops": {"needs_n": {"config": {"n": "x"}}}}),
        "needs_n",
    )


@scenario
def missing_required_op_config(obs):
    @dg.op(config_schema={"n": int})
    def needs_n(context):
        return context.op_config["n"]

    obs.raises(lambda: _job_of(needs_n).execute_in_process(), "needs_n")


@scenario
def config_for_an_unknown_op(obs):
    @dg.op
    def one():
        return 1

    obs.raises(
        lambda: _job_of(one).execute_in_process(run_config={"ops": {"nope": {"config": {}}}}),
        "nope",
    )


@scenario
def unknown_top_level_config_key(obs):
    @dg.op
    def one():
        return 1

    obs.raises(lambda: _job_of(one).execute_in_process(run_config={"bogus": {}}), "bogus")


@scenario
def config_error_is_raised_even_without_raise_on_error(obs):
    @dg.op(config_schema={"n": int})
    def needs_n(context):
        return context.op_config["n"]

    obs.raises(lambda: _job_of(needs_n).execute_in_process(raise_on_error=False), "needs_n")


@scenario
def missing_resource_is_a_definition_error(obs):
    @dg.op(required_resource_keys={"db"})
    def needs_db(context):
        return 1

    def build():
        @dg.job
        def j():
            needs_db()

        return j.execute_in_process()

    obs.raises(build, "db")


@scenario
def output_with_a_wrong_name(obs):
    @dg.op
    def wrong():
        return dg.Output(1, "other")

    r = _job_of(wrong).execute_in_process(raise_on_error=False)
    obs.record("success", r.success)
    obs.raises(lambda: _job_of(wrong).execute_in_process(), "other")


@scenario
def required_output_not_yielded(obs):
    @dg.op(out={"a": dg.Out(), "b": dg.Out()})
    def only_a():
        yield dg.Output(1, "a")

    r = _job_of(only_a).execute_in_process(raise_on_error=False)
    obs.record("success", r.success)
    obs.raises(lambda: _job_of(only_a).execute_in_process(), "b")


@scenario
def output_yielded_twice(obs):
    @dg.op
    def twice():
        yield dg.Output(1)
        yield dg.Output(2)

    obs.raises(lambda: _job_of(twice).execute_in_process(), "result")


@scenario
def wrong_number_of_returned_outputs(obs):
    @dg.op(out={"a": dg.Out(), "b": dg.Out()})
    def three():
        return 1, 2, 3

    r = _job_of(three).execute_in_process(raise_on_error=False)
    obs.record("success", r.success)


@scenario
def context_partition_key_without_a_partition(obs):
    @dg.op
    def wants(context):
        return context.partition_key

    r = _job_of(wants).execute_in_process(raise_on_error=False)
    obs.record("success", r.success)
    obs.raises(lambda: _job_of(wants).execute_in_process(), "partition")


@scenario
def unknown_resource_attribute(obs):
    @dg.op(required_resource_keys={"a"})
    def reads(context):
        return context.resources.b

    j = _job_of(reads, resource_defs={"a": dg.ResourceDefinition.hardcoded_resource(1)})
    r = j.execute_in_process(raise_on_error=False)
    obs.record("success", r.success)


@scenario
def retry_requested_beyond_max_fails(obs):
    @dg.op
    def asks():
        raise dg.RetryRequested(max_retries=1)

    r = _job_of(asks).execute_in_process(raise_on_error=False)
    obs.record("success", r.success)
    obs.events(r)


@scenario
def run_succeeds_with_run_id_and_tags(obs):
    @dg.op
    def one():
        return 1

    run_id = "0c1ea5b2-8f3a-4d7e-9b1a-2f6c3d4e5f60"
    r = _job_of(one).execute_in_process(run_id=run_id, tags={"team": "data"})
    obs.record("run_id", r.run_id == run_id)
    obs.record("tag", r.dagster_run.tags.get("team"))
    obs.record("job", r.dagster_run.job_name)


@scenario
def op_selection_runs_only_selected(obs):
    @dg.op
    def a():
        return 1

    @dg.op
    def b():
        return 2

    @dg.job
    def j():
        a()
        b()

    r = j.execute_in_process(op_selection=["b"])
    obs.events(r)


@scenario
def input_values_feed_job_inputs(obs):
    @dg.op
    def double(x):
        return x * 2

    @dg.job
    def j(x):
        double(x)

    obs.record("out", j.execute_in_process(input_values={"x": 4}).output_for_node("double"))


@scenario
def materialize_raises_the_asset_error(obs):
    @dg.asset
    def broken():
        raise ValueError("bad data")

    obs.raises(lambda: dg.materialize_to_memory([broken]), "bad data")


@scenario
def materialize_job_name(obs):
    @dg.asset
    def a():
        return 1

    r = dg.materialize_to_memory([a])
    obs.record("job", r.dagster_run.job_name)
    obs.record("job_def", r.job_def.name)


@scenario
def blocking_check_failure_raises(obs):
    @dg.asset(check_specs=[dg.AssetCheckSpec("pos", asset="scored", blocking=True)])
    def scored():
        yield dg.Output(-5)
        yield dg.AssetCheckResult(passed=False)

    obs.raises(
        lambda: dg.materialize_to_memory([scored]),
        "1 blocking asset check failed with ERROR severity",
        "scored: pos",
    )


@scenario
def warn_check_failure_does_not_fail(obs):
    @dg.asset(check_specs=[dg.AssetCheckSpec("pos", asset="a", blocking=True)])
    def a():
        yield dg.Output(-5)
        yield dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN)

    r = dg.materialize_to_memory([a])
    obs.record("success", r.success)


@scenario
def non_blocking_check_failure_does_not_fail(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a)
    def a_big(a):
        return dg.AssetCheckResult(passed=False)

    r = dg.materialize_to_memory([a, a_big])
    obs.record("success", r.success)
    obs.check_evaluations(r)


@scenario
def interrupted_error_class_exists(obs):
    obs.record("base", issubclass(dg.DagsterExecutionInterruptedError, BaseException))
    obs.record("dagster_error", issubclass(dg.DagsterExecutionInterruptedError, dg.DagsterError))


@scenario
def error_hierarchy(obs):
    obs.record(
        "user_code",
        [
            issubclass(dg.DagsterExecutionStepExecutionError, dg.DagsterUserCodeExecutionError),
            issubclass(dg.DagsterResourceFunctionError, dg.DagsterUserCodeExecutionError),
            issubclass(dg.DagsterUserCodeExecutionError, dg.DagsterError),
            issubclass(dg.DagsterInvalidConfigError, dg.DagsterError),
            issubclass(dg.DagsterInvariantViolationError, dg.DagsterError),
            issubclass(dg.DagsterInvalidDefinitionError, dg.DagsterError),
        ],
    )
    obs.record("failure_is_exception", issubclass(dg.Failure, Exception))
    obs.record("retry_is_exception", issubclass(dg.RetryRequested, Exception))


@scenario
def op_selection_of_an_unknown_op(obs):
    @dg.op
    def a():
        return 1

    obs.raises(lambda: _job_of(a).execute_in_process(op_selection=["nope"]), "nope")


@scenario
def unknown_input_value(obs):
    @dg.op
    def double(x):
        return x * 2

    @dg.job
    def j(x):
        double(x)

    obs.raises(lambda: j.execute_in_process(input_values={"y": 1}), "y")


@scenario
def resource_config_of_the_wrong_type(obs):
    @dg.resource(config_schema={"url": str})
    def db(init_context):
        return init_context.resource_config["url"]

    @dg.op(required_resource_keys={"db"})
    def uses(context):
        return context.resources.db

    j = _job_of(uses, resource_defs={"db": db})
    obs.raises(
        lambda: j.execute_in_process(run_config={"resources": {"db": {"config": {"url": 3}}}}),
        "url",
    )


@scenario
def same_run_id_twice(obs):
    @dg.op
    def one():
        return 1

    j = _job_of(one)
    with dg.instance_for_test() as inst:
        run_id = "3f2b1c0d-1111-4222-8333-944455566677"
        j.execute_in_process(instance=inst, run_id=run_id)
        obs.raises(lambda: j.execute_in_process(instance=inst, run_id=run_id), run_id)


@scenario
def op_raising_keyboard_interrupt_propagates(obs):
    @dg.op
    def stop():
        raise KeyboardInterrupt()

    try:
        _job_of(stop).execute_in_process()
    except BaseException as exc:
        obs.record("raised", type(exc).__name__)


@scenario
def io_manager_failure_class(obs):
    class Failing(dg.IOManager):
        def handle_output(self, context, obj):
            raise OSError("disk full")

        def load_input(self, context):
            return None

    @dg.op
    def one():
        return 1

    @dg.job(resource_defs={"io_manager": dg.IOManagerDefinition.hardcoded_io_manager(Failing())})
    def j():
        one()

    r = j.execute_in_process(raise_on_error=False)
    obs.record("success", r.success)
    obs.raises(j.execute_in_process, "disk full")
