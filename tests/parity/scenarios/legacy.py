"""The legacy solid/pipeline/mode API, against Dagster 0.15.10.

Written from the 0.15 API documentation: ``@solid``, ``@pipeline(mode_defs=)``,
``ModeDefinition``, ``execute_pipeline`` (``run_config`` with ``solids:``, ``mode=``,
``preset=``, ``solid_selection=``), ``PipelineExecutionResult``, ``InputDefinition`` /
``OutputDefinition``, ``@composite_solid``, ``PresetDefinition`` and resources per mode.
"""

from _harness import dg, scenario

REFERENCE = "0.15"


def step_types(result):
    """Event types of the run's step events, in order."""
    return [e.event_type_value for e in result.step_event_list]


# --- solids and pipelines -----------------------------------------------------------------


@scenario
def result_class_and_success(obs):
    @dg.solid
    def one():
        return 1

    @dg.pipeline
    def p():
        one()

    result = dg.execute_pipeline(p)
    obs.kind("kind", result)
    obs.record("success", result.success)
    obs.record("has_run_id", isinstance(result.run_id, str) and len(result.run_id) > 0)


@scenario
def output_value_of_a_chain(obs):
    @dg.solid
    def one():
        return 1

    @dg.solid
    def double(x):
        return x * 2

    @dg.pipeline
    def p():
        double(double(one()))

    result = dg.execute_pipeline(p)
    obs.record("last", result.result_for_solid("double_2").output_value())
    obs.record("first", result.result_for_solid("double").output_value())
    obs.record("one", result.output_for_solid("one"))


@scenario
def solid_result_class_and_fields(obs):
    @dg.solid
    def one():
        return 1

    @dg.pipeline
    def p():
        one()

    solid_result = dg.execute_pipeline(p).result_for_solid("one")
    obs.kind("kind", solid_result)
    obs.record("success", solid_result.success)
    obs.record("skipped", solid_result.skipped)
    obs.record("output_values", solid_result.output_values)


@scenario
def step_event_list_of_two_solids(obs):
    @dg.solid
    def one():
        return 1

    @dg.solid
    def add_one(x):
        return x + 1

    @dg.pipeline
    def p():
        add_one(one())

    result = dg.execute_pipeline(p)
    obs.record("types", step_types(result))
    obs.record("step_keys", [e.step_key for e in result.step_event_list])


@scenario
def step_events_of_one_solid(obs):
    @dg.solid
    def one():
        return 1

    @dg.solid
    def add_one(x):
        return x + 1

    @dg.pipeline
    def p():
        add_one(one())

    result = dg.execute_pipeline(p)
    obs.record(
        "types", [e.event_type_value for e in result.result_for_solid("add_one").step_events]
    )


@scenario
def event_list_starts_and_ends_with_the_pipeline(obs):
    @dg.solid
    def one():
        return 1

    @dg.pipeline
    def p():
        one()

    result = dg.execute_pipeline(p)
    types = [e.event_type_value for e in result.event_list]
    obs.record("first", types[0])
    obs.record("last", types[-1])
    obs.record("is_step_event", [e.is_step_event for e in result.event_list[:1]])


@scenario
def solid_result_list(obs):
    @dg.solid
    def a():
        return 1

    @dg.solid
    def b(x):
        return x

    @dg.pipeline
    def p():
        b(a())

    result = dg.execute_pipeline(p)
    obs.record("names", sorted(r.solid.name for r in result.solid_result_list))


@scenario
def pipeline_def_on_the_result(obs):
    @dg.solid
    def one():
        return 1

    @dg.pipeline
    def my_pipeline():
        one()

    result = dg.execute_pipeline(my_pipeline)
    obs.record("name", result.pipeline_def.name)


@scenario
def pipeline_name_and_description(obs):
    @dg.solid
    def one():
        return 1

    @dg.pipeline(name="renamed", description="does one thing")
    def p():
        one()

    obs.record("name", p.name)
    obs.record("description", p.description)
    obs.kind("kind", p)


@scenario
def pipeline_solids(obs):
    @dg.solid
    def one():
        return 1

    @dg.solid
    def two(x):
        return x

    @dg.pipeline
    def p():
        two(one())

    obs.record("solids", sorted(s.name for s in p.solids))
    obs.record("named", p.solid_named("two").name)
    obs.record("has_solid", [p.has_solid_named("one"), p.has_solid_named("zzz")])


