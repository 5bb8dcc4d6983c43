"""Cookie sessions: who is signed in (``GET /session``), signing out (``POST /logout``,
checked like any cookie POST so that another site cannot end the session), the session
kept on the server (the cookie holds no token), and ``?token=`` links asking first."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from tests.webserver.live import call
from tests.webserver.test_auth import TOKENS, _login, auth_server, bearer, open_server

__all__ = ["auth_server", "open_server"]  # fixtures, used by name

_JSON = {"Content-Type": "application/json"}


def _cleared(cookies: str) -> bool:
    return 'headwater_session=""' in cookies or "Max-Age=0" in cookies


def test_session_names_the_caller_and_its_role(auth_server: str, open_server: str) -> None:
    cookie = _login(auth_server)
    me = call("GET", f"{auth_server}/session", Cookie=cookie)
    assert me.status == 200
    assert json.loads(me.text) == {"auth": True, "user": "launcher", "role": "launcher"}
    mine = json.loads(call("GET", f"{auth_server}/session", **bearer("admin")).text)
    assert mine["role"] == "admin"
    assert call("GET", f"{auth_server}/session").status == 401
    # Auth off: the UI shows no user and no sign-out.
    off = call("GET", f"{open_server}/session")
    assert json.loads(off.text) == {"auth": False, "user": None, "role": None}


def test_logout_is_a_csrf_checked_post(auth_server: str) -> None:
    cookie = _login(auth_server)
    url = f"{auth_server}/logout"
    # Refused: another site's page (its Origin, or Sec-Fetch-Site), or a form's content type.
    for headers in (
        {**_JSON, "Origin": "https://evil.example"},
        {**_JSON, "Sec-Fetch-Site": "cross-site"},
        {"Content-Type": "text/plain", "Origin": auth_server},
    ):
        refused = call("POST", url, "{}", Cookie=cookie, **headers)
        assert refused.status == 403 and "CSRF" in refused.text, headers
        assert not _cleared(refused.cookies)
    # A Bearer caller has no session to end.
    bearer_out = call("POST", url, "{}", **_JSON, **bearer("viewer"))
    assert bearer_out.status == 400 and "Bearer" in bearer_out.text
    assert call("POST", url, "{}", **_JSON).status == 401
    done = call("POST", url, "{}", Cookie=cookie, Sec_Fetch_Site="same-origin", **_JSON)
    assert done.status == 200 and _cleared(done.cookies)
    assert json.loads(done.text)["login"] == "/login"
    assert TOKENS["launcher"] not in done.cookies


def test_the_cookie_names_a_server_session_not_the_token(auth_server: str) -> None:
    first, second = _login(auth_server), _login(auth_server)
    for cookie in (first, second):
        value = cookie.split("=", 1)[1]
        assert value and value not in TOKENS.values() and len(value) >= 40
    assert first != second  # a fresh random id each time
    # The token itself in the cookie is no session.
    forged = call("GET", f"{auth_server}/session", Cookie=f"headwater_session={TOKENS['admin']}")
    assert forged.status == 401 and "session has ended" in forged.text


def test_a_signed_out_cookie_is_refused(auth_server: str) -> None:
    cookie = _login(auth_server)
    other = _login(auth_server)  # another browser of the same user
    out = call("POST", f"{auth_server}/logout", "{}", Cookie=cookie, Origin=auth_server, **_JSON)
    assert out.status == 200
    # A copy of the old cookie no longer works: the server forgot the session.
    me = call("GET", f"{auth_server}/session", Cookie=cookie)
    assert me.status == 401 and "log in again at /login" in me.text
    page = call("GET", f"{auth_server}/runs", Accept="text/html", Cookie=cookie)
    assert page.status == 303 and page.headers["location"].startswith("/login?next=")
    assert call("POST", f"{auth_server}/logout", "{}", Cookie=cookie, **_JSON).status == 401
    # Only that session ended.
    assert call("GET", f"{auth_server}/session", Cookie=other).status == 200


def test_removing_the_user_ends_its_sessions(auth_server: str, tmp_path: Path) -> None:
    cookie = _login(auth_server, "viewer")
    assert call("GET", f"{auth_server}/session", Cookie=cookie).status == 200
    tokens = tmp_path / "tokens.yaml"  # the auth_server's file, read again when it changes
    text = tokens.read_text()
    tokens.write_text("".join(line for line in text.splitlines(True) if "viewer" not in line))
    assert call("GET", f"{auth_server}/session", Cookie=cookie).status == 401
    # The session is gone for good, even should the same token come back.
    tokens.write_text(text + "\n")
    assert call("GET", f"{auth_server}/session", **bearer("viewer")).status == 200
    assert call("GET", f"{auth_server}/session", Cookie=cookie).status == 401


class _Form(HTMLParser):
    """The action and the fields of the first form of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = found.get("action")
        if tag == "input" and found.get("name"):
            self.fields[str(found["name"])] = found.get("value") or ""


def _form(page: str) -> _Form:
    parser = _Form()
    parser.feed(page)
    return parser


def test_a_token_link_asks_before_logging_in(auth_server: str) -> None:
    link = call("GET", f"{auth_server}/runs?token={TOKENS['viewer']}&tab=2", Accept="text/html")
    # No session yet: another site could otherwise sign a visitor in as its own user.
    assert link.status == 200 and not link.cookies
    assert "Log in as 'viewer' (viewer)?" in link.text
    # The page may not be framed (a click in another site's frame), nor leak its address.
    assert link.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in link.headers["content-security-policy"]
    assert link.headers["referrer-policy"] == "no-referrer"
    assert link.headers["cache-control"] == "no-store"
    form = _form(link.text)
    assert form.action == "/login"
    assert form.fields["next"] == "/runs?tab=2"  # the URL without its token
    # The button posts the form from this server's page: the session starts then.
    answer = call(
        "POST",
        f"{auth_server}{form.action}",
        urlencode(form.fields),
        Content_Type="application/x-www-form-urlencoded",
        Origin=auth_server,
        Sec_Fetch_Site="same-origin",
    )
    assert answer.status == 200 and "url=/runs?tab=2" in answer.text
    assert answer.cookies.startswith("headwater_session=")
    assert TOKENS["viewer"] not in answer.cookies
    cookie = answer.cookies.split(";")[0]
    me = call("GET", f"{auth_server}/session", Cookie=cookie)
    assert json.loads(me.text)["user"] == "viewer"
    # A wrong token: the login page and its error, as from the form.
    wrong = call("GET", f"{auth_server}/runs?token=nope&tab=2")
    assert wrong.status == 401 and "not valid" in wrong.text and not wrong.cookies
    assert _form(wrong.text).fields["next"] == "/runs?tab=2"


def test_another_sites_login_post_is_refused(auth_server: str) -> None:
    # The attacker's own token, posted by the attacker's page: login CSRF.
    body = f"token={TOKENS['admin']}&next=/"
    for headers in (
        {"Origin": "https://evil.example"},
        {"Origin": "null"},  # a page with Referrer-Policy: no-referrer, or a sandboxed frame
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://127.0.0.1:1"},
    ):
        refused = call(
            "POST",
            f"{auth_server}/login",
            body,
            Content_Type="application/x-www-form-urlencoded",
            **headers,
        )
        assert refused.status == 403 and "CSRF" in refused.text, headers
        assert not refused.cookies
