"""Calling ops directly, as tests do, with ``build_op_context``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidConfigError, InvalidDefinitionError, InvalidInvocationError


@dg.op
def add(a: int, b: int = 2) -> int:
    return a + b


@dg.op(config_schema={"n": int}, required_resource_keys={"db"})
def scaled(context: dg.OpExecutionContext, x: int) -> tuple[Any, int]:
    return context.resources.db, context.op_config["n"] * x


def test_op_without_context_is_called_like_its_function() -> None:
    assert add(1) == 3
    assert add(1, 5) == 6
    assert add(a=1, b=10) == 11


def test_missing_and_unknown_inputs_are_invocation_errors() -> None:
    with pytest.raises(InvalidInvocationError, match=re.escape("op 'add' is missing inputs ['a']")):
        add()
    msg = "op 'add' has no input 'c'; its inputs are ['a', 'b']"
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        add(1, c=3)
    msg = "op 'add' takes 2 inputs ['a', 'b'] but was given 3 positional arguments"
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        add(1, 2, 3)


def test_build_op_context_gives_resources_and_config() -> None:
    context = dg.build_op_context(resources={"db": "conn"}, op_config={"n": 3})
    assert scaled(context, 2) == ("conn", 6)
    assert scaled(dg.build_op_context(resources={"db": "c"}, config={"n": 1}), x=4) == ("c", 4)


def test_invalid_op_config_is_reported_with_its_path() -> None:
    context = dg.build_op_context(resources={"db": 1}, op_config={"n": "three"})
    msg = "1 problem(s) in config of op 'scaled':\n  config.n: expected int, got str \"three\""
    with pytest.raises(InvalidConfigError, match=re.escape(msg)):
        scaled(context, 1)


def test_missing_resource_says_how_to_provide_it() -> None:
    msg = (
        "op 'scaled' requires resources ['db'], which were not given; pass them with "
        "build_op_context(resources={...}) or as keyword arguments"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        scaled(dg.build_op_context(op_config={"n": 1}), 1)


def test_op_with_context_called_without_one_says_how_to_call_it() -> None:
    @dg.op
    def needs_context(context: dg.OpExecutionContext, x: int) -> int:
        return x

    msg = (
        "op 'needs_context' takes a context as its first argument, but none was given; call "
        "it as needs_context(build_op_context(...), ...)"
    )
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        needs_context(1)
    assert needs_context(None, 1) == 1


def test_context_given_to_an_op_without_one_is_an_error() -> None:
    msg = (
        "op 'add' has no context parameter, but a context was given as its first argument; drop it"
    )
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        add(dg.build_op_context(), 1)


def test_op_config_and_config_together_are_an_error() -> None:
    msg = "build_op_context: pass op_config or config, not both"
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        dg.build_op_context(op_config={"n": 1}, config={"n": 2})


class Greeting(dg.Config):
    word: str = "hello"


class Store(dg.ConfigurableResource):
    prefix: str

    def key(self, name: str) -> str:
        return f"{self.prefix}/{name}"


def test_config_parameter_takes_a_config_object_or_context_config() -> None:
    @dg.op
    def greet(config: Greeting, name: str) -> str:
        return f"{config.word} {name}"

    assert greet(config=Greeting(word="hi"), name="you") == "hi you"
    assert greet(dg.build_op_context(op_config={"word": "hey"}), "me") == "hey me"
    assert greet(dg.build_op_context(), "all") == "hello all"


def test_resource_parameter_takes_a_keyword_or_a_context_resource() -> None:
    @dg.op
    def locate(store: Store, name: str) -> str:
        return store.key(name)

    assert locate(store=Store(prefix="s3://b"), name="x") == "s3://b/x"
    context = dg.build_op_context(resources={"store": Store(prefix="mem")})
    assert locate(context, "y") == "mem/y"


def test_context_resources_are_torn_down_when_the_context_closes() -> None:
    events: list[str] = []

    @dg.resource
    def conn(_: dg.InitResourceContext) -> Iterator[str]:
        events.append("open")
        yield "conn"
        events.append("close")

    @dg.op(required_resource_keys={"conn"})
    def use(context: dg.OpExecutionContext) -> Any:
        return context.resources.conn

    with dg.build_op_context(resources={"conn": conn}) as context:
        assert use(context) == "conn"
        assert events == ["open"]
    assert events == ["open", "close"]


def test_direct_context_records_log_lines() -> None:
    @dg.op
    def chatty(context: dg.OpExecutionContext) -> None:
        context.log.info("hi %s", "there")

    context = dg.build_op_context()
    chatty(context)
    assert [e.message for e in context.events] == ["hi there"]
    assert context.run_id == "EPHEMERAL"


def test_direct_context_exposes_partition_and_tags() -> None:
    @dg.op
    def facts(context: dg.OpExecutionContext) -> tuple[str, str | None]:
        return context.partition_key, context.get_tag("k")

    context = dg.build_op_context(partition_key="p1", run_tags={"k": "v"})
    assert facts(context) == ("p1", "v")


def test_generator_op_called_directly_yields_its_outputs() -> None:
    @dg.op(out={"a": dg.Out(), "b": dg.Out()})
    def two() -> Iterator[dg.Output[int]]:
        yield dg.Output(1, "a")
        yield dg.Output(2, "b")

    assert [(o.output_name, o.value) for o in two()] == [("a", 1), ("b", 2)]


def test_op_exception_reaches_the_caller_unchanged() -> None:
    error = RuntimeError("direct")

    @dg.op
    def breaks() -> None:
        raise error

    with pytest.raises(RuntimeError) as caught:
        breaks()
    assert caught.value is error


def test_omitted_config_uses_defaults_or_names_the_missing_field() -> None:
    @dg.op(config_schema={"n": int})
    def strict(context: dg.OpExecutionContext) -> Any:
        return context.op_config

    msg = "1 problem(s) in config of op 'strict':\n  config: missing required field \"n\" (int)"
    with pytest.raises(InvalidConfigError, match=re.escape(msg)):
        strict(dg.build_op_context())

    @dg.op(config_schema={"n": dg.Field(int, default_value=4)})
    def relaxed(context: dg.OpExecutionContext) -> Any:
        return context.op_config

    assert relaxed(dg.build_op_context()) == {"n": 4}


def test_a_direct_context_without_instance_gets_an_ephemeral_one_disposed_on_close() -> None:
    seen: dict[str, Any] = {}

    @dg.resource
    def probe(init_context: dg.InitResourceContext) -> int:
        seen["resource"] = init_context.instance
        return 1

    with dg.build_op_context(resources={"probe": probe}) as context:
        instance: Any = context.instance
        assert instance.is_ephemeral
        assert seen["resource"] is instance  # one instance for the op and its resources
        assert instance.get_runs() == []
    # Closed with the block, after the resources' teardown: a later use says so.
    with pytest.raises(dg.DagsterInvariantViolationError, match="build_op_context"):
        instance.get_runs()


def test_a_direct_context_keeps_the_instance_given_and_builds_none_when_unread() -> None:
    given = dg.DagsterInstance.ephemeral()
    assert dg.build_op_context(instance=given).instance is given
    context = dg.build_asset_context()
    assert context._instance_given is not None and not isinstance(
        context._instance_given, dg.DagsterInstance
    )  # a cell: nothing is built until the instance is read
    context.close()