@scenario
def solid_name_and_description(obs):
    @dg.solid(name="renamed", description="hello")
    def one():
        return 1

    obs.record("name", one.name)
    obs.record("description", one.description)
    obs.kind("kind", one)


@scenario
def solid_used_twice_gets_aliases(obs):
    @dg.solid
    def one():
        return 1

    @dg.pipeline
    def p():
        one()
        one()
        one.alias("third")()

    result = dg.execute_pipeline(p)
    obs.record("names", sorted(r.solid.name for r in result.solid_result_list))


@scenario
def result_for_an_unknown_solid(obs):
    @dg.solid
    def one():
        return 1

    @dg.pipeline
    def p():
        one()

    result = dg.execute_pipeline(p)
    obs.raises(lambda: result.result_for_solid("nope"), "nope")


@scenario
def output_value_of_an_unknown_output(obs):
    @dg.solid
    def one():
        return 1

    @dg.pipeline
    def p():
        one()

    result = dg.execute_pipeline(p)
    obs.raises(lambda: result.result_for_solid("one").output_value("nope"), "nope")


@scenario
def execute_pipeline_rejects_a_non_pipeline(obs):
    obs.raises(lambda: dg.execute_pipeline("not a pipeline"))


@scenario
def solid_with_context_logs(obs):
    @dg.solid
    def one(context):
        context.log.info("hello from one")
        return 1

    @dg.pipeline
    def p():
        one()

    result = dg.execute_pipeline(p)
    obs.record("success", result.success)
    obs.record("value", result.result_for_solid("one").output_value())


# --- config -------------------------------------------------------------------------------


@scenario
def solid_config_under_solids(obs):
    @dg.solid(config_schema={"n": int})
    def one(context):
        return context.solid_config["n"]

    @dg.pipeline
    def p():
        one()

    result = dg.execute_pipeline(p, run_config={"solids": {"one": {"config": {"n": 7}}}})
    obs.record("value", result.result_for_solid("one").output_value())


@scenario
def solid_config_under_ops(obs):
    @dg.solid(config_schema={"n": int})
    def one(context):
        return context.solid_config["n"]

    @dg.pipeline
    def p():
        one()

    result = dg.execute_pipeline(p, run_config={"ops": {"one": {"config": {"n": 8}}}})
    obs.record("value", result.result_for_solid("one").output_value())


@scenario
def op_config_alias_of_solid_config(obs):
    @dg.solid(config_schema={"n": int})
    def one(context):
        return [context.op_config["n"], context.solid_config == context.op_config]

    @dg.pipeline
    def p():
        one()

    result = dg.execute_pipeline(p, run_config={"solids": {"one": {"config": {"n": 2}}}})
    obs.record("value", result.result_for_solid("one").output_value())


@scenario
def solid_config_shorthand(obs):
    @dg.solid(config_schema=int)
    def one(context):
        return context.solid_config + 1

    @dg.pipeline
    def p():
        one()

    result = dg.execute_pipeline(p, run_config={"solids": {"one": {"config": 4}}})
    obs.record("value", result.result_for_solid("one").output_value())


@scenario
def solid_config_field_default(obs):
    @dg.solid(config_schema={"n": dg.Field(int, default_value=5, is_required=False)})
    def one(context):
        return context.solid_config["n"]

    @dg.pipeline
    def p():
        one()

    obs.record("value", dg.execute_pipeline(p).result_for_solid("one").output_value())


@scenario
def missing_solid_config_raises(obs):
    @dg.solid(config_schema={"n": int})
    def one(context):
        return context.solid_config["n"]

    @dg.pipeline
    def p():
        one()

    obs.raises(lambda: dg.execute_pipeline(p), "one")


@scenario
def wrong_solid_config_type_raises(obs):
    @dg.solid(config_schema={"n": int})
    def one(context):
        return context.solid_config["n"]

    @dg.pipeline
    def p():
        one()

    obs.raises(
        lambda: dg.execute_pipeline(p, run_config={"solids": {"one": {"config": {"n": "x"}}}}),
        "n",
    )


