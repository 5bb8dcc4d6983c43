"""The resource documentation's examples, written as a Dagster user writes them.

Each test is one pattern from the docs (resources with ops/jobs, legacy modes, Pythonic
resources), run unchanged against ``import headwater as dg``. Network calls are replaced
by a local fake; everything else is the documented code.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any

import pytest
from pydantic import PrivateAttr

import headwater as dg

# --- Defining a resource / accessing it in ops ------------------------------------------


class ExternalCerealFetcher:
    def fetch_new_cereals(self, start_ts: int, end_ts: int) -> list[str]:
        return [f"cereal-{ts}" for ts in range(start_ts, end_ts)]


@dg.resource
def cereal_fetcher(init_context):
    return ExternalCerealFetcher()


CREATE_TABLE_1_QUERY = "create table_1 as select * from table_0"


def test_cereal_fetcher_is_used_by_an_op() -> None:
    @dg.op(required_resource_keys={"cereal_fetcher"})
    def fetch_cereals(context):
        return context.resources.cereal_fetcher.fetch_new_cereals(0, 2)

    @dg.job(resource_defs={"cereal_fetcher": cereal_fetcher})
    def cereal_job():
        fetch_cereals()

    result = cereal_job.execute_in_process()
    assert result.success
    assert result.output_for_node("fetch_cereals") == ["cereal-0", "cereal-1"]


# --- Resource configuration -------------------------------------------------------------


class DatabaseConnection:
    def __init__(self, connection: str):
        self.connection = connection
        self.queries: list[str] = []

    def execute_query(self, query: str) -> str:
        self.queries.append(query)
        return f"{self.connection}: {query}"


@dg.resource(config_schema={"connection": str})
def db_resource(init_context):
    connection = init_context.resource_config["connection"]
    return DatabaseConnection(connection)


@dg.op(required_resource_keys={"database"})
def op_requires_resources(context):
    return context.resources.database.execute_query(CREATE_TABLE_1_QUERY)


def test_db_resource_is_configured_from_run_config() -> None:
    @dg.job(resource_defs={"database": db_resource})
    def do_database_stuff_job():
        op_requires_resources()

    result = do_database_stuff_job.execute_in_process(
        run_config={"resources": {"database": {"config": {"connection": "sqlite:///prod.db"}}}}
    )
    assert result.output_for_node("op_requires_resources") == (
        "sqlite:///prod.db: create table_1 as select * from table_0"
    )


def test_db_resource_config_errors_name_the_path() -> None:
    @dg.job(resource_defs={"database": db_resource})
    def do_database_stuff_job():
        op_requires_resources()

    msg = (
        "1 problem(s) in run config for job 'do_database_stuff_job':\n"
        '  resources.database.config: missing required field "connection" (str)'
    )
    with pytest.raises(dg.DagsterInvalidConfigError, match=re.escape(msg)):
        do_database_stuff_job.execute_in_process(run_config={"resources": {"database": {}}})


# --- Several jobs from one graph ----------------------------------------------------------


@dg.graph
def do_database_stuff():
    op_requires_resources()


def test_do_database_stuff_to_job_with_prod_and_dev_resources() -> None:
    database_resource_a = dg.ResourceDefinition.hardcoded_resource(DatabaseConnection("prod"))
    database_resource_b = dg.ResourceDefinition.hardcoded_resource(DatabaseConnection("dev"))

    do_database_stuff_prod = do_database_stuff.to_job(
        resource_defs={"database": database_resource_a}
    )
    do_database_stuff_dev = do_database_stuff.to_job(
        resource_defs={"database": database_resource_b}
    )

    prod = do_database_stuff_prod.execute_in_process()
    dev = do_database_stuff_dev.execute_in_process()
    assert prod.output_for_node("op_requires_resources") == f"prod: {CREATE_TABLE_1_QUERY}"
    assert dev.output_for_node("op_requires_resources") == f"dev: {CREATE_TABLE_1_QUERY}"


# --- Context manager resources --------------------------------------------------------------


class FakeConnection:
    def __init__(self, log: list[str]):
        self.log = log
        self.closed = False

    def cleanup(self) -> None:
        self.closed = True
        self.log.append("cleanup")


def test_context_manager_db_connection_is_torn_down_after_the_steps():
    log: list[str] = []

    def get_db_connection() -> FakeConnection:
        log.append("connect")
        return FakeConnection(log)

    def cleanup_db_connection(db_conn: FakeConnection) -> None:
        db_conn.cleanup()

    @dg.resource
    def db_connection():
        try:
            db_conn = get_db_connection()
            yield db_conn
        finally:
            cleanup_db_connection(db_conn)

    @dg.op(required_resource_keys={"db_connection"})
    def use_db_connection(context):
        db_conn = context.resources.db_connection
        log.append("use")
        return db_conn.closed

    @dg.job(resource_defs={"db_connection": db_connection})
    def db_job():
        use_db_connection()
        use_db_connection()

    result = db_job.execute_in_process()
    assert result.output_for_node("use_db_connection") is False
    assert log == ["connect", "use", "use", "cleanup"]


# --- Resource to resource dependencies ------------------------------------------------------


class Client:
    def __init__(self, username: str, password: str):
        self.username = username
        self.password = password


@dg.resource
def credentials():
    return ("bad_username", "easy_password")


@dg.resource(required_resource_keys={"credentials"})
def client(init_context):
    username, password = init_context.resources.credentials
    return Client(username, password)


@dg.op(required_resource_keys={"client"})
def get_client(context):
    return context.resources.client


def test_client_resource_depends_on_credentials() -> None:
    @dg.job(resource_defs={"credentials": credentials, "client": client})
    def connect():
        get_client()

    result = connect.execute_in_process()
    made = result.output_for_node("get_client")
    assert (made.username, made.password) == ("bad_username", "easy_password")
    # one event names every resource the run initializes, as in the reference
    started = [
        e.message
        for e in result.all_events
        if e.event_type is dg.DagsterEventType.RESOURCE_INIT_STARTED
    ]
    assert started == ["Starting initialization of resources [client, credentials, io_manager]."]


def test_client_without_credentials_names_the_resource_key_and_job() -> None:
    msg = (
        "resource 'client' requires 'credentials', which job 'connect' does not provide; "
        "add it to the job's resource_defs"
    )
    with pytest.raises(dg.DagsterInvalidDefinitionError, match=re.escape(msg)):

        @dg.job(resource_defs={"client": client})
        def connect():
            get_client()


# --- Testing resource initialization --------------------------------------------------------


@dg.resource
def my_resource(_):
    return "foo"


def test_my_resource():
    assert my_resource(None) == "foo"


@dg.resource(required_resource_keys={"foo"}, config_schema={"bar": str})
def my_resource_requires_context(init_context):
    return init_context.resources.foo, init_context.resource_config["bar"]


def test_my_resource_with_context():
    init_context = dg.build_init_resource_context(
        resources={"foo": "foo_str"}, config={"bar": "bar_str"}
    )
    assert my_resource_requires_context(init_context) == ("foo_str", "bar_str")


@dg.resource
@contextmanager
def my_cm_resource(_):
    yield "foo"


def test_cm_resource():
    with my_cm_resource(None) as initialized_resource:
        assert initialized_resource == "foo"


# --- Initializing resources outside of execution ----------------------------------------------


def test_build_resources_initializes_db_connection_and_credentials():
    @dg.resource
    def the_credentials():
        return ("user", "secret")

    @dg.resource(required_resource_keys={"credentials"})
    def the_db_connection(init_context):
        user, _ = init_context.resources.credentials
        return f"connection for {user}"

    def uses_db_connection() -> str:
        with dg.build_resources(
            {"db_connection": the_db_connection, "credentials": the_credentials}
        ) as resources:
            conn = resources.db_connection
            return conn

    assert uses_db_connection() == "connection for user"


# --- Legacy: modes and pipelines ----------------------------------------------------------------


@dg.resource
def resource_a(_):
    return "a"


@dg.resource
def resource_b(_):
    return "b"


@dg.resource
def resource_c(_):
    return "c"


@dg.solid(required_resource_keys={"a"})
def solid_requires_resources(context):
    return context.resources.a


mode_def_ab = dg.ModeDefinition(
    "ab_mode",
    resource_defs={
        "a": resource_a,
        "b": resource_b,
    },
)
mode_def_c = dg.ModeDefinition("c_mode", resource_defs={"a": resource_c})


@dg.pipeline(mode_defs=[mode_def_ab, mode_def_c])
def pipeline_with_mode():
    solid_requires_resources()


def test_pipeline_with_mode_runs_in_the_chosen_mode() -> None:
    result = dg.execute_pipeline(pipeline_with_mode, mode="ab_mode")
    assert result.success
    assert result.result_for_solid("solid_requires_resources").output_value() == "a"
    other = dg.execute_pipeline(pipeline_with_mode, mode="c_mode")
    assert other.result_for_solid("solid_requires_resources").output_value() == "c"


@dg.resource
def foo_resource(_):
    return "foo"


@dg.resource(required_resource_keys={"foo"})
def emit_foo(init_context):
    return init_context.resources.foo


@dg.solid(required_resource_keys={"emit"})
def read_emit(context):
    return context.resources.emit


def test_mode_resources_depend_on_each_other() -> None:
    @dg.pipeline(
        mode_defs=[dg.ModeDefinition(resource_defs={"foo": foo_resource, "emit": emit_foo})]
    )
    def emits():
        read_emit()

    assert dg.execute_pipeline(emits).result_for_solid("read_emit").output_value() == "foo"


def test_mode_lacking_a_required_resource_names_the_mode_and_key() -> None:
    msg = (
        "resource 'emit' requires 'foo', which mode 'no_foo' of pipeline 'emits' does not "
        "provide; add it to the mode's resource_defs"
    )
    with pytest.raises(dg.DagsterInvalidDefinitionError, match=re.escape(msg)):

        @dg.pipeline(mode_defs=[dg.ModeDefinition("no_foo", resource_defs={"emit": emit_foo})])
        def emits():
            read_emit()


def test_cyclic_resource_dependency_prints_the_cycle() -> None:
    @dg.resource(required_resource_keys={"b"})
    def needs_b(_):
        return 1

    @dg.resource(required_resource_keys={"a"})
    def needs_a(_):
        return 2

    msg = (
        "resource dependency cycle: a → b → a (in mode 'cyclic' of pipeline 'cycles'); "
        "remove one of these required_resource_keys"
    )
    with pytest.raises(dg.DagsterInvalidDefinitionError, match=re.escape(msg)):

        @dg.pipeline(
            mode_defs=[dg.ModeDefinition("cyclic", resource_defs={"a": needs_b, "b": needs_a})]
        )
        def cycles():
            solid_requires_resources()


# --- Pythonic resources with ops and jobs ---------------------------------------------


class FakeResponse:
    def __init__(self, payload: dict[str, Any]):
        self._payload = payload

    def json(self) -> dict[str, Any]:
        return self._payload


class FakeRequests:
    """Stands in for ``requests``: records calls instead of making them."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, str]]] = []

    def get(self, url: str, headers: dict[str, str] | None = None, auth: Any = None) -> Any:
        self.calls.append((url, dict(headers or {})))
        return FakeResponse({"url": url, "auth": auth})


