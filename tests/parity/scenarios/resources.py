"""Function resources: @resource, the ready-made definitions, configured, generator resources,
build_resources, build_init_resource_context, and their lifecycles in a run."""

from contextlib import contextmanager

from _harness import dg, scenario


def _job_using(resource_defs, keys, body=None):
    """A one-op job requiring ``keys``; the op returns what ``body(context)`` returns."""

    @dg.op(required_resource_keys=set(keys))
    def o(context):
        if body is not None:
            return body(context)
        return {k: getattr(context.resources, k) for k in sorted(keys)}

    @dg.job(resource_defs=resource_defs)
    def j():
        o()

    return j


def _resource_events(obs, result):
    """The resource lifecycle events of a run, with their step keys (the rest belongs to
    the events area)."""
    obs.record(
        "resource_events",
        [
            [e.event_type_value, e.step_key]
            for e in result.all_events
            if e.event_type_value.startswith("RESOURCE_")
        ],
    )


# --- @resource --------------------------------------------------------------------------


@scenario
def resource_value_reaches_op(obs):
    @dg.resource
    def r(_):
        return "value"

    result = _job_using({"r": r}, {"r"}).execute_in_process()
    obs.record("out", result.output_for_node("o"))


@scenario
def resource_without_context_param(obs):
    @dg.resource
    def r():
        return 3

    obs.record("out", _job_using({"r": r}, {"r"}).execute_in_process().output_for_node("o"))


@scenario
def resource_config_schema(obs):
    @dg.resource(config_schema={"url": str, "port": dg.Field(int, default_value=80)})
    def r(init_context):
        return dict(init_context.resource_config)

    result = _job_using({"r": r}, {"r"}).execute_in_process(
        run_config={"resources": {"r": {"config": {"url": "x"}}}}
    )
    obs.record("out", result.output_for_node("o"))


@scenario
def resource_config_missing(obs):
    @dg.resource(config_schema={"url": str})
    def r(init_context):
        return init_context.resource_config

    obs.raises(lambda: _job_using({"r": r}, {"r"}).execute_in_process(), '"url"')


@scenario
def resource_config_wrong_type(obs):
    @dg.resource(config_schema={"port": int})
    def r(init_context):
        return init_context.resource_config

    obs.raises(
        lambda: _job_using({"r": r}, {"r"}).execute_in_process(
            run_config={"resources": {"r": {"config": {"port": "eighty"}}}}
        ),
        "eighty",
    )


@scenario
def resource_scalar_config(obs):
    @dg.resource(config_schema=str)
    def r(init_context):
        return init_context.resource_config

    result = _job_using({"r": r}, {"r"}).execute_in_process(
        run_config={"resources": {"r": {"config": "plain"}}}
    )
    obs.record("out", result.output_for_node("o"))


@scenario
def resource_without_schema_takes_any_config(obs):
    @dg.resource
    def r(init_context):
        return init_context.resource_config

    result = _job_using({"r": r}, {"r"}).execute_in_process(
        run_config={"resources": {"r": {"config": {"anything": [1]}}}}
    )
    obs.record("out", result.output_for_node("o"))


@scenario
def resource_description_and_required_keys(obs):
    @dg.resource(description="the db", required_resource_keys={"other"})
    def r(_):
        return 1

    obs.record("description", r.description)
    obs.record("required", sorted(r.required_resource_keys))


@scenario
def resource_docstring_description(obs):
    @dg.resource
    def r(_):
        """Doc of r."""
        return 1

    obs.record("description", r.description)


@scenario
def resource_definition_constructor(obs):
    def fn(init_context):
        return init_context.resource_config["n"] * 2

    rd = dg.ResourceDefinition(resource_fn=fn, config_schema={"n": int}, description="d")
    result = _job_using({"r": rd}, {"r"}).execute_in_process(
        run_config={"resources": {"r": {"config": {"n": 4}}}}
    )
    obs.record("out", result.output_for_node("o"))
    obs.record("description", rd.description)


@scenario
def resource_depends_on_resource(obs):
    @dg.resource
    def creds(_):
        return ("user", "pw")

    @dg.resource(required_resource_keys={"creds"})
    def client(init_context):
        return "client:" + init_context.resources.creds[0]

    result = _job_using({"creds": creds, "client": client}, {"client"}).execute_in_process()
    obs.record("out", result.output_for_node("o"))


