"""normalize_schema, Field and the container nodes: every schema form and malformed ones."""

from __future__ import annotations

import enum
import re

import pytest

from headwater.config import (
    Any,
    Array,
    Bool,
    Field,
    Float,
    Int,
    Map,
    Noneable,
    Permissive,
    ScalarUnion,
    Selector,
    Shape,
    String,
    field_is_required,
    is_config_class,
    normalize_field,
    normalize_schema,
    process_config,
)
from headwater.errors import InvalidConfigDefinitionError, InvariantViolationError


@pytest.mark.parametrize(
    ("schema", "expected"),
    [(int, Int), (str, String), (float, Float), (bool, Bool), (Int, Int), (None, Any)],
)
def test_python_scalars_become_scalar_nodes(schema: object, expected: object) -> None:
    assert normalize_schema(schema, where="t") is expected


def test_list_forms_become_arrays() -> None:
    bare = normalize_schema(list, where="t")
    assert isinstance(bare, Array)
    assert bare.inner_type is Any
    typed = normalize_schema([str], where="t")
    assert isinstance(typed, Array)
    assert typed.inner_type is String


def test_bare_dict_is_a_permissive_map_of_anything() -> None:
    node = normalize_schema(dict, where="t")
    assert isinstance(node, Permissive)
    assert node.fields == {}


def test_dict_shorthand_is_a_shape_of_fields() -> None:
    node = normalize_schema({"a": int, "b": Field(str, description="bee")}, where="t")
    assert isinstance(node, Shape)
    assert not node.permissive
    assert node.fields["a"].config_type is Int
    assert node.fields["b"].description == "bee"
    assert node.type_name == "{a: int, b: str}"


def test_field_options() -> None:
    field = Field(int, default_value=3, description="port")
    assert field.default_provided
    assert field.default_value == 3
    assert not field.is_required
    assert field.description == "port"
    assert repr(field) == "Field(int, default_value=3, is_required=False)"
    with pytest.raises(AttributeError, match="Field is immutable"):
        field.is_required = True


def test_default_value_of_field_without_one_raises() -> None:
    with pytest.raises(InvariantViolationError, match="has no default_value"):
        Field(int).default_value


def test_top_level_field_gives_its_type_or_itself() -> None:
    field = Field({"a": int})
    assert normalize_schema(field, where="t") is field.config_type
    assert normalize_field(field, where="t") is field


def test_top_level_field_with_default_keeps_it_when_omitted() -> None:
    node = normalize_schema(Field(int, default_value=9), where="t")
    assert field_is_required(node) is False
    assert process_config(Shape({"config": node}), {}).value == {"config": 9}
    assert process_config(node, 4).value == 4
    wrapped = normalize_field(int, where="t")
    assert wrapped.config_type is Int
    assert wrapped.is_required


@pytest.mark.parametrize(
    ("schema", "required"),
    [
        (Field(int), True),
        (Field(int, default_value=1), False),
        (Field(int, is_required=False), False),
        (Noneable(int), False),
        (normalize_schema({"a": Field(int, default_value=1)}, where="t"), False),
        (normalize_schema({"a": int}, where="t"), True),
        (Selector({"a": Field(int, default_value=1)}), False),
        (Selector({"a": int, "b": int}), True),
        (Array(int), True),
        (Map(str, int), True),
        (Any, True),
        (Permissive(), False),
    ],
)
def test_field_is_required(schema: Field | object, required: bool) -> None:
    assert field_is_required(schema) is required  # type: ignore[arg-type]


def test_type_names_for_messages() -> None:
    assert Array(int).type_name == "list[int]"
    assert Noneable(str).type_name == "str | None"
    assert Map(str, float).type_name == "dict[str, float]"
    assert Selector({"a": int, "b": str}).type_name == "one of {a, b}"
    assert ScalarUnion(str, {"p": str}).type_name == "str | {p: str}"
    assert Permissive({"a": int}).type_name == "{a: int, ...}"
    long = Shape({f"field_{i}": int for i in range(10)})
    assert long.type_name.endswith("...}")
    assert len(long.type_name) == 60
    assert repr(Int) == "<config int>"


def test_nodes_are_immutable() -> None:
    with pytest.raises(AttributeError, match="Shape is immutable"):
        Shape({}).description = "x"


def test_where_names_the_owner_of_a_malformed_schema() -> None:
    with pytest.raises(
        InvalidConfigDefinitionError,
        match=re.escape(
            "op 'load': config schema {'a': 3}, field \"a\": 3 cannot be resolved: it is not a "
            "config schema; use a type (int, str, float, bool, list, dict), a dict of fields, "
            "[type], Field(...), a schema node (Shape, Array, Noneable, ...) or a Config subclass"
        ),
    ) as raised:
        normalize_schema({"a": 3}, where="op 'load'")
    error = raised.value
    assert (error.original_root, error.current_value, error.stack) == ({"a": 3}, 3, ["a"])
    assert (error.where, error.reason) == ("op 'load'", None)


