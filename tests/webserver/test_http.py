"""The server as clients reach it: HTTP status codes, GraphiQL, the UI's files, the path
prefix, --read-only, and subscriptions over WebSocket in both protocols."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import quote

import pytest
from tests.webserver.conftest import Processes, post


def _request(url: str, body: bytes | None = None, **headers: str) -> tuple[int, str]:
    request = urllib.request.Request(url, body, headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _oversized(url: str) -> int:
    """Announce a body over the limit: the server refuses it before reading it."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    connection.putrequest("POST", f"{parts.path}/graphql")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(6 * 1024 * 1024))
    connection.endheaders()
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.fixture
def server(processes: Processes) -> str:
    return processes.webserver("--path-prefix", "/hw")


def test_bad_requests_get_clear_errors_with_status_codes(server: str) -> None:
    status, body = _request(
        f"{server}/graphql", b"{not json", **{"Content-Type": "application/json"}
    )
    assert status == 400 and "not valid JSON" in json.loads(body)["errors"][0]["message"]
    status, body = _request(f"{server}/graphql", json.dumps({"query": "{ nope }"}).encode())
    assert status == 400 and "nope" in json.loads(body)["errors"][0]["message"]
    status, body = _request(f"{server}/graphql", json.dumps({"query": "{"}).encode())
    assert status == 400 and "Syntax Error" in json.loads(body)["errors"][0]["message"]
    assert _oversized(server) == 413
    status, body = _request(f"{server}/graphql?query=" + quote("{ version }"))
    assert status == 200 and json.loads(body)["data"]["version"]
    mutation = quote("mutation { reloadWorkspace { __typename } }")
    status, _ = _request(f"{server}/graphql?query={mutation}")
    assert status == 405


def test_graphiql_and_the_ui_fallback(server: str) -> None:
    status, page = _request(f"{server}/graphql", Accept="text/html")
    assert status == 200 and "GraphiQL" in page and "/hw/graphql" in page
    status, page = _request(f"{server}/runs/some-run")
    assert (status in (200, 404) and "<html" in page.lower()) or "<!doctype" in page.lower()
    status, _ = _request(server.replace("/hw", "") + "/graphql", Accept="text/html")
    assert status == 404


def test_read_only_server(processes: Processes) -> None:
    url = processes.webserver("--read-only")
    answer = post(
        f"{url}/graphql",
        "mutation { reloadWorkspace { __typename ... on UnauthorizedError { message } } }",
    )
    assert answer["data"]["reloadWorkspace"]["__typename"] == "UnauthorizedError"


def _subscribe(url: str, protocol: str, run_id: str) -> list[dict[str, Any]]:
    from websockets.sync.client import connect
    from websockets.typing import Subprotocol

    query = """subscription($id: ID!) { pipelineRunLogs(runId: $id) { __typename
      ... on PipelineRunLogsSubscriptionSuccess { cursor messages { __typename } run { status } }
      ... on PipelineRunLogsSubscriptionFailure { missingRunId } } }"""
    start = "subscribe" if protocol == "graphql-transport-ws" else "start"
    received = []
    with connect(
        url.replace("http", "ws") + "/graphql",
        subprotocols=[Subprotocol(protocol)],
        open_timeout=30,
    ) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(ws.recv(timeout=30))["type"] == "connection_ack"
        ws.send(
            json.dumps(
                {"id": "1", "type": start, "payload": {"query": query, "variables": {"id": run_id}}}
            )
        )
        while True:
            message = json.loads(ws.recv(timeout=30))
            if message["type"] == "complete":
                break
            received.append(message)
    return received


@pytest.mark.parametrize("protocol", ["graphql-transport-ws", "graphql-ws"])
def test_run_logs_subscription(server: str, processes: Processes, protocol: str) -> None:
    import os

    from headwater.storage import Instance

    instance = Instance.from_config(os.environ["HEADWATER_HOME"])
    import importlib.util

    spec = importlib.util.spec_from_file_location("web_defs", processes.code_dir / "defs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.my_job.execute_in_process(
        run_config={"ops": {"first": {"config": {"n": 1}}}}, instance=instance
    )
    messages = _subscribe(server, protocol, result.run_id)
    kind = "next" if protocol == "graphql-transport-ws" else "data"
    assert messages and all(m["type"] == kind for m in messages)
    payloads = [m["payload"]["data"]["pipelineRunLogs"] for m in messages]
    names = [e["__typename"] for p in payloads for e in p["messages"]]
    assert names[-1] == "RunSuccessEvent" and "ExecutionStepStartEvent" in names
    assert payloads[-1]["run"]["status"] == "SUCCESS"
    (missing,) = [
        m["payload"]["data"]["pipelineRunLogs"] for m in _subscribe(server, protocol, "no-such-run")
    ]
    assert missing == {
        "__typename": "PipelineRunLogsSubscriptionFailure",
        "missingRunId": "no-such-run",
    }
    instance.dispose()
