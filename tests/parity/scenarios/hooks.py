"""Hooks: success and failure hooks on jobs and on single invocations, and their context."""

from _harness import dg, scenario


def _hook_events(result):
    # Several hooks on one step run in an order the reference does not fix (a set):
    # compare them as a sorted list per step.
    rows = [
        [e.event_type_value, e.step_key]
        for e in result.all_events
        if e.event_type_value.startswith("HOOK_")
    ]
    return sorted(rows)


def _two_step_job(hooks, resource_defs=None):
    @dg.op
    def make():
        return 1

    @dg.op
    def boom(x):
        raise ValueError("boom")

    @dg.job(hooks=hooks, resource_defs=resource_defs or {})
    def j():
        boom(make())

    return j


@scenario
def success_hook_runs_after_a_successful_step(obs):
    calls = []

    @dg.success_hook
    def ok(context):
        calls.append(context.op.name)

    @dg.op
    def a():
        return 1

    @dg.job(hooks={ok})
    def j():
        a()

    result = j.execute_in_process()
    obs.record("calls", calls)
    obs.events(result, skip=("ENGINE_EVENT", "LOGS_CAPTURED", "HANDLED_OUTPUT"))


@scenario
def success_and_failure_hooks_on_a_job(obs):
    calls = []

    @dg.success_hook
    def ok(context):
        calls.append(["ok", context.op.name])

    @dg.failure_hook
    def bad(context):
        calls.append(["bad", context.op.name])

    result = _two_step_job({ok, bad}).execute_in_process(raise_on_error=False)
    obs.record("success", result.success)
    obs.record("calls", sorted(calls))
    obs.record("hook_events", _hook_events(result))


@scenario
def hook_event_messages(obs):
    @dg.success_hook
    def ok(context):
        pass

    @dg.failure_hook
    def bad(context):
        pass

    result = _two_step_job({ok, bad}).execute_in_process(raise_on_error=False)
    obs.record(
        "messages",
        sorted(e.message for e in result.all_events if e.event_type_value.startswith("HOOK_")),
    )


@scenario
def failure_hook_sees_the_op_exception(obs):
    seen = {}

    @dg.failure_hook
    def bad(context):
        seen["class"] = type(context.op_exception).__name__
        seen["message"] = str(context.op_exception)
        seen["step_key"] = context.step_key

    _two_step_job({bad}).execute_in_process(raise_on_error=False)
    obs.record("seen", seen)


@scenario
def success_hook_sees_output_values(obs):
    seen = {}

    @dg.success_hook
    def ok(context):
        seen[context.op.name] = context.op_output_values
        seen["exception"] = context.op_exception

    @dg.op
    def a():
        return 41

    @dg.job(hooks={ok})
    def j():
        a()

    j.execute_in_process()
    obs.record("seen", seen)


@scenario
def hook_name_and_context_fields(obs):
    seen = {}

    @dg.success_hook(name="renamed")
    def ok(context):
        seen["hook_name"] = context.hook_def.name
        seen["job_name"] = context.job_name
        seen["run_id_is_str"] = isinstance(context.run_id, str)
        seen["required"] = sorted(context.required_resource_keys)

    @dg.op
    def a():
        return 1

    @dg.job(hooks={ok})
    def j():
        a()

    j.execute_in_process()
    obs.record("seen", seen)
    obs.record("name", ok.name)


@scenario
def hook_with_required_resource(obs):
    seen = []

    @dg.failure_hook(required_resource_keys={"pager"})
    def page(context):
        seen.append(context.resources.pager)

    job = _two_step_job({page}, {"pager": dg.ResourceDefinition.hardcoded_resource("p1")})
    result = job.execute_in_process(raise_on_error=False)
    obs.record("seen", seen)
    obs.record("hook_events", _hook_events(result))


@scenario
def hook_that_raises_does_not_fail_the_run(obs):
    @dg.success_hook
    def broken(context):
        raise RuntimeError("hook broke")

    @dg.op
    def a():
        return 1

    @dg.job(hooks={broken})
    def j():
        a()

    result = j.execute_in_process()
    obs.record("success", result.success)
    obs.record("hook_events", _hook_events(result))


@scenario
def op_with_hooks_only_that_invocation(obs):
    calls = []

    @dg.success_hook
    def ok(context):
        calls.append(context.op.name)

    @dg.op
    def a():
        return 1

    @dg.job
    def j():
        a.with_hooks({ok})()
        a.alias("plain")()

    result = j.execute_in_process()
    obs.record("calls", calls)
    obs.record("hook_events", _hook_events(result))


@scenario
def aliased_invocation_with_hooks(obs):
    calls = []

    @dg.success_hook
    def ok(context):
        calls.append(context.op.name)

    @dg.op
    def a():
        return 1

    @dg.job
    def j():
        a.alias("first").with_hooks({ok})()

    j.execute_in_process()
    obs.record("calls", calls)


@scenario
def hook_decorating_a_job(obs):
    calls = []

    @dg.success_hook
    def ok(context):
        calls.append(context.op.name)

    @dg.op
    def a():
        return 1

    @ok
    @dg.job
    def j():
        a()

    obs.kind("kind", j)
    j.execute_in_process()
    obs.record("calls", calls)


