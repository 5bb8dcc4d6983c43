"""Resource APIs added for Dagster parity (issue 9): values resources, adapters, contexts,
resources given to a directly invoked op, and a resource class that refers to itself."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Optional

import pytest
from pydantic import PrivateAttr

import headwater as dg
from headwater.errors import InvalidConfigError, InvariantViolationError

LOG: list[str] = []


class SSH(dg.ConfigurableResource):
    host: str
    jump_host: Optional[SSH] = None  # noqa: UP045  # the issue's spelling, evaluated late

    def route(self) -> list[str]:
        return [self.host, *(self.jump_host.route() if self.jump_host else [])]


class Tracked(dg.ConfigurableResource):
    name: str

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        LOG.append(f"setup {self.name}")

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        LOG.append(f"teardown {self.name}")


class Client(dg.ConfigurableResource, dg.IAttachDifferentObjectToOpContext):
    url: str

    def get_object_to_set_on_execution_context(self) -> str:
        return f"raw:{self.url}"


def test_a_resource_class_may_hold_itself() -> None:
    @dg.asset
    def hops(ssh: SSH) -> list[str]:
        return ssh.route()

    ssh = SSH(host="a", jump_host=SSH(host="b"))
    result = dg.materialize([hops], resources={"ssh": ssh})
    assert result.output_for_node("hops") == ["a", "b"]
    assert dg.materialize([hops], resources={"ssh": SSH(host="c")}).output_for_node("hops") == ["c"]


def test_make_values_resource_is_its_config() -> None:
    values = dg.make_values_resource(day=str, hour=dg.Field(int, default_value=0))
    with dg.build_resources(
        {"values": values}, resource_config={"values": {"config": {"day": "mon"}}}
    ) as resources:
        assert resources.values == {"day": "mon", "hour": 0}
    with (
        pytest.raises(InvalidConfigError, match='missing required field "day"'),
        dg.build_resources({"values": values}),
    ):
        pass


def test_legacy_adapter_runs_the_wrapped_function_with_its_fields() -> None:
    @dg.resource(config_schema={"prefix": str})
    def writer(init_context: dg.InitResourceContext) -> Any:
        return lambda text: init_context.resource_config["prefix"] + text

    class Writer(dg.ConfigurableLegacyResourceAdapter):
        prefix: str

        @property
        def wrapped_resource(self) -> dg.ResourceDefinition:
            return writer

    with dg.build_resources({"w": Writer(prefix="> ")}) as resources:
        assert resources.w("hi") == "> hi"


def test_get_resource_context_is_set_during_a_run_only() -> None:
    seen: list[Any] = []

    class Store(dg.ConfigurableResource):
        url: str = "u"
        _ctx: Any = PrivateAttr(default=None)

        def setup_for_execution(self, context: dg.InitResourceContext) -> None:
            seen.append(self.get_resource_context().resource_config)

    with dg.build_resources({"s": Store()}):
        pass
    assert seen == [{"url": "u"}]
    msg = "'Store' has no resource context: it is only set while the resource is initialized"
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        Store().get_resource_context()
    context = dg.build_init_resource_context(config={"url": "t"})
    replaced = Store().with_replaced_resource_context(context)
    assert replaced.get_resource_context() is context


def test_process_config_and_initialize_resolves_env_vars(monkeypatch: pytest.MonkeyPatch) -> None:
    class Store(dg.ConfigurableResource):
        url: str

    monkeypatch.setenv("STORE_URL", "from-env")
    assert Store(url=dg.EnvVar("STORE_URL")).process_config_and_initialize().url == "from-env"
    LOG.clear()
    with Tracked(name="t").process_config_and_initialize_cm() as value:
        assert value.name == "t"
    assert LOG == ["setup t", "teardown t"]
    msg = "Tracked tears down after execution; use 'with "
    with pytest.raises(dg.DagsterInvalidInvocationError, match=re.escape(msg)):
        Tracked(name="t").process_config_and_initialize()


def test_context_resources_show_the_attached_object() -> None:
    @dg.op(required_resource_keys={"client"})
    def by_context(context: dg.OpExecutionContext) -> Any:
        return context.resources.client

    @dg.op
    def by_param(client: Client) -> Any:
        return type(client).__name__

    @dg.job(resource_defs={"client": Client(url="x")})
    def j() -> None:
        by_context()
        by_param()

    result = j.execute_in_process()
    assert result.output_for_node("by_context") == "raw:x"
    assert result.output_for_node("by_param") == "Client"


def test_resources_passed_to_a_direct_call_are_set_up_and_torn_down() -> None:
    @dg.asset
    def a(t: Tracked) -> str:
        LOG.append("asset")
        return t.name

    @dg.asset
    def b(context: dg.AssetExecutionContext, t: Tracked) -> str:
        return t.name

    LOG.clear()
    assert a(Tracked(name="pos")) == "pos"
    assert LOG == ["setup pos", "asset", "teardown pos"]
    assert b(dg.build_op_context(), Tracked(name="ctx")) == "ctx"
    assert b(context=dg.build_op_context(), t=Tracked(name="kw")) == "kw"


def test_with_resources_binds_resources_to_assets() -> None:
    @dg.resource(config_schema={"v": str})
    def source(init_context: dg.InitResourceContext) -> str:
        return str(init_context.resource_config["v"])

    @dg.asset(required_resource_keys={"src"})
    def a(context: dg.AssetExecutionContext) -> str:
        return str(context.resources.src)

    [bound] = dg.with_resources(
        [a], {"src": source}, resource_config_by_key={"src": {"config": {"v": "c"}}}
    )
    assert dg.materialize([bound]).output_for_node("a") == "c"
    assert "src" not in a.resource_defs


def test_generator_function_resources_tear_down_with_build_resources() -> None:
    @dg.resource
    def conn(_: dg.InitResourceContext) -> Iterator[str]:
        LOG.append("open")
        yield "c"
        LOG.append("close")

    LOG.clear()
    with dg.build_resources({"c": conn}) as resources:
        assert resources.c == "c"
    assert LOG == ["open", "close"]