@scenario
def resource_missing_dependency(obs):
    @dg.resource(required_resource_keys={"creds"})
    def client(init_context):
        return 1

    obs.raises(lambda: _job_using({"client": client}, {"client"}), "creds")


@scenario
def op_requires_missing_resource(obs):
    obs.raises(lambda: _job_using({}, {"absent"}), "absent")


@scenario
def resource_unknown_key_in_op(obs):
    @dg.resource
    def r(_):
        return 1

    def body(context):
        return context.resources.nope

    obs.raises(lambda: _job_using({"r": r}, {"r"}, body).execute_in_process(), "nope")


@scenario
def plain_object_as_resource(obs):
    result = _job_using({"bucket": "my-bucket"}, {"bucket"}).execute_in_process()
    obs.record("out", result.output_for_node("o"))


@scenario
def resource_param_function_resource(obs):
    @dg.resource
    def client(_):
        return {"kind": "client"}

    @dg.op
    def o(client: dg.ResourceParam[dict]):
        return client["kind"]

    @dg.job(resource_defs={"client": client})
    def j():
        o()

    obs.record("out", j.execute_in_process().output_for_node("o"))


# --- ready-made definitions -------------------------------------------------------------


@scenario
def hardcoded_resource(obs):
    rd = dg.ResourceDefinition.hardcoded_resource({"a": 1}, description="fixed")
    obs.record("out", _job_using({"r": rd}, {"r"}).execute_in_process().output_for_node("o"))
    obs.record("description", rd.description)


@scenario
def none_resource(obs):
    rd = dg.ResourceDefinition.none_resource()
    obs.record("out", _job_using({"r": rd}, {"r"}).execute_in_process().output_for_node("o"))


@scenario
def mock_resource(obs):
    rd = dg.ResourceDefinition.mock_resource()

    def body(context):
        m = context.resources.r
        m.anything(1)
        return type(m).__name__

    obs.record("out", _job_using({"r": rd}, {"r"}, body).execute_in_process().output_for_node("o"))


@scenario
def string_resource(obs):
    rd = dg.ResourceDefinition.string_resource()
    result = _job_using({"r": rd}, {"r"}).execute_in_process(
        run_config={"resources": {"r": {"config": "hello"}}}
    )
    obs.record("out", result.output_for_node("o"))


@scenario
def string_resource_requires_config(obs):
    rd = dg.ResourceDefinition.string_resource()
    obs.raises(lambda: _job_using({"r": rd}, {"r"}).execute_in_process())


@scenario
def make_values_resource_defaults(obs):
    rd = dg.make_values_resource(a=int, b=dg.Field(str, default_value="bee"))
    result = _job_using({"values": rd}, {"values"}).execute_in_process(
        run_config={"resources": {"values": {"config": {"a": 1}}}}
    )
    obs.record("out", result.output_for_node("o"))


@scenario
def make_values_resource_any(obs):
    rd = dg.make_values_resource()
    result = _job_using({"values": rd}, {"values"}).execute_in_process(
        run_config={"resources": {"values": {"config": {"x": [1, 2]}}}}
    )
    obs.record("out", result.output_for_node("o"))


# --- configured ---------------------------------------------------------------------------


@scenario
def configured_fixed(obs):
    @dg.resource(config_schema={"conn": str})
    def db(init_context):
        return init_context.resource_config["conn"]

    local = db.configured({"conn": "sqlite://"})
    obs.record("out", _job_using({"db": local}, {"db"}).execute_in_process().output_for_node("o"))


@scenario
def configured_with_function(obs):
    @dg.resource(config_schema={"conn": str})
    def db(init_context):
        return init_context.resource_config["conn"]

    by_host = db.configured(
        lambda cfg: {"conn": f"pg://{cfg['host']}"}, config_schema={"host": str}
    )
    result = _job_using({"db": by_host}, {"db"}).execute_in_process(
        run_config={"resources": {"db": {"config": {"host": "h"}}}}
    )
    obs.record("out", result.output_for_node("o"))


