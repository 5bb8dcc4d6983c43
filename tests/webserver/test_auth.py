"""Auth over HTTP and WebSocket: tokens, roles on every mutation, cookie sessions and
their CSRF checks, and auth being off (with cross-site requests still refused) by default."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.webserver.live import call, graphql, live_server

TOKENS = {"viewer": "tok-viewer", "launcher": "tok-launcher", "admin": "tok-admin"}


def bearer(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[role]}"}


@pytest.fixture
def auth_server(context: Any, tmp_path: Path) -> Iterator[str]:
    from headwater.webserver import create_app
    from headwater.webserver.auth import InstanceUsers, TokenFile, Users

    lines = [f"  {role}: {{role: {role}, token: {token}}}" for role, token in TOKENS.items()]
    (tmp_path / "tokens.yaml").write_text("users:\n" + "\n".join(lines) + "\n")
    users = Users(TokenFile(tmp_path / "tokens.yaml"), InstanceUsers(context.instance))
    with live_server(create_app(context, users=users)) as url:
        yield url


@pytest.fixture
def open_server(context: Any) -> Iterator[str]:
    from headwater.webserver import create_app
    from headwater.webserver.auth import InstanceUsers, Users

    with live_server(
        create_app(context, users=Users(None, InstanceUsers(context.instance)))
    ) as url:
        yield url


REPO = {"repositoryLocationName": "defs.py", "repositoryName": "__repository__"}
LAUNCH = """mutation($p: ExecutionParams!) { launchRun(executionParams: $p) {
  __typename ... on UnauthorizedError { message } ... on LaunchRunSuccess { run { runId } } } }"""
LAUNCH_VARS = {
    "p": {
        "selector": {**REPO, "jobName": "my_job"},
        "runConfigData": {"ops": {"first": {"config": {"n": 1}}}},
    }
}
START_SCHEDULE = """mutation($s: ScheduleSelector!) { startSchedule(scheduleSelector: $s) {
  __typename ... on UnauthorizedError { message } } }"""
SCHEDULE = {"s": {**REPO, "scheduleName": "nightly"}}


def _typename(answer: Any, field: str) -> str:
    assert answer.status == 200, answer.text
    return str(answer.json()["data"][field]["__typename"])


def test_no_token_gets_401_and_a_bad_token_too(auth_server: str) -> None:
    answer = graphql(auth_server, "{ version }")
    assert answer.status == 401 and "Authorization: Bearer" in answer.message()
    assert answer.headers["www-authenticate"].startswith("Bearer")
    answer = graphql(auth_server, "{ version }", Authorization="Bearer nope")
    assert answer.status == 401 and "not valid" in answer.message()
    assert graphql(auth_server, "{ version }", Authorization="Basic eDp5").status == 401
    # The health check stays open (for load balancers), and says nothing else.
    assert call("GET", f"{auth_server}/server_info").status == 200


def test_viewer_reads_but_mutations_answer_unauthorized(auth_server: str) -> None:
    answer = graphql(auth_server, "{ runsOrError { __typename } }", **bearer("viewer"))
    assert answer.status == 200 and answer.json()["data"]["runsOrError"]["__typename"] == "Runs"
    answer = graphql(auth_server, LAUNCH, LAUNCH_VARS, **bearer("viewer"))
    assert _typename(answer, "launchRun") == "UnauthorizedError"
    message = answer.json()["data"]["launchRun"]["message"]
    assert "'viewer' has the viewer role" in message and "launcher" in message
    # terminateRuns' result type has no UnauthorizedError: refused with 403 instead.
    answer = graphql(
        auth_server,
        'mutation { terminateRuns(runIds: ["x"]) { __typename } }',
        **bearer("viewer"),
    )
    assert answer.status == 403 and "terminateRuns needs launcher" in answer.message()
    hint = (
        '{ scheduleOrError(scheduleSelector: {repositoryLocationName: "defs.py", '
        'repositoryName: "__repository__", scheduleName: "nightly"}) { ... on Schedule '
        "{ scheduleState { hasStartPermission } } } }"
    )
    for role, allowed in (("viewer", False), ("launcher", False), ("admin", True)):
        data = graphql(auth_server, hint, **bearer(role)).json()["data"]
        assert data["scheduleOrError"]["scheduleState"]["hasStartPermission"] is allowed


def test_launcher_launches_and_terminates_but_may_not_administer(auth_server: str) -> None:
    answer = graphql(auth_server, LAUNCH, LAUNCH_VARS, **bearer("launcher"))
    assert _typename(answer, "launchRun") == "LaunchRunSuccess"
    run_id = answer.json()["data"]["launchRun"]["run"]["runId"]
    terminate = "mutation($id: String!) { terminateRun(runId: $id) { __typename } }"
    answer = graphql(auth_server, terminate, {"id": run_id}, **bearer("launcher"))
    assert _typename(answer, "terminateRun") != "UnauthorizedError"
    delete = "mutation($id: String!) { deleteRun(runId: $id) { __typename } }"
    answer = graphql(auth_server, delete, {"id": run_id}, **bearer("launcher"))
    assert _typename(answer, "deleteRun") == "UnauthorizedError"
    answer = graphql(auth_server, START_SCHEDULE, SCHEDULE, **bearer("launcher"))
    assert _typename(answer, "startSchedule") == "UnauthorizedError"
    reload = "mutation { reloadWorkspace { __typename } }"
    assert _typename(graphql(auth_server, reload, **bearer("launcher")), "reloadWorkspace") == (
        "UnauthorizedError"
    )
    # The admin may do all of it.
    answer = graphql(auth_server, START_SCHEDULE, SCHEDULE, **bearer("admin"))
    assert _typename(answer, "startSchedule") == "ScheduleStateResult"
    answer = graphql(auth_server, delete, {"id": run_id}, **bearer("admin"))
    assert _typename(answer, "deleteRun") == "DeletePipelineRunSuccess"
    assert _typename(graphql(auth_server, reload, **bearer("admin")), "reloadWorkspace") == (
        "Workspace"
    )


def _ws(url: str, **headers: str) -> Any:
    from websockets.sync.client import connect
    from websockets.typing import Subprotocol

    return connect(
        url.replace("http", "ws") + "/graphql",
        subprotocols=[Subprotocol("graphql-transport-ws")],
        additional_headers=headers,
        open_timeout=30,
    )


def _subscribe_missing_run(ws: Any) -> dict[str, Any]:
    ws.send(json.dumps({"type": "connection_init", "payload": {}}))
    assert json.loads(ws.recv(timeout=30))["type"] == "connection_ack"
    query = 'subscription { pipelineRunLogs(runId: "nope") { __typename } }'
    ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
    return dict(json.loads(ws.recv(timeout=30)))


def test_websocket_needs_a_user(auth_server: str) -> None:
    from websockets.exceptions import ConnectionClosed, InvalidStatus

    # No credential in the handshake: it must come in connection_init (test_auth_websocket.py).
    with _ws(auth_server) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=30)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
    with pytest.raises(InvalidStatus):
        _ws(auth_server, Authorization="Bearer nope")
    with _ws(auth_server, **bearer("viewer")) as ws:
        message = _subscribe_missing_run(ws)
    assert message["payload"]["data"]["pipelineRunLogs"]["__typename"] == (
        "PipelineRunLogsSubscriptionFailure"
    )


def _login(url: str, role: str = "launcher") -> str:
    """Log in through the form; returns the Cookie header a browser would send."""
    answer = call(
        "POST",
        f"{url}/login",
        f"token={TOKENS[role]}&next=/runs",
        Content_Type="application/x-www-form-urlencoded",
        Origin=url,
    )
    assert answer.status == 200 and 'url=/runs"' in answer.text
    cookie = answer.cookies
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert TOKENS[role] not in cookie  # a session id; the token stays on the server
    return cookie.split(";")[0]


def test_browser_login_page_and_form(auth_server: str) -> None:
    page = call("GET", f"{auth_server}/runs?x=1", Accept="text/html")
    assert page.status == 303 and page.headers["location"] == "/login?next=/runs%3Fx%3D1"
    form = call("GET", f"{auth_server}/login?next=/runs")
    assert form.status == 200 and 'name="token"' in form.text and 'value="/runs"' in form.text
    wrong = call(
        "POST",
        f"{auth_server}/login",
        "token=nope",
        Content_Type="application/x-www-form-urlencoded",
    )
    assert wrong.status == 401 and "not valid" in wrong.text and not wrong.cookies
    # Only paths on this server are followed after logging in.
    answer = call(
        "POST",
        f"{auth_server}/login",
        f"token={TOKENS['viewer']}&next=//evil.example/",
        Content_Type="application/x-www-form-urlencoded",
    )
    assert answer.status == 200 and "evil" not in answer.text
    cookie = _login(auth_server)
    assert call("GET", f"{auth_server}/runs", Accept="text/html", Cookie=cookie).status == 200
    # A link carrying ?token= asks first: test_auth_session.py.
    # GET /logout is a page asking to sign out; it clears nothing (POST does, see
    # test_auth_session.py), so a link on another site cannot sign anyone out.
    out = call("GET", f"{auth_server}/logout", Cookie=cookie)
    assert out.status == 200 and "Sign out" in out.text and not out.cookies


def test_cookie_sessions_are_guarded_against_cross_site_requests(auth_server: str) -> None:
    cookie = _login(auth_server)
    ok = graphql(auth_server, LAUNCH, LAUNCH_VARS, Cookie=cookie, Origin=auth_server)
    assert _typename(ok, "launchRun") == "LaunchRunSuccess"
    same = {"Cookie": cookie, "Sec-Fetch-Site": "same-origin"}
    assert graphql(auth_server, "{ version }", **same).status == 200
    # Behind a proxy that rewrites Host, the browser's Sec-Fetch-Site still says same-origin.
    proxied = {**same, "Origin": "https://public.example"}
    assert graphql(auth_server, LAUNCH, LAUNCH_VARS, **proxied).status == 200
    refused = [
        graphql(auth_server, LAUNCH, LAUNCH_VARS, Cookie=cookie, Origin="https://evil.example"),
        graphql(auth_server, LAUNCH, LAUNCH_VARS, Cookie=cookie, Sec_Fetch_Site="cross-site"),
        graphql(auth_server, LAUNCH, LAUNCH_VARS, Cookie=cookie, Sec_Fetch_Site="same-site"),
        # A form can post text/plain across sites without asking: JSON only.
        call(
            "POST",
            f"{auth_server}/graphql",
            json.dumps({"query": LAUNCH, "variables": LAUNCH_VARS}),
            Cookie=cookie,
            Content_Type="text/plain",
        ),
    ]
    for answer in refused:
        assert answer.status == 403 and "CSRF" in answer.message(), answer.text
    # A Bearer token is never sent by a browser on its own: no such checks.
    answer = call(
        "POST",
        f"{auth_server}/graphql",
        json.dumps({"query": "{ version }"}),
        Content_Type="text/plain",
        Origin="https://elsewhere.example",
        **bearer("viewer"),
    )
    assert answer.status == 200


def test_websocket_with_a_cookie_needs_this_servers_origin(auth_server: str) -> None:
    from websockets.exceptions import InvalidStatus

    cookie = _login(auth_server)
    with pytest.raises(InvalidStatus) as refused:
        _ws(auth_server, Cookie=cookie, Origin="https://evil.example")
    assert refused.value.response.status_code == 403
    with pytest.raises(InvalidStatus):
        _ws(auth_server, Cookie=cookie)  # no Origin: not a browser's page of this server
    with _ws(auth_server, Cookie=cookie, Origin=auth_server) as ws:
        assert _subscribe_missing_run(ws)["type"] == "next"


def test_auth_is_off_without_users_but_cross_site_posts_are_refused(open_server: str) -> None:
    answer = graphql(open_server, LAUNCH, LAUNCH_VARS)
    assert _typename(answer, "launchRun") == "LaunchRunSuccess"
    answer = graphql(open_server, LAUNCH, LAUNCH_VARS, Sec_Fetch_Site="cross-site")
    assert answer.status == 403 and "cross-site" in answer.message()
    answer = graphql(open_server, LAUNCH, LAUNCH_VARS, Origin="https://evil.example")
    assert answer.status == 403 and "evil.example" in answer.message()


def test_users_stored_in_the_instance_turn_auth_on(context: Any, open_server: str) -> None:
    from headwater.webserver.auth import InstanceUsers, Role
    from headwater.webserver.auth.users import USERS_KEY

    assert graphql(open_server, "{ version }").status == 200
    InstanceUsers(context.instance).add("carol", Role.VIEWER, "carol-token")
    assert "carol-token" not in context.instance.kv_get([USERS_KEY])[USERS_KEY]  # hash only
    import time

    deadline = time.monotonic() + 10  # the server reads the users again within seconds
    while graphql(open_server, "{ version }").status == 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert graphql(open_server, "{ version }").status == 401
    answer = graphql(open_server, "{ version }", Authorization="Bearer carol-token")
    assert answer.status == 200


def test_login_under_a_path_prefix(context: Any, tmp_path: Path) -> None:
    from headwater.webserver import create_app
    from headwater.webserver.auth import TokenFile, Users

    (tmp_path / "tokens.yaml").write_text("users:\n  v: {role: viewer, token: tok-v}\n")
    users = Users(TokenFile(tmp_path / "tokens.yaml"), None)
    with live_server(create_app(context, path_prefix="/hw", users=users)) as url:
        page = call("GET", f"{url}/hw/runs", Accept="text/html")
        assert page.status == 303 and page.headers["location"] == "/hw/login?next=/hw/runs"
        assert graphql(f"{url}/hw", "{ version }").status == 401
        answer = call(
            "POST",
            f"{url}/hw/login",
            "token=tok-v&next=/elsewhere",
            Content_Type="application/x-www-form-urlencoded",
        )
        assert "Path=/hw/" in answer.cookies and "url=/hw/" in answer.text
        cookie = answer.cookies.split(";")[0]
        same = {"Cookie": cookie, "Sec-Fetch-Site": "same-origin"}
        assert graphql(f"{url}/hw", "{ version }", **same).status == 200


@pytest.mark.parametrize("sneaky", ["/\t/evil.example/", "/\n/evil.example", "/\r/evil.example"])
def test_next_with_a_tab_or_newline_stays_on_this_server(sneaky: str) -> None:
    # A browser drops tabs and newlines from a URL before reading it: "/\t/evil" is "//evil",
    # another host, once the login page's refresh follows it.
    from headwater.webserver.auth.session import safe_next

    assert safe_next("", sneaky) == "/"
    assert safe_next("/hw", "/hw" + sneaky) == "/hw/"
    assert safe_next("", "/runs?x=1#a") == "/runs?x=1#a"


def test_a_mutation_resolver_made_by_a_wrapping_decorator_is_still_guarded() -> None:
    # functools.wraps sets __wrapped__ on the resolver itself: that must not pass for the
    # role check having been applied already.
    import functools
    from types import SimpleNamespace

    from graphql import build_schema, graphql_sync

    from headwater.webserver.auth.guard import guard_mutations
    from headwater.webserver.auth.roles import Role, User

    schema = build_schema("type Query { a: Int } type Mutation { deleteRun: Int }")

    def delete_run(_parent: Any, _info: Any) -> int:
        return 1

    @functools.wraps(delete_run)
    def logged(parent: Any, info: Any) -> int:
        return delete_run(parent, info)

    schema.mutation_type.fields["deleteRun"].resolve = logged  # type: ignore[union-attr]
    guard_mutations(schema)
    guard_mutations(schema)  # once per schema, however often called
    viewer = SimpleNamespace(user=User("v", Role.VIEWER))
    refused = graphql_sync(schema, "mutation { deleteRun }", context_value=viewer)
    assert refused.errors and "needs admin" in refused.errors[0].message
    admin = SimpleNamespace(user=User("a", Role.ADMIN))
    assert graphql_sync(schema, "mutation { deleteRun }", context_value=admin).data == {
        "deleteRun": 1
    }
