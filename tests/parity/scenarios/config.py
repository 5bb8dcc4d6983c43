"""Config: every schema form, defaults, run config validation, Config classes, RunConfig."""

import enum
import os
from typing import Literal

from _harness import dg, scenario


def _run_op(schema, config=None, *, omit=False):
    """Run a one-op job whose op has ``schema``; return the config the op received."""
    seen = []

    @dg.op(config_schema=schema)
    def o(context):
        seen.append(context.op_config)

    @dg.job
    def j():
        o()

    run_config = {} if omit else {"ops": {"o": {"config": config}}}
    result = j.execute_in_process(run_config=run_config)
    assert result.success
    return seen[0]


def _seen(obs, schema, config=None, *, omit=False, key="config"):
    obs.record(key, _run_op(schema, config, omit=omit))


def _rejects(obs, schema, config, *fragments, omit=False, key="error"):
    obs.raises(lambda: _run_op(schema, config, omit=omit), *fragments, key=key)


def _run_typed(cls, config=None, *, omit=False):
    """Run a one-op job whose op takes ``config: cls``; return the object it received."""
    seen = []

    @dg.op
    def o(config: cls):
        seen.append(config)

    @dg.job
    def j():
        o()

    run_config = {} if omit else {"ops": {"o": {"config": config}}}
    j.execute_in_process(run_config=run_config)
    return seen[0]


# --- scalars -------------------------------------------------------------------------


@scenario
def scalar_int_accepted(obs):
    _seen(obs, int, 3)


@scenario
def scalar_int_rejects_str(obs):
    _rejects(obs, int, "three", "three")


@scenario
def scalar_int_rejects_bool(obs):
    _rejects(obs, int, True, "True")


@scenario
def scalar_float_accepts_int(obs):
    value = _run_op(float, 2)
    obs.record("value", value)
    obs.record("type", type(value).__name__)


@scenario
def scalar_float_rejects_str(obs):
    _rejects(obs, float, "1.5", "1.5")


@scenario
def scalar_bool_rejects_int(obs):
    _rejects(obs, bool, 1)


@scenario
def scalar_str_rejects_int(obs):
    _rejects(obs, str, 5)


@scenario
def dg_scalar_types(obs):
    _seen(
        obs,
        {"i": dg.Int, "s": dg.String, "f": dg.Float, "b": dg.Bool},
        {"i": 1, "s": "a", "f": 1.5, "b": False},
    )


@scenario
def any_accepts_anything(obs):
    _seen(obs, dg.Any, {"x": [1, "a", None]})


@scenario
def no_schema_accepts_anything(obs):
    @dg.op
    def o(context):
        return context.op_config

    @dg.job
    def j():
        o()

    result = j.execute_in_process(run_config={"ops": {"o": {"config": {"free": [1, 2]}}}})
    obs.record("config", result.output_for_node("o"))


@scenario
def no_schema_omitted_config_is_none(obs):
    @dg.op
    def o(context):
        return context.op_config

    @dg.job
    def j():
        o()

    obs.record("config", j.execute_in_process().output_for_node("o"))


@scenario
def scalar_schema_required(obs):
    _rejects(obs, int, None, omit=True)


@scenario
def invalid_config_error_names_op(obs):
    _rejects(obs, {"n": int}, {"n": "x"}, '"n"', "x")


@scenario
def invalid_config_error_is_dagster_error(obs):
    def bad():
        _run_op({"n": int}, {"n": "x"})

    try:
        bad()
    except dg.DagsterInvalidConfigError as exc:
        obs.record("is_dagster_error", isinstance(exc, dg.DagsterError))
        obs.record("errors", len(exc.errors))


# --- dict shapes ---------------------------------------------------------------------


@scenario
def shape_dict_accepted(obs):
    _seen(obs, {"a": int, "b": str}, {"a": 1, "b": "x"})


@scenario
def shape_missing_required_field(obs):
    _rejects(obs, {"a": int, "b": str}, {"a": 1}, '"b"')


@scenario
def shape_unknown_field(obs):
    _rejects(obs, {"a": int}, {"a": 1, "zzz": 2}, '"zzz"')


@scenario
def shape_two_problems_reported_together(obs):
    try:
        _run_op({"a": int, "b": str}, {"a": "x", "zzz": 1})
    except dg.DagsterInvalidConfigError as exc:
        obs.record("count", len(exc.errors))
        obs.record("message_has_both", "zzz" in str(exc) and '"b"' in str(exc))


@scenario
def shape_explicit_class(obs):
    _seen(obs, dg.Shape({"a": int, "b": dg.Field(str, default_value="d")}), {"a": 1})