@scenario
def configured_decorator_form(obs):
    @dg.resource(config_schema={"conn": str})
    def db(init_context):
        return init_context.resource_config["conn"]

    @dg.configured(db, config_schema={"name": str})
    def named(config):
        return {"conn": "db/" + config["name"]}

    result = _job_using({"db": named}, {"db"}).execute_in_process(
        run_config={"resources": {"db": {"config": {"name": "n"}}}}
    )
    obs.record("out", result.output_for_node("o"))


@scenario
def configured_result_invalid(obs):
    @dg.resource(config_schema={"port": int})
    def db(init_context):
        return init_context.resource_config["port"]

    bad = db.configured({"port": "not-a-port"})
    obs.raises(lambda: _job_using({"db": bad}, {"db"}).execute_in_process(), "not-a-port")


@scenario
def configured_fixed_rejects_new_config(obs):
    @dg.resource(config_schema={"conn": str})
    def db(init_context):
        return init_context.resource_config["conn"]

    local = db.configured({"conn": "sqlite://"})
    obs.raises(
        lambda: _job_using({"db": local}, {"db"}).execute_in_process(
            run_config={"resources": {"db": {"config": {"conn": "other"}}}}
        )
    )


# --- generator resources and lifecycle ------------------------------------------------


@scenario
def generator_resource_teardown_after_op(obs):
    log = []

    @dg.resource
    def r(_):
        log.append("setup")
        yield "v"
        log.append("teardown")

    def body(context):
        log.append("op:" + context.resources.r)

    _job_using({"r": r}, {"r"}, body).execute_in_process()
    obs.record("log", log)


@scenario
def contextmanager_resource(obs):
    log = []

    @dg.resource
    @contextmanager
    def r(_):
        log.append("enter")
        try:
            yield "cm"
        finally:
            log.append("exit")

    result = _job_using({"r": r}, {"r"}).execute_in_process()
    obs.record("out", result.output_for_node("o"))
    obs.record("log", log)


@scenario
def teardown_order_reverse_of_setup(obs):
    log = []

    def make(name, deps=()):
        @dg.resource(required_resource_keys=set(deps))
        def r(_):
            log.append("up:" + name)
            yield name
            log.append("down:" + name)

        return r

    defs = {"a": make("a"), "b": make("b", ["a"]), "c": make("c", ["b"])}
    _job_using(defs, {"c"}).execute_in_process()
    obs.record("log", log)


@scenario
def only_needed_resources_initialized(obs):
    log = []

    def make(name):
        @dg.resource
        def r(_):
            log.append(name)
            return name

        return r

    _job_using({"used": make("used"), "unused": make("unused")}, {"used"}).execute_in_process()
    obs.record("log", log)


@scenario
def resource_initialized_once_per_run(obs):
    count = []

    @dg.resource
    def r(_):
        count.append(1)
        return len(count)

    @dg.op(required_resource_keys={"r"})
    def a(context):
        return context.resources.r

    @dg.op(required_resource_keys={"r"})
    def b(context, x):
        return [x, context.resources.r]

    @dg.job(resource_defs={"r": r})
    def j():
        b(a())

    result = j.execute_in_process()
    obs.record("out", result.output_for_node("b"))
    obs.record("inits", len(count))


@scenario
def resource_init_failure_error(obs):
    @dg.resource
    def r(_):
        raise ValueError("cannot connect")

    obs.raises(lambda: _job_using({"r": r}, {"r"}).execute_in_process(), "cannot connect")


@scenario
def resource_init_failure_names_resource(obs):
    @dg.resource
    def broken(_):
        raise ValueError("cannot connect")

    obs.raises(lambda: _job_using({"broken": broken}, {"broken"}).execute_in_process(), "broken")


@scenario
def resource_init_failure_result(obs):
    @dg.resource
    def r(_):
        raise ValueError("cannot connect")

    result = _job_using({"r": r}, {"r"}).execute_in_process(raise_on_error=False)
    obs.record("success", result.success)
    _resource_events(obs, result)


@scenario
def resource_init_failure_cause(obs):
    @dg.resource
    def r(_):
        raise ValueError("cannot connect")

    try:
        _job_using({"r": r}, {"r"}).execute_in_process()
    except dg.DagsterResourceFunctionError as exc:
        obs.record("cause", type(exc.__cause__).__name__)
        obs.record("user_exception", type(exc.user_exception).__name__)


