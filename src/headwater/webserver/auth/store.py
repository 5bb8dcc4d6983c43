"""Browser sessions kept on the server: the cookie holds a random session id, never a token.

A cookie that held the token itself stayed a working credential after signing out (the
browser is only asked to forget it, and a copy keeps working until the token is removed).
With the token kept here, signing out deletes the session and the old cookie value is then
refused at once.

The sessions live in the server process's memory. That is the right place because
``serve.py`` runs one process (``uvicorn.run`` with one app, no workers): every request
sees the same store. A restart forgets every session and browsers are sent to ``/login``
again (docs/webserver.md, "Cookie sessions and CSRF"). Serving one app from several worker
processes would need a shared store instead.

The store is bounded: a session unused for ``IDLE_SECONDS`` ends, and beyond
``MAX_SESSIONS`` the one unused the longest is dropped. Only a caller with a valid token can
start a session, so the cap is about a long-running server's memory, not an attack by
strangers.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from headwater._dataclass import dataclass

__all__ = ["IDLE_SECONDS", "MAX_SESSIONS", "SessionStore"]

IDLE_SECONDS = 12 * 3600.0  # a working day and then some; documented in docs/webserver.md
MAX_SESSIONS = 10_000


@dataclass
class _Session:
    token: str
    last_used: float


def _key(session_id: str) -> str:
    # Keyed by the id's hash: a look-up's timing or a dump of the dict gives no cookie value.
    return hashlib.sha256(session_id.encode()).hexdigest()


class SessionStore:
    """``session id -> token`` for cookie sessions, in least-recently-used order."""

    def __init__(
        self,
        *,
        idle_seconds: float = IDLE_SECONDS,
        max_sessions: int = MAX_SESSIONS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if idle_seconds <= 0 or max_sessions < 1:
            raise ValueError(
                f"a session store needs idle_seconds > 0 and max_sessions >= 1, got "
                f"idle_seconds={idle_seconds}, max_sessions={max_sessions}"
            )
        self.idle_seconds = idle_seconds
        self.max_sessions = max_sessions
        self._clock = clock
        self._sessions: OrderedDict[str, _Session] = OrderedDict()
        # The middleware runs on the event loop, but nothing stops an app from being served
        # by a threaded server: the lock keeps the order and the count consistent.
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            self._drop_expired(self._clock())
            return len(self._sessions)

    def start(self, token: str) -> str:
        """A new session for ``token`` (already authenticated); returns its id."""
        session_id = secrets.token_urlsafe(32)
        with self._lock:
            now = self._clock()
            self._drop_expired(now)
            while len(self._sessions) >= self.max_sessions:
                self._sessions.popitem(last=False)  # the one unused the longest
            self._sessions[_key(session_id)] = _Session(token, now)
        return session_id

    def token(self, session_id: str) -> str | None:
        """The token of a live session (marking it used), or ``None`` when it is unknown,
        ended or idle too long."""
        key = _key(session_id)
        with self._lock:
            now = self._clock()
            found = self._sessions.get(key)
            if found is None:
                return None
            if now - found.last_used > self.idle_seconds:
                del self._sessions[key]
                return None
            found.last_used = now
            self._sessions.move_to_end(key)
            return found.token

    def end(self, session_id: str) -> bool:
        """Forget a session (signing out); whether there was one."""
        with self._lock:
            return self._sessions.pop(_key(session_id), None) is not None

    def _drop_expired(self, now: float) -> None:
        # Least recently used first: the expired sessions are all at the front.
        while self._sessions:
            key, oldest = next(iter(self._sessions.items()))
            if now - oldest.last_used <= self.idle_seconds:
                return
            del self._sessions[key]
