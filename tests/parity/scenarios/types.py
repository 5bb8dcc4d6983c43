"""Parity: Dagster types, type checks of op inputs and outputs, the type helpers."""

import typing

from _harness import dg, scenario


def _run(job, **kw):  # type: ignore[no-untyped-def]
    return job.execute_in_process(raise_on_error=False, **kw)


def _failure_class(result) -> str | None:  # type: ignore[no-untyped-def]
    for e in result.all_events:
        if e.event_type_value == "STEP_FAILURE":
            return str(e.step_failure_data.error.cls_name)
    return None


@scenario
def output_annotated_str_returning_int_raises(obs):
    @dg.op
    def f() -> str:
        return 1  # type: ignore[return-value]

    @dg.job
    def j():
        f()

    obs.raises(
        j.execute_in_process,
        'Type check failed for step output "result"',
        'expected type "String"',
        'Value "1" of python type "int" must be a string.',
    )


@scenario
def output_type_failure_fails_the_step(obs):
    @dg.op
    def f() -> str:
        return 1  # type: ignore[return-value]

    @dg.job
    def j():
        f()

    r = _run(j)
    obs.record("success", r.success)
    obs.events(
        r,
        skip=[
            "ENGINE_EVENT",
            "LOGS_CAPTURED",
            "RESOURCE_INIT_STARTED",
            "RESOURCE_INIT_SUCCESS",
            "PIPELINE_START",
            "PIPELINE_FAILURE",
            "RUN_START",
            "RUN_FAILURE",
        ],
    )


@scenario
def output_annotated_int_passes(obs):
    @dg.op
    def f() -> int:
        return 3

    @dg.job
    def j():
        f()

    r = j.execute_in_process()
    obs.record("out", r.output_for_node("f"))


@scenario
def input_annotation_mismatch_raises(obs):
    @dg.op
    def g() -> int:
        return 1

    @dg.op
    def h(x: str):
        return x

    @dg.job
    def j():
        h(g())

    obs.raises(j.execute_in_process, 'step input "x"', 'expected type "String"')


@scenario
def input_type_failure_skips_nothing_upstream(obs):
    @dg.op
    def g() -> int:
        return 1

    @dg.op
    def h(x: str):
        return x

    @dg.job
    def j():
        h(g())

    r = _run(j)
    obs.record("success", r.success)
    obs.record("g_ok", r.success_for_node("g") if hasattr(r, "success_for_node") else None)


@scenario
def downstream_of_type_failure_skips(obs):
    @dg.op
    def f() -> str:
        return 1  # type: ignore[return-value]

    @dg.op
    def after(x):
        return x

    @dg.job
    def j():
        after(f())

    r = _run(j)
    started = [e.step_key for e in r.all_events if e.event_type_value == "STEP_START"]
    obs.record("started", started)


@scenario
def out_dagster_type_int_fails_on_str(obs):
    @dg.op(out=dg.Out(int))
    def f():
        return "x"

    @dg.job
    def j():
        f()

    obs.raises(
        j.execute_in_process, 'expected type "Int"', 'Value "x" of python type "str" must be a int.'
    )


@scenario
def in_dagster_type_float(obs):
    @dg.op
    def g():
        return 1

    @dg.op(ins={"x": dg.In(float)})
    def h(x):
        return x

    @dg.job
    def j():
        h(g())

    obs.raises(j.execute_in_process, 'expected type "Float"', "must be a float")


@scenario
def bool_is_not_checked_as_int(obs):
    @dg.op
    def f() -> int:
        return True  # bool is an int for isinstance

    @dg.job
    def j():
        f()

    obs.record("success", j.execute_in_process().success)


@scenario
def optional_output_accepts_none(obs):
    @dg.op
    def f() -> typing.Optional[int]:  # noqa: UP045
        return None

    @dg.job
    def j():
        f()

    obs.record("success", j.execute_in_process().success)