@scenario
def job_with_hooks_returns_a_new_job(obs):
    calls = []

    @dg.success_hook
    def ok(context):
        calls.append(context.op.name)

    @dg.op
    def a():
        return 1

    @dg.job
    def j():
        a()

    hooked = j.with_hooks({ok})
    j.execute_in_process()
    obs.record("calls_plain", list(calls))
    hooked.execute_in_process()
    obs.record("calls_hooked", calls)
    obs.record("same_name", hooked.name == j.name)


@scenario
def graph_to_job_with_hooks(obs):
    calls = []

    @dg.success_hook
    def ok(context):
        calls.append(context.op.name)

    @dg.op
    def a():
        return 1

    @dg.graph
    def g():
        a()

    g.to_job(hooks={ok}).execute_in_process()
    obs.record("calls", calls)


@scenario
def hooks_on_nested_graph_ops(obs):
    calls = []

    @dg.success_hook
    def ok(context):
        calls.append(context.step_key)

    @dg.op
    def a():
        return 1

    @dg.graph
    def inner():
        a()

    @dg.job(hooks={ok})
    def j():
        inner()

    j.execute_in_process()
    obs.record("calls", calls)


@scenario
def failure_hook_not_called_on_skipped_step(obs):
    calls = []

    @dg.failure_hook
    def bad(context):
        calls.append(context.op.name)

    @dg.op
    def boom():
        raise ValueError("x")

    @dg.op
    def after(x):
        return x

    @dg.job(hooks={bad})
    def j():
        after(boom())

    result = j.execute_in_process(raise_on_error=False)
    obs.record("calls", calls)
    obs.record("hook_events", _hook_events(result))


@scenario
def hook_definition_fields(obs):
    @dg.success_hook(required_resource_keys={"r"})
    def ok(context):
        pass

    obs.kind("kind", ok)
    obs.record("name", ok.name)
    obs.record("required", sorted(ok.required_resource_keys))
    obs.record("decorated_fn_is_callable", callable(ok.decorated_fn))


@scenario
def failure_hook_with_a_name(obs):
    @dg.failure_hook(name="alert")
    def bad(context):
        pass

    obs.record("name", bad.name)


@scenario
def invoke_hook_directly_with_build_hook_context(obs):
    seen = []

    @dg.success_hook(required_resource_keys={"r"})
    def ok(context):
        seen.append(context.resources.r)
        return "returned"

    result = ok(dg.build_hook_context(resources={"r": 3}))
    obs.record("seen", seen)
    obs.record("result", result)


@scenario
def build_hook_context_with_op_and_exception(obs):
    seen = {}

    @dg.failure_hook
    def bad(context):
        seen["op"] = context.op.name
        seen["exception"] = str(context.op_exception)

    @dg.op
    def a():
        return 1

    bad(dg.build_hook_context(op=a, op_exception=ValueError("v")))
    obs.record("seen", seen)


@scenario
def build_hook_context_without_op_raises_on_op(obs):
    @dg.success_hook
    def ok(context):
        return context.op.name

    obs.raises(lambda: ok(dg.build_hook_context()), "op")


@scenario
def hook_invoked_with_wrong_argument_count(obs):
    @dg.success_hook
    def ok(context):
        return 1

    obs.raises(lambda: ok(dg.build_hook_context(), 2))


@scenario
def hook_definition_without_decorator_cannot_be_invoked(obs):
    hook = dg.HookDefinition(name="raw", hook_fn=lambda context, events: None)
    obs.record("name", hook.name)
    obs.raises(lambda: hook(dg.build_hook_context()))


@scenario
def event_list_hook_definition_runs_in_a_job(obs):
    seen = []

    def fn(context, event_list):
        seen.append(sorted({e.event_type_value for e in event_list} & {"STEP_SUCCESS"}))
        return dg.HookExecutionResult(hook_name="raw", is_skipped=False)

    hook = dg.HookDefinition(name="raw", hook_fn=fn)

    @dg.op
    def a():
        return 1

    @dg.job(hooks={hook})
    def j():
        a()

    result = j.execute_in_process()
    obs.record("seen", seen)
    obs.record("hook_events", _hook_events(result))


@scenario
def hook_execution_result_fields(obs):
    result = dg.HookExecutionResult(hook_name="h")
    obs.record("fields", [result.hook_name, result.is_skipped])
    obs.record("skipped", dg.HookExecutionResult("h", True).is_skipped)


@scenario
def job_hook_missing_resource_is_a_definition_error(obs):
    @dg.success_hook(required_resource_keys={"absent"})
    def ok(context):
        pass

    @dg.op
    def a():
        return 1

    def build():
        @dg.job(hooks={ok}, resource_defs={"other": dg.ResourceDefinition.hardcoded_resource(1)})
        def j():
            a()

        return j.execute_in_process()

    obs.raises(build, "absent")