@scenario
def unknown_solid_in_run_config_raises(obs):
    @dg.solid
    def one():
        return 1

    @dg.pipeline
    def p():
        one()

    obs.raises(
        lambda: dg.execute_pipeline(p, run_config={"solids": {"zzz": {"config": {}}}}), "zzz"
    )


@scenario
def input_from_run_config(obs):
    @dg.solid
    def show(x: int):
        return x * 10

    @dg.pipeline
    def p():
        show()

    result = dg.execute_pipeline(p, run_config={"solids": {"show": {"inputs": {"x": 4}}}})
    obs.record("value", result.result_for_solid("show").output_value())


# --- input and output definitions --------------------------------------------------------


@scenario
def input_and_output_definitions(obs):
    @dg.solid(input_defs=[dg.InputDefinition("x", int)], output_defs=[dg.OutputDefinition(int)])
    def add(x):
        return x + 1

    @dg.solid
    def one():
        return 1

    @dg.pipeline
    def p():
        add(one())

    result = dg.execute_pipeline(p)
    obs.record("value", result.result_for_solid("add").output_value())
    obs.record("inputs", sorted(add.input_dict))
    obs.record("outputs", sorted(add.output_dict))


@scenario
def named_outputs(obs):
    @dg.solid(output_defs=[dg.OutputDefinition(name="a"), dg.OutputDefinition(name="b")])
    def two():
        yield dg.Output(1, "a")
        yield dg.Output(2, "b")

    @dg.pipeline
    def p():
        two()

    solid_result = dg.execute_pipeline(p).result_for_solid("two")
    obs.record("a", solid_result.output_value("a"))
    obs.record("b", solid_result.output_value("b"))
    obs.record("values", solid_result.output_values)


@scenario
def named_outputs_wired_downstream(obs):
    @dg.solid(output_defs=[dg.OutputDefinition(name="a"), dg.OutputDefinition(name="b")])
    def two():
        yield dg.Output(1, "a")
        yield dg.Output(2, "b")

    @dg.solid
    def add(x, y):
        return x + y

    @dg.pipeline
    def p():
        a, b = two()
        add(a, b)

    obs.record("value", dg.execute_pipeline(p).result_for_solid("add").output_value())


@scenario
def optional_output_not_yielded(obs):
    @dg.solid(
        output_defs=[
            dg.OutputDefinition(name="a"),
            dg.OutputDefinition(name="b", is_required=False),
        ]
    )
    def maybe():
        yield dg.Output(1, "a")

    @dg.solid
    def after(x):
        return x

    @dg.pipeline
    def p():
        _a, b = maybe()
        after(b)

    result = dg.execute_pipeline(p)
    obs.record("success", result.success)
    obs.record("skipped", result.result_for_solid("after").skipped)


@scenario
def input_default_value(obs):
    @dg.solid(input_defs=[dg.InputDefinition("x", int, default_value=3)])
    def show(x):
        return x

    @dg.pipeline
    def p():
        show()

    obs.record("value", dg.execute_pipeline(p).result_for_solid("show").output_value())


@scenario
def output_type_check_fails(obs):
    @dg.solid(output_defs=[dg.OutputDefinition(int)])
    def wrong():
        return "not an int"

    @dg.pipeline
    def p():
        wrong()

    result = dg.execute_pipeline(p, raise_on_error=False)
    obs.record("success", result.success)
    obs.raises(lambda: dg.execute_pipeline(p))


@scenario
def input_definition_fields(obs):
    definition = dg.InputDefinition("x", int, description="the x")
    obs.record("name", definition.name)
    obs.record("description", definition.description)
    obs.kind("kind", definition)


@scenario
def output_definition_fields(obs):
    definition = dg.OutputDefinition(int, name="out", description="the out")
    obs.record("name", definition.name)
    obs.record("description", definition.description)
    obs.record("default_name", dg.OutputDefinition().name)
    obs.record("is_required", definition.is_required)
    obs.kind("kind", definition)


@scenario
def nothing_dependency(obs):
    order = []

    @dg.solid
    def first():
        order.append("first")

    @dg.solid(input_defs=[dg.InputDefinition("start", dg.Nothing)])
    def second():
        order.append("second")
        return 2

    @dg.pipeline
    def p():
        second(start=first())

    result = dg.execute_pipeline(p)
    obs.record("order", order)
    obs.record("value", result.result_for_solid("second").output_value())