@scenario
def resource_init_failure_tears_down_earlier(obs):
    log = []

    @dg.resource
    def a(_):
        log.append("up:a")
        yield "a"
        log.append("down:a")

    @dg.resource(required_resource_keys={"a"})
    def b(_):
        raise ValueError("b fails")

    _job_using({"a": a, "b": b}, {"b"}).execute_in_process(raise_on_error=False)
    obs.record("log", log)


@scenario
def teardown_runs_when_op_fails(obs):
    log = []

    @dg.resource
    def r(_):
        log.append("up")
        yield 1
        log.append("down")

    def body(context):
        raise RuntimeError("op fails")

    result = _job_using({"r": r}, {"r"}, body).execute_in_process(raise_on_error=False)
    obs.record("success", result.success)
    obs.record("log", log)


@scenario
def teardown_failure_does_not_fail_run(obs):
    @dg.resource
    def r(_):
        yield 1
        raise ValueError("teardown broke")

    result = _job_using({"r": r}, {"r"}).execute_in_process(raise_on_error=False)
    obs.record("success", result.success)


@scenario
def resource_events_in_run(obs):
    @dg.resource
    def r(_):
        return 1

    result = _job_using({"r": r}, {"r"}).execute_in_process()
    _resource_events(obs, result)


@scenario
def resource_events_two_steps(obs):
    @dg.resource
    def r(_):
        return 1

    @dg.op(required_resource_keys={"r"})
    def a(context):
        return 1

    @dg.op(required_resource_keys={"r"})
    def b(context, x):
        return x

    @dg.job(resource_defs={"r": r})
    def j():
        b(a())

    _resource_events(obs, j.execute_in_process())


@scenario
def generator_yielding_nothing_fails(obs):
    @dg.resource
    def r(_):
        if False:
            yield 1

    obs.raises(lambda: _job_using({"r": r}, {"r"}).execute_in_process())


@scenario
def init_context_in_run(obs):
    seen = {}

    @dg.resource(config_schema={"x": dg.Field(int, default_value=1)})
    def r(init_context):
        seen["config"] = init_context.resource_config
        seen["has_run_id"] = isinstance(init_context.run_id, str)
        seen["has_instance"] = init_context.instance is not None
        seen["def_is_self"] = init_context.resource_def is r
        seen["has_log"] = init_context.log is not None
        return 1

    _job_using({"r": r}, {"r"}).execute_in_process()
    obs.record("seen", seen)


# --- direct invocation, build_init_resource_context, build_resources -------------------


@scenario
def call_resource_with_none(obs):
    @dg.resource
    def r(_):
        return "foo"

    obs.record("out", r(None))


@scenario
def call_resource_without_args(obs):
    @dg.resource
    def r():
        return "foo"

    obs.record("out", r())


@scenario
def call_resource_with_init_context(obs):
    @dg.resource(required_resource_keys={"foo"}, config_schema={"bar": str})
    def r(init_context):
        return [init_context.resources.foo, init_context.resource_config["bar"]]

    ctx = dg.build_init_resource_context(resources={"foo": "foo_str"}, config={"bar": "bar_str"})
    obs.record("out", r(ctx))


@scenario
def call_resource_config_defaults(obs):
    @dg.resource(config_schema={"bar": dg.Field(str, default_value="d")})
    def r(init_context):
        return init_context.resource_config["bar"]

    obs.record("none", r(None))
    obs.record("built", r(dg.build_init_resource_context()))


@scenario
def call_resource_bad_config(obs):
    @dg.resource(config_schema={"bar": int})
    def r(init_context):
        return init_context.resource_config["bar"]

    obs.raises(lambda: r(dg.build_init_resource_context(config={"bar": "x"})))


@scenario
def call_generator_resource(obs):
    log = []

    @dg.resource
    def r(_):
        log.append("up")
        yield "foo"
        log.append("down")

    with r(None) as value:
        log.append("value:" + value)
    obs.record("log", log)


@scenario
def build_init_resource_context_fields(obs):
    ctx = dg.build_init_resource_context(config={"a": 1})
    obs.record("config", ctx.resource_config)
    obs.record("run_id", ctx.run_id)
    obs.record("log_present", ctx.log is not None)


@scenario
def build_init_resource_context_resource_defs(obs):
    @dg.resource
    def foo(_):
        return "initialized"

    @dg.resource(required_resource_keys={"foo"})
    def r(init_context):
        return init_context.resources.foo

    with dg.build_init_resource_context(resources={"foo": foo}) as ctx:
        obs.record("out", r(ctx))


