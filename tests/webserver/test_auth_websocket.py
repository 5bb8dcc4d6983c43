"""A GraphQL client that cannot set headers authenticates its WebSocket in the
``connection_init`` payload, in both protocols; without a valid token it is served nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.webserver.test_auth import TOKENS, auth_server

__all__ = ["auth_server"]  # a fixture, used by name

PROTOCOLS = {"graphql-transport-ws": "subscribe", "graphql-ws": "start"}
# A subscription any viewer may make; a missing run answers a typed failure.
QUERY = 'subscription { pipelineRunLogs(runId: "nope") { __typename } }'


def _connect(url: str, protocol: str) -> Any:
    from websockets.sync.client import connect
    from websockets.typing import Subprotocol

    return connect(
        url.replace("http", "ws") + "/graphql",
        subprotocols=[Subprotocol(protocol)],
        open_timeout=30,
    )


def _closed_code(ws: Any) -> tuple[int | None, list[dict[str, Any]]]:
    """Messages until the server closes the connection, and its close code."""
    from websockets.exceptions import ConnectionClosed

    seen = []
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            seen.append(json.loads(ws.recv(timeout=30)))
    rcvd = closed.value.rcvd
    return (rcvd.code if rcvd is not None else None), seen


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("key", ["Authorization", "authorization"])
def test_a_token_in_connection_init_authenticates(
    auth_server: str, protocol: str, key: str
) -> None:
    with _connect(auth_server, protocol) as ws:
        init = {"type": "connection_init", "payload": {key: f"Bearer {TOKENS['viewer']}"}}
        ws.send(json.dumps(init))
        assert json.loads(ws.recv(timeout=30))["type"] == "connection_ack"
        start = {"id": "1", "type": PROTOCOLS[protocol], "payload": {"query": QUERY}}
        ws.send(json.dumps(start))
        answer = json.loads(ws.recv(timeout=30))
    assert answer["type"] == ("next" if protocol == "graphql-transport-ws" else "data")
    assert answer["payload"]["data"]["pipelineRunLogs"]["__typename"] == (
        "PipelineRunLogsSubscriptionFailure"
    )


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize(
    "first",
    [
        {"type": "connection_init", "payload": {}},
        {"type": "connection_init", "payload": {"Authorization": "Bearer nope"}},
        {"type": "connection_init", "payload": {"authorization": TOKENS["admin"]}},  # no Bearer
        {"type": "connection_init"},
        # Skipping connection_init does not skip authentication.
        {"id": "1", "type": "subscribe", "payload": {"query": QUERY}},
    ],
)
def test_without_a_valid_token_the_socket_is_closed(
    auth_server: str, protocol: str, first: dict[str, Any]
) -> None:
    with _connect(auth_server, protocol) as ws:
        ws.send(json.dumps(first))
        code, seen = _closed_code(ws)
    assert code == 4401
    assert all(m["type"] not in ("connection_ack", "next", "data") for m in seen)
    if protocol == "graphql-ws":  # the legacy protocol says why in a message too
        assert seen and seen[0]["type"] == "connection_error"
        assert "token" in seen[0]["payload"]["message"]