@scenario
def shape_nested_dicts(obs):
    _seen(
        obs,
        {"outer": {"inner": int, "other": dg.Field(int, default_value=2)}},
        {"outer": {"inner": 1}},
    )


@scenario
def shape_not_a_dict(obs):
    _rejects(obs, {"a": int}, [1, 2])


@scenario
def shape_all_optional_may_be_omitted(obs):
    _seen(obs, {"a": dg.Field(int, default_value=4)}, omit=True)


@scenario
def shape_nested_all_defaults_filled(obs):
    _seen(
        obs,
        {
            "db": {
                "host": dg.Field(str, default_value="localhost"),
                "port": dg.Field(int, default_value=5432),
            }
        },
        omit=True,
    )


# --- Field ---------------------------------------------------------------------------


@scenario
def field_default_value_filled(obs):
    _seen(obs, {"a": dg.Field(int, default_value=7)}, {})


@scenario
def field_not_required_left_out(obs):
    _seen(obs, {"a": dg.Field(int, is_required=False), "b": int}, {"b": 1})


@scenario
def field_description_and_default(obs):
    f = dg.Field(int, default_value=3, description="how many")
    obs.record("description", f.description)
    obs.record("default", f.default_value)
    obs.record("is_required", f.is_required)
    obs.record("default_provided", f.default_provided)


@scenario
def field_required_by_default(obs):
    f = dg.Field(int)
    obs.record("is_required", f.is_required)
    obs.record("default_provided", f.default_provided)


@scenario
def field_as_whole_schema(obs):
    _seen(obs, dg.Field(int, default_value=9), omit=True)


@scenario
def field_default_wrong_type_is_definition_error(obs):
    obs.raises(lambda: dg.Field(int, default_value="x"))


@scenario
def field_required_with_default_is_definition_error(obs):
    obs.raises(lambda: dg.Field(int, default_value=1, is_required=True))


@scenario
def field_unsupported_type_is_definition_error(obs):
    class NotAType:
        pass

    obs.raises(lambda: dg.Field(NotAType))


@scenario
def op_schema_bad_type_is_definition_error(obs):
    def build():
        @dg.op(config_schema={"a": object()})
        def o():
            pass

    obs.raises(build)


# --- Permissive, Selector ------------------------------------------------------------


@scenario
def permissive_passes_extra_keys(obs):
    _seen(obs, dg.Permissive({"a": int}), {"a": 1, "extra": "yes"})


@scenario
def permissive_checks_declared(obs):
    _rejects(obs, dg.Permissive({"a": int}), {"a": "x", "extra": 1}, "x")


@scenario
def permissive_empty_anything_goes(obs):
    _seen(obs, dg.Permissive(), {"x": 1, "y": [2]})


@scenario
def dict_builtin_is_permissive(obs):
    _seen(obs, dict, {"x": 1})


@scenario
def selector_one_choice(obs):
    _seen(obs, dg.Selector({"csv": {"sep": str}, "json": {"indent": int}}), {"csv": {"sep": ";"}})


@scenario
def selector_two_choices_rejected(obs):
    _rejects(obs, dg.Selector({"csv": str, "json": str}), {"csv": "a", "json": "b"})


@scenario
def selector_unknown_choice(obs):
    _rejects(obs, dg.Selector({"csv": str, "json": str}), {"xml": "a"}, "xml")


@scenario
def selector_none_given(obs):
    _rejects(obs, dg.Selector({"csv": str, "json": str}), {})


@scenario
def selector_single_choice_with_defaults_may_be_empty(obs):
    _seen(obs, dg.Selector({"csv": {"sep": dg.Field(str, default_value=",")}}), {})


# --- Array, Noneable, Map, Enum, ScalarUnion ------------------------------------------


@scenario
def array_of_int(obs):
    _seen(obs, [int], [1, 2, 3])


@scenario
def array_class(obs):
    _seen(obs, dg.Array(str), ["a", "b"])


@scenario
def array_rejects_bad_item(obs):
    _rejects(obs, [int], [1, "two", 3], "two")


@scenario
def array_rejects_non_list(obs):
    _rejects(obs, [int], 5)


@scenario
def array_of_shapes_defaults(obs):
    _seen(obs, [{"a": int, "b": dg.Field(int, default_value=0)}], [{"a": 1}, {"a": 2, "b": 3}])


@scenario
def noneable_accepts_none(obs):
    _seen(obs, {"a": dg.Noneable(int)}, {"a": None})


@scenario
def noneable_omitted_is_none(obs):
    _seen(obs, {"a": dg.Noneable(int)}, {})


@scenario
def noneable_checks_inner(obs):
    _rejects(obs, {"a": dg.Noneable(int)}, {"a": "x"}, "x")