@scenario
def define_asset_job_with_hooks(obs):
    calls = []

    @dg.success_hook
    def ok(context):
        calls.append(context.op.name)

    @dg.asset
    def first():
        return 1

    @dg.asset
    def second(first):
        return first + 1

    defs = dg.Definitions(
        assets=[first, second], jobs=[dg.define_asset_job("all_assets", hooks={ok})]
    )
    result = defs.get_job_def("all_assets").execute_in_process()
    obs.record("success", result.success)
    obs.record("calls", sorted(calls))
    obs.record("hook_events", _hook_events(result))


@scenario
def job_run_tags_are_put_on_runs(obs):
    @dg.op
    def a():
        return 1

    @dg.job(tags={"team": "data"}, run_tags={"kind": "nightly"})
    def j():
        a()

    result = j.execute_in_process()
    obs.record("job_tags", j.tags)
    tags = result.dagster_run.tags
    obs.record("run_tags", {k: v for k, v in tags.items() if not k.startswith("dagster")})


@scenario
def job_input_values_feed_top_level_inputs(obs):
    @dg.op
    def double(x):
        return x * 2

    @dg.job(input_values={"x": 4})
    def j(x):
        double(x)

    obs.record("output", j.execute_in_process().output_for_node("double"))


@scenario
def hooks_run_once_after_retries(obs):
    calls = []
    attempts = []

    @dg.success_hook
    def ok(context):
        calls.append(context.op.name)

    @dg.failure_hook
    def bad(context):
        calls.append("bad")

    @dg.op(retry_policy=dg.RetryPolicy(max_retries=2))
    def flaky():
        attempts.append(1)
        if len(attempts) < 2:
            raise ValueError("not yet")
        return 1

    @dg.job(hooks={ok, bad})
    def j():
        flaky()

    result = j.execute_in_process()
    obs.record("calls", calls)
    obs.record("hook_events", _hook_events(result))


@scenario
def failure_hook_after_retries_are_exhausted(obs):
    calls = []

    @dg.failure_hook
    def bad(context):
        calls.append(str(context.op_exception))

    @dg.op(retry_policy=dg.RetryPolicy(max_retries=1))
    def always():
        raise ValueError("never")

    @dg.job(hooks={bad})
    def j():
        always()

    j.execute_in_process(raise_on_error=False)
    obs.record("calls", calls)


@scenario
def failure_hook_on_intentional_failure(obs):
    seen = []

    @dg.failure_hook
    def bad(context):
        seen.append([type(context.op_exception).__name__, context.op_exception.description])

    @dg.op
    def stop():
        raise dg.Failure(description="stopped on purpose")

    @dg.job(hooks={bad})
    def j():
        stop()

    j.execute_in_process(raise_on_error=False)
    obs.record("seen", seen)


@scenario
def multiple_hooks_of_one_kind_all_run(obs):
    calls = []

    def make(name):
        @dg.success_hook(name=name)
        def hook(context):
            calls.append(name)

        return hook

    @dg.op
    def a():
        return 1

    @dg.job(hooks={make("h1"), make("h2"), make("h3")})
    def j():
        a()

    result = j.execute_in_process()
    obs.record("calls", sorted(calls))
    obs.record("hook_events", _hook_events(result))


@scenario
def hook_sees_op_config(obs):
    seen = []

    @dg.success_hook
    def ok(context):
        seen.append(context.op_config)

    @dg.op(config_schema={"n": int})
    def a(context):
        return context.op_config["n"]

    @dg.job(hooks={ok})
    def j():
        a()

    j.execute_in_process(run_config={"ops": {"a": {"config": {"n": 3}}}})
    obs.record("seen", seen)


@scenario
def success_hook_sees_output_metadata(obs):
    seen = {}

    @dg.success_hook
    def ok(context):
        seen[context.op.name] = {
            out: {k: [type(v).__name__, getattr(v, "value", None)] for k, v in md.items()}
            for out, md in context.op_output_metadata.items()
        }

    @dg.op
    def a(context):
        context.add_output_metadata({"n": 1})
        return 1

    @dg.op(out={"x": dg.Out(), "y": dg.Out()})
    def b():
        yield dg.Output(1, "x", metadata={"m": "v"})
        yield dg.Output(2, "y")

    @dg.job(hooks={ok})
    def j():
        a()
        b()

    j.execute_in_process()
    obs.record("seen", seen)


@scenario
def asset_hooks_run_after_its_step(obs):
    calls = []

    @dg.success_hook
    def ok(context):
        calls.append(context.op.name)

    @dg.asset(hooks={ok})
    def hooked():
        return 1

    @dg.asset
    def plain(hooked):
        return hooked + 1

    result = dg.materialize([hooked, plain])
    obs.record("calls", calls)
    obs.record("hook_events", _hook_events(result))


@scenario
def multi_asset_hooks(obs):
    calls = []

    @dg.failure_hook
    def bad(context):
        calls.append(context.op.name)

    @dg.multi_asset(outs={"x": dg.AssetOut(), "y": dg.AssetOut()}, hooks={bad})
    def both():
        raise ValueError("no")

    result = dg.materialize([both], raise_on_error=False)
    obs.record("calls", calls)
    obs.record("hook_events", _hook_events(result))