@scenario
def fan_in(obs):
    @dg.solid
    def one():
        return 1

    @dg.solid
    def total(xs):
        return sum(xs)

    @dg.pipeline
    def p():
        total([one.alias("a")(), one.alias("b")(), one.alias("c")()])

    obs.record("value", dg.execute_pipeline(p).result_for_solid("total").output_value())


# --- failures -----------------------------------------------------------------------------


@scenario
def failing_solid_raises_by_default(obs):
    @dg.solid
    def boom():
        raise ValueError("no good")

    @dg.pipeline
    def p():
        boom()

    obs.raises(lambda: dg.execute_pipeline(p), "no good")


@scenario
def failing_solid_without_raise_on_error(obs):
    @dg.solid
    def boom():
        raise ValueError("no good")

    @dg.solid
    def after(x):
        return x

    @dg.pipeline
    def p():
        after(boom())

    result = dg.execute_pipeline(p, raise_on_error=False)
    obs.record("success", result.success)
    obs.record("boom_success", result.result_for_solid("boom").success)
    obs.record("after_skipped", result.result_for_solid("after").skipped)
    obs.record("types", step_types(result))


@scenario
def failure_data_of_a_failed_solid(obs):
    @dg.solid
    def boom():
        raise ValueError("no good")

    @dg.pipeline
    def p():
        boom()

    solid_result = dg.execute_pipeline(p, raise_on_error=False).result_for_solid("boom")
    failure = solid_result.failure_data
    obs.record("has_failure", failure is not None)
    obs.record("message_has_text", "no good" in failure.error.message)
    obs.record("cls_name", failure.error.cls_name)


@scenario
def output_value_of_a_failed_solid(obs):
    @dg.solid
    def boom():
        raise ValueError("no good")

    @dg.pipeline
    def p():
        boom()

    solid_result = dg.execute_pipeline(p, raise_on_error=False).result_for_solid("boom")
    obs.record("value", solid_result.output_value())


# --- modes and resources -----------------------------------------------------------------


@scenario
def resource_in_the_default_mode(obs):
    @dg.resource
    def number(_):
        return 41

    @dg.solid(required_resource_keys={"number"})
    def use(context):
        return context.resources.number + 1

    @dg.pipeline(mode_defs=[dg.ModeDefinition(resource_defs={"number": number})])
    def p():
        use()

    obs.record("value", dg.execute_pipeline(p).result_for_solid("use").output_value())


@scenario
def mode_picks_the_resources(obs):
    @dg.solid(required_resource_keys={"store"})
    def use(context):
        return context.resources.store

    @dg.pipeline(
        mode_defs=[
            dg.ModeDefinition(
                "test", resource_defs={"store": dg.ResourceDefinition.hardcoded_resource("mem")}
            ),
            dg.ModeDefinition(
                "prod", resource_defs={"store": dg.ResourceDefinition.hardcoded_resource("s3")}
            ),
        ]
    )
    def p():
        use()

    obs.record("test", dg.execute_pipeline(p, mode="test").result_for_solid("use").output_value())
    obs.record("prod", dg.execute_pipeline(p, mode="prod").result_for_solid("use").output_value())


@scenario
def several_modes_without_mode_runs_the_first(obs):
    @dg.solid(required_resource_keys={"store"})
    def use(context):
        return context.resources.store

    @dg.pipeline(
        mode_defs=[
            dg.ModeDefinition(
                "test", resource_defs={"store": dg.ResourceDefinition.hardcoded_resource("mem")}
            ),
            dg.ModeDefinition(
                "prod", resource_defs={"store": dg.ResourceDefinition.hardcoded_resource("s3")}
            ),
        ]
    )
    def p():
        use()

    obs.raises(
        lambda: obs.record("value", dg.execute_pipeline(p).result_for_solid("use").output_value())
    )


@scenario
def unknown_mode_raises(obs):
    @dg.solid
    def one():
        return 1

    @dg.pipeline(mode_defs=[dg.ModeDefinition("a"), dg.ModeDefinition("b")])
    def p():
        one()

    obs.raises(lambda: dg.execute_pipeline(p, mode="zzz"), "zzz")


