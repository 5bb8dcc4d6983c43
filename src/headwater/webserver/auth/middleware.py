"""The HTTP layer of auth: finds each request's user and refuses the rest.

For every HTTP request and WebSocket handshake:

1. With auth off (no ``--auth`` file, no users in the instance) every request may do
   everything; only a browser's cross-site POST or WebSocket is refused, and a request whose
   ``Host`` is no name of this server (``AllowedHosts``: DNS rebinding), so that a page on
   another site cannot drive a server on localhost.
2. With auth on, the user comes from ``Authorization: Bearer TOKEN`` or else from the
   session cookie, whose session id names a token kept on the server (``store.py``); that
   token is authenticated again on every request, so a removed user's sessions end with it.
   ``/server_info`` (a health check) and ``/login`` need none. A browser asking for a page
   without one is sent to the login page; anything else gets 401. A ``GET`` carrying
   ``?token=`` answers a page asking to log in as the token's user, whose button posts the
   token to ``/login``: logging in on a bare link would let another site sign a victim in
   as the site's own user (login CSRF).
3. A request authenticated by its cookie is one a browser sends on its own, so it must show
   it comes from this server's pages: a POST needs ``Content-Type: application/json`` (which
   another site's page can only send after a CORS preflight this server never approves) and
   an ``Origin``/``Sec-Fetch-Site`` of this server; a WebSocket needs this server's
   ``Origin``. Bearer requests carry their credential explicitly and need neither. A
   WebSocket handshake with no credential at all is let through marked ``INIT_AUTH_KEY``:
   its ``connection_init`` payload must then carry the token (``websocket.py``).
4. ``GET /session`` answers who the caller is (the UI shows it); ``POST /logout``, checked
   like any cookie POST, deletes the server's session and clears the cookie (``GET /logout``
   is a page asking for it). ``POST /login`` is refused from another site's page.

The user is left in the ASGI scope under ``USER_KEY`` for the GraphQL layer's role checks.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocketClose

from headwater.webserver.auth import session
from headwater.webserver.auth.hosts import AllowedHosts
from headwater.webserver.auth.roles import User
from headwater.webserver.auth.store import SessionStore
from headwater.webserver.auth.users import Users
from headwater.webserver.body import BodyTooLarge, read_body

__all__ = ["INIT_AUTH_KEY", "USER_KEY", "AuthMiddleware", "is_local_host"]

USER_KEY = "headwater.user"
# Set on a WebSocket handshake that carried no credential while auth is on: the ``Users``
# that must authenticate the token of its ``connection_init`` payload.
INIT_AUTH_KEY = "headwater.init_auth"
_OPEN_PATHS = ("/server_info",)
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_SESSION_PATH = "/session"  # who the caller is, for the UI's header


def is_local_host(host: str) -> bool:
    """Whether binding ``host`` keeps the server to this machine."""
    return host.strip("[]").lower() in ("127.0.0.1", "::1", "localhost") or host.startswith("127.")


def _refuse(status: int, message: str, **headers: str) -> Response:
    return JSONResponse({"errors": [{"message": message}]}, status_code=status, headers=headers)


def cross_site_problem(conn: HTTPConnection, *, need_origin: bool) -> str | None:
    """Why the request looks sent by another site's page, or ``None``.

    A browser's own ``Sec-Fetch-Site`` (no page can set it) decides when it is there: it is
    right behind a proxy that rewrites ``Host`` too. Without it, ``Origin`` must name this
    server's host."""
    fetch_site = conn.headers.get("sec-fetch-site")
    if fetch_site is not None:
        if fetch_site in ("same-origin", "none"):
            return None
        return f"a {fetch_site} request (Sec-Fetch-Site) may not use this server"
    origin = conn.headers.get("origin")
    if origin is None:
        return "the request has no Origin header" if need_origin else None
    hosts = {conn.headers.get("host"), conn.headers.get("x-forwarded-host")} - {None}
    if urlsplit(origin).netloc not in hosts:
        return f"Origin {origin} is not this server ({', '.join(sorted(map(str, hosts)))})"
    return None


