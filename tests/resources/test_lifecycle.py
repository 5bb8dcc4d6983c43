"""Ordering, opening and closing resources: ``resource_init_order`` and ``open_resources``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from headwater.errors import InvalidConfigError, InvalidDefinitionError, ResourceFunctionError
from headwater.resources import (
    InitResourceContext,
    ResourceDefinition,
    open_resources,
    resource,
    resource_init_order,
)


def _const(value: Any, *, needs: tuple[str, ...] = ()) -> ResourceDefinition:
    return ResourceDefinition(lambda _: value, required_resource_keys=needs)


class Recorder:
    """A ResourceListener that records calls, and resources that record their lifecycle."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def on_init_started(self, key: str) -> None:
        self.calls.append(("started", key))

    def on_init_succeeded(self, key: str, seconds: float) -> None:
        assert seconds >= 0
        self.calls.append(("succeeded", key))

    def on_init_failed(self, key: str, error: BaseException) -> None:
        self.calls.append(("failed", key, str(error)))

    def on_teardown_failed(self, key: str, error: BaseException) -> None:
        self.calls.append(("teardown_failed", key, str(error)))

    def tracked(self, name: str, *, needs: tuple[str, ...] = ()) -> ResourceDefinition:
        def fn(context: InitResourceContext) -> Iterator[str]:
            self.calls.append(("init", name))
            try:
                yield name
            finally:
                self.calls.append(("teardown", name))

        return ResourceDefinition(fn, required_resource_keys=needs)


# -- resource_init_order --------------------------------------------------------------


def test_order_is_by_dependency_level_then_name_as_in_the_reference() -> None:
    defs = {
        "a": _const(1, needs=("c",)),
        "b": _const(2),
        "c": _const(3, needs=("b",)),
        "d": _const(4),
    }
    assert resource_init_order(defs, ["d", "a"], owner="job 'j'") == ["b", "d", "c", "a"]
    assert resource_init_order(defs, ["b", "d"], owner="job 'j'") == ["b", "d"]


def test_order_does_not_depend_on_binding_order() -> None:
    defs = {"z": _const(1), "y": _const(2), "top": _const(3, needs=("y", "z"))}
    assert resource_init_order(defs, ["top"], owner="job 'j'") == ["y", "z", "top"]