@scenario
def none_rejected_for_plain_int(obs):
    _rejects(obs, {"a": int}, {"a": None})


@scenario
def map_str_to_int(obs):
    _seen(obs, dg.Map(str, int), {"x": 1, "y": 2})


@scenario
def map_rejects_bad_value(obs):
    _rejects(obs, dg.Map(str, int), {"x": "one"}, "one")


@scenario
def map_int_keys(obs):
    _seen(obs, dg.Map(int, str), {1: "a", 2: "b"})


@scenario
def map_rejects_bad_key(obs):
    _rejects(obs, dg.Map(int, str), {"a": "b"})


@scenario
def enum_values(obs):
    _seen(
        obs, dg.Enum("Color", [dg.EnumValue("RED"), dg.EnumValue("GREEN", python_value=2)]), "GREEN"
    )


@scenario
def enum_rejects_unknown(obs):
    _rejects(obs, dg.Enum("Shade", [dg.EnumValue("RED")]), "PURPLE", "PURPLE")


@scenario
def enum_from_python_enum(obs):
    class Hue(enum.Enum):
        RED = 1
        BLUE = 2

    value = _run_op(dg.Enum.from_python_enum(Hue), "BLUE")
    obs.record("is_member", value is Hue.BLUE)


@scenario
def enum_rejects_member_value(obs):
    class Tint(enum.Enum):
        RED = 1

    _rejects(obs, dg.Enum.from_python_enum(Tint), 1)


@scenario
def scalar_union_scalar(obs):
    _seen(obs, dg.ScalarUnion(scalar_type=str, non_scalar_schema={"path": str}), "a.csv")


@scenario
def scalar_union_dict(obs):
    _seen(obs, dg.ScalarUnion(scalar_type=str, non_scalar_schema={"path": str}), {"path": "a.csv"})


@scenario
def scalar_union_rejects_other(obs):
    _rejects(obs, dg.ScalarUnion(scalar_type=str, non_scalar_schema={"path": str}), 5)


# --- sources and EnvVar ----------------------------------------------------------------


@scenario
def string_source_env(obs):
    os.environ["PARITY_CFG_S"] = "from-env"
    _seen(obs, {"s": dg.StringSource}, {"s": {"env": "PARITY_CFG_S"}})


@scenario
def string_source_literal(obs):
    _seen(obs, {"s": dg.StringSource}, {"s": "plain"})


@scenario
def int_source_env_parsed(obs):
    os.environ["PARITY_CFG_I"] = "42"
    _seen(obs, {"i": dg.IntSource}, {"i": {"env": "PARITY_CFG_I"}})


@scenario
def int_source_env_not_int(obs):
    os.environ["PARITY_CFG_BAD"] = "forty"
    _rejects(obs, {"i": dg.IntSource}, {"i": {"env": "PARITY_CFG_BAD"}}, "PARITY_CFG_BAD")


@scenario
def bool_source_env(obs):
    os.environ["PARITY_CFG_B"] = "true"
    _seen(obs, {"b": dg.BoolSource}, {"b": {"env": "PARITY_CFG_B"}})


@scenario
def source_env_unset(obs):
    os.environ.pop("PARITY_CFG_UNSET", None)
    _rejects(obs, {"s": dg.StringSource}, {"s": {"env": "PARITY_CFG_UNSET"}}, "PARITY_CFG_UNSET")


@scenario
def env_var_is_str(obs):
    v = dg.EnvVar("PARITY_NAME")
    obs.record("isinstance_str", isinstance(v, str))
    obs.record("name", v.env_var_name)
    obs.raises(lambda: str(v), "PARITY_NAME", key="str")


@scenario
def env_var_get_value(obs):
    os.environ["PARITY_GET"] = "val"
    os.environ.pop("PARITY_GET_MISSING", None)
    obs.record("set", dg.EnvVar("PARITY_GET").get_value())
    obs.record("unset", dg.EnvVar("PARITY_GET_MISSING").get_value())
    obs.record("unset_default", dg.EnvVar("PARITY_GET_MISSING").get_value("d"))


@scenario
def env_var_in_config_class(obs):
    class C(dg.Config):
        name: str

    os.environ["PARITY_CC"] = "resolved"

    @dg.op
    def o(config: C):
        return config.name

    @dg.job
    def j():
        o()

    result = j.execute_in_process(
        run_config=dg.RunConfig(ops={"o": C(name=dg.EnvVar("PARITY_CC"))})
    )
    obs.record("out", result.output_for_node("o"))


