"""Who is signed in (``GET /session``) and signing out (``POST /logout``, checked like any
cookie POST so that another site cannot end the session)."""

from __future__ import annotations

import json

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
