"""Dagster types: construction, checks, container types and resolving annotations."""

from __future__ import annotations

import re
import typing

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError, InvariantViolationError
from headwater.types import resolve_data_type


def test_type_needs_a_name_or_key_and_a_two_argument_check() -> None:
    with pytest.raises(InvalidDefinitionError, match="needs a name or a key"):
        dg.DagsterType(lambda _c, _v: True)
    msg = 'type_check_fn argument on type "X" must take 2 arguments, received 1'
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.DagsterType(lambda v: True, name="X")  # type: ignore[arg-type,misc]  # on purpose


def test_check_returning_a_bool_becomes_a_type_check() -> None:
    even = dg.DagsterType(lambda _c, v: v % 2 == 0, name="Even")
    assert even.type_check(None, 2) == dg.TypeCheck(True)
    assert not even.type_check(None, 3).success


def test_check_returning_anything_else_is_refused() -> None:
    bad = dg.DagsterType(lambda _c, _v: "yes", name="Bad")  # type: ignore[arg-type,return-value]
    with pytest.raises(InvariantViolationError, match="Return value must be instance of TypeCheck"):
        bad.type_check(None, 1)


def test_type_check_normalizes_its_metadata() -> None:
    check = dg.TypeCheck(success=False, description="no", metadata={"n": 3})
    assert check.metadata == {"n": dg.MetadataValue.int(3)}


def test_names_keys_and_display_names_of_containers() -> None:
    assert dg.List[int].display_name == "[Int]"
    assert dg.List[int].key == "List.Int"
    assert dg.Optional[str].display_name == "String?"
    assert dg.Dict[str, int].display_name == "Dict[String,Int]"
    assert dg.Set[int].key == "TypedPythonSet.Int"
    assert dg.Tuple[int, str].key == "TypedPythonTupleInt.String"


def test_nothing_cannot_be_wrapped() -> None:
    with pytest.raises(InvalidDefinitionError, match="can not be wrapped in List or Optional"):
        dg.List[dg.Nothing]


@pytest.mark.parametrize(
    ("annotation", "value", "passes"),
    [
        (int, 1, True),
        (int, "1", False),
        (list[int], [1, 2], True),
        (list[int], [1, "x"], False),
        (typing.Optional[int], None, True),  # noqa: UP045 - the typing spelling on purpose
        (int | None, "x", False),
        (dict[str, int], {"a": 1}, True),
        (tuple[int, str], (1, 2), False),
        (typing.Any, object(), True),
    ],
)
def test_annotations_resolve_to_checking_types(
    annotation: object, value: object, passes: bool
) -> None:
    assert resolve_data_type(annotation).type_check(None, value).success is passes


def test_an_instance_is_not_a_type() -> None:
    with pytest.raises(InvalidDefinitionError, match="Invalid type: dagster_type must be"):
        resolve_data_type(object())


def test_check_dagster_type_refuses_typing_generics() -> None:
    with pytest.raises(InvariantViolationError, match="Must pass in a type from dagster module"):
        dg.check_dagster_type(list[int], [1])
    assert dg.check_dagster_type(dg.List[int], [1]).success


def test_a_python_type_is_registered_once() -> None:
    class Celsius:
        pass

    kind = dg.PythonObjectDagsterType(Celsius, name="Temperature")
    dg.make_python_type_usable_as_dagster_type(Celsius, kind)
    assert resolve_data_type(Celsius) is kind
    with pytest.raises(InvalidDefinitionError, match="already been registered"):
        dg.make_python_type_usable_as_dagster_type(Celsius, dg.PythonObjectDagsterType(Celsius))


def test_usable_as_dagster_type_returns_the_class() -> None:
    @dg.usable_as_dagster_type(name="Cash")
    class Money:
        pass

    assert isinstance(Money, type)
    assert resolve_data_type(Money).display_name == "Cash"


def test_container_types_carry_typing_aliases() -> None:
    """``typing_type`` of a container is the typing alias of its items' types (an IO manager
    reads it, e.g. ``get_args`` on ``Dict[str, Frame]``)."""
    import collections.abc
    import typing

    from headwater.types import resolve_data_type

    class Frame:
        pass

    expected = {
        list[int]: typing.List[int],  # noqa: UP006
        collections.abc.Sequence[int]: typing.List[int],  # noqa: UP006
        dict[str, Frame]: typing.Dict[str, Frame],  # noqa: UP006
        collections.abc.Mapping[str, list[int]]: typing.Dict[str, typing.List[int]],  # noqa: UP006
        set[int]: typing.Set[int],  # noqa: UP006
        tuple[int, str]: typing.Tuple[int, str],  # noqa: UP006
        int | None: typing.Optional[int],  # noqa: UP045
    }
    for hint, alias in expected.items():
        assert resolve_data_type(hint).typing_type == alias, hint