@scenario
def build_resources_basic(obs):
    @dg.resource(config_schema={"timeout": int})
    def conn(init_context):
        return {"timeout": init_context.resource_config["timeout"]}

    with dg.build_resources(
        {"conn": conn, "plain": "plain"}, resource_config={"conn": {"config": {"timeout": 5}}}
    ) as resources:
        obs.record("conn", resources.conn)
        obs.record("plain", resources.plain)


@scenario
def build_resources_teardown_on_exit(obs):
    log = []

    @dg.resource
    def r(_):
        log.append("up")
        yield "v"
        log.append("down")

    with dg.build_resources({"r": r}) as resources:
        log.append("inside:" + resources.r)
    obs.record("log", log)


@scenario
def build_resources_dependencies(obs):
    @dg.resource
    def a(_):
        return 1

    @dg.resource(required_resource_keys={"a"})
    def b(init_context):
        return init_context.resources.a + 1

    with dg.build_resources({"a": a, "b": b}) as resources:
        obs.record("b", resources.b)


@scenario
def build_resources_bad_config(obs):
    @dg.resource(config_schema={"timeout": int})
    def conn(init_context):
        return 1

    def go():
        with dg.build_resources(
            {"conn": conn}, resource_config={"conn": {"config": {"timeout": "x"}}}
        ):
            pass

    obs.raises(go, "x")


@scenario
def build_resources_missing_config(obs):
    @dg.resource(config_schema={"timeout": int})
    def conn(init_context):
        return 1

    def go():
        with dg.build_resources({"conn": conn}):
            pass

    obs.raises(go, "timeout")


@scenario
def build_resources_unknown_attribute(obs):
    @dg.resource
    def conn(_):
        return 1

    def go():
        with dg.build_resources({"conn": conn}) as resources:
            return resources.other

    obs.raises(go, "other")


@scenario
def build_resources_init_failure(obs):
    @dg.resource
    def conn(_):
        raise ValueError("down")

    def go():
        with dg.build_resources({"conn": conn}):
            pass

    obs.raises(go, "down")


@scenario
def build_resources_missing_dependency(obs):
    @dg.resource(required_resource_keys={"a"})
    def b(init_context):
        return 1

    def go():
        with dg.build_resources({"b": b}):
            pass

    obs.raises(go, "a")


@scenario
def with_resources_binds_assets(obs):
    @dg.asset(required_resource_keys={"r"})
    def a(context):
        return context.resources.r

    [bound] = dg.with_resources([a], {"r": dg.ResourceDefinition.hardcoded_resource("bound")})
    obs.record("has_r", "r" in bound.resource_defs)
    result = dg.materialize([bound])
    obs.record("value", result.output_for_node("a"))


@scenario
def with_resources_config_by_key(obs):
    @dg.resource(config_schema={"v": str})
    def r(init_context):
        return init_context.resource_config["v"]

    @dg.asset(required_resource_keys={"r"})
    def a(context):
        return context.resources.r

    [bound] = dg.with_resources([a], {"r": r}, resource_config_by_key={"r": {"config": {"v": "c"}}})
    obs.record("value", dg.materialize([bound]).output_for_node("a"))


@scenario
def with_resources_missing_io_manager_key(obs):
    @dg.asset(io_manager_key="my_io")
    def a():
        return 1

    @dg.multi_asset(outs={"x": dg.AssetOut(io_manager_key="other_io")})
    def m():
        return 1

    given = {"foo": dg.ResourceDefinition.hardcoded_resource(1)}
    obs.raises(
        lambda: dg.with_resources([a], given),
        "io manager with key 'my_io' required by output 'result' of op 'a'",
        "was not provided",
        key="asset",
    )
    obs.raises(
        lambda: dg.with_resources([m], {}),
        "io manager with key 'other_io' required by output 'x' of op 'm'",
        "was not provided",
        key="multi_asset",
    )
    [bound] = dg.with_resources([a], {"my_io": dg.mem_io_manager})
    obs.record("bound_ok", "my_io" in bound.resource_defs)


