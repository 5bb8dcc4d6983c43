"""process_config: every problem kind by its full message, paths, defaults, all at once."""

from __future__ import annotations

import enum
import re

import pytest

from headwater.config import (
    Any,
    Array,
    Bool,
    Enum,
    EnumValue,
    Field,
    Float,
    Int,
    Map,
    Noneable,
    Permissive,
    ScalarUnion,
    Selector,
    String,
    normalize_schema,
    process_config,
)
from headwater.errors import ConfigProblem, InvalidConfigError


def problems(schema: object, value: object, path: str = "") -> list[tuple[str, str, str]]:
    result = process_config(normalize_schema(schema, where="test"), value, path=path)
    return [(p.path, p.message, p.code) for p in result.problems]


def value_of(schema: object, value: object) -> object:
    return process_config(normalize_schema(schema, where="test"), value).value_or_raise()


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        (int, 3),
        (str, "x"),
        (float, 1.5),
        (bool, False),
        (Int, -1),
        (String, ""),
        (Float, 0.0),
        (Bool, True),
        (Any, object),
        ([int], [1, 2]),
        (list, [1, "a"]),
        (dict, {"anything": [1]}),
        (Noneable(int), None),
        (Noneable(int), 4),
        (Map(str, int), {"a": 1}),
        (Map(int, str), {1: "a"}),
    ],
)
def test_valid_values_pass_through(schema: object, value: object) -> None:
    assert value_of(schema, value) == value


def test_int_is_a_valid_float_and_becomes_one() -> None:
    out = value_of(float, 3)
    assert out == 3.0
    assert type(out) is float


@pytest.mark.parametrize(
    ("schema", "value", "message"),
    [
        (int, "abc", 'expected int, got str "abc"'),
        (int, True, "expected int, got bool True"),
        (int, 1.5, "expected int, got float 1.5"),
        (float, "1.5", 'expected float, got str "1.5"'),
        (float, False, "expected float, got bool False"),
        (str, 3, "expected str, got int 3"),
        (bool, 1, "expected bool, got int 1"),
        (int, None, "expected int, got None"),
        ([int], {"a": 1}, 'expected list[int], got dict {"a": 1}'),
        ({"a": int}, [1], "expected {a: int}, got list [1]"),
        (Noneable(int), "x", 'expected int, got str "x"'),
        (Map(str, int), [1], "expected dict[str, int], got list [1]"),
    ],
)
def test_wrong_type_messages(schema: object, value: object, message: str) -> None:
    assert problems(schema, value, "ops.load.config") == [
        ("ops.load.config", message, "wrong_type")
    ]


def test_long_values_are_shortened_in_messages() -> None:
    [(_, message, _)] = problems(int, "x" * 100)
    assert message == 'expected int, got str "' + "x" * 56 + "..."


def test_problem_paths_name_fields_and_list_items() -> None:
    schema = {"db": {"port": int, "hosts": [{"name": str}]}}
    value = {"db": {"port": "abc", "hosts": [{"name": "a"}, {"name": 2}]}}
    assert problems(schema, value, "resources.database.config") == [
        (
            "resources.database.config.db.port",
            'expected int, got str "abc"',
            "wrong_type",
        ),
        (
            "resources.database.config.db.hosts[1].name",
            "expected str, got int 2",
            "wrong_type",
        ),
    ]


def test_root_path_is_empty_and_printed_as_root() -> None:
    result = process_config(normalize_schema([int], where="t"), ["a"])
    assert result.problems == (ConfigProblem("[0]", 'expected int, got str "a"', "wrong_type"),)
    result = process_config(Int, "a")
    assert str(result.problems[0]) == '<root>: expected int, got str "a"'


def test_every_missing_required_field_is_listed() -> None:
    schema = {"host": str, "port": int, "user": Field(str, default_value="me")}
    assert problems(schema, {}, "resources.db.config") == [
        ("resources.db.config", 'missing required field "host" (str)', "missing_field"),
        ("resources.db.config", 'missing required field "port" (int)', "missing_field"),
    ]


def test_missing_section_is_reported_by_its_missing_fields_with_full_paths() -> None:
    assert problems({"db": {"host": str, "port": Field(int, default_value=1)}}, {}) == [
        ("db", 'missing required field "host" (str)', "missing_field")
    ]


def test_missing_non_shape_field_is_reported_at_its_parent() -> None:
    assert problems({"db": [str]}, {}) == [
        ("", 'missing required field "db" (list[str])', "missing_field")
    ]


def test_unknown_field_suggests_the_closest_name() -> None:
    assert problems({"batch_size": int}, {"batch_size": 1, "batchsize": 2}, "ops.load.config") == [
        (
            "ops.load.config",
            'unknown field "batchsize"; did you mean "batch_size"?',
            "unknown_field",
        )
    ]


def test_unknown_field_without_close_match_lists_the_fields() -> None:
    assert problems({"a": int, "b": int}, {"a": 1, "b": 2, "zzz": 3}) == [
        ("", 'unknown field "zzz"; expected one of "a", "b"', "unknown_field")
    ]


def test_unknown_field_in_an_empty_shape() -> None:
    assert problems({}, {"x": 1}) == [
        ("", 'unknown field "x"; this config takes no fields', "unknown_field")
    ]