@scenario
def optional_output_rejects_str(obs):
    @dg.op
    def f() -> typing.Optional[int]:  # noqa: UP045
        return "a"  # type: ignore[return-value]

    @dg.job
    def j():
        f()

    obs.raises(j.execute_in_process, 'expected type "Int?"', "must be a int")


@scenario
def pep604_optional_output(obs):
    @dg.op
    def f() -> int | None:
        return "a"  # type: ignore[return-value]

    @dg.job
    def j():
        f()

    obs.raises(j.execute_in_process, 'expected type "Int?"')


@scenario
def list_of_int_output(obs):
    @dg.op
    def f() -> list[int]:
        return [1, "b"]  # type: ignore[list-item]

    @dg.job
    def j():
        f()

    obs.raises(j.execute_in_process, 'expected type "[Int]"', 'Value "b" of python type "str"')


@scenario
def list_output_not_a_list(obs):
    @dg.op
    def f() -> list[int]:
        return 3  # type: ignore[return-value]

    @dg.job
    def j():
        f()

    obs.raises(j.execute_in_process, "must be a list")


@scenario
def dict_output_typed(obs):
    @dg.op
    def f() -> dict[str, int]:
        return {"a": "b"}  # type: ignore[dict-item]

    @dg.job
    def j():
        f()

    obs.raises(j.execute_in_process, 'expected type "Dict[String,Int]"')


@scenario
def bare_dict_output_passes(obs):
    @dg.op
    def f() -> dict:
        return {"a": 1}

    @dg.job
    def j():
        f()

    obs.record("success", j.execute_in_process().success)


@scenario
def custom_class_annotation(obs):
    class Widget:
        pass

    @dg.op
    def f() -> Widget:
        return 3  # type: ignore[return-value]

    @dg.job
    def j():
        f()

    obs.raises(
        j.execute_in_process, 'expected type "Widget"', "failed type check for Dagster type Widget"
    )


@scenario
def custom_class_annotation_passes(obs):
    class Widget:
        pass

    @dg.op
    def f() -> Widget:
        return Widget()

    @dg.op
    def g(w: Widget) -> str:
        return type(w).__name__

    @dg.job
    def j():
        g(f())

    obs.record("out", j.execute_in_process().output_for_node("g"))


@scenario
def dagster_type_custom_check(obs):
    Even = dg.DagsterType(
        type_check_fn=lambda _ctx, v: isinstance(v, int) and v % 2 == 0, name="Even"
    )

    @dg.op(out=dg.Out(Even))
    def f():
        return 3

    @dg.job
    def j():
        f()

    obs.raises(j.execute_in_process, 'expected type "Even"', "Description: None")


@scenario
def dagster_type_check_returns_typecheck(obs):
    Pos = dg.DagsterType(
        type_check_fn=lambda _ctx, v: dg.TypeCheck(
            success=v > 0, description="must be positive", metadata={"v": v}
        ),
        name="Pos",
    )

    @dg.op(out=dg.Out(Pos))
    def f():
        return -1

    @dg.job
    def j():
        f()

    obs.raises(j.execute_in_process, "must be positive", 'expected type "Pos"')


@scenario
def dagster_type_check_bad_return(obs):
    Bad = dg.DagsterType(type_check_fn=lambda _ctx, v: "yes", name="Bad")
    obs.raises(
        lambda: Bad.type_check(None, 1), "Return value must be instance of TypeCheck or a bool"
    )


@scenario
def dagster_type_requires_name_or_key(obs):
    obs.raises(lambda: dg.DagsterType(type_check_fn=lambda _c, v: True))


@scenario
def dagster_type_check_fn_arity(obs):
    obs.raises(
        lambda: dg.DagsterType(type_check_fn=lambda v: True, name="X"), "must take 2 arguments"
    )


