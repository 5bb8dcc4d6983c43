"""GraphQL subscriptions over WebSocket, in both protocols clients speak:

- ``graphql-transport-ws`` (current): connection_init/ack, subscribe, next, error,
  complete, ping/pong;
- ``graphql-ws`` (legacy subscriptions-transport-ws): connection_init/ack, start, data,
  error, complete, stop, connection_terminate.

Each subscription runs as its own task; the connection closing cancels them all. A
connection holds at most ``MAX_SUBSCRIPTIONS`` running at once: one more is answered with an
``error`` message for its id (the others go on). The
connection's user (checked by the auth middleware before the handshake is accepted) is the
user of every subscription on it; a message that is not a JSON object closes the connection
with 4400. A connection opened with no credential (clients that cannot set headers) must
send its token in the ``connection_init`` payload, ``{"Authorization": "Bearer TOKEN"}``
(any case of the key), before anything else; without a valid one it is closed with 4401.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator, Coroutine
from typing import Any

from graphql import ExecutionResult, subscribe
from starlette.websockets import WebSocket, WebSocketDisconnect

from headwater.webserver.auth.middleware import INIT_AUTH_KEY, USER_KEY
from headwater.webserver.auth.roles import User
from headwater.webserver.auth.users import Users
from headwater.webserver.context import ServerContext, request_context
from headwater.webserver.limits import checked_document
from headwater.webserver.schema import get_schema

__all__ = ["MAX_SUBSCRIPTIONS", "PROTOCOLS", "graphql_websocket"]

TRANSPORT_WS = "graphql-transport-ws"
LEGACY_WS = "graphql-ws"
PROTOCOLS = (TRANSPORT_WS, LEGACY_WS)
_REPLIES = {"connection_init": "connection_ack", "ping": "pong"}
# Each subscription is a task polling the instance: a bound keeps one client from starting
# thousands on one connection.
MAX_SUBSCRIPTIONS = 100
INIT_TIMEOUT = 10.0  # seconds a connection waiting to authenticate may stay silent


async def _results(
    context: ServerContext, payload: dict[str, Any]
) -> AsyncIterator[ExecutionResult] | list[Any]:
    """The subscription's stream, or the list of errors that refuse it."""
    schema = get_schema()
    query, variables = payload.get("query"), payload.get("variables")
    if not isinstance(query, str) or not (variables is None or isinstance(variables, dict)):
        return [{"message": 'the payload needs a "query" string and "variables" as an object'}]
    document = checked_document(schema, query, context.limits)
    if isinstance(document, list):
        return document
    stream: Any = subscribe(
        schema,
        document,
        context_value=context,
        variable_values=variables,
        operation_name=payload.get("operationName"),
    )
    if inspect.isawaitable(stream):  # graphql-core 3.2 answers an awaitable
        stream = await stream
    if isinstance(stream, ExecutionResult):
        return [e.formatted for e in stream.errors or ()]
    return stream  # type: ignore[no-any-return]


async def _run(
    ws: WebSocket, context: ServerContext, protocol: str, op_id: str, payload: Any
) -> None:
    data_kind = "next" if protocol == TRANSPORT_WS else "data"
    try:
        stream = await _results(context, payload if isinstance(payload, dict) else {})
    except Exception as exc:  # the client hears why, never silence
        await ws.send_json({"type": "error", "id": op_id, "payload": [{"message": str(exc)}]})
        return
    if isinstance(stream, list):
        await ws.send_json({"type": "error", "id": op_id, "payload": stream})
        return
    try:
        async for result in stream:
            body: dict[str, Any] = {"data": result.data}
            if result.errors:
                body["errors"] = [e.formatted for e in result.errors]
            await ws.send_json({"type": data_kind, "id": op_id, "payload": body})
        await ws.send_json({"type": "complete", "id": op_id})
    finally:
        close = getattr(stream, "aclose", None)
        if close is not None:
            await close()


async def _receive(ws: WebSocket) -> dict[str, Any] | None:
    """The next message; ``None`` after closing the connection (4400) on one that is not a
    JSON object."""
    try:
        message = await ws.receive_json()
    except ValueError:
        message = None
    if not isinstance(message, dict):
        await ws.close(code=4400, reason="each message must be a JSON object")
        return None
    return message