requests = FakeRequests()


class MyConnectionResource(dg.ConfigurableResource):
    username: str

    def request(self, endpoint: str) -> FakeResponse:
        return requests.get(
            f"https://my-api.com/{endpoint}",
            headers={"user-agent": "dagster"},
        )


@dg.op
def update_service(my_conn: MyConnectionResource):
    my_conn.request("/update")
    return my_conn.username


@dg.op(required_resource_keys={"database"})
def record_update(context, username):
    return context.resources.database.execute_query(f"updated by {username}")


def test_configurable_resource_param_mixes_with_required_resource_keys() -> None:
    requests.calls.clear()

    @dg.job(
        resource_defs={
            "my_conn": MyConnectionResource(username="my_user"),
            "database": db_resource,
        }
    )
    def update_service_job():
        record_update(update_service())

    result = update_service_job.execute_in_process(
        run_config={"resources": {"database": {"config": {"connection": "mem"}}}}
    )
    assert result.output_for_node("record_update") == "mem: updated by my_user"
    assert requests.calls == [("https://my-api.com//update", {"user-agent": "dagster"})]


def test_configurable_resource_is_configured_at_launch_from_run_config() -> None:
    @dg.job(resource_defs={"my_conn": MyConnectionResource(username="default")})
    def update_service_job():
        update_service()

    result = update_service_job.execute_in_process(
        run_config={"resources": {"my_conn": {"config": {"username": "launched"}}}}
    )
    assert result.output_for_node("update_service") == "launched"


