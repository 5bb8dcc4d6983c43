"""A web server in a thread of the test process, and raw HTTP calls to it.

Faster than a server process, and the test chooses the app's options (users, limits).
Calls go through ``http.client`` so that redirects and headers are seen as sent.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from tests.processes import free_port

__all__ = ["Answer", "call", "graphql", "live_server"]


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free port; yields its base URL."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise AssertionError("the in-thread server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


class Answer:
    """A response: status, headers (lower-case names), body text."""

    def __init__(self, status: int, headers: dict[str, str], text: str) -> None:
        self.status, self.headers, self.text = status, headers, text
        self.cookies = headers.get("set-cookie", "")

    def json(self) -> Any:
        return json.loads(self.text)

    def message(self) -> str:
        return str(self.json()["errors"][0]["message"])


def call(method: str, url: str, body: bytes | str | None = None, /, **headers: str) -> Answer:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    data = body.encode() if isinstance(body, str) else body
    connection.request(method, target, data, {k.replace("_", "-"): v for k, v in headers.items()})
    response = connection.getresponse()
    answer = Answer(
        response.status,
        {k.lower(): v for k, v in response.getheaders()},
        response.read().decode("utf-8", "replace"),
    )
    connection.close()
    return answer


def graphql(
    url: str, query: str, variables: dict[str, Any] | None = None, /, **headers: str
) -> Answer:
    """POST a GraphQL document as JSON (headers like ``Authorization`` added)."""
    body = json.dumps({"query": query, "variables": variables})
    return call("POST", f"{url}/graphql", body, **{"Content-Type": "application/json", **headers})
