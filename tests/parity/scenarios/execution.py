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


def _jobs_module(obs):
    """A module of jobs in the scenario's folder, importable by name (execute_job loads
    jobs again from their module)."""
    import importlib
    import sys
    import textwrap
    from pathlib import Path

    name = f"execution_jobs_{Path(obs.tmp).name.replace('-', '_')}"
    body = f"""
    import {dg.__name__} as dg


    @dg.op
    def one():
        return 1


    @dg.op
    def plus(x):
        return x + 1


    @dg.job
    def chain():
        plus(one())


    def make_job(n, label="made"):
        @dg.op
        def give():
            return n

        @dg.job(name=f"{{label}}_{{n}}")
        def made():
            give()

        return made
    """
    (Path(obs.tmp) / f"{name}.py").write_text(textwrap.dedent(body))
    if obs.tmp not in sys.path:
        sys.path.insert(0, obs.tmp)
    importlib.invalidate_caches()
    return importlib.import_module(name)


_IN_PROCESS = {"execution": {"config": {"in_process": {}}}}


@scenario
def execute_job_returns_a_job_execution_result(obs):
    module = _jobs_module(obs)
    instance = dg.DagsterInstance.ephemeral()
    with dg.execute_job(dg.reconstructable(module.chain), instance, _IN_PROCESS) as result:
        obs.kind("kind", result)
        obs.record("is_job_execution_result", isinstance(result, dg.JobExecutionResult))
        obs.record("success", result.success)
        obs.record("output", result.output_for_node("plus"))
        obs.record("job", result.job_def.name)
        obs.record("status", result.dagster_run.status.value)


@scenario
def build_reconstructable_job_calls_the_factory_with_arguments(obs):
    module = _jobs_module(obs)
    pointer = dg.build_reconstructable_job(
        module.__name__,
        "make_job",
        reconstructable_args=(3,),
        reconstructable_kwargs={"label": "x"},
    )
    obs.record("name", pointer.get_definition().name)
    instance = dg.DagsterInstance.ephemeral()
    with dg.execute_job(pointer, instance, _IN_PROCESS) as result:
        obs.record("success", result.success)
        obs.record("output", result.output_for_node("give"))


@scenario
def build_reconstructable_job_missing_function(obs):
    module = _jobs_module(obs)
    obs.raises(
        lambda: dg.build_reconstructable_job(module.__name__, "no_such_factory"),
        "no_such_factory",
    )


@scenario
def step_execution_context_of_an_op(obs):
    seen = {}

    @dg.op(config_schema={"n": int})
    def look(context):
        step = context.get_step_execution_context()
        seen["kind"] = type(step).__name__
        seen["isa"] = isinstance(step, dg.StepExecutionContext)
        seen["key"] = step.step.key
        seen["same_run"] = step.run_id == context.run_id
        seen["job"] = step.job_name
        seen["config"] = step.op_config
        seen["has_partition_key"] = step.has_partition_key

    @dg.job
    def j():
        look()

    j.execute_in_process(run_config={"ops": {"look": {"config": {"n": 2}}}})
    obs.record("seen", seen)


@scenario
def step_execution_context_of_a_partitioned_run(obs):
    seen = {}

    @dg.op
    def look(context):
        step = context.get_step_execution_context()
        seen["partition_key"] = step.partition_key
        seen["has_range"] = step.has_partition_key_range
        seen["range"] = [step.partition_key_range.start, step.partition_key_range.end]

    @dg.job(partitions_def=dg.StaticPartitionsDefinition(["a", "b"]))
    def j():
        look()

    j.execute_in_process(partition_key="b")
    obs.record("seen", seen)


@scenario
def op_partition_key_range_in_runs(obs):
    seen = []

    @dg.op
    def look(context):
        rng = context.partition_key_range if context.has_partition_key_range else None
        seen.append(
            [
                context.has_partition_key,
                context.has_partition_key_range,
                [rng.start, rng.end] if rng else None,
            ]
        )

    @dg.job(partitions_def=dg.StaticPartitionsDefinition(["a", "b", "c"]))
    def j():
        look()

    j.execute_in_process(partition_key="a")
    j.execute_in_process(
        tags={
            "dagster/asset_partition_range_start": "a",
            "dagster/asset_partition_range_end": "b",
        }
    )
    obs.record("seen", seen)


@scenario
def build_op_context_with_a_partition_key_range(obs):
    seen = {}

    @dg.op
    def look(context):
        seen["has_range"] = context.has_partition_key_range
        rng = context.partition_key_range
        seen["range"] = [rng.start, rng.end]
        seen["has_key"] = context.has_partition_key

    look(dg.build_op_context(partition_key_range=dg.PartitionKeyRange("a", "c")))
    obs.record("seen", seen)

    @dg.op
    def single(context):
        seen["single"] = [context.has_partition_key_range, context.partition_key_range.start]

    single(dg.build_op_context(partition_key="x"))
    obs.record("single", seen["single"])


@scenario
def build_op_context_key_and_range_together(obs):
    obs.raises(
        lambda: dg.build_op_context(
            partition_key="a", partition_key_range=dg.PartitionKeyRange("a", "b")
        )
    )


def _async_resource(log):
    import contextlib

    class Pool(dg.ConfigurableResource):
        name: str = "pool"

        @contextlib.asynccontextmanager
        async def yield_for_execution(self, context):
            log.append(["enter", context.event_loop is not None])
            yield self.name + "!"
            log.append(["exit"])

    return Pool


@scenario
def build_op_context_event_loop_runs_async_resources(obs):
    import asyncio

    log = []
    pool = _async_resource(log)

    @dg.op
    def use(context, r: dg.ResourceParam[str]):
        return r

    loop = asyncio.new_event_loop()
    with dg.build_op_context(resources={"r": pool(name="p")}, event_loop=loop) as context:
        obs.record("value", use(context))
        obs.record("during", list(log))
    obs.record("after", list(log))
    loop.close()


@scenario
def async_resource_in_a_run(obs):
    log = []
    pool = _async_resource(log)

    @dg.op
    def use(r: dg.ResourceParam[str]):
        return r

    @dg.job(resource_defs={"r": pool()})
    def j():
        use()

    obs.record("output", j.execute_in_process().output_for_node("use"))
    obs.record("log", log)


@scenario
def async_resource_without_event_loop_outside_a_run(obs):
    pool = _async_resource([])
    obs.raises(lambda: dg.build_op_context(resources={"r": pool()}), "event loop")


@scenario
def build_asset_check_context_gives_a_check_context(obs):
    context = dg.build_asset_check_context(resources={"r": 5}, asset_config={"x": 1})
    obs.kind("kind", context)
    obs.record("is_check_context", isinstance(context, dg.AssetCheckExecutionContext))
    obs.record("is_op_context", isinstance(context, dg.OpExecutionContext))
    obs.record("resource", context.resources.r)
    obs.record("config", context.op_execution_context.op_config)


@scenario
def asset_check_invoked_with_a_check_context(obs):
    @dg.asset_check(asset="orders")
    def non_empty(context: dg.AssetCheckExecutionContext):
        return dg.AssetCheckResult(passed=True, metadata={"context": type(context).__name__})

    result = non_empty(dg.build_asset_check_context())
    obs.record("passed", result.passed)
    obs.metadata("metadata", result.metadata)