@scenario
def mode_missing_a_resource_raises_at_definition(obs):
    @dg.solid(required_resource_keys={"db"})
    def use(context):
        return context.resources.db

    def define():
        @dg.pipeline(mode_defs=[dg.ModeDefinition("m", resource_defs={})])
        def p():
            use()

        return p

    obs.raises(define, "db")


@scenario
def duplicate_mode_names_raise(obs):
    @dg.solid
    def one():
        return 1

    def define():
        @dg.pipeline(mode_defs=[dg.ModeDefinition("a"), dg.ModeDefinition("a")])
        def p():
            one()

        return p

    obs.raises(define, "a")


@scenario
def mode_definition_fields(obs):
    mode = dg.ModeDefinition("prod", description="production")
    obs.record("name", mode.name)
    obs.record("description", mode.description)
    obs.record("default_name", dg.ModeDefinition().name)
    obs.kind("kind", mode)


@scenario
def pipeline_mode_definitions(obs):
    @dg.solid
    def one():
        return 1

    @dg.pipeline(mode_defs=[dg.ModeDefinition("a"), dg.ModeDefinition("b")])
    def p():
        one()

    @dg.pipeline
    def q():
        one()

    obs.record("names", [m.name for m in p.mode_definitions])
    obs.record("default", [m.name for m in q.mode_definitions])


@scenario
def resource_config_from_run_config(obs):
    @dg.resource(config_schema={"base": int})
    def number(init_context):
        return init_context.resource_config["base"]

    @dg.solid(required_resource_keys={"number"})
    def use(context):
        return context.resources.number * 2

    @dg.pipeline(mode_defs=[dg.ModeDefinition(resource_defs={"number": number})])
    def p():
        use()

    result = dg.execute_pipeline(p, run_config={"resources": {"number": {"config": {"base": 21}}}})
    obs.record("value", result.result_for_solid("use").output_value())


@scenario
def resource_teardown_order(obs):
    calls = []

    @dg.resource
    def managed(_):
        calls.append("setup")
        yield "handle"
        calls.append("teardown")

    @dg.solid(required_resource_keys={"managed"})
    def use(context):
        calls.append(f"use {context.resources.managed}")

    @dg.pipeline(mode_defs=[dg.ModeDefinition(resource_defs={"managed": managed})])
    def p():
        use()

    dg.execute_pipeline(p)
    obs.record("calls", calls)


@scenario
def resource_depends_on_another(obs):
    @dg.resource
    def base(_):
        return 10

    @dg.resource(required_resource_keys={"base"})
    def derived(init_context):
        return init_context.resources.base + 1

    @dg.solid(required_resource_keys={"derived"})
    def use(context):
        return context.resources.derived

    @dg.pipeline(mode_defs=[dg.ModeDefinition(resource_defs={"base": base, "derived": derived})])
    def p():
        use()

    obs.record("value", dg.execute_pipeline(p).result_for_solid("use").output_value())


@scenario
def unused_mode_resources_are_not_initialized(obs):
    calls = []

    @dg.resource
    def unused(_):
        calls.append("unused")
        return 1

    @dg.solid
    def one():
        return 1

    @dg.pipeline(mode_defs=[dg.ModeDefinition(resource_defs={"unused": unused})])
    def p():
        one()

    dg.execute_pipeline(p)
    obs.record("calls", calls)


@scenario
def resource_failing_in_setup(obs):
    @dg.resource
    def broken(_):
        raise RuntimeError("cannot connect")

    @dg.solid(required_resource_keys={"broken"})
    def use(context):
        return 1

    @dg.pipeline(mode_defs=[dg.ModeDefinition(resource_defs={"broken": broken})])
    def p():
        use()

    result = dg.execute_pipeline(p, raise_on_error=False)
    obs.record("success", result.success)
    obs.raises(lambda: dg.execute_pipeline(p), "cannot connect")


# --- selection and presets ----------------------------------------------------------------


@scenario
def solid_selection_runs_a_subset(obs):
    @dg.solid
    def a():
        return 1

    @dg.solid
    def b():
        return 2

    @dg.pipeline
    def p():
        a()
        b()

    result = dg.execute_pipeline(p, solid_selection=["b"])
    obs.record("success", result.success)
    obs.record("names", sorted(r.solid.name for r in result.solid_result_list))
    obs.record("b", result.result_for_solid("b").output_value())


