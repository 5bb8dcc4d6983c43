"""Auth in a real browser: the UI behind a login works (its POSTs and its WebSocket pass the
CSRF checks), a page on another origin cannot use the session to launch a run nor sign the
browser in as someone else, a ``?token=`` link asks before logging in, and signing out ends
the session on the server."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.webserver.live import graphql, live_server
from tests.webserver.test_auth import LAUNCH, LAUNCH_VARS, TOKENS
from tests.webserver.test_ui_browser import _chromium, _missing

pytestmark = pytest.mark.skipif(_missing() is not None, reason=str(_missing()))


@pytest.fixture
def server(context: Any, tmp_path: Path) -> Iterator[str]:
    from headwater.webserver import create_app
    from headwater.webserver.auth import TokenFile, Users

    lines = [f"  {role}: {{role: {role}, token: {token}}}" for role, token in TOKENS.items()]
    (tmp_path / "tokens.yaml").write_text("users:\n" + "\n".join(lines) + "\n")
    with live_server(
        create_app(context, users=Users(TokenFile(tmp_path / "tokens.yaml"), None))
    ) as url:
        yield url


@pytest.fixture
def other_origin() -> Iterator[str]:
    """A blank page on another port: another origin, though the same site."""

    class Blank(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<!doctype html><title>elsewhere</title><p>elsewhere")

        def log_message(self, *_args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Blank)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def page() -> Iterator[Any]:
    import importlib

    sync_playwright = importlib.import_module("playwright.sync_api").sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        pg = browser.new_context().new_page()
        pg.set_default_timeout(30_000)
        yield pg
        browser.close()


def _runs(url: str) -> int:
    answer = graphql(
        url,
        "{ runsOrError { ... on Runs { results { runId } } } }",
        None,
        Authorization=f"Bearer {TOKENS['admin']}",
    )
    return len(answer.json()["data"]["runsOrError"]["results"])


_WS_ACK = """(url) => new Promise((resolve) => {
  const ws = new WebSocket(url, "graphql-transport-ws");
  ws.onopen = () => ws.send(JSON.stringify({type: "connection_init", payload: {}}));
  ws.onmessage = (m) => { resolve(JSON.parse(m.data).type); ws.close(); };
  ws.onerror = () => resolve("refused");
})"""


def test_the_ui_works_behind_a_login_and_other_origins_cannot_use_it(
    server: str, other_origin: str, page: Any
) -> None:
    page.goto(f"{server}/#/runs")
    # The redirect keeps the #fragment (the UI's route), and so does logging in.
    page.wait_for_url(f"{server}/login?next=/#/runs")
    page.fill("input[name=token]", TOKENS["launcher"])
    page.click("input[type=submit]")
    page.wait_for_url(f"{server}/#/runs")
    page.wait_for_selector("nav")
    # The UI's own requests pass: a launch through the page's fetch, as gql.js sends it.
    status = page.evaluate(
        """([q, v]) => fetch("graphql", {method: "POST", credentials: "same-origin",
             headers: {"Content-Type": "application/json", Accept: "application/json"},
             body: JSON.stringify({query: q, variables: v})}).then((r) => r.status)""",
        [LAUNCH, LAUNCH_VARS],
    )
    assert status == 200 and _runs(server) == 1
    ws_url = server.replace("http", "ws") + "/graphql"
    assert page.evaluate(_WS_ACK, ws_url) == "connection_ack"
    # Another origin's page: its form post and its fetch carry the cookie (same site), but
    # are refused, and its WebSocket is refused.
    page.goto(other_origin)
    page.evaluate(
        """([url, q, v]) => fetch(url, {method: "POST", mode: "no-cors", credentials: "include",
             headers: {"Content-Type": "text/plain"},
             body: JSON.stringify({query: q, variables: v})})""",
        [f"{server}/graphql", LAUNCH, LAUNCH_VARS],
    )
    assert page.evaluate(_WS_ACK, ws_url) == "refused"
    page.set_content(
        f"""<form method="post" action="{server}/graphql" enctype="text/plain">
        <input name='{{"query": "mutation {{ reloadWorkspace {{ __typename }} }}", "x": "'
         value='"}}'></form>"""
    )
    with page.expect_navigation():
        page.evaluate("document.forms[0].submit()")
    assert "CSRF" in page.content()
    assert _runs(server) == 1


def test_the_ui_shows_who_is_signed_in_and_signs_out(server: str, page: Any) -> None:
    page.goto(f"{server}/login?next=/#/runs")
    page.fill("input[name=token]", TOKENS["admin"])
    page.click("input[type=submit]")
    page.wait_for_url(f"{server}/#/runs")
    who = page.get_by_test_id("session")
    who.wait_for()
    assert "admin" in who.inner_text() and "Sign out" in who.inner_text()
    cookies = [c for c in page.context.cookies() if c["name"] == "headwater_session"]
    assert len(cookies) == 1 and cookies[0]["value"] not in TOKENS.values()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{server}/login")
    assert not any(c["name"] == "headwater_session" for c in page.context.cookies())
    # The session is over: the page's own requests are no longer let in.
    assert page.evaluate("() => fetch('session').then((r) => r.status)") == 401
    # Nor by a copy of the cookie taken before signing out: the server forgot the session.
    page.context.add_cookies(cookies)
    assert page.evaluate("() => fetch('session').then((r) => r.status)") == 401


def _session_cookies(page: Any) -> list[Any]:
    return [c for c in page.context.cookies() if c["name"] == "headwater_session"]


def test_a_token_link_asks_first_and_drops_the_token(server: str, page: Any) -> None:
    page.goto(f"{server}/?token={TOKENS['viewer']}#/runs")
    page.get_by_text("Log in as 'viewer' (viewer)?").wait_for()
    assert not _session_cookies(page)
    # The token is out of the address bar (and the history) before anything is clicked.
    assert page.url == f"{server}/#/runs"
    page.get_by_role("button", name="Log in as viewer").click()
    page.wait_for_url(f"{server}/#/runs")  # the UI's route kept
    page.get_by_test_id("session").wait_for()
    cookies = _session_cookies(page)
    assert len(cookies) == 1 and cookies[0]["value"] != TOKENS["viewer"]
    assert page.evaluate("() => fetch('session').then((r) => r.json())")["user"] == "viewer"


def test_another_origin_cannot_sign_the_browser_in(
    server: str, other_origin: str, page: Any
) -> None:
    # The attacker's page posts the attacker's token to /login (login CSRF) ...
    page.goto(other_origin)
    page.set_content(
        f"""<form method="post" action="{server}/login">
        <input name="token" value="{TOKENS["admin"]}"><input name="next" value="/"></form>"""
    )
    with page.expect_navigation():
        page.evaluate("document.forms[0].submit()")
    assert "CSRF" in page.content() and not _session_cookies(page)
    # ... or frames the confirmation page to have its button clicked: it does not load.
    page.goto(other_origin)
    page.set_content(f'<iframe src="{server}/?token={TOKENS["admin"]}"></iframe>')
    frame = page.frames[1]
    frame.wait_for_load_state()
    assert "Log in as" not in frame.content()
    assert not _session_cookies(page)
