"""The asset patterns of the resource documentation, written as a Dagster user writes them.

``data_from_service(my_conn: MyConnectionResource)``, ``@dg.definitions`` returning
resources, and a client resource with private state set up in ``setup_for_execution`` or
held open by ``yield_for_execution``. ``requests`` is replaced by a local fake (no network);
everything else is the documented code, run against ``import headwater as dg``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from pydantic import PrivateAttr

import headwater as dg

CALLS: list[tuple[str, Any]] = []


class Response:
    def __init__(self, url: str, text: str) -> None:
        self.url = url
        self.text = text

    def json(self) -> dict[str, Any]:
        return {"url": self.url, "items": [1, 2, 3]}


class requests:  # noqa: N801 - stands in for the module the docs import
    @staticmethod
    def get(url: str, **kwargs: Any) -> Response:
        CALLS.append((url, kwargs))
        return Response(url, text="token-123")


@pytest.fixture(autouse=True)
def _clear_calls() -> None:
    CALLS.clear()


# --- With asset definitions ---------------------------------------------------------------


class MyConnectionResource(dg.ConfigurableResource):
    username: str

    def request(self, endpoint: str) -> Response:
        return requests.get(
            f"https://my-api.com/{endpoint}",
            headers={"user-agent": "dagster"},
        )


@dg.asset
def data_from_service(my_conn: MyConnectionResource) -> dict[str, Any]:
    return my_conn.request("/fetch_data").json()


@dg.definitions
def resources():
    return dg.Definitions(
        assets=[data_from_service],
        resources={
            "my_conn": MyConnectionResource(username="my_user"),
        },
    )


def test_asset_gets_its_resource_from_the_definitions_function(tmp_path: Any) -> None:
    defs = resources()
    instance = dg.Instance.local_temp(tmp_path)
    result = defs.get_implicit_global_asset_job_def().execute_in_process(instance=instance)
    assert result.success
    assert result.asset_value("data_from_service") == {
        "url": "https://my-api.com//fetch_data",
        "items": [1, 2, 3],
    }
    assert CALLS == [("https://my-api.com//fetch_data", {"headers": {"user-agent": "dagster"}})]
    loaded = defs.load_asset_value("data_from_service", instance=instance)
    assert isinstance(loaded, dict)
    assert loaded["items"] == [1, 2, 3]


def test_the_same_asset_with_materialize_and_a_resource_instance() -> None:
    result = dg.materialize_to_memory(
        [data_from_service], resources={"my_conn": MyConnectionResource(username="u")}
    )
    assert result.success
    assert result.output_for_node("data_from_service")["items"] == [1, 2, 3]


def test_a_resources_only_definitions_merges_with_assets_defined_elsewhere() -> None:
    @dg.definitions
    def only_resources():
        return dg.Definitions(resources={"my_conn": MyConnectionResource(username="m")})

    merged = dg.Definitions.merge(dg.Definitions(assets=[data_from_service]), only_resources())
    dg.Definitions.validate_loadable(merged)
    result = merged.get_implicit_global_asset_job_def().execute_in_process()
    assert result.success


def test_forgetting_the_resource_names_the_asset_and_the_key() -> None:
    defs = dg.Definitions(assets=[data_from_service])
    with pytest.raises(
        dg.DagsterInvalidDefinitionError,
        match=r"asset 'data_from_service' requires resource 'my_conn', which Definitions does "
        r"not provide",
    ):
        dg.Definitions.validate_loadable(defs)


# --- Managing resource state: setup_for_execution -------------------------------------------


class MyClientResource(dg.ConfigurableResource):
    username: str
    password: str

    _api_token: str = PrivateAttr()

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # Fetch and set up an API token based on the username and password
        self._api_token = requests.get(
            "https://my-api.com/token", auth=(self.username, self.password)
        ).text

    def get_all_users(self):
        return requests.get(
            "https://my-api.com/users",
            headers={"Authorization": self._api_token},
        )


@dg.asset
def my_asset(client: MyClientResource):
    return client.get_all_users()


def test_private_state_set_up_once_per_run_is_used_by_the_asset() -> None:
    result = dg.materialize_to_memory(
        [my_asset], resources={"client": MyClientResource(username="ann", password="pw")}
    )
    assert result.success
    assert result.asset_value("my_asset").url == "https://my-api.com/users"
    assert CALLS == [
        ("https://my-api.com/token", {"auth": ("ann", "pw")}),
        ("https://my-api.com/users", {"headers": {"Authorization": "token-123"}}),
    ]


def test_private_attribute_is_not_part_of_the_resource_config() -> None:
    result = dg.materialize_to_memory(
        [my_asset],
        resources={"client": MyClientResource.configure_at_launch()},
        run_config={"resources": {"client": {"config": {"username": "u", "password": "p"}}}},
    )
    assert result.success
    assert CALLS[0] == ("https://my-api.com/token", {"auth": ("u", "p")})


# --- Managing resource state: yield_for_execution -------------------------------------------

EVENTS: list[str] = []


class DBConnection:
    def __init__(self, username: str) -> None:
        self.username = username

    def query(self, body: str):
        EVENTS.append(f"query {body} as {self.username}")
        return [("row",)]


@contextmanager
def get_database_connection(username: str, password: str) -> Iterator[DBConnection]:
    EVENTS.append("open")
    try:
        yield DBConnection(username)
    finally:
        EVENTS.append("close")


class MyDbClientResource(dg.ConfigurableResource):
    username: str
    password: str

    _db_connection: DBConnection = PrivateAttr()

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext):
        # keep connection open for the duration of the execution
        with get_database_connection(self.username, self.password) as conn:
            # set up the connection attribute so it can be used in the execution
            self._db_connection = conn

            # yield, allowing execution to occur
            yield self

    def query(self, body: str):
        return self._db_connection.query(body)


@dg.asset
def queried(client: MyDbClientResource):
    client.query("SELECT * FROM my_table")


@dg.asset(deps=[queried])
def queried_again(client: MyDbClientResource):
    client.query("SELECT 1")


def test_connection_stays_open_for_the_whole_run_and_closes_after() -> None:
    EVENTS.clear()
    result = dg.materialize_to_memory(
        [queried, queried_again],
        resources={"client": MyDbClientResource(username="db", password="pw")},
    )
    assert result.success
    assert EVENTS == [
        "open",
        "query SELECT * FROM my_table as db",
        "query SELECT 1 as db",
        "close",
    ]


def test_connection_closes_when_an_asset_fails() -> None:
    EVENTS.clear()

    @dg.asset(deps=[queried])
    def explodes(client: MyDbClientResource):
        raise RuntimeError("boom")

    result = dg.materialize_to_memory(
        [queried, explodes],
        resources={"client": MyDbClientResource(username="db", password="pw")},
        raise_on_error=False,
    )
    assert not result.success
    assert EVENTS[0] == "open" and EVENTS[-1] == "close"