@scenario
def with_resources_missing_input_manager_key(obs):
    @dg.asset(ins={"up": dg.AssetIn("a", input_manager_key="im")})
    def b(up):
        return up

    obs.raises(
        lambda: dg.with_resources([b], {}),
        "input manager with key 'im' required by input 'up' of op 'b'",
        "was not provided",
    )


@scenario
def op_context_resources_direct_invocation(obs):
    @dg.resource
    def r(_):
        return "from-def"

    @dg.op(required_resource_keys={"r"})
    def o(context):
        return context.resources.r

    obs.record("def", o(dg.build_op_context(resources={"r": r})))
    obs.record("value", o(dg.build_op_context(resources={"r": "plain"})))


@scenario
def op_direct_invocation_missing_resource(obs):
    @dg.op(required_resource_keys={"r"})
    def o(context):
        return context.resources.r

    obs.raises(lambda: o(dg.build_op_context()), "r")


# --- more definitions and lifecycles ---------------------------------------------------------


@scenario
def resource_field_schema_with_default(obs):
    @dg.resource(config_schema=dg.Field(int, default_value=3))
    def r(init_context):
        return init_context.resource_config

    obs.record("out", _job_using({"r": r}, {"r"}).execute_in_process().output_for_node("o"))


@scenario
def resource_noneable_config(obs):
    @dg.resource(config_schema={"x": dg.Noneable(int)})
    def r(init_context):
        return init_context.resource_config

    obs.record("out", _job_using({"r": r}, {"r"}).execute_in_process().output_for_node("o"))


@scenario
def configured_chained(obs):
    @dg.resource(config_schema={"a": str, "b": str})
    def r(init_context):
        return init_context.resource_config

    half = r.configured(lambda c: {"a": c["a"], "b": "fixed-b"}, config_schema={"a": str})
    full = half.configured({"a": "fixed-a"})
    obs.record("out", _job_using({"r": full}, {"r"}).execute_in_process().output_for_node("o"))


@scenario
def configured_keeps_required_keys(obs):
    @dg.resource(required_resource_keys={"dep"}, config_schema={"a": str})
    def r(init_context):
        return init_context.resources.dep + init_context.resource_config["a"]

    copy = r.configured({"a": "!"})
    obs.record("required", sorted(copy.required_resource_keys))
    result = _job_using({"r": copy, "dep": "dep"}, {"r"}).execute_in_process()
    obs.record("out", result.output_for_node("o"))


@scenario
def configured_description(obs):
    @dg.resource(config_schema={"a": str}, description="orig")
    def r(init_context):
        return 1

    obs.record("kept", r.configured({"a": "x"}).description)
    obs.record("new", r.configured({"a": "x"}, description="new").description)


@scenario
def configured_direct_invocation(obs):
    @dg.resource(config_schema={"a": str})
    def r(init_context):
        return init_context.resource_config["a"]

    copy = r.configured(lambda c: {"a": c["x"] * 2}, config_schema={"x": str})
    obs.record("out", copy(dg.build_init_resource_context(config={"x": "ab"})))


@scenario
def hardcoded_resource_in_build_resources(obs):
    with dg.build_resources({"r": dg.ResourceDefinition.hardcoded_resource([1, 2])}) as res:
        obs.record("r", res.r)


@scenario
def none_resource_description(obs):
    obs.record(
        "description", dg.ResourceDefinition.none_resource(description="nothing").description
    )


@scenario
def mock_resource_fresh_per_run(obs):
    rd = dg.ResourceDefinition.mock_resource()
    ids = []

    def body(context):
        ids.append(id(context.resources.r))

    job = _job_using({"r": rd}, {"r"}, body)
    job.execute_in_process()
    job.execute_in_process()
    obs.record("distinct", len(set(ids)))


@scenario
def string_resource_wrong_type(obs):
    rd = dg.ResourceDefinition.string_resource()
    obs.raises(
        lambda: _job_using({"r": rd}, {"r"}).execute_in_process(
            run_config={"resources": {"r": {"config": 5}}}
        )
    )


@scenario
def build_resources_teardown_reverse_order(obs):
    log = []

    def make(name, deps=()):
        @dg.resource(required_resource_keys=set(deps))
        def r(_):
            log.append("up:" + name)
            yield name
            log.append("down:" + name)

        return r

    with dg.build_resources({"a": make("a"), "b": make("b", ["a"]), "c": make("c")}):
        log.append("inside")
    obs.record("log", log)


