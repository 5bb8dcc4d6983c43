"""The Host check of a server without auth: DNS rebinding is refused, local names and
addresses pass, ``--allowed-host`` adds names, and a server with auth answers any name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.webserver.live import call, graphql, live_server

from headwater.webserver.auth.hosts import AllowedHosts, host_name

QUERY = "{ version }"


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("localhost:3000", "localhost"),
        ("LOCALHOST.", "localhost"),
        ("[::1]:3000", "::1"),
        ("[::1]", "::1"),
        ("::1", "::1"),
        ("127.0.0.1:80", "127.0.0.1"),
        ("evil.example:3000", "evil.example"),
    ],
)
def test_host_name_drops_port_brackets_and_case(header: str, name: str) -> None:
    assert host_name(header) == name


def test_default_hosts_are_loopback_the_bound_host_and_addresses() -> None:
    hosts = AllowedHosts(bind_host="myhost.lan")
    for ok in ("localhost:3000", "127.0.0.1", "[::1]:3000", "myhost.lan:3000", "10.1.2.3"):
        assert hosts.allows(ok), ok
    for bad in ("evil.example", "localhost.evil.example", "myhost.lan.evil.example"):
        assert not hosts.allows(bad), bad
    assert not AllowedHosts(bind_host="0.0.0.0").allows("evil.example")
    assert AllowedHosts(["Proxy.Example"]).allows("proxy.example:443")
    assert AllowedHosts(["*"]).allows("anything.example")


def test_a_rebound_name_is_refused_over_http_with_the_option_named(context: Any) -> None:
    from headwater.webserver import create_app

    with live_server(create_app(context)) as url:
        port = url.rsplit(":", 1)[1]
        assert graphql(url, QUERY).status == 200
        assert graphql(url, QUERY, Host=f"localhost:{port}").status == 200
        refused = graphql(url, QUERY, Host=f"evil.example:{port}")
        assert refused.status == 400
        assert "--allowed-host evil.example" in refused.message()
        assert "DNS rebinding" in refused.message()
        # GETs too: a rebound page could otherwise read runs and logs.
        page = call("GET", f"{url}/graphql?query=%7Bversion%7D", Host="evil.example")
        assert page.status == 400
        assert call("GET", f"{url}/", Host="evil.example").status == 400


def test_allowed_host_and_a_server_with_auth_answer_other_names(
    context: Any, tmp_path: Path
) -> None:
    from headwater.webserver import create_app
    from headwater.webserver.auth import TokenFile, Users

    app = create_app(context, allowed_hosts=AllowedHosts(["proxy.example"]))
    with live_server(app) as url:
        assert graphql(url, QUERY, Host="proxy.example").status == 200
        assert graphql(url, QUERY, Host="evil.example").status == 400
    # With auth a rebound page has no token (cookies stay with the real name): no check.
    (tmp_path / "tokens.yaml").write_text("users:\n  a: {role: viewer, token: tok-a}\n")
    users = Users(TokenFile(tmp_path / "tokens.yaml"), None)
    with live_server(create_app(context, users=users)) as url:
        answer = graphql(url, QUERY, Host="evil.example", Authorization="Bearer tok-a")
        assert answer.status == 200


def _handshake(url: str, host: str) -> int:
    """The status of a WebSocket handshake to ``/graphql`` sent with ``Host: host``."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    connection.request(
        "GET",
        "/graphql",
        headers={
            "Host": host,
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Protocol": "graphql-transport-ws",
        },
    )
    status = connection.getresponse().status
    connection.close()
    return status


def test_a_rebound_name_is_refused_over_websocket(context: Any) -> None:
    from headwater.webserver import create_app

    with live_server(create_app(context)) as url:
        port = url.rsplit(":", 1)[1]
        assert _handshake(url, f"127.0.0.1:{port}") == 101
        assert _handshake(url, f"evil.example:{port}") == 403
