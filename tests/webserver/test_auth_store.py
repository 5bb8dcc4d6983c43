"""The server's store of browser sessions: idle sessions end, the count is capped, and the
web server refuses a cookie whose session the store dropped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.webserver.live import call, live_server
from tests.webserver.test_auth import TOKENS, _login

from headwater.webserver.auth.store import IDLE_SECONDS, MAX_SESSIONS, SessionStore


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_session_idle_too_long_ends_and_use_keeps_it_alive() -> None:
    clock = Clock()
    store = SessionStore(idle_seconds=60, clock=clock)
    kept, idle = store.start("tok-a"), store.start("tok-b")
    clock.now += 50
    assert store.token(kept) == "tok-a"  # used: its 60 seconds start again
    clock.now += 50
    assert store.token(kept) == "tok-a"
    assert store.token(idle) is None  # 100 seconds unused
    assert len(store) == 1
    clock.now += 61
    assert len(store) == 0 and store.token(kept) is None


def test_beyond_the_cap_the_session_unused_longest_is_dropped() -> None:
    clock = Clock()
    store = SessionStore(max_sessions=3, clock=clock)
    ids = []
    for n in range(3):
        ids.append(store.start(f"tok-{n}"))
        clock.now += 1
    assert store.token(ids[0]) == "tok-0"  # now the most recently used
    newest = store.start("tok-3")
    assert len(store) == 3
    assert store.token(ids[1]) is None  # unused the longest
    assert [store.token(i) for i in (ids[0], ids[2], newest)] == ["tok-0", "tok-2", "tok-3"]


def test_ending_a_session_and_the_ids() -> None:
    store = SessionStore()
    first, second = store.start("tok"), store.start("tok")
    assert first != second and len(first) >= 40
    assert store.end(first) and not store.end(first)
    assert store.token(first) is None and store.token(second) == "tok"
    assert store.token("made-up") is None
    assert IDLE_SECONDS == 12 * 3600 and MAX_SESSIONS == 10_000  # as docs/webserver.md says
    with pytest.raises(ValueError, match="max_sessions >= 1"):
        SessionStore(max_sessions=0)


@pytest.fixture
def clocked(context: Any, tmp_path: Path) -> Iterator[tuple[str, Clock, SessionStore]]:
    from headwater.webserver import create_app
    from headwater.webserver.auth import TokenFile, Users

    lines = [f"  {role}: {{role: {role}, token: {token}}}" for role, token in TOKENS.items()]
    (tmp_path / "tokens.yaml").write_text("users:\n" + "\n".join(lines) + "\n")
    clock = Clock()
    store = SessionStore(idle_seconds=600, max_sessions=2, clock=clock)
    users = Users(TokenFile(tmp_path / "tokens.yaml"), None)
    with live_server(create_app(context, users=users, sessions=store)) as url:
        yield url, clock, store


def test_the_server_refuses_an_expired_or_dropped_session(
    clocked: tuple[str, Clock, SessionStore],
) -> None:
    url, clock, store = clocked
    expiring = _login(url)
    clock.now += 601
    answer = call("GET", f"{url}/session", Cookie=expiring)
    assert answer.status == 401 and "unused too long" in answer.text
    page = call("GET", f"{url}/runs", Accept="text/html", Cookie=expiring)
    assert page.status == 303 and page.headers["location"] == "/login?next=/runs"
    # Two sessions at most here: a third drops the one unused the longest.
    first, second = _login(url), _login(url, "viewer")
    assert call("GET", f"{url}/session", Cookie=first).status == 200
    _login(url, "admin")
    assert len(store) == 2
    assert call("GET", f"{url}/session", Cookie=second).status == 401
    assert call("GET", f"{url}/session", Cookie=first).status == 200
