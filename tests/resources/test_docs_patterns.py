"""The resource documentation's examples, built outside a run with ``build_resources``.

The docs' "testing resource initialization" examples, and every example run in a job, are
in ``tests/e2e/test_resource_docs.py``; they are not repeated here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import headwater as dg
from headwater import build_resources, resource


class ExternalCerealFetcher:
    def fetch_new_cereals(self, start_ts: int, end_ts: int) -> list[str]:
        return [f"cereal {start_ts}-{end_ts}"]


@resource
def cereal_fetcher(init_context: dg.InitResourceContext) -> ExternalCerealFetcher:
    return ExternalCerealFetcher()


class DatabaseConnection:
    def __init__(self, connection: str) -> None:
        self.connection = connection
        self.closed = False

    def execute(self, query: str) -> str:
        return f"{self.connection}: {query}"


@resource(config_schema={"connection": str})
def db_resource(init_context: dg.InitResourceContext) -> DatabaseConnection:
    connection = init_context.resource_config["connection"]
    return DatabaseConnection(connection)


CLEANED: list[DatabaseConnection] = []


def get_db_connection() -> DatabaseConnection:
    return DatabaseConnection("sqlite://")


def cleanup_db_connection(db_conn: DatabaseConnection) -> None:
    db_conn.closed = True
    CLEANED.append(db_conn)


@resource
@contextmanager
def db_connection() -> Iterator[DatabaseConnection]:
    try:
        db_conn = get_db_connection()
        yield db_conn
    finally:
        cleanup_db_connection(db_conn)


def test_cereal_fetcher_builds_the_fetcher() -> None:
    fetcher = cereal_fetcher(None)
    assert fetcher.fetch_new_cereals(1, 2) == ["cereal 1-2"]


def test_db_resource_reads_its_connection_from_config() -> None:
    with build_resources(
        {"database": db_resource}, resource_config={"database": {"config": {"connection": "x"}}}
    ) as resources:
        assert resources.database.connection == "x"


def test_context_manager_db_connection_is_cleaned_up_after_use() -> None:
    CLEANED.clear()
    with build_resources({"db_connection": db_connection}) as resources:
        conn = resources.db_connection
        assert not conn.closed
    assert [conn] == CLEANED
    assert conn.closed


def test_generator_cm_resource_without_contextmanager_decorator() -> None:
    @resource
    def my_cm_resource(_: object) -> Iterator[str]:
        yield "foo"

    with my_cm_resource(None) as initialized_resource:
        assert initialized_resource == "foo"


class Client:
    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self.password = password


@resource
def credentials() -> tuple[str, str]:
    return ("bad_username", "easy_password")


@resource(required_resource_keys={"credentials"})
def client(init_context: dg.InitResourceContext) -> Client:
    username, password = init_context.resources.credentials
    return Client(username, password)


def test_credentials_then_client_through_build_resources() -> None:
    with build_resources({"client": client, "credentials": credentials}) as resources:
        assert (resources.client.username, resources.client.password) == (
            "bad_username",
            "easy_password",
        )


def test_legacy_foo_and_emit_foo() -> None:
    @resource
    def foo_resource(_: object) -> str:
        return "foo"

    @resource(required_resource_keys={"foo"})
    def emit_foo(init_context: dg.InitResourceContext) -> str:
        return str(init_context.resources.foo)

    with build_resources({"foo": foo_resource, "emit": emit_foo}) as resources:
        assert resources.emit == "foo"