@scenario
def env_var_int_in_config_class(obs):
    class C(dg.Config):
        n: int

    os.environ["PARITY_CC_INT"] = "12"

    @dg.op
    def o(config: C):
        return config.n

    @dg.job
    def j():
        o()

    result = j.execute_in_process(
        run_config=dg.RunConfig(ops={"o": C(n=dg.EnvVar.int("PARITY_CC_INT"))})
    )
    obs.record("out", result.output_for_node("o"))


# --- job defaults, configured ----------------------------------------------------------


@scenario
def job_config_default(obs):
    @dg.op(config_schema={"n": int})
    def o(context):
        return context.op_config["n"]

    @dg.job(config={"ops": {"o": {"config": {"n": 5}}}})
    def j():
        o()

    obs.record("default", j.execute_in_process().output_for_node("o"))
    obs.record(
        "override",
        j.execute_in_process(run_config={"ops": {"o": {"config": {"n": 6}}}}).output_for_node("o"),
    )


@scenario
def job_run_config_unknown_op(obs):
    @dg.op
    def o():
        return 1

    @dg.job
    def j():
        o()

    obs.raises(lambda: j.execute_in_process(run_config={"ops": {"nope": {"config": {}}}}), "nope")


@scenario
def job_run_config_unknown_top_level(obs):
    @dg.op
    def o():
        return 1

    @dg.job
    def j():
        o()

    obs.raises(lambda: j.execute_in_process(run_config={"bogus": {}}), "bogus")


@scenario
def op_missing_config_entirely(obs):
    _rejects(obs, {"n": int}, None, '"o"', omit=True)


@scenario
def configured_op(obs):
    @dg.op(config_schema={"n": int})
    def o(context):
        return context.op_config["n"]

    five = dg.configured(o, name="five")({"n": 5})

    @dg.job
    def j():
        five()

    obs.record("out", j.execute_in_process().output_for_node("five"))


@scenario
def validate_run_config_returns_processed(obs):
    @dg.op(config_schema={"n": int, "m": dg.Field(int, default_value=2)})
    def o(context):
        pass

    @dg.job
    def j():
        o()

    processed = dg.validate_run_config(j, {"ops": {"o": {"config": {"n": 1}}}})
    obs.record("op_config", processed["ops"]["o"]["config"])


@scenario
def validate_run_config_raises(obs):
    @dg.op(config_schema={"n": int})
    def o(context):
        pass

    @dg.job
    def j():
        o()

    obs.raises(lambda: dg.validate_run_config(j, {"ops": {"o": {"config": {"n": "x"}}}}), "x")


@scenario
def config_mapping_on_graph(obs):
    @dg.op(config_schema={"n": int})
    def o(context):
        return context.op_config["n"]

    @dg.graph(
        config=dg.ConfigMapping(
            config_schema={"m": int},
            config_fn=lambda c: {"o": {"config": {"n": c["m"] * 10}}},
        )
    )
    def g():
        return o()

    @dg.job
    def j():
        g()

    result = j.execute_in_process(run_config={"ops": {"g": {"config": {"m": 3}}}})
    obs.record("out", result.output_for_node("g"))


# --- Config classes -------------------------------------------------------------------


@scenario
def config_class_defaults(obs):
    class C(dg.Config):
        a: int = 1
        b: str = "x"

    c = _run_typed(C, omit=True)
    obs.record("values", [c.a, c.b])


@scenario
def config_class_required_missing(obs):
    class C(dg.Config):
        a: int

    obs.raises(lambda: _run_typed(C, {}), '"a"')


@scenario
def config_class_wrong_type(obs):
    class C(dg.Config):
        a: int

    obs.raises(lambda: _run_typed(C, {"a": "nope"}), "nope")


@scenario
def config_class_optional_defaults_none(obs):
    class C(dg.Config):
        a: int | None
        b: str | None = None

    c = _run_typed(C, {})
    obs.record("values", [c.a, c.b])


@scenario
def config_class_optional_given(obs):
    class C(dg.Config):
        a: int | None

    obs.record("a", _run_typed(C, {"a": 3}).a)


@scenario
def config_class_default_accepts_none(obs):
    class C(dg.Config):
        a: int = 5

    obs.raises(lambda: obs.record("a", _run_typed(C, {"a": None}).a))


@scenario
def config_class_nested(obs):
    class Inner(dg.Config):
        x: int = 1
        y: str

    class Outer(dg.Config):
        inner: Inner
        name: str = "n"

    c = _run_typed(Outer, {"inner": {"y": "why"}})
    obs.record("inner_type", type(c.inner).__name__)
    obs.record("values", [c.inner.x, c.inner.y, c.name])


@scenario
def config_class_nested_wrong_type(obs):
    class Inner(dg.Config):
        x: int

    class Outer(dg.Config):
        inner: Inner

    obs.raises(lambda: _run_typed(Outer, {"inner": {"x": "bad"}}), "bad")