def _yes(_context: object, _value: object) -> bool:
    return True


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"kind": "REGULAR"}, "kind must be a DagsterTypeKind member, got 'REGULAR'"),
        ({"name": 3}, "name must be a str, got int 3"),
        ({"key": ""}, "key must not be empty"),
        ({"description": 3}, "description must be a str, got int 3"),
        ({"is_builtin": 1}, "is_builtin must be a bool, got int"),
        ({"loader": 3}, "loader must be a DagsterTypeLoader"),
        ({"required_resource_keys": ["db"]}, "required_resource_keys must be a set"),
        ({"required_resource_keys": "db"}, "required_resource_keys must be a set"),
    ],
)
def test_parameters_of_the_wrong_sort_are_refused(kwargs: dict[str, object], problem: str) -> None:
    arguments: dict[str, typing.Any] = {"name": "X", **kwargs}
    with pytest.raises(InvalidDefinitionError, match=re.escape(problem)):
        dg.DagsterType(_yes, **arguments)


def test_a_check_that_is_not_callable_is_refused() -> None:
    with pytest.raises(InvalidDefinitionError, match="type_check_fn must be callable, got 3"):
        dg.DagsterType(3, name="X")  # type: ignore[arg-type]  # on purpose


def test_each_parameter_shows_on_the_type() -> None:
    @dg.dagster_type_loader(config_schema=int)
    def load(_context: object, value: int) -> int:
        return value

    kind = dg.DagsterTypeKind.NOTHING
    t = dg.DagsterType(
        _yes,
        key="k",
        name="N",
        is_builtin=True,
        description="d",
        loader=load,
        required_resource_keys={"db"},
        kind=kind,
        typing_type=int,
        metadata={"rows": 3},
    )
    assert (t.key, t.unique_name, t.display_name, t.is_builtin, t.description) == (
        "k",
        "N",
        "N",
        True,
        "d",
    )
    assert t.loader is load
    assert t.required_resource_keys == {"db"}
    assert (t.kind, t.is_nothing, t.typing_type) == (kind, True, int)
    assert t.metadata == {"rows": dg.MetadataValue.int(3)}


def test_check_dagster_type_has_no_resources() -> None:
    def reads_db(context: typing.Any, _value: object) -> bool:
        return bool(context.resources.db)

    needs_db = dg.DagsterType(reads_db, name="NeedsDb", required_resource_keys={"db"})
    with pytest.raises(dg.DagsterUnknownResourceError) as raised:
        dg.check_dagster_type(needs_db, 1)
    assert raised.value.resource_name == "db"


def test_check_dagster_type_turns_a_failure_into_a_failed_check() -> None:
    def refuses(_context: object, _value: object) -> bool:
        raise dg.Failure("too large", metadata={"limit": 3})

    check = dg.check_dagster_type(dg.DagsterType(refuses, name="Small"), 5)
    assert (check.success, check.description) == (False, "too large")
    assert check.metadata == {"limit": dg.MetadataValue.int(3)}


@pytest.mark.parametrize(
    ("source", "missing"),
    [
        ("def f(_foo, value): return value", "'context'"),  # only _, _context, context_
        ("def f(*, context, value): return value", "'context'"),  # must be positional
        ("def f(context): return None", "'config_value'"),
    ],
)
def test_a_loader_function_needs_a_positional_context_then_the_config_value(
    source: str, missing: str
) -> None:
    namespace: dict[str, typing.Any] = {}
    exec(source, namespace)  # one signature per case, built the same way
    with pytest.raises(InvalidDefinitionError, match=f"required positional parameter {missing}"):
        dg.dagster_type_loader(config_schema=int)(namespace["f"])


def test_a_loader_context_may_be_named_context_underscore() -> None:
    def load(context_: object, value: int) -> int:
        return value

    assert dg.dagster_type_loader(config_schema=int)(load).construct_from_config_value(None, 3) == 3
