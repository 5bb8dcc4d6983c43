"""The error classes whose constructors take the reference's parameters."""

from __future__ import annotations

import pickle
import subprocess
import sys
import traceback

import pytest

import headwater.errors
from headwater.errors import (
    InvalidConfigDefinitionError,
    InvalidDefinitionError,
    TypeCheckFailedError,
    UnknownResourceError,
)


def test_config_definition_error_names_the_root_the_path_the_part_and_the_reason() -> None:
    error = InvalidConfigDefinitionError({"a": {"b": set}}, set, ["a", "b"], reason="no sets")
    assert str(error) == (
        "config schema {'a': {'b': <class 'set'>}}, field \"a.b\": <class 'set'> cannot be "
        "resolved: no sets"
    )
    assert error.original_root == {"a": {"b": set}}
    assert error.current_value is set
    assert error.stack == ["a", "b"]
    assert error.reason == "no sets"
    assert error.where is None


def test_config_definition_error_without_reason_names_the_schema_forms() -> None:
    error = InvalidConfigDefinitionError(3, 3, [])
    assert str(error).startswith("3 cannot be resolved: it is not a config schema; use a type")


def test_config_definition_error_refuses_keywords_as_the_reference_does() -> None:
    with pytest.raises(TypeError, match="takes no other keyword arguments; got extra"):
        InvalidConfigDefinitionError(1, 2, [], extra=True)
    with pytest.raises(TypeError, match="current_value"):
        InvalidConfigDefinitionError("a message alone")  # type: ignore[call-arg]


def test_config_definition_error_in_schema_of_starts_with_its_owner() -> None:
    error = InvalidConfigDefinitionError.in_schema_of("op 'load'", {"a": 3}, 3, ["a"])
    assert str(error).startswith("op 'load': config schema {'a': 3}, field \"a\": 3 cannot")
    assert error.where == "op 'load'"


def test_config_definition_error_pickles_with_its_parameters() -> None:
    error = InvalidConfigDefinitionError.in_schema_of("Shape", {"a": 3}, 3, ["a"], "bad")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.original_root, copy.current_value, copy.stack, copy.reason, copy.where) == (
        {"a": 3},
        3,
        ["a"],
        "bad",
        "Shape",
    )
    assert str(copy) == str(error)


def test_unknown_resource_error_is_built_from_the_key() -> None:
    error = UnknownResourceError("db")
    assert error.resource_name == "db"
    assert error.available is None
    assert str(error) == (
        "unknown resource 'db'. Declare 'db' in required_resource_keys (or as a resource "
        "parameter) and bind it in the job's resource_defs"
    )
    assert isinstance(error, AttributeError)


def test_unknown_resource_error_keeps_further_arguments_after_the_message() -> None:
    error = UnknownResourceError("db", "extra", 3)
    assert error.args[1:] == ("extra", 3)
    assert error.args[0].startswith("unknown resource 'db'")


def test_unknown_resource_error_needs_a_str_key() -> None:
    with pytest.raises(TypeError, match="resource_name must be the resource key, a str; got int"):
        UnknownResourceError(3)  # type: ignore[arg-type]


def test_unknown_resource_error_among_lists_what_is_available() -> None:
    error = UnknownResourceError.among("nope", ["db", "cache"])
    assert error.available == ("db", "cache")
    assert "available resources: 'db', 'cache'" in str(error)
    assert "available resources: none" in str(UnknownResourceError.among("x", []))


def test_unknown_resource_error_pickles_with_its_key() -> None:
    error = UnknownResourceError.among("nope", ["db"])
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.resource_name, copy.available, str(copy)) == ("nope", ("db",), str(error))


@pytest.mark.parametrize("name", headwater.errors.__all__)
def test_every_error_is_named_by_the_module_users_import_it_from(name: str) -> None:
    # The classes are written in private modules; pickles (a step process's failure) and
    # tracebacks name the public path, so the layout can change without breaking either.
    value = getattr(headwater.errors, name)
    assert value.__module__ == "headwater.errors"
    assert pickle.loads(pickle.dumps(value)) is value


def test_an_error_pickles_and_prints_under_its_public_path() -> None:
    error = TypeCheckFailedError("not an int", {"rows": 1})
    data = pickle.dumps(error)
    assert b"headwater.errors._" not in data
    copy = pickle.loads(data)
    assert type(copy) is TypeCheckFailedError
    assert (str(copy), copy.metadata) == ("not an int", {"rows": 1})
    assert traceback.format_exception_only(InvalidDefinitionError("bad wiring")) == [
        "headwater.errors.InvalidDefinitionError: bad wiring\n"
    ]


def test_importing_the_errors_loads_no_other_layer() -> None:
    # Every layer imports the error tree: it must stay as light as the root package allows.
    code = (
        "import sys, headwater.errors; "
        "print(*(m for m in sys.modules if m.startswith('headwater')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stdout.split())
    assert {m for m in loaded if not m.startswith("headwater.errors.")} == {
        "headwater",
        "headwater._lazy",
        "headwater.errors",
    }