class AuthMiddleware:
    """ASGI middleware: authenticates, guards cookie sessions, serves ``/login``."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        users: Users | None,
        prefix: str = "",
        allowed_hosts: AllowedHosts | None = None,
        sessions: SessionStore | None = None,
    ) -> None:
        self.app = app
        self.users = users
        self.prefix = prefix
        self.allowed_hosts = allowed_hosts or AllowedHosts()
        # One store per app, in this process's memory: see store.py for why that suffices.
        self.sessions = sessions if sessions is not None else SessionStore()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        answer = await self._check(scope, receive)
        if answer is not None:
            await answer(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _check(self, scope: Scope, receive: Receive) -> Any:
        """A response refusing or answering the request itself, or ``None`` to go on."""
        websocket = scope["type"] == "websocket"
        conn = HTTPConnection(scope)
        method = "WEBSOCKET" if websocket else scope["method"]
        path = scope["path"]
        relative = path[len(self.prefix) :] if path.startswith(self.prefix) else path
        if self.users is None or not self.users.enabled:
            return self._auth_off(scope, conn, relative, method)
        if relative in _OPEN_PATHS:
            return None
        if not websocket and (
            relative == "/login"
            or (relative == "/logout" and method == "GET")
            or (method == "GET" and "token" in conn.query_params)
        ):
            return await self._browser(Request(scope, receive), relative)
        return self._with_user(scope, conn, relative, method)

    def _with_user(self, scope: Scope, conn: HTTPConnection, relative: str, method: str) -> Any:
        """A request past the open paths and the login pages: it needs a user."""
        websocket = method == "WEBSOCKET"
        user, by_cookie = self._identify(conn)
        if user is None:
            if websocket and not self._credential_sent(conn):
                # A client that cannot set headers sends its token in connection_init: the
                # socket serves nothing until that message authenticates it.
                scope[INIT_AUTH_KEY] = self.users
                return None
            return self._unauthenticated(conn, websocket, method)
        scope[USER_KEY] = user
        if relative == _SESSION_PATH and method == "GET":
            return session.whoami(user)
        if relative == "/logout" and not by_cookie:
            return self._logout_needs_cookie()
        if not by_cookie or method in _SAFE_METHODS:
            return None
        return self._cookie_request(conn, websocket, relative)

    def _auth_off(self, scope: Scope, conn: HTTPConnection, relative: str, method: str) -> Any:
        scope[USER_KEY] = None
        refused = self._check_open(conn, method == "WEBSOCKET", method)
        if refused is None and relative == _SESSION_PATH and method == "GET":
            return session.whoami(None)
        return refused

    def _cookie_request(self, conn: HTTPConnection, websocket: bool, relative: str) -> Any:
        """A cookie session's POST or WebSocket: refused unless from this server's pages."""
        problem = cross_site_problem(conn, need_origin=websocket)
        if problem is None and not websocket:
            kind = conn.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind != "application/json":
                problem = "a cookie session's POST must be Content-Type: application/json"
        if problem is not None:
            return self._deny(websocket, f"refused (CSRF protection): {problem}")
        if relative == "/logout":
            # Past the same checks as every cookie POST: another site cannot end the session.
            # The server forgets it, so a copy of the cookie is refused from now on.
            self.sessions.end(conn.cookies[session.SESSION_COOKIE])
            return session.logout(self.prefix)
        return None

    @staticmethod
    def _logout_needs_cookie() -> Response:
        return _refuse(
            400, "POST /logout ends a browser's cookie session; a Bearer token has none to end"
        )

    def _check_open(self, conn: HTTPConnection, websocket: bool, method: str) -> Any:
        """With auth off: a refusal of a foreign ``Host`` (DNS rebinding) or of a
        cross-site request, or ``None``."""
        wrong_host = self.allowed_hosts.problem(conn.headers.get("host"))
        if wrong_host is not None:
            if websocket:
                return WebSocketClose(code=4400, reason=wrong_host[:120])
            return _refuse(400, f"refused: {wrong_host}")
        problem = None if method in _SAFE_METHODS else cross_site_problem(conn, need_origin=False)
        return None if problem is None else self._deny(websocket, f"refused: {problem}")

    def _identify(self, conn: HTTPConnection) -> tuple[User | None, bool]:
        assert self.users is not None
        header = conn.headers.get("authorization", "")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return None, False
            return self.users.authenticate(token.strip()), False
        cookie = conn.cookies.get(session.SESSION_COOKIE)
        if cookie:
            return self._session_user(cookie), True
        return None, False

    def _session_user(self, session_id: str) -> User | None:
        """The user of a cookie session: its token authenticated again, so that removing the
        user or the token ends the session too (and for good, should the token come back)."""
        assert self.users is not None
        token = self.sessions.token(session_id)
        if token is None:
            return None
        user = self.users.authenticate(token)
        if user is None:
            self.sessions.end(session_id)
        return user

    @staticmethod
    def _credential_sent(conn: HTTPConnection) -> bool:
        return "authorization" in conn.headers or session.SESSION_COOKIE in conn.cookies

    def _unauthenticated(self, conn: HTTPConnection, websocket: bool, method: str) -> Any:
        if websocket:
            return WebSocketClose(code=4401, reason="unauthorized: log in or send a token")
        wants_page = method == "GET" and "text/html" in conn.headers.get("accept", "")
        if wants_page:
            target = conn.url.path + (f"?{conn.url.query}" if conn.url.query else "")
            return RedirectResponse(f"{self.prefix}/login?next={_quote(target)}", status_code=303)
        if "authorization" in conn.headers:
            message = (
                "the token is not valid (unknown, removed, or not sent as 'Authorization: "
                "Bearer TOKEN')"
            )
        elif session.SESSION_COOKIE in conn.cookies:
            message = (
                "the session has ended (signed out, unused too long, its user or token "
                f"removed, or the server restarted): log in again at {self.prefix}/login"
            )
        else:
            message = (
                "this server needs a token: send 'Authorization: Bearer TOKEN', or log in "
                f"at {self.prefix}/login"
            )
        return _refuse(401, message, **{"WWW-Authenticate": 'Bearer realm="headwater"'})

    @staticmethod
    def _deny(websocket: bool, message: str) -> Any:
        if websocket:
            return WebSocketClose(code=4403, reason=message[:120])
        return _refuse(403, message)

    async def _browser(self, request: Request, relative: str) -> Response:
        """The login page and form, logging out, and the ``?token=`` confirmation."""
        assert self.users is not None
        if relative == "/logout":
            return session.logout_page(self.prefix)
        if relative != "/login":
            return self._confirm(request)
        if request.method != "POST":
            return session.login_page(self.prefix, request.query_params.get("next", ""))
        return await self._login_form(request)

    def _confirm(self, request: Request) -> Response:
        """A link carrying ``?token=``: a page asking to log in as the token's user, whose
        button posts the token to ``/login``. No session starts on the link alone."""
        assert self.users is not None
        token, rest = request.query_params["token"], session.without_token(request)
        user = self.users.authenticate(token)
        if user is None:
            return session.login_page(self.prefix, rest, "That token is not valid.", 401)
        return session.confirm_page(self.prefix, user, token, rest)

    async def _login_form(self, request: Request) -> Response:
        """``POST /login``: the login page's form and the confirmation's button. Refused from
        another site's page (login CSRF), like every cookie POST."""
        assert self.users is not None
        problem = cross_site_problem(request, need_origin=False)
        if problem is not None:
            return _refuse(403, f"refused (CSRF protection): {problem}")
        try:
            raw = await read_body(request, 64 * 1024)
        except BodyTooLarge:
            return _refuse(413, "the login form is over 64 KiB")
        form = session.form_fields(raw)
        token, next_url = form.get("token", "").strip(), form.get("next", "")
        if not token or self.users.authenticate(token) is None:
            return session.login_page(self.prefix, next_url, "That token is not valid.", 401)
        previous = request.cookies.get(session.SESSION_COOKIE)
        if previous:
            self.sessions.end(previous)  # replaced by the new one: nothing should keep it
        return session.start_session(request, self.prefix, self.sessions.start(token), next_url)


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")