def test_the_error_reports_the_root_the_part_and_its_path() -> None:
    schema = {"a": {"b": set}}
    with pytest.raises(InvalidConfigDefinitionError) as raised:
        normalize_schema(schema, where="op 'x'")
    error = raised.value
    assert error.original_root is schema
    assert error.current_value is set
    assert error.stack == ["a", "b"]


_FIELD_X = Field(int, default_value="x")


@pytest.mark.parametrize(
    ("schema", "message", "current", "stack"),
    [
        (
            {1, 2},
            "op 'x': {1, 2} cannot be resolved: it is not a config schema; use a type",
            {1, 2},
            [],
        ),
        (
            {"a": {"b": [int, str]}},
            "op 'x': config schema {'a': {'b': [<class 'int'>, <class 'str'>]}}, field \"a.b\": "
            "[<class 'int'>, <class 'str'>] cannot be resolved: a list schema holds exactly "
            "one type, like [str]",
            [int, str],
            ["a", "b"],
        ),
        (
            {1: int},
            "op 'x': config schema {1: <class 'int'>}: 1 cannot be resolved: field names must "
            "be str",
            1,
            [],
        ),
        (
            {"a": _FIELD_X},
            "field \"a\": 'x' cannot be resolved: default_value does not match the field's "
            'type: expected int, got str "x"',
            "x",
            ["a"],
        ),
        (
            Field(int, default_value="x"),
            "op 'x': config schema Field(int, default_value='x', is_required=False): 'x' cannot "
            "be resolved: default_value does not match the field's type: expected int, "
            'got str "x"',
            "x",
            [],
        ),
        (
            {"a": {"b": Field({"c": int}, default_value={})}},
            'field "a.b": {} cannot be resolved: default_value does not match the field\'s '
            'type: missing required field "c" (int)',
            {},
            ["a", "b"],
        ),
    ],
)
def test_malformed_schemas_raise_with_where(
    schema: object, message: str, current: object, stack: list[str]
) -> None:
    with pytest.raises(InvalidConfigDefinitionError, match=re.escape(message)) as raised:
        normalize_schema(schema, where="op 'x'")
    assert raised.value.original_root is schema
    assert (raised.value.current_value, raised.value.stack) == (current, stack)


def test_an_object_that_is_no_schema_is_shown_by_its_repr() -> None:
    value = object()
    with pytest.raises(InvalidConfigDefinitionError, match=re.escape(f"op 'x': {value!r} cannot")):
        normalize_schema(value, where="op 'x'")


def test_python_enum_is_pointed_at_from_python_enum() -> None:
    class Color(enum.Enum):
        RED = 1

    with pytest.raises(
        InvalidConfigDefinitionError, match=re.escape("use Enum.from_python_enum(Color)")
    ):
        normalize_schema(Color, where="op 'x'")


def test_required_field_cannot_have_a_default() -> None:
    with pytest.raises(
        InvalidConfigDefinitionError, match="a required field cannot have a default_value"
    ):
        Field(int, default_value=1, is_required=True)


def test_constructors_check_their_children() -> None:
    with pytest.raises(
        InvalidConfigDefinitionError,
        match=re.escape("Shape: config schema {'a': 3}, field \"a\": 3"),
    ):
        Shape({"a": 3})
    with pytest.raises(InvalidConfigDefinitionError, match="field_aliases is not supported"):
        Shape({"a": int}, field_aliases={"a": "b"})
    with pytest.raises(InvalidConfigDefinitionError, match=re.escape("Array: {1} cannot be")):
        Array({1})
    with pytest.raises(
        InvalidConfigDefinitionError,
        match=re.escape(
            "Map: [<class 'int'>] cannot be resolved: key_type must be a scalar (str, "
            "int, float, bool), got list[int]"
        ),
    ):
        Map([int], int)
    with pytest.raises(InvalidConfigDefinitionError, match="scalar_type must be a scalar"):
        ScalarUnion({"a": int}, {"a": int})
    with pytest.raises(
        InvalidConfigDefinitionError,
        match=re.escape("Selector: {} cannot be resolved: fields must be a non-empty dict"),
    ):
        Selector({})
    with pytest.raises(InvalidConfigDefinitionError, match="a Field cannot be nested directly"):
        Array(Field(int))


def test_default_env_source_is_not_resolved_at_definition_time() -> None:
    from headwater.config import StringSource

    node = normalize_schema(
        {"a": Field(StringSource, default_value={"env": "UNSET_VAR_X"})}, where="t"
    )
    assert isinstance(node, Shape)


def test_is_config_class_is_false_for_other_objects() -> None:
    assert not is_config_class(int)
    assert not is_config_class("x")
    assert not is_config_class(Shape({}))
