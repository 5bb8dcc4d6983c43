"""Pythonic config: Config classes become the same schema nodes, with the same messages."""

from __future__ import annotations

import enum
import re
from typing import Literal

import pytest
from pydantic import Field as PydanticField, PrivateAttr, field_validator
from pydantic.fields import FieldInfo

from headwater.config import (
    EnvVar,
    Field,
    IntEnvVar,
    IntSource,
    Noneable,
    Permissive,
    Shape,
    StringSource,
    is_config_class,
    normalize_schema,
    process_config,
)
from headwater.config.pythonic import (
    Config,
    PermissiveConfig,
    _ConfigBase,
    config_dict_from_model,
    config_type_from_model,
    model_from_config,
)
from headwater.errors import InvalidConfigDefinitionError, InvalidInvocationError


class Color(enum.Enum):
    RED = 1
    GREEN = 2


class Table(Config):
    name: str
    rows: int = 10


class Job(Config):
    """Settings of the nightly load."""

    path: str = PydanticField(description="where to read from")
    limit: int = 100
    ratio: float = 0.5
    verbose: bool = False
    color: Color = Color.RED
    mode: Literal["fast", "slow"] = "fast"
    retries: int | None = None
    label: str | None = "x"
    tables: list[Table] = PydanticField(default_factory=list)
    by_name: dict[str, Table] = PydanticField(default_factory=dict)
    main: Table = Table(name="main")


def problems_of(schema: object, value: object) -> list[tuple[str, str, str]]:
    node = normalize_schema(schema, where="op 'load'")
    result = process_config(node, value, path="ops.load.config", environ={})
    return [(p.path, p.message, p.code) for p in result.problems]


def test_is_config_class() -> None:
    assert is_config_class(Job)
    assert is_config_class(PermissiveConfig)
    assert not is_config_class(Job(path="p"))
    assert not is_config_class(dict)


def test_fields_become_the_same_nodes_as_dict_schemas() -> None:
    shape = config_type_from_model(Job, where="op 'load'")
    assert isinstance(shape, Shape)
    assert not shape.permissive
    assert shape.description == "Settings of the nightly load."
    fields = shape.fields
    assert fields["path"].config_type is StringSource
    assert fields["path"].is_required
    assert fields["path"].description == "where to read from"
    assert fields["limit"].config_type is IntSource
    assert fields["limit"].default_value == 100
    assert fields["color"].default_value == "RED"
    retries = fields["retries"]
    assert isinstance(retries.config_type, Noneable)
    assert retries.default_value is None
    assert not retries.is_required
    assert fields["main"].default_value == {"name": "main"}
    assert normalize_schema(Job, where="x") is shape  # converted once, then cached


def test_processing_fills_defaults_and_builds_nested_models() -> None:
    shape = config_type_from_model(Job, where="op 'load'")
    value = {
        "path": "/data",
        "color": "GREEN",
        "tables": [{"name": "a"}],
        "by_name": {"b": {"name": "b", "rows": 2}},
        "ratio": 1,
    }
    processed = process_config(shape, value).value_or_raise()
    job = model_from_config(Job, processed)
    assert job.color is Color.GREEN
    assert job.ratio == 1.0
    assert isinstance(job.ratio, float)
    assert job.retries is None
    assert job.tables == [Table(name="a", rows=10)]
    assert isinstance(job.tables[0], Table)
    assert job.by_name["b"] == Table(name="b", rows=2)
    assert job.main == Table(name="main")
    assert job.mode == "fast"


def test_messages_are_identical_for_both_styles() -> None:
    class Db(Config):
        host: str
        port: int
        tags: list[str] = PydanticField(default_factory=list)

    dict_style = {"host": str, "port": int, "tags": Field([str], default_value=[])}
    bad = {"port": "abc", "hots": "x", "tags": ["a", 3]}
    expected = [
        ("ops.load.config.port", 'expected int, got str "abc"', "wrong_type"),
        ("ops.load.config.tags[1]", "expected str, got int 3", "wrong_type"),
        ("ops.load.config", 'missing required field "host" (str)', "missing_field"),
        ("ops.load.config", 'unknown field "hots"; did you mean "host"?', "unknown_field"),
    ]
    assert problems_of(Db, bad) == expected
    assert problems_of(dict_style, bad) == expected


def test_enum_and_literal_problems() -> None:
    assert problems_of(Job, {"path": "p", "color": "BLUE", "mode": "medium"}) == [
        (
            "ops.load.config.color",
            '"BLUE" is not a valid Color; expected one of "RED", "GREEN"',
            "invalid_value",
        ),
        (
            "ops.load.config.mode",
            '"medium" is not a valid literal; expected one of "fast", "slow"',
            "invalid_value",
        ),
    ]


def test_scalar_fields_accept_env_references() -> None:
    shape = config_type_from_model(Job, where="x")
    value = {"path": {"env": "DATA"}, "limit": {"env": "LIMIT"}, "verbose": {"env": "V"}}
    result = process_config(shape, value, environ={"DATA": "/d", "LIMIT": "7", "V": "1"})
    job = model_from_config(Job, result.value_or_raise())
    assert (job.path, job.limit, job.verbose) == ("/d", 7, True)