@scenario
def solid_selection_with_upstream_query(obs):
    @dg.solid
    def a():
        return 1

    @dg.solid
    def b(x):
        return x + 1

    @dg.solid
    def c():
        return 3

    @dg.pipeline
    def p():
        b(a())
        c()

    result = dg.execute_pipeline(p, solid_selection=["*b"])
    obs.record("names", sorted(r.solid.name for r in result.solid_result_list))
    obs.record("b", result.result_for_solid("b").output_value())


@scenario
def solid_selection_of_an_unknown_solid(obs):
    @dg.solid
    def a():
        return 1

    @dg.pipeline
    def p():
        a()

    obs.raises(lambda: dg.execute_pipeline(p, solid_selection=["zzz"]), "zzz")


@scenario
def preset_supplies_run_config_and_mode(obs):
    @dg.solid(config_schema={"n": int}, required_resource_keys={"store"})
    def use(context):
        return [context.solid_config["n"], context.resources.store]

    @dg.pipeline(
        mode_defs=[
            dg.ModeDefinition(
                "test", resource_defs={"store": dg.ResourceDefinition.hardcoded_resource("mem")}
            ),
            dg.ModeDefinition(
                "prod", resource_defs={"store": dg.ResourceDefinition.hardcoded_resource("s3")}
            ),
        ],
        preset_defs=[
            dg.PresetDefinition(
                "nightly", run_config={"solids": {"use": {"config": {"n": 9}}}}, mode="prod"
            )
        ],
    )
    def p():
        use()

    result = dg.execute_pipeline(p, preset="nightly")
    obs.record("value", result.result_for_solid("use").output_value())


@scenario
def unknown_preset_raises(obs):
    @dg.solid
    def one():
        return 1

    @dg.pipeline(preset_defs=[dg.PresetDefinition("a", run_config={})])
    def p():
        one()

    obs.raises(lambda: dg.execute_pipeline(p, preset="zzz"), "zzz")


@scenario
def preset_and_run_config_together_raise(obs):
    @dg.solid
    def one():
        return 1

    @dg.pipeline(preset_defs=[dg.PresetDefinition("a", run_config={})])
    def p():
        one()

    obs.raises(lambda: dg.execute_pipeline(p, preset="a", run_config={"solids": {}}))


@scenario
def preset_definition_fields(obs):
    preset = dg.PresetDefinition("nightly", run_config={"solids": {}}, mode="prod")
    obs.record("name", preset.name)
    obs.record("mode", preset.mode)
    obs.record("run_config", preset.run_config)
    obs.record("default_mode", dg.PresetDefinition("x").mode)


# --- composite solids ---------------------------------------------------------------------


@scenario
def composite_solid_output(obs):
    @dg.solid
    def one():
        return 1

    @dg.solid
    def add_one(x):
        return x + 1

    @dg.composite_solid
    def two():
        return add_one(one())

    @dg.pipeline
    def p():
        two()

    result = dg.execute_pipeline(p)
    obs.record("value", result.result_for_solid("two").output_value())
    obs.record("inner", result.result_for_handle("two.add_one").output_value())


@scenario
def composite_solid_with_input(obs):
    @dg.solid
    def one():
        return 1

    @dg.solid
    def double(x):
        return x * 2

    @dg.composite_solid
    def quadruple(x):
        return double(double(x))

    @dg.pipeline
    def p():
        quadruple(one())

    result = dg.execute_pipeline(p)
    obs.record("value", result.result_for_solid("quadruple").output_value())


@scenario
def composite_solid_inner_config(obs):
    @dg.solid(config_schema={"n": int})
    def configured_one(context):
        return context.solid_config["n"]

    @dg.composite_solid
    def wrap():
        return configured_one()

    @dg.pipeline
    def p():
        wrap()

    result = dg.execute_pipeline(
        p, run_config={"solids": {"wrap": {"solids": {"configured_one": {"config": {"n": 6}}}}}}
    )
    obs.record("value", result.result_for_solid("wrap").output_value())