@scenario
def config_class_list_and_dict(obs):
    class C(dg.Config):
        items: list[int]
        names: dict[str, str] = {}

    c = _run_typed(C, {"items": [1, 2], "names": {"a": "b"}})
    obs.record("values", [c.items, c.names])


@scenario
def config_class_list_of_nested(obs):
    class Item(dg.Config):
        n: int = 0

    class C(dg.Config):
        items: list[Item]

    c = _run_typed(C, {"items": [{"n": 1}, {}]})
    obs.record("values", [i.n for i in c.items])
    obs.record("types", [type(i).__name__ for i in c.items])


@scenario
def config_class_python_enum(obs):
    class Mode(enum.Enum):
        FAST = "fast"
        SAFE = "safe"

    class C(dg.Config):
        mode: Mode = Mode.SAFE

    obs.record("default", _run_typed(C, omit=True).mode.name)
    obs.record("given", _run_typed(C, {"mode": "FAST"}).mode.name)


@scenario
def config_class_enum_rejects_value(obs):
    class Mode(enum.Enum):
        FAST = "fast"

    class C(dg.Config):
        mode: Mode

    obs.raises(lambda: _run_typed(C, {"mode": "SLOW"}), "SLOW")


@scenario
def config_class_literal(obs):
    class C(dg.Config):
        fmt: Literal["csv", "parquet"] = "csv"

    obs.record("given", _run_typed(C, {"fmt": "parquet"}).fmt)
    obs.raises(lambda: _run_typed(C, {"fmt": "xml"}), "xml")


@scenario
def config_class_discriminated_union(obs):
    import pydantic

    class Cat(dg.Config):
        pet_type: Literal["cat"] = "cat"
        meows: int

    class Dog(dg.Config):
        pet_type: Literal["dog"] = "dog"
        barks: float

    class C(dg.Config):
        pet: Cat | Dog = pydantic.Field(discriminator="pet_type")

    c = _run_typed(C, {"pet": {"cat": {"meows": 3}}})
    obs.record("type", type(c.pet).__name__)
    obs.record("meows", c.pet.meows)
    d = _run_typed(C, {"pet": {"dog": {"barks": 1.5}}})
    obs.record("dog", [type(d.pet).__name__, d.pet.barks])


@scenario
def config_class_permissive(obs):
    class C(dg.PermissiveConfig):
        a: int = 1

    c = _run_typed(C, {"a": 2, "extra": "x"})
    obs.record("a", c.a)
    obs.record("dump", c.model_dump())


@scenario
def config_class_strict_rejects_extra(obs):
    class C(dg.Config):
        a: int = 1

    obs.raises(lambda: _run_typed(C, {"a": 2, "extra": "x"}), "extra")


@scenario
def config_class_field_validator_runs(obs):
    import pydantic

    class C(dg.Config):
        name: str

        @pydantic.field_validator("name")
        @classmethod
        def upper(cls, v):
            return v.upper()

    obs.record("name", _run_typed(C, {"name": "abc"}).name)


@scenario
def config_class_validator_failure(obs):
    import pydantic

    class C(dg.Config):
        n: int

        @pydantic.field_validator("n")
        @classmethod
        def positive(cls, v):
            if v <= 0:
                raise ValueError("n must be positive")
            return v

    obs.raises(lambda: _run_typed(C, {"n": -1}), "n must be positive")


@scenario
def config_class_direct_construction_validates(obs):
    class C(dg.Config):
        a: int

    obs.raises(lambda: C(a="not an int"))


@scenario
def config_class_is_frozen(obs):
    class C(dg.Config):
        a: int = 1

    c = C()
    obs.raises(lambda: setattr(c, "a", 2))


@scenario
def config_class_float_field(obs):
    class C(dg.Config):
        f: float

    c = _run_typed(C, {"f": 2})
    obs.record("f", c.f)


@scenario
def config_class_pydantic_field_default_and_description(obs):
    import pydantic

    class C(dg.Config):
        n: int = pydantic.Field(default=4, description="the n")

    obs.record("n", _run_typed(C, omit=True).n)


@scenario
def config_class_on_asset(obs):
    class C(dg.Config):
        n: int = 2

    @dg.asset
    def a(config: C):
        return config.n * 2

    result = dg.materialize_to_memory([a], run_config={"ops": {"a": {"config": {"n": 5}}}})
    obs.record("value", result.output_for_node("a"))


