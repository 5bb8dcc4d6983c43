"""Bad input gets a clear JSON error with the right status, never a 500 with a traceback:
malformed GraphQL, bodies that are not JSON or too large, wrong variables, unknown
operations and run ids, and bad WebSocket messages."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from tests.webserver.live import call, graphql, live_server


@pytest.fixture
def server(context: Any) -> Iterator[str]:
    from headwater.webserver import create_app

    with live_server(create_app(context, max_body_bytes=10_000)) as url:
        yield url


def _post(url: str, body: str, **headers: str) -> Any:
    return call("POST", f"{url}/graphql", body, **{"Content-Type": "application/json", **headers})


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("{not json", "not valid JSON"),
        ("\xff", "not valid JSON"),
        ("[1, 2]", 'a JSON object with a "query" string'),
        ('{"variables": {}}', 'a JSON object with a "query" string'),
        ('{"query": "{ version }", "variables": [1]}', '"variables" must be a JSON object'),
        ('{"query": "{ version }", "operationName": 5}', '"operationName" must be a string'),
        ('{"query": "{"}', "Syntax Error"),
        ('{"query": "{ nope }"}', "Cannot query field 'nope'"),
        ('{"query": "query A { version } query B { version }"}', "operation name"),
        ('{"query": "{ version }", "operationName": "Z"}', "Unknown operation named 'Z'"),
        (
            json.dumps({"query": "query($n: Int!) { runsOrError(limit: $n) { __typename } }"}),
            "Expected a value of non-null type 'Int!' to be provided",
        ),
        (
            json.dumps(
                {
                    "query": "query($n: Int!) { runsOrError(limit: $n) { __typename } }",
                    "variables": {"n": "many"},
                }
            ),
            "Int cannot represent non-integer value: 'many'",
        ),
    ],
)
def test_bad_bodies_get_400_with_a_clear_message(server: str, body: str, says: str) -> None:
    answer = _post(server, body)
    assert answer.status == 400, answer.text
    assert says in answer.message(), answer.text
    assert "Traceback" not in answer.text


def test_bad_get_parameters(server: str) -> None:
    answer = call("GET", f"{server}/graphql?query=" + quote("{ version }") + "&variables=%5B1%5D")
    assert answer.status == 400 and "must be a JSON object" in answer.message()
    answer = call("GET", f"{server}/graphql?query=" + quote("{ version }") + "&variables=%7B")
    assert answer.status == 400 and "not valid JSON" in answer.message()


def test_bodies_over_the_limit_get_413_announced_or_not(server: str) -> None:
    big = json.dumps({"query": "{ version }", "pad": "x" * 20_000})
    answer = _post(server, big)
    assert answer.status == 413 and "limit of 10000 bytes" in answer.message()
    # Sent in chunks, with no Content-Length: refused once the limit is passed.
    parts = urlsplit(server)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    chunks = (big[i : i + 1000].encode() for i in range(0, len(big), 1000))
    connection.request(
        "POST",
        "/graphql",
        chunks,
        {"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        encode_chunked=True,
    )
    response = connection.getresponse()
    assert response.status == 413
    connection.close()


def test_unknown_run_ids_are_typed_errors(server: str) -> None:
    queries = {
        "runOrError": '{ runOrError(runId: "nope") { __typename } }',
        "logsForRun": '{ logsForRun(runId: "nope") { __typename } }',
        "terminateRun": 'mutation { terminateRun(runId: "nope") { __typename } }',
        "deleteRun": 'mutation { deleteRun(runId: "nope") { __typename } }',
    }
    for field, query in queries.items():
        answer = graphql(server, query)
        assert answer.status == 200, answer.text
        assert answer.json()["data"][field]["__typename"] == "RunNotFoundError", answer.text


def test_an_unexpected_failure_is_a_json_500_without_traceback(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import headwater.webserver.app as app_module

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(app_module, "run_operation", broken)
    answer = graphql(server, "{ version }")
    assert answer.status == 500
    assert answer.message() == "internal server error: RuntimeError: the disk is on fire"
    assert "Traceback" not in answer.text and ".py" not in answer.text


def test_bad_websocket_messages_close_with_4400(server: str) -> None:
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect
    from websockets.typing import Subprotocol

    for message in ("not json", "[1]"):
        with connect(
            server.replace("http", "ws") + "/graphql",
            subprotocols=[Subprotocol("graphql-transport-ws")],
        ) as ws:
            ws.send(message)
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=10)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4400
    with connect(
        server.replace("http", "ws") + "/graphql",
        subprotocols=[Subprotocol("graphql-transport-ws")],
    ) as ws:
        ws.send(json.dumps({"type": "connection_init"}))
        ws.recv(timeout=10)
        ws.send(json.dumps({"type": "subscribe", "id": "1", "payload": {"query": 5}}))
        reply = json.loads(ws.recv(timeout=10))
        assert reply["type"] == "error" and '"query" string' in reply["payload"][0]["message"]
