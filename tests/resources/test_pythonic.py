"""``ConfigurableResource``: config fields, lifecycle hooks, nested resources, launch config."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from pydantic import Field, PrivateAttr

import headwater as dg
from headwater.errors import InvalidConfigError, InvalidInvocationError, ResourceFunctionError
from headwater.resources import (
    InitResourceContext,
    ResourceParam,
    build_init_resource_context,
    build_resources,
    coerce_resource,
    coerce_resources,
    is_resource_annotation,
    open_resources,
    resource,
    resource_init_order,
)
from headwater.resources.pythonic import (
    ConfigurableResource,
    ConfigurableResourceFactory,
    ResourceDependency,
)

# -- the documentation's examples, with local fakes instead of the network -------------


class Response:
    def __init__(self, body: str) -> None:
        self.body = body


class MyConnectionResource(dg.ConfigurableResource):
    username: str

    def request(self, endpoint: str) -> Response:
        return Response(f"GET https://my-api.com/{endpoint} as {self.username}")


def test_connection_resource_methods_use_config() -> None:
    with build_resources({"my_conn": MyConnectionResource(username="my_user")}) as resources:
        assert resources.my_conn.request("fetch").body == "GET https://my-api.com/fetch as my_user"


def fake_token(auth: tuple[str, str]) -> str:
    return f"token-for-{auth[0]}"


class MyClientResource(dg.ConfigurableResource):
    username: str
    password: str

    _api_token: str = PrivateAttr()

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._api_token = fake_token(auth=(self.username, self.password))

    def get_all_users(self) -> list[str]:
        return [f"users seen with {self._api_token}"]


def test_setup_for_execution_sets_private_state() -> None:
    client = MyClientResource(username="u", password="p")
    with build_resources({"client": client}) as resources:
        assert resources.client.get_all_users() == ["users seen with token-for-u"]


class DBConnection:
    def __init__(self) -> None:
        self.open = True

    def query(self, body: str) -> str:
        assert self.open
        return f"rows for {body}"


OPENED: list[DBConnection] = []


@contextmanager
def get_database_connection(username: str, password: str) -> Iterator[DBConnection]:
    conn = DBConnection()
    OPENED.append(conn)
    try:
        yield conn
    finally:
        conn.open = False


class MyYieldingClient(dg.ConfigurableResource):
    username: str
    password: str

    _db_connection: DBConnection = PrivateAttr()

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[Any]:
        with get_database_connection(self.username, self.password) as conn:
            self._db_connection = conn
            yield self

    def query(self, body: str) -> str:
        return self._db_connection.query(body)


def test_yield_for_execution_holds_a_connection_for_the_run() -> None:
    OPENED.clear()
    with build_resources({"client": MyYieldingClient(username="u", password="p")}) as r:
        assert r.client.query("SELECT * FROM my_table") == "rows for SELECT * FROM my_table"
        assert OPENED[0].open
    assert not OPENED[0].open


# -- config -------------------------------------------------------------------------


class Database(ConfigurableResource):
    """A database."""

    host: str
    port: int = 5432


def test_fields_are_the_schema_and_set_values_are_the_default_config() -> None:
    definition = coerce_resource(Database(host="h", port=1))
    assert definition.description == "A database."
    with build_resources({"db": Database(host="h", port=1)}) as resources:
        assert (resources.db.host, resources.db.port) == ("h", 1)
    # Run config given for a built object replaces its values, as in the reference.
    with build_resources(
        {"db": Database(host="h", port=1)}, resource_config={"db": {"config": {"host": "x"}}}
    ) as resources:
        assert (resources.db.host, resources.db.port) == ("x", 5432)
    msg = 'resources.db.config: missing required field "host"'
    with (
        pytest.raises(InvalidConfigError, match=re.escape(msg)),
        build_resources(
            {"db": Database(host="h")}, resource_config={"db": {"config": {"port": 2}}}
        ),
    ):
        pass


def test_run_config_is_validated_with_paths() -> None:
    msg = "resources.db.config.port: expected int, got str"
    with (
        pytest.raises(InvalidConfigError, match=re.escape(msg)),
        build_resources(
            {"db": Database(host="h")}, resource_config={"db": {"config": {"port": "x"}}}
        ),
    ):
        pass


def test_resources_are_immutable() -> None:
    db = Database(host="h")
    msg = (
        "'Database' is a ConfigurableResource and is immutable: cannot set 'port'. Keep "
        "run-time state in a PrivateAttr (set in setup_for_execution) or in a separate "
        "client object the resource builds"
    )
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        db.port = 1  # type: ignore[misc]  # assigning is what this test checks


def test_env_var_attribute_is_read_at_run_time(monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(host=dg.EnvVar("HW_TEST_DB_HOST"))
    monkeypatch.setenv("HW_TEST_DB_HOST", "first")
    with build_resources({"db": db}) as resources:
        assert resources.db.host == "first"
    monkeypatch.setenv("HW_TEST_DB_HOST", "second")
    with build_resources({"db": db}) as resources:
        assert resources.db.host == "second"


def test_unset_env_var_is_a_config_error_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HW_TEST_UNSET", raising=False)
    with (
        pytest.raises(InvalidConfigError, match=re.escape("HW_TEST_UNSET")) as info,
        build_resources({"db": Database(host=dg.EnvVar("HW_TEST_UNSET"))}),
    ):
        pass
    assert info.value.problems[0].path == "resources.db.config.host"


class Fleet(ConfigurableResource):
    hosts: list[str]
    labels: dict[str, str] = Field(default_factory=dict)


def test_env_vars_inside_lists_and_dicts_are_read_at_run_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cluster = Fleet(
        hosts=[dg.EnvVar("HW_TEST_HOST"), "fixed"], labels={"zone": dg.EnvVar("HW_TEST_HOST")}
    )
    monkeypatch.setenv("HW_TEST_HOST", "from-env")
    with build_resources({"cluster": cluster}) as resources:
        assert resources.cluster.hosts == ["from-env", "fixed"]
        assert resources.cluster.labels == {"zone": "from-env"}
    monkeypatch.delenv("HW_TEST_HOST")
    with (
        pytest.raises(InvalidConfigError, match=re.escape('"HW_TEST_HOST"')) as info,
        build_resources({"cluster": cluster}),
    ):
        pass
    assert [p.path for p in info.value.problems] == [
        "resources.cluster.config.hosts[0]",
        "resources.cluster.config.labels.zone",
    ]


# -- lifecycle ----------------------------------------------------------------------


class Tracked(ConfigurableResource):
    name: str = "t"
    _log: list[str] = PrivateAttr(default_factory=list)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        CALLS.append(f"setup {self.name}")

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        CALLS.append(f"teardown {self.name}")


CALLS: list[str] = []


def test_setup_and_teardown_run_once_per_open() -> None:
    CALLS.clear()
    with build_resources({"a": Tracked(name="a")}) as resources:
        assert resources.a.name == "a"
        assert CALLS == ["setup a"]
    assert CALLS == ["setup a", "teardown a"]


class Holder(ConfigurableResource):
    inner: Tracked
    label: str = "h"

    def setup_for_execution(self, context: InitResourceContext) -> None:
        CALLS.append(f"setup holder sees {self.inner.name}")

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        CALLS.append("teardown holder")


def test_nested_resource_is_initialized_with_the_outer_one() -> None:
    CALLS.clear()
    holder = Holder(inner=Tracked(name="n"))
    # As in Dagster, a nested resource's config is not part of the outer's run config.
    assert repr(coerce_resource(holder).config_type) == "<config {label?: str}>"
    with build_resources({"holder": holder}) as resources:
        assert resources.holder.inner.name == "n"
    assert CALLS == ["setup n", "setup holder sees n", "teardown holder", "teardown n"]


def test_nested_resource_bound_at_top_level_is_a_dependency_on_its_key() -> None:
    CALLS.clear()
    inner = Tracked(name="n")
    defs = coerce_resources({"holder": Holder(inner=inner), "inner": inner})
    assert defs["holder"].required_resource_keys == frozenset({"inner"})
    with build_resources(
        {"holder": Holder(inner=inner), "inner": inner},
        resource_config={"inner": {"config": {"name": "from run config"}}},
    ) as resources:
        assert resources.holder.inner is resources.inner
        assert resources.inner.name == "from run config"
    assert CALLS.count("setup from run config") == 1


def test_resource_dependency_on_function_style_resource() -> None:
    made: list[int] = []

    @resource
    def counter() -> list[int]:
        made.append(1)
        return made

    class Reporter(ConfigurableResource):
        client: ResourceDependency[list[int]]

        def count(self) -> int:
            return len(self.client)

    reporter = Reporter(client=counter)
    with build_resources({"reporter": reporter}) as resources:
        assert resources.reporter.count() == 1
    made.clear()
    with build_resources({"reporter": reporter, "counter": counter}) as resources:
        assert resources.reporter.client is resources.counter
    assert made == [1]
    with build_resources({"reporter": Reporter(client=[7, 8])}) as resources:
        assert resources.reporter.count() == 2


def test_configure_at_launch_takes_config_from_run_config() -> None:
    partial = Database.configure_at_launch()
    with build_resources(
        {"db": partial}, resource_config={"db": {"config": {"host": "launch"}}}
    ) as resources:
        assert (resources.db.host, resources.db.port) == ("launch", 5432)
    with (
        pytest.raises(
            InvalidConfigError,
            match=re.escape('resources.db.config: missing required field "host" (str)'),
        ),
        build_resources({"db": partial}),
    ):
        pass


class Replica(dg.Config):
    weight: int = 1


class Cluster(ConfigurableResource):
    hosts: list[str]
    replicas: list[Replica] = Field(default_factory=list)


def test_configure_at_launch_values_in_lists_are_config_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Values known at definition time become defaults in run-config form at any depth:
    # an EnvVar in a list is read at run time, a Config in a list becomes its dict.
    monkeypatch.setenv("HW_TEST_HOST", "from-env")
    partial = Cluster.configure_at_launch(
        hosts=[dg.EnvVar("HW_TEST_HOST"), "b"], replicas=[Replica(weight=3)]
    )
    with build_resources({"cluster": partial}) as resources:
        assert resources.cluster.hosts == ["from-env", "b"]
        assert resources.cluster.replicas == [Replica(weight=3)]


def test_nested_configure_at_launch_bound_at_top_level() -> None:
    CALLS.clear()
    inner = Tracked.configure_at_launch()
    with build_resources(
        {"holder": Holder(inner=inner), "inner": inner},
        resource_config={"inner": {"config": {"name": "x"}}},
    ) as resources:
        assert resources.holder.inner.name == "x"


def test_factory_builds_another_object() -> None:
    class Client:
        def __init__(self, url: str) -> None:
            self.url = url

    class ClientFactory(ConfigurableResourceFactory[Client]):
        url: str

        def create_resource(self, context: InitResourceContext) -> Client:
            return Client(self.url)

    with build_resources({"client": ClientFactory(url="u")}) as resources:
        assert isinstance(resources.client, Client)
        assert resources.client.url == "u"


def test_from_resource_context() -> None:
    built = Database.from_resource_context(build_init_resource_context(config={"host": "c"}))
    assert (built.host, built.port) == ("c", 5432)


def test_from_resource_context_refuses_resources_with_teardown() -> None:
    msg = (
        "Tracked tears down after execution; use "
        "'with Tracked.from_resource_context_cm(context) as value' instead"
    )
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        Tracked.from_resource_context(build_init_resource_context())
    CALLS.clear()
    with Tracked.from_resource_context_cm(build_init_resource_context()) as value:
        assert value.name == "t"
    assert CALLS == ["setup t", "teardown t"]


def test_setup_failure_is_a_resource_function_error() -> None:
    class Broken(ConfigurableResource):
        def setup_for_execution(self, context: InitResourceContext) -> None:
            raise ValueError("no token")

    msg = "error initializing resource 'b': ValueError: no token"
    with (
        pytest.raises(ResourceFunctionError, match=re.escape(msg)),
        build_resources({"b": Broken()}),
    ):
        pass


# -- annotations --------------------------------------------------------------------


def test_is_resource_annotation() -> None:
    assert is_resource_annotation(Database)
    assert is_resource_annotation(ResourceParam[str])
    assert not is_resource_annotation(str)
    assert not is_resource_annotation(int | None)
    assert not is_resource_annotation(dg.Config)


def test_import_headwater_resources_does_not_import_pydantic() -> None:
    code = (
        "import sys, headwater.resources as r; "
        "assert not r.is_resource_annotation(int); "
        "assert 'pydantic' not in sys.modules, 'pydantic imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_nested_binding_survives_coercing_each_resource_alone() -> None:
    # Callers such as a job may coerce resource by resource; binding happens when opening.
    CALLS.clear()
    inner = Tracked(name="n")
    defs = {"holder": coerce_resource(Holder(inner=inner)), "inner": coerce_resource(inner)}
    assert defs["holder"].required_resource_keys == frozenset()
    assert resource_init_order(defs, ["holder"], owner="job 'j'") == ["inner", "holder"]
    with open_resources(defs, keys=["holder"], configs={"inner": {"name": "run"}}) as resources:
        assert resources.holder.inner is resources.inner
        assert resources.inner.name == "run"
    assert CALLS.count("setup run") == 1