@scenario
def dagster_type_properties(obs):
    t = dg.DagsterType(type_check_fn=lambda _c, v: True, name="Thing", description="d")
    obs.record("key", t.key)
    obs.record("display_name", t.display_name)
    obs.record("unique_name", t.unique_name)
    obs.record("description", t.description)
    obs.record("has_unique_name", t.has_unique_name)
    obs.record("is_builtin", t.is_builtin)
    obs.record("kind", t.kind.value)
    obs.record("eq", t == dg.DagsterType(type_check_fn=lambda _c, v: False, name="Thing"))


@scenario
def dagster_type_key_and_name(obs):
    t = dg.DagsterType(type_check_fn=lambda _c, v: True, key="k", name="n")
    obs.record("key", t.key)
    obs.record("display_name", t.display_name)
    t2 = dg.DagsterType(type_check_fn=lambda _c, v: True, key="only_key")
    obs.record("key2", t2.key)
    obs.record("display2", t2.display_name)
    obs.record("has_unique2", t2.has_unique_name)


@scenario
def dagster_type_metadata_normalized(obs):
    t = dg.DagsterType(type_check_fn=lambda _c, v: True, name="M", metadata={"n": 1})
    obs.metadata("md", t.metadata)


@scenario
def type_check_namedtuple(obs):
    tc = dg.TypeCheck(True)
    obs.record("fields", [tc.success, tc.description, dict(tc.metadata)])
    tc2 = dg.TypeCheck(success=False, description="bad", metadata={"n": 0})
    obs.record("n", tc2.metadata["n"].value)
    obs.kind("n_kind", tc2.metadata["n"])


@scenario
def python_object_dagster_type(obs):
    t = dg.PythonObjectDagsterType(int)
    obs.record("names", [t.key, t.display_name, t.unique_name])
    obs.record("ok", t.type_check(None, 3).success)
    bad = t.type_check(None, "a")
    obs.record("bad", [bad.success, bad.description])


@scenario
def python_object_dagster_type_union(obs):
    t = dg.PythonObjectDagsterType((int, float))
    obs.record("name", t.display_name)
    obs.record("checks", [t.type_check(None, v).success for v in (1, 1.5, "a")])


@scenario
def python_object_dagster_type_named(obs):
    t = dg.PythonObjectDagsterType(str, name="Text")
    obs.record("names", [t.key, t.display_name])

    @dg.op(out=dg.Out(t))
    def f():
        return 5

    @dg.job
    def j():
        f()

    obs.raises(j.execute_in_process, 'expected type "Text"', "for Dagster type Text")


@scenario
def check_dagster_type_scalars(obs):
    rows = []
    for t, v in [
        (int, 1),
        (int, "1"),
        (str, "x"),
        (str, 2),
        (float, 1.0),
        (float, 1),
        (bool, True),
        (bool, 1),
    ]:
        tc = dg.check_dagster_type(t, v)
        rows.append([tc.success, tc.description])
    obs.record("rows", rows)


@scenario
def check_dagster_type_containers(obs):
    rows = []
    for t, v in [
        (dg.List[int], [1, 2]),
        (dg.List[int], [1, "x"]),
        (dg.Optional[str], None),
        (dg.Optional[str], 3),
        (dg.Dict[str, int], {"a": 1}),
        (dg.Dict[str, int], {"a": "b"}),
        (dg.Set[int], {1, 2}),
        (dg.Tuple[int, str], (1, "a")),
        (dg.Tuple[int, str], (1,)),
        (list, [1]),
        (list, 3),
        (dict, {}),
        (dict, []),
    ]:
        tc = dg.check_dagster_type(t, v)
        rows.append([tc.success, tc.description])
    obs.record("rows", rows)


@scenario
def check_dagster_type_rejects_typing_list(obs):
    obs.raises(
        lambda: dg.check_dagster_type(typing.List[int], [1]),  # noqa: UP006
        "Must pass in a type from dagster module",
    )


@scenario
def check_dagster_type_rejects_builtin_generic(obs):
    obs.raises(
        lambda: dg.check_dagster_type(list[str], ["a"]), "Must pass in a type from dagster module"
    )