@scenario
def build_resources_teardown_on_error(obs):
    log = []

    @dg.resource
    def r(_):
        yield "v"
        log.append("down")

    try:
        with dg.build_resources({"r": r}):
            raise KeyError("inside")
    except KeyError:
        log.append("caught")
    obs.record("log", log)


@scenario
def build_resources_instance_passed(obs):
    seen = {}

    @dg.resource
    def r(init_context):
        seen["same"] = init_context.instance is instance
        return 1

    instance = dg.DagsterInstance.ephemeral()
    with dg.build_resources({"r": r}, instance=instance):
        pass
    obs.record("seen", seen)


@scenario
def build_init_resource_context_instance(obs):
    instance = dg.DagsterInstance.ephemeral()
    ctx = dg.build_init_resource_context(instance=instance)
    obs.record("same", ctx.instance is instance)


def _reads(instance):
    """Whether the instance's storage can still be read: [ok, is_ephemeral]."""
    try:
        instance.get_runs()
    except Exception:  # the reference's is a raw database error, not a Dagster class
        return [False, instance.is_ephemeral]
    return [True, instance.is_ephemeral]


@scenario
def ephemeral_instance_unusable_after_its_block(obs):
    with dg.build_init_resource_context() as ctx:
        instance = ctx.instance
        obs.record("inside", _reads(instance))
    obs.record("after_init_context", _reads(instance))

    with dg.build_init_resource_context() as unread:
        pass
    obs.record("first_read_after", _reads(unread.instance))

    @dg.resource
    def r(init_context):
        return init_context.instance

    with dg.build_resources({"r": r}) as resources:
        built = resources.r
        obs.record("inside_build_resources", _reads(built))
    obs.record("after_build_resources", _reads(built))
    # Without a with block nothing disposes it while the context is kept.
    kept = dg.build_init_resource_context()
    obs.record("no_block", _reads(kept.instance))


@scenario
def resource_definition_required_keys_constructor(obs):
    rd = dg.ResourceDefinition(
        resource_fn=lambda ctx: ctx.resources.dep * 2, required_resource_keys={"dep"}
    )
    obs.record("required", sorted(rd.required_resource_keys))
    result = _job_using({"r": rd, "dep": 21}, {"r"}).execute_in_process()
    obs.record("out", result.output_for_node("o"))


@scenario
def unrequired_resource_not_on_context(obs):
    @dg.resource
    def r(_):
        return 1

    @dg.resource
    def other(_):
        return 2

    def body(context):
        return hasattr(context.resources, "other")

    result = _job_using({"r": r, "other": other}, {"r"}, body).execute_in_process()
    obs.record("has_other", result.output_for_node("o"))


@scenario
def resources_in_definitions_job(obs):
    @dg.resource(config_schema={"v": str})
    def r(init_context):
        return init_context.resource_config["v"]

    @dg.asset(required_resource_keys={"r"})
    def a(context):
        return context.resources.r

    defs = dg.Definitions(
        assets=[a],
        jobs=[dg.define_asset_job("all_assets")],
        resources={"r": r.configured({"v": "defs"})},
    )
    result = defs.get_job_def("all_assets").execute_in_process()
    obs.record("value", result.output_for_node("a"))


@scenario
def resource_shared_by_two_assets(obs):
    count = []

    @dg.resource
    def r(_):
        count.append(1)
        return "shared"

    @dg.asset(required_resource_keys={"r"})
    def a(context):
        return context.resources.r

    @dg.asset(required_resource_keys={"r"})
    def b(context, a):
        return a + context.resources.r

    result = dg.materialize([a, b], resources={"r": r})
    obs.record("b", result.output_for_node("b"))
    obs.record("inits", len(count))


@scenario
def teardown_exception_in_build_resources(obs):
    @dg.resource
    def r(_):
        yield 1
        raise ValueError("teardown broke")

    def go():
        with dg.build_resources({"r": r}):
            pass

    obs.raises(go)


@scenario
def resource_with_init_context_log(obs):
    @dg.resource
    def r(init_context):
        init_context.log.info("initializing r")
        return "logged"

    result = _job_using({"r": r}, {"r"}).execute_in_process()
    obs.record("out", result.output_for_node("o"))