class MyClientResource(dg.ConfigurableResource):
    username: str
    password: str

    _api_token: str = PrivateAttr()

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._api_token = requests.get(
            "https://my-api.com/token", auth=(self.username, self.password)
        ).json()["url"]
        LIFECYCLE.append("setup")

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        LIFECYCLE.append("teardown")

    def get_all_users(self) -> FakeResponse:
        return requests.get(
            "https://my-api.com/users",
            headers={"Authorization": self._api_token},
        )


LIFECYCLE: list[str] = []


def test_configurable_resource_lifecycle_hooks_run_once_per_run() -> None:
    LIFECYCLE.clear()

    @dg.op
    def list_users(client: MyClientResource):
        LIFECYCLE.append("op")
        return client.get_all_users().json()["url"]

    @dg.job(resource_defs={"client": MyClientResource(username="u", password="p")})
    def users_job():
        list_users()
        list_users()

    result = users_job.execute_in_process()
    assert result.output_for_node("list_users_2") == "https://my-api.com/users"
    assert LIFECYCLE == ["setup", "op", "op", "teardown"]


class DBConnection:
    def __init__(self, log: list[str]):
        self.log = log

    def query(self, body: str):
        self.log.append(body)
        return body.upper()


CONNECTIONS: list[str] = []


@contextmanager
def get_database_connection(username: str, password: str):
    CONNECTIONS.append(f"open {username}")
    try:
        yield DBConnection(CONNECTIONS)
    finally:
        CONNECTIONS.append("close")


class MyDbClientResource(dg.ConfigurableResource):
    username: str
    password: str

    _db_connection: DBConnection = PrivateAttr()

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext):
        with get_database_connection(self.username, self.password) as conn:
            self._db_connection = conn
            yield self

    def query(self, body: str):
        return self._db_connection.query(body)


def test_yield_for_execution_keeps_the_connection_open_for_the_run() -> None:
    CONNECTIONS.clear()

    @dg.op
    def select_all(client: MyDbClientResource):
        return client.query("SELECT * FROM my_table")

    @dg.job(resource_defs={"client": MyDbClientResource(username="u", password="p")})
    def query_job():
        select_all()

    result = query_job.execute_in_process()
    assert result.output_for_node("select_all") == "SELECT * FROM MY_TABLE"
    assert CONNECTIONS == ["open u", "SELECT * FROM my_table", "close"]