@scenario
def check_dagster_type_rejects_typing_optional(obs):
    obs.raises(
        lambda: dg.check_dagster_type(typing.Optional[int], None),  # noqa: UP045
        "Must pass in a type from dagster module",
    )


@scenario
def check_dagster_type_typing_any(obs):
    obs.record("any", dg.check_dagster_type(typing.Any, object()).success)


@scenario
def typing_annotations_on_ops(obs):
    @dg.op
    def f() -> typing.List[int]:  # noqa: UP006
        return ["a"]  # type: ignore[list-item]

    @dg.job
    def j():
        f()

    obs.raises(j.execute_in_process, 'expected type "[Int]"')


@scenario
def typing_dict_annotation_on_input(obs):
    @dg.op
    def g():
        return {"a": 1}

    @dg.op
    def h(x: typing.Dict[str, str]):  # noqa: UP006
        return x

    @dg.job
    def j():
        h(g())

    obs.raises(j.execute_in_process, 'expected type "Dict[String,String]"')


@scenario
def container_display_names(obs):
    obs.record(
        "names",
        [
            dg.List[int].display_name,
            dg.Optional[int].display_name,
            dg.Dict[str, int].display_name,
            dg.Set[int].display_name,
            dg.Tuple[int, str].display_name,
            dg.List[dg.Optional[str]].display_name,
        ],
    )
    obs.record(
        "keys",
        [
            dg.List[int].key,
            dg.Optional[int].key,
            dg.Dict[str, int].key,
            dg.Set[int].key,
            dg.Tuple[int, str].key,
        ],
    )


@scenario
def container_kinds(obs):
    obs.record("list", dg.List[int].kind.value)
    obs.record("opt", dg.Optional[int].kind.value)
    obs.record("dict", dg.Dict[str, int].kind.value)


@scenario
def inner_types(obs):
    obs.record("list", [t.key for t in dg.List[dg.Optional[int]].inner_types])
    obs.record("params", list(dg.Dict[str, int].type_param_keys))


@scenario
def usable_as_dagster_type_decorator(obs):
    @dg.usable_as_dagster_type
    class Money:
        pass

    @dg.op
    def f() -> Money:
        return 5  # type: ignore[return-value]

    @dg.job
    def j():
        f()

    obs.record("is_class", isinstance(Money, type))
    obs.raises(j.execute_in_process, 'expected type "Money"', "for Dagster type Money")


@scenario
def usable_as_dagster_type_with_name(obs):
    @dg.usable_as_dagster_type(name="Cash", description="money")
    class Money2:
        pass

    @dg.op
    def f() -> Money2:
        return 5  # type: ignore[return-value]

    @dg.job
    def j():
        f()

    obs.raises(j.execute_in_process, 'expected type "Cash"')


@scenario
def make_python_type_usable(obs):
    class Celsius:
        pass

    t = dg.PythonObjectDagsterType(Celsius, name="Temperature")
    dg.make_python_type_usable_as_dagster_type(Celsius, t)

    @dg.op
    def f() -> Celsius:
        return 1  # type: ignore[return-value]

    @dg.job
    def j():
        f()

    obs.raises(j.execute_in_process, 'expected type "Temperature"')


@scenario
def make_python_type_usable_twice_fails(obs):
    class Kelvin:
        pass

    dg.make_python_type_usable_as_dagster_type(Kelvin, dg.PythonObjectDagsterType(Kelvin))
    obs.raises(
        lambda: dg.make_python_type_usable_as_dagster_type(
            Kelvin, dg.PythonObjectDagsterType(Kelvin, name="Other")
        ),
        "already been registered",
    )


@scenario
def nothing_input_orders_only(obs):
    order = []

    @dg.op
    def first():
        order.append("first")

    @dg.op(ins={"after": dg.In(dg.Nothing)})
    def second():
        order.append("second")
        return 2

    @dg.job
    def j():
        second(after=first())

    r = j.execute_in_process()
    obs.record("order", order)
    obs.record("out", r.output_for_node("second"))