@scenario
def resource_generator_exception_in_op_reaches_teardown(obs):
    log = []

    @dg.resource
    def r(_):
        try:
            yield 1
        except Exception as exc:  # the scenario observes what reaches the generator
            log.append("got:" + type(exc).__name__)
        finally:
            log.append("finally")

    def body(context):
        raise RuntimeError("op fails")

    _job_using({"r": r}, {"r"}, body).execute_in_process(raise_on_error=False)
    obs.record("log", log)


# --- what the objects expose ---------------------------------------------------------------


_CONTEXT_ATTRS = [
    "resource_config",
    "resources",
    "resource_def",
    "instance",
    "run_id",
    "log",
    "dagster_run",
    "log_manager",
]


@scenario
def init_context_attributes_in_run(obs):
    seen = {}

    @dg.resource
    def r(init_context):
        seen.update({a: hasattr(init_context, a) for a in _CONTEXT_ATTRS})
        return 1

    _job_using({"r": r}, {"r"}).execute_in_process()
    obs.record("attrs", seen)


@scenario
def init_context_attributes_built(obs):
    ctx = dg.build_init_resource_context()
    # resource_def is left out: the reference raises on reading it from an unbound context
    obs.record("attrs", {a: hasattr(ctx, a) for a in _CONTEXT_ATTRS if a != "resource_def"})
    obs.record("dagster_run", ctx.dagster_run)
    obs.record("instance", ctx.instance is None)


def _instance_facts(instance):
    return {
        "isa_instance": isinstance(instance, dg.DagsterInstance),
        "ephemeral": instance.is_ephemeral,
        "runs": len(instance.get_runs()),
    }


@scenario
def init_context_instance_is_an_ephemeral_instance(obs):
    ctx = dg.build_init_resource_context()
    obs.kind("kind", ctx.instance)
    obs.record("facts", _instance_facts(ctx.instance))
    obs.record("same_on_each_read", ctx.instance is ctx.instance)


@scenario
def init_context_resources_share_its_ephemeral_instance(obs):
    seen = {}

    @dg.resource
    def dep(init_context):
        seen["instance"] = init_context.instance
        return "d"

    with dg.build_init_resource_context(resources={"dep": dep}) as ctx:
        obs.record("shared", seen["instance"] is ctx.instance)
        obs.record("facts", _instance_facts(ctx.instance))


@scenario
def resource_called_without_context_sees_an_ephemeral_instance(obs):
    seen = {}

    @dg.resource
    def plain(init_context):
        # Not its runs: the reference disposes the instance of the context it builds for the
        # call before the function runs (its storage is gone by then).
        instance = init_context.instance
        seen["facts"] = [isinstance(instance, dg.DagsterInstance), instance.is_ephemeral]
        return 1

    plain(None)
    obs.record("facts", seen["facts"])


@scenario
def resource_called_with_a_built_context_sees_its_instance(obs):
    seen = {}

    @dg.resource
    def plain(init_context):
        seen["instance"] = init_context.instance
        return 1

    ctx = dg.build_init_resource_context()
    plain(ctx)
    obs.record("shared", seen["instance"] is ctx.instance)


@scenario
def build_resources_without_instance_gives_an_ephemeral_one(obs):
    seen = []

    @dg.resource
    def dep(init_context):
        seen.append(init_context.instance)
        return "d"

    with dg.build_resources({"a": dep, "b": dep}):
        obs.record("facts", _instance_facts(seen[0]))
        obs.record("shared", seen[0] is seen[1])


@scenario
def resource_definition_attributes(obs):
    @dg.resource(config_schema={"a": int}, description="d", required_resource_keys={"x"})
    def r(init_context):
        return 1

    obs.record(
        "attrs",
        {
            a: hasattr(r, a)
            for a in [
                "resource_fn",
                "config_schema",
                "description",
                "version",
                "required_resource_keys",
                "configured",
            ]
        },
    )
    obs.record("fields", sorted(r.config_schema.config_type.fields))
    obs.record("fn_name", r.resource_fn.__name__)


@scenario
def dagster_run_in_resource(obs):
    seen = {}

    @dg.resource
    def r(init_context):
        run = init_context.dagster_run
        seen["job_name"] = run.job_name
        seen["same_id"] = run.run_id == init_context.run_id
        return 1

    _job_using({"r": r}, {"r"}).execute_in_process()
    obs.record("seen", seen)
