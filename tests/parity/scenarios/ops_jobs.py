"""Ops and jobs in daily code: signatures, inputs and outputs, graphs, direct calls."""

from _harness import dg, scenario


@scenario
def body_taking_kwargs_receives_declared_inputs(obs):
    @dg.op
    def a():
        return 1

    @dg.op
    def b():
        return 2

    @dg.op(ins={"x": dg.In(), "y": dg.In()})
    def body(context, **inputs):
        return sorted(inputs.items())

    @dg.job
    def j():
        body(x=a(), y=b())

    r = j.execute_in_process()
    obs.record("out", r.output_for_node("body"))
    obs.record("ins", sorted(body.ins))


@scenario
def body_taking_only_kwargs(obs):
    @dg.op
    def a():
        return 3

    @dg.op(ins={"x": dg.In(int)})
    def double(**kw):
        return kw["x"] * 2

    @dg.job
    def j():
        double(a())

    obs.record("out", j.execute_in_process().output_for_node("double"))


@scenario
def kwargs_op_without_ins_has_no_inputs(obs):
    @dg.op
    def free(**kwargs):
        return len(kwargs)

    @dg.job
    def j():
        free()

    obs.record("ins", list(free.ins))
    obs.record("out", j.execute_in_process().output_for_node("free"))


@scenario
def kwargs_op_called_directly(obs):
    @dg.op(ins={"x": dg.In(), "y": dg.In()})
    def body(context, **inputs):
        return sorted(inputs.items())

    obs.record("out", body(None, x=1, y=2))


@scenario
def op_ins_and_outs(obs):
    @dg.op(ins={"x": dg.In(int, description="the x")}, out={"a": dg.Out(), "b": dg.Out()})
    def two(x):
        return x, x

    obs.record("ins", sorted(two.ins))
    obs.record("outs", sorted(two.outs))
    obs.record("description", two.ins["x"].description)


@scenario
def default_output_is_result(obs):
    @dg.op
    def one():
        return 1

    obs.record("outs", list(one.outs))
    obs.record("name", one.name)


@scenario
def op_name_override(obs):
    @dg.op(name="renamed")
    def original():
        return 1

    @dg.job
    def j():
        original()

    r = j.execute_in_process()
    obs.record("name", original.name)
    obs.record("out", r.output_for_node("renamed"))
    obs.events(r)


@scenario
def op_used_twice_gets_suffixed_keys(obs):
    @dg.op
    def inc(x):
        return x + 1

    @dg.op
    def zero():
        return 0

    @dg.job
    def j():
        inc(inc(zero()))

    r = j.execute_in_process()
    obs.record("steps", [e.step_key for e in r.get_step_success_events()])
    obs.record("out", r.output_for_node("inc_2"))


@scenario
def op_alias(obs):
    @dg.op
    def inc(x):
        return x + 1

    @dg.op
    def zero():
        return 0

    @dg.job
    def j():
        inc.alias("first")(zero())

    r = j.execute_in_process()
    obs.record("out", r.output_for_node("first"))


@scenario
def input_default_value_is_used(obs):
    @dg.op
    def with_default(x: int = 5):
        return x

    @dg.job
    def j():
        with_default()

    r = j.execute_in_process()
    obs.record("out", r.output_for_node("with_default"))
    obs.events(r)


@scenario
def op_config_reaches_the_op(obs):
    @dg.op(config_schema={"n": int})
    def cfg(context):
        return context.op_config["n"]

    @dg.job
    def j():
        cfg()

    r = j.execute_in_process(run_config={"ops": {"cfg": {"config": {"n": 2}}}})
    obs.record("out", r.output_for_node("cfg"))


@scenario
def pythonic_config_reaches_the_op(obs):
    class Settings(dg.Config):
        n: int = 4

    @dg.op
    def cfg(config: Settings):
        return config.n

    @dg.job
    def j():
        cfg()

    obs.record("default", j.execute_in_process().output_for_node("cfg"))
    r = j.execute_in_process(run_config={"ops": {"cfg": {"config": {"n": 9}}}})
    obs.record("given", r.output_for_node("cfg"))


@scenario
def nested_graph_config_path(obs):
    @dg.op(config_schema={"n": int})
    def cfg(context):
        return context.op_config["n"]

    @dg.graph
    def g():
        return cfg()

    @dg.job
    def j():
        g()

    r = j.execute_in_process(run_config={"ops": {"g": {"ops": {"cfg": {"config": {"n": 3}}}}}})
    obs.record("out", r.output_for_node("g.cfg"))


@scenario
def graph_to_job_with_resources(obs):
    @dg.op(required_resource_keys={"r"})
    def uses(context):
        return context.resources.r

    @dg.graph
    def g():
        uses()

    j = g.to_job(
        name="from_graph", resource_defs={"r": dg.ResourceDefinition.hardcoded_resource(7)}
    )
    r = j.execute_in_process()
    obs.record("name", j.name)
    obs.record("out", r.output_for_node("uses"))


@scenario
def job_tags_reach_the_run(obs):
    @dg.op
    def one():
        return 1

    @dg.job(tags={"owner": "data"})
    def j():
        one()

    r = j.execute_in_process(tags={"extra": "1"})
    obs.record("owner", r.dagster_run.tags.get("owner"))
    obs.record("extra", r.dagster_run.tags.get("extra"))


@scenario
def fan_in_list_input(obs):
    @dg.op
    def a():
        return 1

    @dg.op
    def b():
        return 2

    @dg.op
    def total(xs):
        return sum(xs)

    @dg.job
    def j():
        total([a(), b()])

    r = j.execute_in_process()
    obs.record("out", r.output_for_node("total"))


@scenario
def multiple_outputs_wire_separately(obs):
    @dg.op(out={"a": dg.Out(), "b": dg.Out()})
    def split():
        return 1, 2

    @dg.op
    def add(x, y):
        return x + y

    @dg.job
    def j():
        a, b = split()
        add(a, b)

    obs.record("out", j.execute_in_process().output_for_node("add"))


@scenario
def direct_invocation_without_context(obs):
    @dg.op
    def add(x, y):
        return x + y

    obs.record("out", add(1, 2))


@scenario
def direct_invocation_with_context(obs):
    @dg.op(config_schema={"n": int})
    def cfg(context):
        return context.op_config["n"]

    obs.record("out", cfg(dg.build_op_context(op_config={"n": 4})))


@scenario
def retry_policy_on_the_job(obs):
    calls = []

    @dg.op
    def flaky():
        calls.append(1)
        if len(calls) < 2:
            raise ValueError("x")
        return len(calls)

    @dg.job(op_retry_policy=dg.RetryPolicy(max_retries=1))
    def j():
        flaky()

    r = j.execute_in_process()
    obs.record("out", r.output_for_node("flaky"))
    obs.record("success", r.success)


@scenario
def nothing_input_orders_ops(obs):
    order = []

    @dg.op
    def first():
        order.append("first")

    @dg.op(ins={"after": dg.In(dg.Nothing)})
    def second():
        order.append("second")

    @dg.job
    def j():
        second(first())

    j.execute_in_process()
    obs.record("order", order)


@scenario
def job_with_op_retry_and_failure_output(obs):
    @dg.op
    def boom():
        raise dg.Failure("nope")

    @dg.job
    def j():
        boom()

    r = j.execute_in_process(raise_on_error=False)
    obs.record("success", r.success)
    obs.record(
        "description",
        r.get_step_failure_events()[0].step_failure_data.user_failure_data.description,
    )