@scenario
def nothing_output(obs):
    @dg.op(out=dg.Out(dg.Nothing))
    def first():
        pass

    @dg.op(ins={"start": dg.In(dg.Nothing)})
    def second():
        return "done"

    @dg.job
    def j():
        second(start=first())

    obs.record("out", j.execute_in_process().output_for_node("second"))


@scenario
def none_return_annotation(obs):
    @dg.op
    def f() -> None:
        return None

    @dg.job
    def j():
        f()

    obs.record("success", j.execute_in_process().success)


@scenario
def output_generic_annotation(obs):
    @dg.op
    def f() -> dg.Output[int]:
        return dg.Output("x")  # type: ignore[arg-type]

    @dg.job
    def j():
        f()

    obs.raises(j.execute_in_process, 'expected type "Int"')


@scenario
def multi_output_tuple_annotation(obs):
    @dg.op(out={"a": dg.Out(), "b": dg.Out()})
    def f() -> tuple[int, str]:
        return 1, 2  # type: ignore[return-value]

    @dg.job
    def j():
        f()

    obs.raises(j.execute_in_process, 'step output "b"', 'expected type "String"')


@scenario
def asset_return_annotation_checked(obs):
    @dg.asset
    def a() -> str:
        return 1  # type: ignore[return-value]

    obs.raises(lambda: dg.materialize([a]), 'step output "result"', 'expected type "String"')


@scenario
def asset_return_annotation_failure_events(obs):
    @dg.asset
    def a() -> str:
        return 1  # type: ignore[return-value]

    r = dg.materialize([a], raise_on_error=False)
    obs.record("success", r.success)
    obs.record(
        "mats",
        [e.event_type_value for e in r.all_events if e.event_type_value == "ASSET_MATERIALIZATION"],
    )


@scenario
def asset_input_annotation_checked(obs):
    @dg.asset
    def up() -> int:
        return 1

    @dg.asset
    def down(up: str) -> str:
        return up

    obs.raises(lambda: dg.materialize([up, down]), 'step input "up"', 'expected type "String"')


@scenario
def asset_materialize_result_annotation(obs):
    @dg.asset
    def a() -> dg.MaterializeResult:
        return dg.MaterializeResult(metadata={"n": 1})

    obs.record("success", dg.materialize([a]).success)


@scenario
def type_check_fn_raising(obs):
    def boom(_ctx, _v):
        raise ValueError("inside check")

    T = dg.DagsterType(type_check_fn=boom, name="Boom")

    @dg.op(out=dg.Out(T))
    def f():
        return 1

    @dg.job
    def j():
        f()

    obs.raises(j.execute_in_process)


@scenario
def list_of_nothing_is_invalid(obs):
    obs.raises(lambda: dg.List[dg.Nothing], "can not be wrapped in List or Optional")


@scenario
def optional_of_nothing_is_invalid(obs):
    obs.raises(lambda: dg.Optional[dg.Nothing], "can not be wrapped in List or Optional")


@scenario
def type_check_context_has_resources(obs):
    seen = []

    def check(context, value):
        seen.append(context.resources.limit)
        return value < context.resources.limit

    T = dg.DagsterType(type_check_fn=check, name="Limited", required_resource_keys={"limit"})

    @dg.op(out=dg.Out(T))
    def f():
        return 3

    @dg.job(resource_defs={"limit": dg.ResourceDefinition.hardcoded_resource(10)})
    def j():
        f()

    obs.record("success", j.execute_in_process().success)
    obs.record("seen", seen)