@scenario
def config_class_with_context(obs):
    class C(dg.Config):
        n: int = 2

    @dg.op
    def o(context, config: C):
        return [config.n, context.op_config["n"]]

    @dg.job
    def j():
        o()

    obs.record("out", j.execute_in_process().output_for_node("o"))


# --- RunConfig ------------------------------------------------------------------------


@scenario
def run_config_with_config_objects(obs):
    class C(dg.Config):
        n: int

    @dg.op
    def o(config: C):
        return config.n

    @dg.job
    def j():
        o()

    result = j.execute_in_process(run_config=dg.RunConfig(ops={"o": C(n=8)}))
    obs.record("out", result.output_for_node("o"))


@scenario
def run_config_to_config_dict(obs):
    class C(dg.Config):
        n: int
        s: str = "d"

    rc = dg.RunConfig(ops={"o": C(n=8)}, resources={"r": {"config": {"x": 1}}})
    obs.record("dict", rc.to_config_dict())


@scenario
def run_config_with_plain_dicts(obs):
    @dg.op(config_schema={"n": int})
    def o(context):
        return context.op_config["n"]

    @dg.job
    def j():
        o()

    result = j.execute_in_process(run_config=dg.RunConfig(ops={"o": {"config": {"n": 4}}}))
    obs.record("out", result.output_for_node("o"))


@scenario
def run_config_resources_with_config_object(obs):
    class R(dg.ConfigurableResource):
        v: str = "default"

    @dg.op
    def o(r: R):
        return r.v

    @dg.job(resource_defs={"r": R.configure_at_launch()})
    def j():
        o()

    result = j.execute_in_process(run_config=dg.RunConfig(resources={"r": R(v="given")}))
    obs.record("out", result.output_for_node("o"))


# --- config from files and strings -----------------------------------------------------


@scenario
def config_from_yaml_strings_merges(obs):
    merged = dg.config_from_yaml_strings(
        ["ops:\n  o:\n    config:\n      n: 1\n", "ops:\n  o:\n    config:\n      m: 2\n"]
    )
    obs.record("merged", merged)


@scenario
def config_from_yaml_strings_invalid(obs):
    obs.raises(lambda: dg.config_from_yaml_strings(["a: [1, 2"]))


@scenario
def config_from_files_merges(obs):
    with open("one.yaml", "w") as f:
        f.write("ops:\n  o:\n    config:\n      n: 1\n")
    with open("two.yaml", "w") as f:
        f.write("resources:\n  r:\n    config: {x: 2}\n")
    obs.record("merged", dg.config_from_files(["one.yaml", "two.yaml"]))


@scenario
def config_from_files_missing(obs):
    obs.raises(lambda: dg.config_from_files(["does-not-exist.yaml"]))


# --- more interplay ----------------------------------------------------------------------


@scenario
def array_of_noneable(obs):
    _seen(obs, [dg.Noneable(int)], [1, None, 3])


@scenario
def map_of_shapes_with_defaults(obs):
    _seen(obs, dg.Map(str, {"n": dg.Field(int, default_value=1)}), {"a": {}, "b": {"n": 2}})


@scenario
def permissive_nested_defaults(obs):
    _seen(obs, dg.Permissive({"inner": {"x": dg.Field(int, default_value=5)}}), {"other": 1})


@scenario
def selector_with_default_choice_in_field(obs):
    schema = {
        "fmt": dg.Field(
            dg.Selector({"csv": {"sep": str}, "json": {"indent": int}}),
            default_value={"csv": {"sep": ","}},
        )
    }
    _seen(obs, schema, {})


@scenario
def string_source_rejects_int(obs):
    _rejects(obs, {"s": dg.StringSource}, {"s": 5})


@scenario
def int_source_literal(obs):
    _seen(obs, {"i": dg.IntSource}, {"i": 4})


@scenario
def bool_source_literal(obs):
    _seen(obs, {"b": dg.BoolSource}, {"b": False})


@scenario
def source_env_dict_with_extra_key(obs):
    _rejects(obs, {"s": dg.StringSource}, {"s": {"env": "X", "other": 1}})


@scenario
def noneable_shape_omitted(obs):
    _seen(obs, {"db": dg.Noneable({"host": str})}, {})


@scenario
def noneable_shape_given(obs):
    _seen(obs, {"db": dg.Noneable({"host": str})}, {"db": {"host": "h"}})


@scenario
def field_any_default(obs):
    _seen(obs, {"x": dg.Field(dg.Any, default_value={"k": [1]})}, {})


@scenario
def field_not_required_no_default_dict(obs):
    _seen(obs, {"opt": dg.Field({"a": int}, is_required=False)}, {})


@scenario
def deep_path_error_mentions_field(obs):
    _rejects(obs, {"a": {"b": {"c": int}}}, {"a": {"b": {"c": "deep"}}}, '"c"', "deep")