async def _start(
    ws: WebSocket,
    tasks: dict[str, asyncio.Task[None]],
    op_id: str,
    run: Coroutine[Any, Any, None],
) -> None:
    """Start ``run`` as subscription ``op_id``, or refuse it when the connection already
    runs ``MAX_SUBSCRIPTIONS``."""
    for done in [k for k, task in tasks.items() if task.done()]:
        del tasks[done]  # finished ones no longer count (nor stay in memory)
    if len(tasks) >= MAX_SUBSCRIPTIONS:
        run.close()  # the coroutine never started
        refusal = (
            f"this connection already runs {MAX_SUBSCRIPTIONS} subscriptions, the most one "
            "connection may: complete (stop) some, or open another connection"
        )
        await ws.send_json({"type": "error", "id": op_id, "payload": [{"message": refusal}]})
        return
    tasks[op_id] = asyncio.create_task(run)


async def graphql_websocket(ws: WebSocket) -> None:
    """Serve one WebSocket connection."""
    offered = [p.strip() for p in ws.headers.get("sec-websocket-protocol", "").split(",")]
    protocol = next((p for p in offered if p in PROTOCOLS), None)
    if protocol is None:
        await ws.close(code=4406)  # subprotocol not acceptable
        return
    await ws.accept(subprotocol=protocol)
    users = ws.scope.get(INIT_AUTH_KEY)
    if users is not None:
        user = await _init_user(ws, users, protocol)
        if user is None:
            return
        ws.scope[USER_KEY] = user
    await _serve(ws, request_context(ws.app.state.context, ws.scope), protocol)


async def _serve(ws: WebSocket, context: ServerContext, protocol: str) -> None:
    """The connection's messages, until it closes; each subscription a task."""
    tasks: dict[str, asyncio.Task[None]] = {}
    try:
        while True:
            message = await _receive(ws)
            if message is None:
                return
            kind, op_id = message.get("type"), str(message.get("id", ""))
            if kind in _REPLIES:
                await ws.send_json({"type": _REPLIES[kind]})
            elif kind in ("subscribe", "start"):
                if op_id in tasks and not tasks[op_id].done():
                    await ws.close(code=4409)  # subscriber for this id already exists
                    return
                payload = message.get("payload") or {}
                await _start(ws, tasks, op_id, _run(ws, context, protocol, op_id, payload))
            elif kind in ("complete", "stop"):
                task = tasks.pop(op_id, None)
                if task is not None:
                    task.cancel()
            elif kind == "connection_terminate":
                await ws.close()
                return
    except WebSocketDisconnect:
        pass
    finally:
        for task in tasks.values():
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*tasks.values(), return_exceptions=True)


async def _init_user(ws: WebSocket, users: Users, protocol: str) -> User | None:
    """The user named by the token in the first message, a ``connection_init`` (acked);
    ``None`` after closing the connection (4401, or 4408 when nothing came in time)."""
    try:
        message = await asyncio.wait_for(_receive(ws), INIT_TIMEOUT)
    except asyncio.TimeoutError:
        await ws.close(code=4408, reason="connection_init did not come in time")
        return None
    except WebSocketDisconnect:
        return None
    if message is None:
        return None
    problem = 'this server needs a token: connection_init {"Authorization": "Bearer TOKEN"}'
    user = None
    if message.get("type") == "connection_init":
        payload = message.get("payload")
        given = _payload_token(payload) if isinstance(payload, dict) else None
        if given is not None:
            user = users.authenticate(given) if given else None
            problem = "the token in connection_init is not valid (unknown, removed, or not "
            problem += "'Bearer TOKEN')"
    if user is None:
        if protocol == LEGACY_WS:
            await ws.send_json({"type": "connection_error", "payload": {"message": problem}})
        await ws.close(code=4401, reason=problem[:120])
        return None
    await ws.send_json({"type": "connection_ack"})
    return user


def _payload_token(payload: dict[str, Any]) -> str | None:
    """The token of an ``Authorization`` entry (any case) of a connection_init payload: ""
    when the entry is not ``Bearer TOKEN``, ``None`` when there is no such entry."""
    value = next((v for k, v in payload.items() if k.lower() == "authorization"), None)
    if value is None:
        return None
    scheme, _, token = str(value).partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""