@scenario
def type_required_resource_missing_names_the_type(obs):
    T = dg.DagsterType(
        type_check_fn=lambda _c, v: True, name="Checked", required_resource_keys={"checker"}
    )

    @dg.op(out=dg.Out(T))
    def f():
        return 3

    @dg.job
    def j():
        f()

    fragment = "resource with key 'checker' required by type 'Checked' was not provided"
    obs.raises(j.execute_in_process, fragment, key="job")

    @dg.asset(dagster_type=T)
    def a():
        return 1

    obs.raises(lambda: dg.materialize([a]), fragment, key="materialize")
    obs.raises(
        lambda: dg.Definitions(assets=[a]).resolve_all_job_defs(), fragment, key="definitions"
    )


@scenario
def type_loader_required_resource_missing_names_the_loader(obs):
    @dg.dagster_type_loader(config_schema=int, required_resource_keys={"r"})
    def load(context, config):
        return config

    T = dg.DagsterType(type_check_fn=lambda _c, v: True, name="Loaded", loader=load)

    @dg.op(ins={"x": dg.In(T)})
    def use(x):
        return x

    @dg.job
    def j():
        use()

    config = {"ops": {"use": {"inputs": {"x": 1}}}}
    obs.raises(
        lambda: j.execute_in_process(run_config=config),
        "resource with key 'r' required by the loader on type 'Loaded' was not provided",
    )


@scenario
def direct_invocation_output_typecheck(obs):
    @dg.op
    def f() -> str:
        return 1  # type: ignore[return-value]

    obs.raises(f, 'expected type "String"')


@scenario
def fan_in_list_input(obs):
    @dg.op
    def one() -> int:
        return 1

    @dg.op
    def two() -> int:
        return 2

    @dg.op
    def total(xs: list[int]) -> int:
        return sum(xs)

    @dg.job
    def j():
        total([one.alias("a")(), two()])

    obs.record("out", j.execute_in_process().output_for_node("total"))


@scenario
def input_default_value_typed(obs):
    @dg.op
    def f(x: int = 5) -> int:
        return x

    @dg.job
    def j():
        f()

    obs.record("out", j.execute_in_process().output_for_node("f"))


@scenario
def input_from_config_type_checked(obs):
    @dg.op
    def f(x: int) -> int:
        return x

    @dg.job
    def j():
        f()

    obs.record(
        "out",
        j.execute_in_process(run_config={"ops": {"f": {"inputs": {"x": 4}}}}).output_for_node("f"),
    )


@scenario
def set_output_checked(obs):
    @dg.op
    def f() -> set[int]:
        return {1, "a"}  # type: ignore[arg-type]

    @dg.job
    def j():
        f()

    obs.raises(j.execute_in_process, 'expected type "Set[Int]"')


@scenario
def float_output_rejects_int(obs):
    @dg.op
    def f() -> float:
        return 1

    @dg.job
    def j():
        f()

    obs.raises(j.execute_in_process, 'expected type "Float"')


@scenario
def any_annotation_accepts_everything(obs):
    @dg.op
    def f() -> typing.Any:
        return object()

    @dg.job
    def j():
        f()

    obs.record("success", j.execute_in_process().success)


@scenario
def dagster_type_on_in_and_out(obs):
    Pos = dg.DagsterType(type_check_fn=lambda _c, v: v > 0, name="Pos")

    @dg.op(out=dg.Out(Pos))
    def f():
        return 5

    @dg.op(ins={"x": dg.In(Pos)})
    def g(x):
        return -x

    @dg.op(ins={"y": dg.In(Pos)})
    def h(y):
        return y

    @dg.job
    def j():
        h(g(f()))

    obs.raises(j.execute_in_process, 'step input "y"', 'expected type "Pos"')


# loaders: inputs built from run config -----------------------------------------------------