def test_cycle_is_printed() -> None:
    defs = {"a": _const(1, needs=("b",)), "b": _const(2, needs=("a",))}
    msg = (
        "resource dependency cycle: a → b → a (in job 'loop'); "
        "remove one of these required_resource_keys"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        resource_init_order(defs, ["a"], owner="job 'loop'")


def test_self_cycle_is_printed() -> None:
    defs = {"a": _const(1, needs=("a",))}
    with pytest.raises(InvalidDefinitionError, match=re.escape("cycle: a → a (in")):
        resource_init_order(defs, ["a"], owner="job 'loop'")


def test_missing_dependency_names_resource_key_and_owner() -> None:
    defs = {"client": _const(1, needs=("credentials",))}
    msg = (
        "resource 'client' requires 'credentials', which job 'connect' does not provide; "
        "add it to the job's resource_defs"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        resource_init_order(defs, ["client"], owner="job 'connect'")


def test_missing_needed_key_names_owner() -> None:
    msg = (
        "resource 'db' is required, but mode 'test' does not provide it; "
        "add it to the mode's resource_defs"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        resource_init_order({}, ["db"], owner="mode 'test'")


def test_missing_key_names_what_needs_it_when_given() -> None:
    msg = (
        "resource with key 'checker' required by type 'Rows' was not provided: job 'load' "
        "does not provide it; add it to the job's resource_defs"
    )
    with pytest.raises(InvalidDefinitionError, match=f"^{re.escape(msg)}$"):
        resource_init_order(
            {}, ["checker"], owner="job 'load'", needed_by={"checker": "type 'Rows'"}
        )


# -- open_resources -------------------------------------------------------------------


def test_each_resource_initializes_once_in_order_and_tears_down_in_reverse() -> None:
    rec = Recorder()
    counts = {"a": 0}

    def count_a(_: InitResourceContext) -> str:
        counts["a"] += 1
        return "a"

    defs = {
        "a": ResourceDefinition(count_a),
        "b": rec.tracked("b", needs=("a",)),
        "c": rec.tracked("c", needs=("a", "b")),
        "unused": rec.tracked("unused"),
    }
    with open_resources(defs, keys=["c", "b"], configs={}) as resources:
        assert (resources.a, resources.b, resources.c) == ("a", "b", "c")
        assert "unused" not in resources
    assert counts == {"a": 1}
    assert rec.calls == [
        ("init", "b"),
        ("init", "c"),
        ("teardown", "c"),
        ("teardown", "b"),
    ]


def test_listener_hears_each_init() -> None:
    rec = Recorder()
    with open_resources({"x": _const(1), "y": _const(2)}, keys=["y"], configs={}, listener=rec):
        pass
    assert rec.calls == [("started", "y"), ("succeeded", "y")]


def test_init_failure_wraps_user_error_after_tearing_down_what_was_up() -> None:
    rec = Recorder()
    boom = ValueError("nope")

    def fail(_: InitResourceContext) -> None:
        raise boom

    defs = {"a": rec.tracked("a"), "b": ResourceDefinition(fail, required_resource_keys={"a"})}
    with (
        pytest.raises(
            ResourceFunctionError,
            match=re.escape("error initializing resource 'b': ValueError: nope"),
        ) as info,
        open_resources(defs, keys=["b"], configs={}, listener=rec),
    ):
        pytest.fail("the body must not run")
    assert info.value.__cause__ is boom
    assert info.value.user_exception is boom
    assert rec.calls == [
        ("started", "a"),
        ("init", "a"),
        ("succeeded", "a"),
        ("started", "b"),
        ("failed", "b", "error initializing resource 'b': ValueError: nope"),
        ("teardown", "a"),
    ]


def test_body_failure_tears_down_in_reverse_and_propagates_unchanged() -> None:
    rec = Recorder()
    defs = {"a": rec.tracked("a"), "b": rec.tracked("b")}
    with pytest.raises(KeyError, match="step"), open_resources(defs, keys=["a", "b"], configs={}):
        raise KeyError("step")
    assert rec.calls[-2:] == [("teardown", "b"), ("teardown", "a")]


def _failing_teardown(name: str, calls: list[str]) -> ResourceDefinition:
    def fn(_: InitResourceContext) -> Iterator[str]:
        yield name
        calls.append(name)
        raise RuntimeError(f"{name} broke")

    return ResourceDefinition(fn)


def test_teardown_error_goes_to_listener_and_other_teardowns_still_run() -> None:
    rec = Recorder()
    torn: list[str] = []
    defs = {"a": _failing_teardown("a", torn), "b": _failing_teardown("b", torn)}
    with open_resources(defs, keys=["a", "b"], configs={}, listener=rec):
        pass
    assert torn == ["b", "a"]
    assert [c for c in rec.calls if c[0] == "teardown_failed"] == [
        ("teardown_failed", "b", "b broke"),
        ("teardown_failed", "a", "a broke"),
    ]


def test_teardown_error_without_listener_raises_after_all_teardowns() -> None:
    torn: list[str] = []
    defs = {"a": _failing_teardown("a", torn), "b": _failing_teardown("b", torn)}
    msg = "error tearing down resource 'b': RuntimeError: b broke; 'a': RuntimeError: a broke"
    with (
        pytest.raises(ResourceFunctionError, match=re.escape(msg)) as info,
        open_resources(defs, keys=["a", "b"], configs={}),
    ):
        pass
    assert torn == ["b", "a"]
    assert str(info.value.__cause__) == "b broke"


def test_teardown_error_never_hides_the_body_error(caplog: pytest.LogCaptureFixture) -> None:
    torn: list[str] = []
    with (
        pytest.raises(KeyError, match="original"),
        open_resources({"a": _failing_teardown("a", torn)}, keys=["a"], configs={}),
    ):
        raise KeyError("original")
    assert torn == ["a"]
    assert "error tearing down resource 'a'" in caplog.text


def test_teardown_error_never_hides_an_init_error() -> None:
    rec = Recorder()
    torn: list[str] = []

    def fail(_: InitResourceContext) -> None:
        raise ValueError("init broke")

    defs = {"a": _failing_teardown("a", torn), "b": ResourceDefinition(fail)}
    with (
        pytest.raises(ResourceFunctionError, match="init broke"),
        open_resources(defs, keys=["a", "b"], configs={}, listener=rec),
    ):
        pass
    assert ("teardown_failed", "a", "a broke") in rec.calls


def test_generator_that_yields_nothing_fails_at_init_naming_the_resource() -> None:
    @resource
    def empty(_: InitResourceContext) -> Iterator[str]:
        return
        yield "never"

    msg = (
        "resource 'db' is a generator that yielded nothing; "
        "a generator resource must yield its value exactly once"
    )
    with (
        pytest.raises(ResourceFunctionError, match=re.escape(msg)),
        open_resources({"db": empty}, keys=["db"], configs={}),
    ):
        pass


def test_generator_that_yields_twice_fails_at_teardown_naming_the_resource() -> None:
    @resource
    def twice(_: InitResourceContext) -> Iterator[int]:
        yield 1
        yield 2

    msg = (
        "error tearing down resource 'db': ResourceFunctionError: resource 'db' yielded more "
        "than once; a generator resource must yield its value exactly once"
    )
    with (
        pytest.raises(ResourceFunctionError, match=re.escape(msg)),
        open_resources({"db": twice}, keys=["db"], configs={}) as resources,
    ):
        assert resources.db == 1


def test_configs_are_used_as_given_and_missing_ones_get_defaults() -> None:
    from headwater.config import Field

    seen: dict[str, Any] = {}

    @resource(config_schema={"port": Field(int, default_value=5432)})
    def db(context: InitResourceContext) -> None:
        assert context.resource_def is db
        seen["db"] = context.resource_config

    with open_resources({"db": db}, keys=["db"], configs={"db": {"port": 1}}):
        assert seen == {"db": {"port": 1}}
    with open_resources({"db": db}, keys=["db"], configs={}):
        assert seen == {"db": {"port": 5432}}


def test_missing_required_config_is_a_config_error() -> None:
    @resource(config_schema={"connection": str})
    def db(context: InitResourceContext) -> None:
        return None

    rec = Recorder()
    with (
        pytest.raises(
            InvalidConfigError,
            match=re.escape(
                "1 problem(s) in config of resource 'db':\n"
                '  resources.db.config: missing required field "connection" (str)'
            ),
        ),
        open_resources({"db": db}, keys=["db"], configs={}, listener=rec),
    ):
        pass
    assert rec.calls[-1][:2] == ("failed", "db")


def test_context_carries_run_facts_and_only_required_resources() -> None:
    seen: list[InitResourceContext] = []

    @resource(required_resource_keys={"a"})
    def b(context: InitResourceContext) -> None:
        seen.append(context)

    instance = object()
    defs = {"a": _const("A"), "x": _const("X"), "b": b}
    with open_resources(defs, keys=["x", "b"], configs={}, run_id="r1", instance=instance):
        pass
    (context,) = seen
    assert (context.run_id, context.instance, context.resource_def) == ("r1", instance, b)
    assert context.resources.a == "A"
    assert "x" not in context.resources
