"""Cookie sessions for the browser: the login page, the ``?token=`` confirmation, logout.

The session cookie holds a random session id (``store.SessionStore`` keeps its token on the
server), ``HttpOnly`` (scripts cannot read it) and ``SameSite=Strict`` (other sites' pages
cannot send it); the middleware adds the CSRF checks on top (docs/webserver.md, "Security").

The pages that take a token may not be framed: in another site's frame, a click on the
confirmation's button would be the framing site's doing (clickjacking) yet same-origin.
"""

from __future__ import annotations

import html
from urllib.parse import parse_qs, quote, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from headwater.webserver.auth.roles import User

__all__ = [
    "SESSION_COOKIE",
    "confirm_page",
    "form_fields",
    "login_page",
    "logout",
    "logout_page",
    "safe_next",
    "start_session",
    "whoami",
    "without_token",
]

SESSION_COOKIE = "headwater_session"

_PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    # The confirmation's address holds the token: sent to no one, not even this server.
    "Referrer-Policy": "no-referrer",
}

_LOGIN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>headwater: log in</title>
<style>body{{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}}
input{{width:100%;padding:.4rem;margin:.4rem 0;box-sizing:border-box}}
.error{{color:#b00020}}</style></head>
<body><h1>headwater</h1>
<p>This server asks for a token. An admin makes one with
<code>headwater webserver user add NAME --role viewer</code>.</p>
{error}
<form method="post" action="{action}">
<input type="hidden" name="next" value="{next}">
<label>Token <input type="password" name="token" autocomplete="current-password" autofocus></label>
<input type="submit" value="Log in">
</form>
<script>
  // The UI routes by the URL's #fragment, which never reaches the server: keep it.
  document.querySelector("form").addEventListener("submit", (e) => {{
    const next = e.target.elements.next;
    if (location.hash && !next.value.includes("#")) next.value += location.hash;
  }});
</script>
</body></html>
"""

_CONFIRM = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>headwater: log in?</title>
<style>body{{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}}
</style></head>
<body><h1>headwater</h1>
<p>This link carries a token.</p>
<p><b>Log in as '{name}' ({role})?</b></p>
<p>Go on only if you expected this link: whatever you do after logging in is done as
'{name}', and what you enter lands in that user's name.</p>
<form method="post" action="{action}">
<input type="hidden" name="token" value="{token}">
<input type="hidden" name="next" value="{next}">
<input type="submit" value="Log in as {name}">
<a href="{login}">Cancel</a>
</form>
<script>
  // Take the token out of the address bar and the history at once.
  const form = document.querySelector("form");
  history.replaceState(null, "", form.elements.next.value + location.hash);
  form.addEventListener("submit", (e) => {{
    const next = e.target.elements.next;
    if (location.hash && !next.value.includes("#")) next.value += location.hash;
  }});
</script>
</body></html>
"""

_LOGOUT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>headwater: sign out</title></head>
<body style="font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto">
<h1>headwater</h1><button id="out">Sign out</button>
<script>
  document.getElementById("out").addEventListener("click", async () => {{
    const r = await fetch("{action}", {{method: "POST", credentials: "same-origin",
      headers: {{"Content-Type": "application/json"}}, body: "{{}}"}});
    const body = await r.json();
    if (r.ok) location.href = body.login; else document.body.append(body.errors[0].message);
  }});
</script>
</body></html>
"""

_GO = """<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="refresh" content="0;url={url}"><title>headwater</title></head>
<body><a href="{url}">Continue</a></body></html>
"""


def safe_next(prefix: str, value: str | None) -> str:
    """Where to go after logging in: a path on this server only (no ``//host`` or URL).

    Control characters are refused too: a browser drops tabs and newlines from a URL before
    parsing it, so ``/<TAB>/evil.example`` would lead to another host."""
    home = prefix + "/"
    if (
        not value
        or not value.startswith(home)
        or value.startswith("//")
        or "\\" in value
        or any(ord(c) < 0x20 or c == "\x7f" for c in value)
    ):
        return home
    return value


def login_page(prefix: str, next_url: str, error: str = "", status: int = 200) -> Response:
    body = _LOGIN.format(
        action=html.escape(f"{prefix}/login"),
        next=html.escape(safe_next(prefix, next_url)),
        error=f'<p class="error">{html.escape(error)}</p>' if error else "",
    )
    return HTMLResponse(body, status_code=status, headers=_PAGE_HEADERS)


def confirm_page(prefix: str, user: User, token: str, next_url: str) -> Response:
    """A link carrying ``?token=``: asks before logging in.

    Logging in straight away would let another site sign a victim's browser in as the
    site's own user (login CSRF), so that what the victim then does lands in that account.
    The button posts the token to ``/login``, where the cross-site checks apply."""
    target = safe_next(prefix, next_url)
    body = _CONFIRM.format(
        name=html.escape(user.name),
        role=html.escape(user.role.label),
        action=html.escape(f"{prefix}/login"),
        token=html.escape(token),
        next=html.escape(target),
        login=html.escape(f"{prefix}/login?next={quote(target, safe='/')}"),
    )
    return HTMLResponse(body, headers=_PAGE_HEADERS)


def start_session(request: Request, prefix: str, session_id: str, next_url: str) -> Response:
    """A page that stores the session cookie (the session's id) and moves on to ``next_url``.

    A page rather than a redirect: a Strict cookie set in answer to a navigation that
    started on another site (a link in an e-mail) is not sent on that navigation's
    redirects, while a navigation this page starts is same-site.
    """
    target = html.escape(safe_next(prefix, next_url))
    response = HTMLResponse(_GO.format(url=target), headers={"Cache-Control": "no-store"})
    secure = request.url.scheme in ("https", "wss") or (
        request.headers.get("x-forwarded-proto") == "https"
    )
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        path=prefix + "/",
        httponly=True,
        samesite="strict",
        secure=secure,
    )
    return response


def logout(prefix: str) -> Response:
    """Clears the cookie (the caller ended the server's session after the cookie POST's
    CSRF checks)."""
    response = JSONResponse({"loggedOut": True, "login": f"{prefix}/login"})
    response.delete_cookie(SESSION_COOKIE, path=prefix + "/", httponly=True, samesite="strict")
    return response


def logout_page(prefix: str) -> Response:
    """``GET /logout``: a page whose button ends the session by ``POST`` (a link or an image
    on another site must not be able to sign the user out)."""
    body = _LOGOUT.format(action=html.escape(f"{prefix}/logout"))
    return HTMLResponse(body, headers={"Cache-Control": "no-store"})


def whoami(user: User | None) -> Response:
    """``GET /session``: who the caller is; ``auth`` false when the server has no users."""
    if user is None:
        return JSONResponse({"auth": False, "user": None, "role": None})
    return JSONResponse({"auth": True, "user": user.name, "role": user.role.label})


def form_fields(body: bytes) -> dict[str, str]:
    """A url-encoded form's fields (the login form is the only one)."""
    parsed = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[0] for k, v in parsed.items()}


def without_token(request: Request) -> str:
    """The request's path and query, its ``token`` parameter removed."""
    rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
    return request.url.path + (f"?{urlencode(rest)}" if rest else "")
