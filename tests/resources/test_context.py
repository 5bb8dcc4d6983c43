"""``Resources`` and ``InitResourceContext``, and the builders in ``resources.testing``."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest

from headwater.errors import InvalidConfigError, UnknownResourceError
from headwater.resources import (
    InitResourceContext,
    Resources,
    build_init_resource_context,
    build_resources,
    resource,
)


def test_unknown_resource_lists_available_keys() -> None:
    resources = Resources({"db": 1, "cache": 2})
    msg = (
        "unknown resource 'nope'; available resources: 'db', 'cache'. Declare 'nope' in "
        "required_resource_keys (or as a resource parameter) and bind it in the job's "
        "resource_defs"
    )
    with pytest.raises(UnknownResourceError, match=re.escape(msg)):
        _ = resources.nope
    assert not hasattr(resources, "nope")
    assert hasattr(resources, "db")
    assert "db" in resources
    assert sorted(resources) == ["cache", "db"]


def test_resources_are_read_only() -> None:
    resources = Resources({"db": 1})
    with pytest.raises(AttributeError, match=re.escape("resources are read-only")):
        resources.db = 2


def test_default_log_is_a_headwater_child_logger() -> None:
    context = InitResourceContext()
    assert isinstance(context.log, logging.Logger)
    assert context.log.name == "headwater.resources"
    assert (context.resource_config, context.run_id, context.dagster_run) == (None, None, None)


def test_build_init_resource_context_initializes_and_tears_down_definitions() -> None:
    events: list[str] = []

    @resource
    def conn(_: InitResourceContext) -> Iterator[str]:
        events.append("open")
        yield "conn"
        events.append("close")

    with build_init_resource_context(resources={"conn": conn, "raw": 3}) as context:
        assert (context.resources.conn, context.resources.raw) == ("conn", 3)
        assert events == ["open"]
    assert events == ["open", "close"]


def test_build_init_resource_context_gives_the_instance_to_the_resource_and_its_needs() -> None:
    seen: list[object] = []

    @resource
    def dep(context: InitResourceContext) -> str:
        seen.append(context.instance)
        return "dep"

    @resource(required_resource_keys={"dep"})
    def needs_dep(context: InitResourceContext) -> tuple[object, str]:
        return context.instance, context.resources.dep

    instance = object()
    with build_init_resource_context(resources={"dep": dep}, instance=instance) as context:
        assert needs_dep(context) == (instance, "dep")
    assert seen == [instance]


def test_build_resources_error_lists_every_problem_with_paths() -> None:
    @resource(config_schema={"connection": str})
    def db(context: InitResourceContext) -> str:
        return str(context.resource_config["connection"])

    msg = (
        "2 problem(s) in resource config:\n"
        '  resources.db.config: missing required field "connection" (str)\n'
        '  resources: unknown field "dbb"; did you mean "db"?'
    )
    with (
        pytest.raises(InvalidConfigError, match=re.escape(msg)),
        build_resources({"db": db}, resource_config={"dbb": {}}),
    ):
        pass


def test_build_resources_uses_the_given_logger_and_instance() -> None:
    seen: list[InitResourceContext] = []

    @resource
    def r(context: InitResourceContext) -> None:
        seen.append(context)

    log = logging.getLogger("custom")
    instance = object()
    with build_resources({"r": r}, instance=instance, log_manager=log):
        pass
    assert (seen[0].log, seen[0].instance) == (log, instance)