@scenario
def composite_solid_step_keys(obs):
    @dg.solid
    def one():
        return 1

    @dg.composite_solid
    def wrap():
        return one()

    @dg.pipeline
    def p():
        wrap()

    result = dg.execute_pipeline(p)
    obs.record("step_keys", sorted({e.step_key for e in result.step_event_list}))


@scenario
def composite_solid_kind(obs):
    @dg.solid
    def one():
        return 1

    @dg.composite_solid(name="renamed", description="wraps one")
    def wrap():
        return one()

    obs.record("name", wrap.name)
    obs.record("description", wrap.description)
    obs.kind("kind", wrap)


# --- testing helpers ----------------------------------------------------------------------


@scenario
def execute_solid_with_inputs_config_and_resources(obs):
    @dg.solid(config_schema={"n": int}, required_resource_keys={"r"})
    def s(context, x):
        return x + context.solid_config["n"] + context.resources.r

    result = dg.execute_solid(
        s,
        mode_def=dg.ModeDefinition(
            resource_defs={"r": dg.ResourceDefinition.hardcoded_resource(100)}
        ),
        input_values={"x": 1},
        run_config={"solids": {"s": {"config": {"n": 10}}}},
    )
    obs.kind("kind", result)
    obs.record("success", result.success)
    obs.record("value", result.output_value())


@scenario
def execute_solid_without_inputs(obs):
    @dg.solid
    def one():
        return 1

    result = dg.execute_solid(one)
    obs.record("value", result.output_value())
    obs.record("types", [e.event_type_value for e in result.step_events])


@scenario
def execute_solid_missing_resource(obs):
    @dg.solid(required_resource_keys={"r"})
    def s(context):
        return context.resources.r

    obs.raises(lambda: dg.execute_solid(s), "r")


@scenario
def execute_solid_failure(obs):
    @dg.solid
    def boom():
        raise ValueError("bad input")

    obs.raises(lambda: dg.execute_solid(boom), "bad input", key="raised")
    result = dg.execute_solid(boom, raise_on_error=False)
    obs.record("success", result.success)


@scenario
def execute_solid_of_a_composite(obs):
    @dg.solid
    def double(x):
        return x * 2

    @dg.composite_solid
    def quadruple(x):
        return double(double(x))

    result = dg.execute_solid(quadruple, input_values={"x": 3})
    obs.kind("kind", result)
    obs.record("value", result.output_value())


@scenario
def build_solid_context_invokes_a_solid(obs):
    @dg.solid(config_schema={"n": int}, required_resource_keys={"r"})
    def s(context, x):
        return x + context.solid_config["n"] + context.resources.r

    context = dg.build_solid_context(resources={"r": 5}, solid_config={"n": 1})
    obs.record("value", s(context, 1))
    obs.record("is_solid_context", isinstance(context, dg.SolidExecutionContext))


@scenario
def solid_invoked_directly(obs):
    @dg.solid
    def add(x, y):
        return x + y

    obs.record("value", add(2, 3))


@scenario
def io_manager_in_a_mode(obs):
    stored = {}

    @dg.io_manager
    def memory(_):
        class Memory(dg.IOManager):
            def handle_output(self, context, obj):
                stored[context.step_key] = obj

            def load_input(self, context):
                return stored[context.upstream_output.step_key]

        return Memory()

    @dg.solid
    def a():
        return 1

    @dg.solid
    def b(x):
        return x + 1

    @dg.pipeline(mode_defs=[dg.ModeDefinition(resource_defs={"io_manager": memory})])
    def p():
        b(a())

    result = dg.execute_pipeline(p)
    obs.record("value", result.result_for_solid("b").output_value())
    obs.record("stored", stored)


@scenario
def solid_and_pipeline_named_positionally(obs):
    @dg.solid("named_solid")
    def one():
        return 1

    @dg.pipeline(name="named_pipeline")
    def p():
        one()

    result = dg.execute_pipeline(p)
    obs.record("names", [p.name, one.name])
    obs.record("value", result.result_for_solid("named_solid").output_value())


@scenario
def context_pipeline_name(obs):
    @dg.solid
    def name_of(context):
        return context.pipeline_name

    @dg.pipeline
    def my_pipeline():
        name_of()

    result = dg.execute_pipeline(my_pipeline)
    obs.record("value", result.result_for_solid("name_of").output_value())


