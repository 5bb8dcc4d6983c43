"""``ResourceDefinition`` and ``@resource``: construction, ready-made resources, invocation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from unittest.mock import MagicMock

import pytest

from headwater.config import Field
from headwater.errors import (
    InvalidConfigDefinitionError,
    InvalidConfigError,
    InvalidInvocationError,
    ResourceFunctionError,
)
from headwater.resources import (
    InitResourceContext,
    ResourceDefinition,
    build_init_resource_context,
    build_resources,
    coerce_resource,
    resource,
)


@resource(config_schema={"connection": str, "port": Field(int, default_value=5432)})
def db(context: InitResourceContext) -> dict[str, object]:
    """Talks to the database."""
    return dict(context.resource_config)


def test_decorator_builds_a_definition() -> None:
    @resource(description="d", required_resource_keys={"a"}, version="1")
    def r(context: InitResourceContext) -> None:
        return None

    assert isinstance(r, ResourceDefinition)
    assert (r.description, r.required_resource_keys, r.version) == ("d", frozenset({"a"}), "1")
    assert db.description == "Talks to the database."
    assert repr(db.config_type) == "<config {connection: str, port?: int}>"
    assert repr(r.config_type) == "<config any>"


def test_malformed_schema_names_the_resource() -> None:
    with pytest.raises(InvalidConfigDefinitionError, match=re.escape("resource 'bad'")):

        @resource(config_schema={"x": object()})
        def bad(context: InitResourceContext) -> None:
            return None


def test_direct_call_processes_context_config() -> None:
    context = build_init_resource_context(config={"connection": "c"})
    assert db(context) == {"connection": "c", "port": 5432}
    msg = "1 problem(s) in config of resource 'db':\n  resources.db.config.port: expected int"
    with pytest.raises(InvalidConfigError, match=re.escape(msg)):
        db(build_init_resource_context(config={"connection": "c", "port": "x"}))


def test_direct_call_without_required_config_says_how_to_fix() -> None:
    msg = (
        "resource 'db' requires config, but none was given; pass "
        "build_init_resource_context(config={...})"
    )
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        db(None)


def test_direct_call_without_required_resources_lists_them() -> None:
    @resource(required_resource_keys={"b", "a"})
    def needs(context: InitResourceContext) -> None:
        return None

    msg = (
        "resource 'needs' requires 'a', 'b', which the context does not provide; "
        "pass build_init_resource_context(resources={...}) with them"
    )
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        needs(None)


def test_no_argument_resource() -> None:
    @resource
    def plain() -> int:
        return 1

    assert plain() == 1
    msg = (
        "resource 'plain' was called with an argument, but its function takes no context; "
        "call it with no argument, or add a context parameter"
    )
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        plain(None)


def test_wrong_argument_type_is_refused() -> None:
    msg = (
        "resource 'db' was called with str; pass an InitResourceContext from "
        "build_init_resource_context(...) or None"
    )
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        db("config")


def test_direct_generator_that_yields_nothing() -> None:
    @resource
    def empty(_: InitResourceContext) -> Iterator[int]:
        yield from ()

    msg = "resource 'empty' is a generator that yielded nothing"
    with pytest.raises(ResourceFunctionError, match=re.escape(msg)), empty(None):
        pass


def test_direct_generator_that_yields_twice_fails_on_exit_naming_it() -> None:
    @resource
    def twice(_: InitResourceContext) -> Iterator[int]:
        yield 1
        yield 2

    msg = (
        "resource 'twice' yielded more than once; "
        "a generator resource must yield its value exactly once"
    )
    with pytest.raises(ResourceFunctionError, match=re.escape(msg)), twice(None) as value:
        assert value == 1


def test_hardcoded_none_mock_and_string_resources() -> None:
    with build_resources(
        {
            "h": ResourceDefinition.hardcoded_resource([1], description="list"),
            "n": ResourceDefinition.none_resource(),
            "m": ResourceDefinition.mock_resource(),
            "s": ResourceDefinition.string_resource(),
        },
        resource_config={"s": {"config": "hello"}},
    ) as resources:
        assert resources.h == [1]
        assert resources.n is None
        assert isinstance(resources.m, MagicMock)
        assert resources.s == "hello"
    assert ResourceDefinition.hardcoded_resource(1, "one").description == "one"


def test_plain_objects_are_coerced_to_hardcoded_resources() -> None:
    value = object()
    definition = coerce_resource(value)
    assert definition(None) is value
    assert coerce_resource(db) is db


def test_configured_with_fixed_config() -> None:
    local = db.configured({"connection": "sqlite://"}, description="local db")
    assert local.description == "local db"
    assert not local.is_config_required
    assert local(None) == {"connection": "sqlite://", "port": 5432}
    with build_resources({"db": local}) as resources:
        assert resources.db == {"connection": "sqlite://", "port": 5432}


def test_configured_with_a_function_and_new_schema() -> None:
    by_host = db.configured(lambda cfg: {"connection": f"pg://{cfg['host']}"}, {"host": str})
    assert repr(by_host.config_type) == "<config {host: str}>"
    with build_resources(
        {"db": by_host}, resource_config={"db": {"config": {"host": "h"}}}
    ) as resources:
        assert resources.db == {"connection": "pg://h", "port": 5432}


def test_configured_config_is_validated_at_run_time() -> None:
    bad = db.configured({"connection": 5})
    msg = (
        "1 problem(s) in config of resource 'db' set by configured():\n"
        "  resources.db.config.connection: expected str, got int 5"
    )
    with pytest.raises(InvalidConfigError, match=re.escape(msg)), build_resources({"db": bad}):
        pass