@scenario
def array_item_error_mentions_value(obs):
    _rejects(obs, {"items": [{"n": int}]}, {"items": [{"n": 1}, {"n": "bad"}]}, "bad")


@scenario
def job_config_run_config_object(obs):
    class C(dg.Config):
        n: int

    @dg.op
    def o(config: C):
        return config.n

    @dg.job(config=dg.RunConfig(ops={"o": C(n=11)}))
    def j():
        o()

    obs.record("out", j.execute_in_process().output_for_node("o"))


@scenario
def materialize_with_run_config_object(obs):
    class C(dg.Config):
        n: int = 1

    @dg.asset
    def a(config: C):
        return config.n

    result = dg.materialize([a], run_config=dg.RunConfig(ops={"a": C(n=6)}))
    obs.record("value", result.output_for_node("a"))


@scenario
def nested_graph_op_config(obs):
    @dg.op(config_schema={"n": int})
    def o(context):
        return context.op_config["n"]

    @dg.graph
    def g():
        return o()

    @dg.job
    def j():
        g()

    result = j.execute_in_process(run_config={"ops": {"g": {"ops": {"o": {"config": {"n": 3}}}}}})
    obs.record("out", result.output_for_node("g"))


@scenario
def config_mapping_validates_outer(obs):
    @dg.op(config_schema={"n": int})
    def o(context):
        return context.op_config["n"]

    @dg.graph(
        config=dg.ConfigMapping(
            config_fn=lambda c: {"o": {"config": {"n": c["m"]}}}, config_schema={"m": int}
        )
    )
    def g():
        return o()

    @dg.job
    def j():
        g()

    obs.raises(lambda: j.execute_in_process(run_config={"ops": {"g": {"config": {"m": "x"}}}}), "x")


@scenario
def config_mapping_function_raises(obs):
    @dg.op(config_schema={"n": int})
    def o(context):
        return context.op_config["n"]

    def broken(config):
        raise ValueError("mapping broke")

    @dg.graph(config=dg.ConfigMapping(config_fn=broken, config_schema={"m": int}))
    def g():
        return o()

    @dg.job
    def j():
        g()

    obs.raises(lambda: j.execute_in_process(run_config={"ops": {"g": {"config": {"m": 1}}}}))


@scenario
def configured_op_with_function(obs):
    @dg.op(config_schema={"n": int})
    def o(context):
        return context.op_config["n"]

    doubled = o.configured(
        lambda c: {"n": c["half"] * 2}, name="doubled", config_schema={"half": int}
    )

    @dg.job
    def j():
        doubled()

    result = j.execute_in_process(run_config={"ops": {"doubled": {"config": {"half": 4}}}})
    obs.record("out", result.output_for_node("doubled"))


@scenario
def configured_op_without_name(obs):
    @dg.op(config_schema={"n": int})
    def o(context):
        return context.op_config["n"]

    obs.raises(lambda: o.configured({"n": 1}))


@scenario
def config_class_inherited_fields(obs):
    class Base(dg.Config):
        a: int = 1

    class Child(Base):
        b: str = "x"

    c = _run_typed(Child, {"a": 2})
    obs.record("values", [c.a, c.b])


@scenario
def config_class_dict_of_nested(obs):
    class Item(dg.Config):
        n: int = 0

    class C(dg.Config):
        by_name: dict[str, Item]

    c = _run_typed(C, {"by_name": {"x": {"n": 1}, "y": {}}})
    obs.record("values", {k: v.n for k, v in c.by_name.items()})


@scenario
def config_class_optional_nested(obs):
    class Inner(dg.Config):
        x: int = 1

    class C(dg.Config):
        inner: Inner | None = None

    obs.record("omitted", _run_typed(C, {}).inner)
    obs.record("given", _run_typed(C, {"inner": {"x": 4}}).inner.x)


@scenario
def config_class_model_dump(obs):
    class C(dg.Config):
        a: int = 1
        b: list[str] = []

    obs.record("dump", _run_typed(C, {"b": ["z"]}).model_dump())


@scenario
def config_class_bool_from_env(obs):
    class C(dg.Config):
        flag: bool = False

    os.environ["PARITY_FLAG"] = "true"
    obs.record("flag", _run_typed(C, {"flag": {"env": "PARITY_FLAG"}}).flag)


@scenario
def config_class_model_validator(obs):
    import pydantic

    class C(dg.Config):
        lo: int
        hi: int

        @pydantic.model_validator(mode="after")
        def ordered(self):
            if self.lo > self.hi:
                raise ValueError("lo must not exceed hi")
            return self

    obs.record("ok", _run_typed(C, {"lo": 1, "hi": 2}).hi)
    obs.raises(lambda: _run_typed(C, {"lo": 3, "hi": 2}), "lo must not exceed hi")