@scenario
def run_tags_from_the_pipeline_and_the_call(obs):
    @dg.solid
    def tags_of(context):
        return {k: v for k, v in context.run.tags.items() if not k.startswith("dagster/")}

    @dg.pipeline(tags={"team": "data"})
    def p():
        tags_of()

    result = dg.execute_pipeline(p, tags={"run": "1"})
    obs.record("tags", result.result_for_solid("tags_of").output_value())


@scenario
def output_for_solid_of_a_nested_handle(obs):
    @dg.solid
    def one():
        return 1

    @dg.composite_solid
    def wrap():
        return one()

    @dg.pipeline
    def p():
        wrap()

    result = dg.execute_pipeline(p)
    obs.record("nested", result.output_for_solid("wrap.one"))
    obs.raises(lambda: result.result_for_handle("wrap.zzz"), key="unknown")


# --- signatures -----------------------------------------------------------------------------

SIGNATURES = [
    "solid",
    "pipeline",
    "composite_solid",
    "execute_pipeline",
    "execute_solid",
    "build_solid_context",
    "ModeDefinition",
    "PresetDefinition",
    "InputDefinition",
    "OutputDefinition",
]


def _signature_scenario(name):
    def run(obs):
        obs.signature("signature", getattr(dg, name))

    scenario(run, name=f"signature_{name}")


for _name in SIGNATURES:
    _signature_scenario(_name)


# --- events of a solid --------------------------------------------------------------------


@scenario
def materializations_during_compute(obs):
    @dg.solid
    def writes():
        yield dg.AssetMaterialization(asset_key="table", metadata={"rows": 3})
        yield dg.Output(1)

    @dg.pipeline
    def p():
        writes()

    solid_result = dg.execute_pipeline(p).result_for_solid("writes")
    mats = solid_result.materializations_during_compute
    obs.record("keys", [list(m.asset_key.path) for m in mats])
    obs.record(
        "event_types",
        [e.event_type_value for e in solid_result.materialization_events_during_compute],
    )


@scenario
def input_and_output_events_during_compute(obs):
    @dg.solid
    def one():
        return 1

    @dg.solid
    def add_one(x):
        return x + 1

    @dg.pipeline
    def p():
        add_one(one())

    solid_result = dg.execute_pipeline(p).result_for_solid("add_one")
    obs.record("inputs", [e.event_type_value for e in solid_result.input_events_during_compute])
    obs.record("input_names", sorted(solid_result.compute_input_event_dict))
    obs.record("outputs", [e.event_type_value for e in solid_result.output_events_during_compute])
    obs.record("output_event", solid_result.get_output_event_for_compute().event_type_value)
    obs.record("success_event", solid_result.get_step_success_event().event_type_value)


@scenario
def step_failure_event_of_a_failed_solid(obs):
    @dg.solid
    def boom():
        raise ValueError("no good")

    @dg.pipeline
    def p():
        boom()

    solid_result = dg.execute_pipeline(p, raise_on_error=False).result_for_solid("boom")
    obs.record("type", solid_result.compute_step_failure_event.event_type_value)
    obs.record("retry_attempts", solid_result.retry_attempts)


@scenario
def retried_solid_counts_its_attempts(obs):
    attempts = []

    @dg.solid(retry_policy=dg.RetryPolicy(max_retries=2))
    def flaky():
        attempts.append(1)
        if len(attempts) < 3:
            raise ValueError("again")
        return len(attempts)

    @dg.pipeline
    def p():
        flaky()

    solid_result = dg.execute_pipeline(p).result_for_solid("flaky")
    obs.record("value", solid_result.output_value())
    obs.record("retry_attempts", solid_result.retry_attempts)


@scenario
def solid_retry_policy_of_the_pipeline(obs):
    attempts = []

    @dg.solid
    def flaky():
        attempts.append(1)
        if len(attempts) < 2:
            raise ValueError("again")
        return len(attempts)

    @dg.pipeline(solid_retry_policy=dg.RetryPolicy(max_retries=1))
    def p():
        flaky()

    obs.record("value", dg.execute_pipeline(p).result_for_solid("flaky").output_value())
