"""Scalar nodes, env-aware sources and EnvVar references."""

from __future__ import annotations

import pytest

from headwater.config import (
    BoolSource,
    EnumValue,
    EnvVar,
    Field,
    IntEnvVar,
    IntSource,
    StringSource,
    normalize_schema,
    process_config,
)
from headwater.config.env import env_var_to_config, is_env_var
from headwater.errors import InvalidConfigDefinitionError, InvariantViolationError


def run(
    schema: object, value: object, environ: dict[str, str]
) -> tuple[object, list[tuple[str, str, str]]]:
    result = process_config(
        normalize_schema(schema, where="t"), value, path="resources.db.config", environ=environ
    )
    return result.value, [(p.path, p.message, p.code) for p in result.problems]


def test_sources_accept_direct_values() -> None:
    assert run(
        {"s": StringSource, "i": IntSource, "b": BoolSource}, {"s": "x", "i": 1, "b": True}, {}
    ) == (
        {"s": "x", "i": 1, "b": True},
        [],
    )


def test_sources_read_the_given_environment() -> None:
    env = {"HOST": "db.local", "PORT": " 5432 ", "DEBUG": "True"}
    value = {"s": {"env": "HOST"}, "i": {"env": "PORT"}, "b": {"env": "DEBUG"}}
    assert run({"s": StringSource, "i": IntSource, "b": BoolSource}, value, env) == (
        {"s": "db.local", "i": 5432, "b": True},
        [],
    )


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("no", False), ("OFF", False), ("yes", True)]
)
def test_bool_source_parses_common_spellings(raw: str, expected: bool) -> None:
    assert run(BoolSource, {"env": "B"}, {"B": raw})[0] is expected


def test_sources_read_os_environ_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    node = normalize_schema(StringSource, where="t")
    monkeypatch.setenv("HW_TEST_LATE", "late")
    assert process_config(node, {"env": "HW_TEST_LATE"}).value == "late"


def test_unset_variable_is_an_env_unset_problem() -> None:
    assert run({"port": IntSource}, {"port": {"env": "DB_PORT"}}, {})[1] == [
        (
            "resources.db.config.port",
            'environment variable "DB_PORT" is not set; export it or give the value directly',
            "env_unset",
        )
    ]


def test_env_values_of_the_wrong_kind_are_problems_without_the_value() -> None:
    _, found = run(
        {"i": IntSource, "b": BoolSource},
        {"i": {"env": "I"}, "b": {"env": "B"}},
        {"I": "secret", "B": "maybe"},
    )
    assert found == [
        ("resources.db.config.i", 'environment variable "I" is not an int', "invalid_value"),
        (
            "resources.db.config.b",
            'environment variable "B" is not a bool; use true/false, 1/0 or yes/no',
            "invalid_value",
        ),
    ]


def test_malformed_env_references() -> None:
    assert run(StringSource, {"env": 3}, {})[1] == [
        ("resources.db.config.env", "expected str, got int 3", "wrong_type")
    ]
    assert run(IntSource, {"envv": "X"}, {})[1] == [
        (
            "resources.db.config",
            'expected int or {"env": "VAR"}, got dict {"envv": "X"}',
            "wrong_type",
        )
    ]
    assert run(IntSource, "5", {})[1] == [
        ("resources.db.config", 'expected int, got str "5"', "wrong_type")
    ]


def test_source_default_is_resolved_when_used() -> None:
    schema = {"host": Field(StringSource, default_value={"env": "HOST"})}
    assert run(schema, {}, {"HOST": "h"}) == ({"host": "h"}, [])


def test_enum_value_is_immutable_and_checked() -> None:
    value = EnumValue("A")
    assert value.python_value == "A"
    assert repr(value) == "EnumValue('A')"
    with pytest.raises(AttributeError):
        value.config_value = "B"
    with pytest.raises(InvalidConfigDefinitionError, match="config_value must be a str"):
        EnumValue(3)  # type: ignore[arg-type]


def test_env_var_is_a_str_naming_a_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    var = EnvVar("HW_TEST_NAME")
    assert isinstance(var, str)
    assert var == "HW_TEST_NAME"
    assert var.env_var_name == "HW_TEST_NAME"
    assert repr(var) == "EnvVar('HW_TEST_NAME')"
    assert var.get_value("fallback") == "fallback"
    monkeypatch.setenv("HW_TEST_NAME", "v")
    assert var.get_value() == "v"
    assert is_env_var(var)
    assert env_var_to_config(var) == {"env": "HW_TEST_NAME"}


def test_int_env_var_cannot_be_used_as_a_number(monkeypatch: pytest.MonkeyPatch) -> None:
    var = EnvVar.int("HW_TEST_PORT")
    assert isinstance(var, IntEnvVar)
    assert var.env_var_name == "HW_TEST_PORT"
    assert env_var_to_config(var) == {"env": "HW_TEST_PORT"}
    with pytest.raises(
        InvariantViolationError, match=r'IntEnvVar\("HW_TEST_PORT"\) is read when the run starts'
    ):
        int(var)
    assert var.get_value(7) == 7
    monkeypatch.setenv("HW_TEST_PORT", "80")
    assert var.get_value() == 80
    assert not is_env_var("plain")