def test_all_problems_are_reported_at_once_and_raised_together() -> None:
    schema = {"port": int, "host": str, "mode": Selector({"fast": int, "slow": int})}
    result = process_config(
        normalize_schema(schema, where="t"),
        {"port": "abc", "hots": "x", "mode": {"fast": 1, "slow": 2}},
        path="resources.database.config",
    )
    assert [p.code for p in result.problems] == [
        "wrong_type",
        "selector_choice",
        "missing_field",
        "unknown_field",
    ]
    expected = (
        "4 problem(s) in config of resource 'database':\n"
        '  resources.database.config.port: expected int, got str "abc"\n'
        '  resources.database.config.mode: expected exactly one of "fast", "slow"; '
        'got "fast", "slow"\n'
        '  resources.database.config: missing required field "host" (str)\n'
        '  resources.database.config: unknown field "hots"; did you mean "host"?'
    )
    with pytest.raises(InvalidConfigError, match=re.escape(expected)) as info:
        result.value_or_raise("config of resource 'database'")
    assert len(info.value.problems) == 4


def test_defaults_are_filled_in_nested_shapes() -> None:
    schema = {
        "a": Field(int, default_value=1),
        "nested": {"b": Field(str, default_value="x"), "c": Field([int], default_value=[1])},
        "maybe": Noneable(int),
        "optional": Field(int, is_required=False),
    }
    assert value_of(schema, {}) == {"a": 1, "nested": {"b": "x", "c": [1]}, "maybe": None}


def test_given_values_override_defaults() -> None:
    assert value_of({"a": Field(int, default_value=1)}, {"a": 2}) == {"a": 2}


def test_default_containers_are_not_shared_between_runs() -> None:
    schema = normalize_schema({"xs": Field([int], default_value=[1])}, where="t")
    first = process_config(schema, {}).value
    first["xs"].append(2)
    assert process_config(schema, {}).value == {"xs": [1]}


def test_none_is_not_a_value_for_a_field_with_a_default() -> None:
    assert problems({"a": Field(int, default_value=1)}, {"a": None}) == [
        ("a", "expected int, got None", "wrong_type")
    ]


def test_permissive_checks_known_fields_and_passes_others() -> None:
    schema = Permissive({"a": Field(int, default_value=1)})
    assert value_of(schema, {"extra": [1]}) == {"extra": [1], "a": 1}
    assert problems(schema, {"a": "x"}) == [("a", 'expected int, got str "x"', "wrong_type")]


def test_selector_picks_one_choice() -> None:
    schema = Selector({"csv": {"path": str}, "parquet": {"path": str}})
    assert value_of(schema, {"csv": {"path": "a"}}) == {"csv": {"path": "a"}}
    assert problems(schema, {"csv": {}}, "x") == [
        ("x.csv", 'missing required field "path" (str)', "missing_field")
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({}, 'expected exactly one of "csv", "parquet"; got none'),
        (
            {"csv": {"path": "a"}, "parquet": {"path": "b"}},
            'expected exactly one of "csv", "parquet"; got "csv", "parquet"',
        ),
        (
            {"cvs": {}},
            'unknown choice "cvs"; did you mean "csv"?; expected one of "csv", "parquet"',
        ),
        ({"json": {}}, 'unknown choice "json"; expected one of "csv", "parquet"'),
    ],
)
def test_selector_choice_problems(value: object, message: str) -> None:
    schema = Selector({"csv": {"path": str}, "parquet": {"path": str}})
    assert problems(schema, value, "io") == [("io", message, "selector_choice")]


def test_selector_wrong_type() -> None:
    assert problems(Selector({"a": int, "b": int}), "a") == [
        ("", 'expected one of {a, b}, got str "a"', "wrong_type")
    ]


def test_selector_with_one_optional_choice_may_be_empty_or_none() -> None:
    schema = Selector({"in_process": {"retries": Field(int, default_value=0)}})
    assert value_of(schema, {}) == {"in_process": {"retries": 0}}
    assert value_of(schema, {"in_process": None}) == {"in_process": {"retries": 0}}
    assert value_of({"execution": schema}, {}) == {"execution": {"in_process": {"retries": 0}}}


class Color(enum.Enum):
    RED = 1
    GREEN = 2


def test_enum_gives_python_values() -> None:
    schema = Enum("Level", [EnumValue("LOW", 1), EnumValue("HIGH", 2, description="loud")])
    assert value_of(schema, "HIGH") == 2
    assert value_of(Enum("Plain", [EnumValue("A")]), "A") == "A"
    assert value_of(Enum.from_python_enum(Color), "RED") is Color.RED


def test_enum_problems_list_the_allowed_values() -> None:
    schema = Enum.from_python_enum(Color)
    assert problems({"c": schema}, {"c": "PURPLE"}) == [
        ("c", '"PURPLE" is not a valid Color; expected one of "RED", "GREEN"', "invalid_value")
    ]
    assert problems({"c": schema}, {"c": 1}) == [
        ("c", 'expected Color (one of "RED", "GREEN"), got int 1', "wrong_type")
    ]


def test_scalar_union_routes_by_value_kind() -> None:
    schema = ScalarUnion(scalar_type=str, non_scalar_schema={"path": str})
    assert value_of(schema, "a.csv") == "a.csv"
    assert value_of(schema, {"path": "a.csv"}) == {"path": "a.csv"}
    assert problems(schema, 3) == [("", "expected str, got int 3", "wrong_type")]
    assert problems(schema, {"p": "x"}) == [
        ("", 'missing required field "path" (str)', "missing_field"),
        ("", 'unknown field "p"; expected one of "path"', "unknown_field"),
    ]


def test_map_checks_keys_and_values_with_paths() -> None:
    assert problems(Map(str, int), {"a": "x", 3: 4}, "m") == [
        ("m.a", 'expected int, got str "x"', "wrong_type"),
        ("m.3", "invalid key: expected str, got int 3", "wrong_type"),
    ]


def test_array_of_shapes_fills_defaults_per_item() -> None:
    schema = Array({"n": Field(int, default_value=0)})
    assert value_of(schema, [{}, {"n": 2}]) == [{"n": 0}, {"n": 2}]