def _pair_job(seen):  # type: ignore[no-untyped-def]
    @dg.dagster_type_loader(
        config_schema={"a": int, "b": dg.Field(str, default_value="x")},
        required_resource_keys={"r"},
    )
    def load_pair(context, config):
        seen["context"] = type(context).__name__
        seen["resource"] = context.resources.r
        seen["run_id_is_str"] = isinstance(context.run_id, str)
        context.log.info("loading")
        return (config["a"], config["b"])

    pair = dg.DagsterType(
        type_check_fn=lambda _c, v: isinstance(v, tuple), name="Pair", loader=load_pair
    )

    @dg.op(ins={"p": dg.In(pair)})
    def use(p):
        return list(p)

    @dg.job(resource_defs={"r": dg.ResourceDefinition.hardcoded_resource(7)})
    def j():
        use()

    return j


@scenario
def type_loader_builds_an_input_from_run_config(obs):
    seen = {}
    result = _pair_job(seen).execute_in_process(
        run_config={"ops": {"use": {"inputs": {"p": {"a": 3}}}}}
    )
    obs.record("success", result.success)
    obs.record("output", result.output_for_node("use"))
    obs.record("seen", seen)
    obs.events(result)


@scenario
def type_loader_schema_validates_run_config(obs):
    job = _pair_job({})
    obs.raises(
        lambda: job.execute_in_process(run_config={"ops": {"use": {"inputs": {"p": {"a": "no"}}}}}),
        "inputs",
        key="wrong_type",
    )
    obs.raises(
        lambda: job.execute_in_process(
            run_config={"ops": {"use": {"inputs": {"p": {"value": 3}}}}}
        ),
        "value",
        key="value_wrapper_not_accepted",
    )


@scenario
def type_loader_failure_fails_the_step(obs):
    @dg.dagster_type_loader(config_schema=int)
    def boom(_context, value):
        raise ValueError("nope")

    b = dg.DagsterType(type_check_fn=lambda _c, _v: True, name="B", loader=boom)

    @dg.op(ins={"x": dg.In(b)})
    def o(x):
        return x

    @dg.job
    def j():
        o()

    config = {"ops": {"o": {"inputs": {"x": 1}}}}
    result = j.execute_in_process(run_config=config, raise_on_error=False)
    obs.record("success", result.success)
    obs.events(result)
    obs.raises(lambda: j.execute_in_process(run_config=config), "nope")


@scenario
def type_loader_on_python_object_type_annotation(obs):
    class Box:
        def __init__(self, x):
            self.x = x

    loader = dg.dagster_type_loader(config_schema=int)(lambda context, v: Box(v * 2))
    box_type = dg.PythonObjectDagsterType(Box, loader=loader)

    @dg.op
    def o(b: box_type):
        return b.x

    @dg.job
    def j():
        o()

    result = j.execute_in_process(run_config={"ops": {"o": {"inputs": {"b": 5}}}})
    obs.record("output", result.output_for_node("o"))


@scenario
def type_loader_needs_a_context_parameter(obs):
    obs.raises(lambda: dg.dagster_type_loader(int)(lambda c, v: v), "context", key="named_c")
    loader = dg.dagster_type_loader(int)(lambda _context, v: v)
    obs.kind("loader", loader)
    obs.record("is_type_loader", isinstance(loader, dg.DagsterTypeLoader))
    obs.record("resource_keys", sorted(loader.required_resource_keys()))


@scenario
def type_loader_base_class_is_abstract(obs):
    obs.raises(dg.DagsterTypeLoader, "abstract", key="base")

    class Loader(dg.DagsterTypeLoader):
        @property
        def schema_type(self):
            return dg.Int

    loader = Loader()
    obs.record("default_construct", loader.construct_from_config_value(None, 5))
    obs.record("default_resource_keys", sorted(loader.required_resource_keys()))


@scenario
def type_check_context_gives_run_id_log_and_resources(obs):
    seen = {}

    def check(context, value):
        seen["attrs"] = [hasattr(context, a) for a in ("run_id", "log", "resources")]
        seen["resource"] = context.resources.r
        seen["kind"] = type(context).__name__
        return isinstance(value, int)

    checked = dg.DagsterType(type_check_fn=check, name="Checked", required_resource_keys={"r"})

    @dg.op(out=dg.Out(checked))
    def o():
        return 1

    @dg.job(resource_defs={"r": dg.ResourceDefinition.hardcoded_resource("R")})
    def j():
        o()

    obs.record("success", j.execute_in_process().success)
    obs.record("seen", seen)