def test_env_var_fields_resolve_at_run_time_not_at_definition() -> None:
    class Secret(Config):
        password: str
        port: int = 5432

    secret = Secret(password=EnvVar("DB_PASSWORD"), port=EnvVar.int("DB_PORT"))
    assert secret.password == EnvVar("DB_PASSWORD")
    assert isinstance(secret.password, EnvVar)
    assert isinstance(secret.port, IntEnvVar)
    run_config = config_dict_from_model(secret)
    assert run_config == {"password": {"env": "DB_PASSWORD"}, "port": {"env": "DB_PORT"}}
    shape = config_type_from_model(Secret, where="resource 'db'")
    ok = process_config(shape, run_config, environ={"DB_PASSWORD": "s3cret", "DB_PORT": "1"})
    assert model_from_config(Secret, ok.value_or_raise()) == Secret(password="s3cret", port=1)
    missing = process_config(shape, run_config, path="resources.db.config", environ={})
    assert [str(p) for p in missing.problems] == [
        'resources.db.config.password: environment variable "DB_PASSWORD" is not set; '
        "export it or give the value directly",
        'resources.db.config.port: environment variable "DB_PORT" is not set; '
        "export it or give the value directly",
    ]


def test_env_var_default_on_a_field() -> None:
    class WithDefault(Config):
        token: str = EnvVar("TOKEN")

    field = config_type_from_model(WithDefault, where="x").fields["token"]
    assert field.default_value == {"env": "TOKEN"}
    assert process_config(Shape({"t": field}), {}, environ={"TOKEN": "v"}).value == {"t": "v"}


def test_config_dict_has_only_explicit_values_in_config_form() -> None:
    job = Job(path="p", color=Color.GREEN, tables=[Table(name="t")], main=Table(name="m", rows=1))
    assert config_dict_from_model(job) == {
        "path": "p",
        "color": "GREEN",
        "tables": [{"name": "t"}],
        "main": {"name": "m", "rows": 1},
    }


def test_config_instances_are_frozen() -> None:
    job = Job(path="p")
    with pytest.raises(
        InvalidInvocationError,
        match=re.escape("'Job' is frozen: its config cannot change after it is built"),
    ):
        job.path = "q"  # type: ignore[misc]


def test_private_attributes_stay_assignable() -> None:
    class WithState(Config):
        name: str
        _cache: dict[str, int] = PrivateAttr(default_factory=dict)

    built = model_from_config(WithState, {"name": "a"})
    built._cache = {"x": 1}
    assert built._cache == {"x": 1}


def test_permissive_config_passes_extra_fields() -> None:
    class Extra(PermissiveConfig):
        name: str = "n"

    shape = config_type_from_model(Extra, where="x")
    assert isinstance(shape, Permissive)
    processed = process_config(shape, {"other": [1]}).value_or_raise()
    built = model_from_config(Extra, processed)
    assert built.name == "n"
    assert built.model_extra == {"other": [1]}
    assert config_dict_from_model(Extra(name="a", other=2)) == {"name": "a", "other": 2}


def test_classes_with_validators_are_validated_again() -> None:
    class Upper(Config):
        name: str

        @field_validator("name")
        @classmethod
        def upper(cls, value: str) -> str:
            return value.upper()

    assert model_from_config(Upper, {"name": "a"}).name == "A"


def test_field_filter_skips_fields_for_resource_subclasses() -> None:
    class Client:
        pass

    class Resourceish(_ConfigBase):
        url: str
        client: Client

    def only_config(name: str, info: FieldInfo) -> bool:
        return info.annotation is not Client

    shape = config_type_from_model(Resourceish, where="resource 'r'", field_filter=only_config)
    assert list(shape.fields) == ["url"]
    instance = Resourceish(url="u", client=Client())
    assert config_dict_from_model(instance, field_filter=only_config) == {"url": "u"}


def test_unsupported_annotation_names_the_field_and_owner() -> None:
    class Odd(Config):
        things: set[int]

    with pytest.raises(
        InvalidConfigDefinitionError,
        match=re.escape(
            "op 'load': config schema "
            f'{Odd!r}, field "things": set[int] cannot be resolved: type set has no config '
            "equivalent; use a scalar, a Config, an Enum, list or dict"
        ),
    ) as raised:
        config_type_from_model(Odd, where="op 'load'")
    assert raised.value.original_root is Odd
    assert (raised.value.current_value, raised.value.stack) == (set[int], ["things"])


def test_dict_keys_must_be_str() -> None:
    class Keys(Config):
        counts: dict[int, int]

    with pytest.raises(InvalidConfigDefinitionError, match="dict keys must be str"):
        normalize_schema(Keys, where="op 'x'")


def test_optional_without_default_defaults_to_none() -> None:
    class Opt(Config):
        retries: int | None

    # pydantic's mypy plugin does not know that Config (like Dagster's) makes this optional
    assert Opt().retries is None  # type: ignore[call-arg]
    field = config_type_from_model(Opt, where="x").fields["retries"]
    assert isinstance(field.config_type, Noneable)
    assert not field.is_required
    assert process_config(Shape({"o": field}), {}).value == {"o": None}


def test_none_default_makes_the_field_noneable() -> None:
    class NoneDefault(Config):
        limit: int = None  # type: ignore[assignment]

    field = config_type_from_model(NoneDefault, where="x").fields["limit"]
    assert isinstance(field.config_type, Noneable)
    assert problems_of(NoneDefault, {"limit": None}) == []