@scenario
def configured_with_pythonic_config_function(obs):
    class Greeting(dg.Config):
        message: str

    class Hello(dg.Config):
        name: str

    @dg.op
    def greet(config: Greeting):
        return config.message

    @dg.configured(greet)
    def hello(config: Hello):
        return Greeting(message=f"Hello, {config.name}!")

    @dg.job
    def j():
        hello()

    result = j.execute_in_process(run_config={"ops": {"hello": {"config": {"name": "you"}}}})
    obs.record("out", result.output_for_node("hello"))


@scenario
def configured_resource_class(obs):
    class Store(dg.ConfigurableResource):
        bucket: str
        region: str = "eu"

    dev = dg.configured(Store)({"bucket": "dev"})

    @dg.op(required_resource_keys={"store"})
    def o(context):
        return [context.resources.store.bucket, context.resources.store.region]

    @dg.job(resource_defs={"store": dev})
    def j():
        o()

    obs.record("out", j.execute_in_process().output_for_node("o"))


@scenario
def config_class_default_factory(obs):
    import pydantic

    class C(dg.Config):
        items: list[int] = pydantic.Field(default_factory=lambda: [1, 2])

    obs.record("items", _run_typed(C, {}).items)


@scenario
def config_class_field_alias(obs):
    import pydantic

    class C(dg.Config):
        schema_name: str = pydantic.Field(alias="schema")

    obs.record("value", _run_typed(C, {"schema": "public"}).schema_name)


@scenario
def config_class_any_field(obs):
    from typing import Any

    class C(dg.Config):
        blob: Any = None

    obs.record("blob", _run_typed(C, {"blob": {"k": [1, "a"]}}).blob)


@scenario
def config_class_optional_list(obs):
    class C(dg.Config):
        tags: list[str] | None = None

    obs.record("omitted", _run_typed(C, {}).tags)
    obs.record("given", _run_typed(C, {"tags": ["a"]}).tags)


@scenario
def config_class_bare_dict_field(obs):
    class C(dg.Config):
        extra: dict = {}

    obs.record("extra", _run_typed(C, {"extra": {"anything": [1]}}).extra)


@scenario
def config_class_unsupported_field_type(obs):
    import datetime

    def build():
        class C(dg.Config):
            when: datetime.datetime

        @dg.op
        def o(config: C):
            pass

        @dg.job
        def j():
            o()

        j.execute_in_process(run_config={"ops": {"o": {"config": {"when": "2024-01-01"}}}})

    obs.raises(build)


@scenario
def config_class_construct_outside_run(obs):
    class Inner(dg.Config):
        x: int = 1

    class C(dg.Config):
        inner: Inner = Inner()
        name: str = "n"

    c = C(name="direct")
    obs.record("values", [c.inner.x, c.name])
    obs.record("dump", c.model_dump())


@scenario
def config_schema_alias_exported(obs):
    obs.record("exists", hasattr(dg, "ConfigSchema"))


@scenario
def enum_field_default_is_member(obs):
    import enum as _enum

    class Level(_enum.Enum):
        LOW = 1
        HIGH = 2

    value = _run_op({"level": dg.Field(dg.Enum.from_python_enum(Level), default_value="HIGH")}, {})
    obs.record("is_high", value["level"] is Level.HIGH)


@scenario
def schema_node_attributes(obs):
    shape = dg.Shape({"a": int, "b": dg.Field(str, default_value="x", description="bee")})
    obs.record("shape_fields", sorted(shape.fields))
    obs.record("b_default", shape.fields["b"].default_value)
    obs.record("b_description", shape.fields["b"].description)
    obs.record("a_required", shape.fields["a"].is_required)
    obs.record("selector_fields", sorted(dg.Selector({"x": int, "y": str}).fields))
    obs.record("permissive_fields", sorted(dg.Permissive({"p": int}).fields))


@scenario
def enum_value_attributes(obs):
    ev = dg.EnumValue("RED", python_value=1, description="red")
    obs.record("values", [ev.config_value, ev.python_value, ev.description])
    e = dg.Enum("Tone", [ev, dg.EnumValue("BLUE")])
    obs.record("enum_values", [v.config_value for v in e.enum_values])


@scenario
def field_repr_free_properties(obs):
    f = dg.Field(dg.Noneable(int))
    obs.record("is_required", f.is_required)
    obs.record("default_provided", f.default_provided)
    g = dg.Field({"a": dg.Field(int, default_value=1)})
    obs.record("shape_required", g.is_required)