@scenario
def dagster_type_each_parameter_shows(obs):
    kinds = type(dg.DagsterType(type_check_fn=lambda _c, v: True, name="K").kind)
    t = dg.DagsterType(
        type_check_fn=lambda _c, v: v is None,
        key="k",
        name="n",
        is_builtin=True,
        description="d",
        required_resource_keys={"db"},
        kind=kinds.NOTHING,
        typing_type=int,
        metadata={"rows": 3},
    )
    obs.record("names", [t.key, t.unique_name, t.display_name, t.description])
    obs.record("is_builtin", t.is_builtin)
    obs.record("required_resource_keys", t.required_resource_keys)
    obs.record("kind", [t.kind.value, t.is_nothing, t.is_any])
    obs.record("typing_type_is_int", t.typing_type is int)
    obs.metadata("metadata", t.metadata)


@scenario
def dagster_type_required_resource_must_be_bound(obs):
    T = dg.DagsterType(
        type_check_fn=lambda _c, v: True, name="NeedsDb", required_resource_keys={"db"}
    )

    @dg.op(out=dg.Out(T))
    def f():
        return 1

    @dg.job
    def j():
        f()

    # Refused when the job runs, before any step: no resource is bound to the key.
    obs.raises(j.execute_in_process, "db")


@scenario
def check_dagster_type_reads_no_resources(obs):
    def check(context, value):
        return bool(context.resources.db)

    T = dg.DagsterType(type_check_fn=check, name="ReadsDb", required_resource_keys={"db"})
    obs.raises(lambda: dg.check_dagster_type(T, 1), "db")


@scenario
def check_dagster_type_failure_is_a_failed_check(obs):
    def check(context, value):
        raise dg.Failure("too large")

    outcome = dg.check_dagster_type(dg.DagsterType(type_check_fn=check, name="Small"), 5)
    obs.record("outcome", [outcome.success, outcome.description])


@scenario
def in_out_dagster_type_none_is_any(obs):
    @dg.op
    def text() -> str:
        return "x"

    @dg.op(ins={"a": dg.In(dagster_type=None)}, out=dg.Out(dagster_type=None))
    def untyped(a: int) -> int:
        return "not an int"

    @dg.job
    def j():
        untyped(text())

    r = j.execute_in_process(raise_on_error=False)
    obs.record("success", r.success)
    obs.record(
        "messages",
        [
            [e.step_key, e.message]
            for e in r.all_events
            if e.event_type_value in ("STEP_INPUT", "STEP_OUTPUT")
        ],
    )


@scenario
def asset_dagster_type_none_reads_annotation(obs):
    @dg.asset(dagster_type=None)
    def counted() -> int:
        return "not an int"

    r = dg.materialize([counted], raise_on_error=False)
    obs.record("success", r.success)
    obs.record("failed", [e.step_key for e in r.all_events if e.event_type_value == "STEP_FAILURE"])


@scenario
def type_loader_context_parameter_names(obs):
    # The context's accepted names (`_`-marked when unused), taken positionally, and a
    # second parameter for the config value.
    sources = {
        "context_": "def f(context_, value): return value",
        "_": "def f(_, value): return value",
        "_foo": "def f(_foo, value): return value",
        "ctx": "def f(ctx, value): return value",
        "context_alone": "def f(context): return None",
        "keyword_only": "def f(*, context, value): return value",
    }
    for label, source in sources.items():
        namespace: dict = {}
        exec(source, namespace)  # each signature under test, built the same way
        obs.raises(
            lambda fn=namespace["f"]: dg.dagster_type_loader(config_schema=int)(fn),
            "does not have required positional parameter",
            key=label,
        )
