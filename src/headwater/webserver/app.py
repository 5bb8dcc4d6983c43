"""The web application: GraphQL over HTTP and WebSocket, GraphiQL, and the UI's files.

- ``POST /graphql`` runs a query or mutation and answers JSON; ``GET /graphql`` runs a
  query given as ``?query=`` (never a mutation), or opens GraphiQL for a browser.
- ``/graphql`` over WebSocket serves subscriptions (see ``headwater.webserver.websocket``).
- Every other path serves the UI's built files from ``static/``, and ``index.html`` for a
  path that is no file, so the UI's own routes survive a reload.

Bad requests get a JSON error with the right status, never a traceback. Who may do what
is ``headwater.webserver.auth``'s: its middleware finds each request's user, and each
request's resolvers see that user in their own copy of the context.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphql import ExecutionResult, GraphQLError, execute
from graphql.language import OperationDefinitionNode, OperationType
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute

from headwater.webserver.auth.guard import refused_mutation
from headwater.webserver.auth.hosts import AllowedHosts
from headwater.webserver.auth.middleware import AuthMiddleware
from headwater.webserver.auth.store import SessionStore
from headwater.webserver.auth.users import Users
from headwater.webserver.body import BodyTooLarge, read_body
from headwater.webserver.context import ServerContext, request_context
from headwater.webserver.graphiql import graphiql_page
from headwater.webserver.limits import checked_document
from headwater.webserver.schema import get_schema
from headwater.webserver.websocket import graphql_websocket

__all__ = ["MAX_BODY_BYTES", "create_app", "run_operation"]

STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 5 * 1024 * 1024


def _errors(status: int, message: str) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message}]}, status_code=status)


def _is_request_error(error: GraphQLError) -> bool:
    """An error about the request itself (variables, operation name), not from a field."""
    return not error.path


def run_operation(
    context: ServerContext,
    query: str,
    variables: dict[str, Any] | None,
    operation_name: str | None,
    *,
    allow_mutations: bool = True,
) -> tuple[int, dict[str, Any]]:
    """Run one GraphQL operation; returns the HTTP status and the JSON body."""
    schema = get_schema()
    document = checked_document(schema, query, context.limits)
    if isinstance(document, list):
        return 400, {"errors": document}
    refusal = refused_mutation(schema, document, operation_name, context.user)
    if refusal is not None:
        return 403, {"errors": [{"message": refusal}]}
    if not allow_mutations:
        for node in document.definitions:
            if (
                isinstance(node, OperationDefinitionNode)
                and node.operation is not OperationType.QUERY
            ):
                return 405, {
                    "errors": [{"message": "GET runs queries only: send mutations with POST"}]
                }
    result = execute(
        schema,
        document,
        context_value=context,
        variable_values=variables,
        operation_name=operation_name,
    )
    assert isinstance(result, ExecutionResult)  # every resolver here is synchronous
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [e.formatted for e in result.errors]
        if result.data is None and all(_is_request_error(e) for e in result.errors):
            return 400, {"errors": body["errors"]}  # e.g. a variable of the wrong type
    return 200, body


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "query" not in request.query_params


async def _graphql(request: Request) -> Response:
    if request.method == "GET":
        return await _graphql_get(request)
    return await _graphql_post(request)


async def _graphql_get(request: Request) -> Response:
    if _wants_html(request):
        return HTMLResponse(graphiql_page(str(request.url.path)))
    query = request.query_params.get("query")
    if not query:
        return _errors(400, "GET /graphql needs ?query=...; or POST a JSON body")
    try:
        variables = json.loads(request.query_params.get("variables") or "null")
    except json.JSONDecodeError as exc:
        return _errors(400, f"?variables= is not valid JSON: {exc}")
    if variables is not None and not isinstance(variables, dict):
        return _errors(400, "?variables= must be a JSON object")
    status, body = await run_in_threadpool(
        run_operation,
        request_context(request.app.state.context, request.scope),
        query,
        variables,
        request.query_params.get("operationName"),
        allow_mutations=False,
    )
    return JSONResponse(body, status_code=status)


async def _graphql_post(request: Request) -> Response:
    context = request_context(request.app.state.context, request.scope)
    limit: int = request.app.state.max_body_bytes
    try:
        raw = await read_body(request, limit)
    except BodyTooLarge:
        return _errors(413, f"the request body is over this server's limit of {limit} bytes")
    try:
        payload = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return _errors(400, f"the request body is not valid JSON: {exc}")
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        return _errors(400, 'the body must be a JSON object with a "query" string')
    variables = payload.get("variables")
    if variables is not None and not isinstance(variables, dict):
        return _errors(400, '"variables" must be a JSON object')
    if payload.get("operationName") is not None and not isinstance(payload["operationName"], str):
        return _errors(400, '"operationName" must be a string')
    status, body = await run_in_threadpool(
        run_operation, context, payload["query"], variables, payload.get("operationName")
    )
    return JSONResponse(body, status_code=status)


async def _ui(request: Request) -> Response:
    path = request.path_params.get("path", "")
    if STATIC.is_dir():
        file = (STATIC / path).resolve()
        if path and file.is_file() and file.is_relative_to(STATIC.resolve()):
            return FileResponse(file)
        index = STATIC / "index.html"
        if index.is_file():
            return FileResponse(index)
    return HTMLResponse(
        "<!doctype html><title>headwater</title><p>The UI is not built into this "
        "installation. The GraphQL API is at <a href='graphql'>graphql</a>.</p>",
        status_code=200 if not path else 404,
    )


async def _server_error(_request: Request, exc: Exception) -> Response:
    # The message only: a traceback would show the server's code and paths to any caller.
    return _errors(500, f"internal server error: {type(exc).__name__}: {exc}")


async def _health(_request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def create_app(
    context: ServerContext,
    *,
    path_prefix: str = "",
    users: Users | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
    allowed_hosts: AllowedHosts | None = None,
    sessions: SessionStore | None = None,
) -> Starlette:
    """The ASGI application serving ``context``, everything under ``path_prefix``.

    ``users`` turns auth on once it holds a user (or a token file); ``None`` leaves it off.
    Without auth only ``allowed_hosts`` (by default the loopback names and IP addresses)
    are answered. ``sessions`` keeps the browsers' cookie sessions (by default a fresh
    in-memory store, see ``auth/store.py``).
    """
    prefix = path_prefix.rstrip("/")
    if prefix and not prefix.startswith("/"):
        raise ValueError(f"--path-prefix must start with '/', got {path_prefix!r}")
    routes = [
        Route("/graphql", _graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql_websocket),
        Route("/server_info", _health),
        Route("/{path:path}", _ui),
    ]
    app = Starlette(
        routes=[Mount(prefix, routes=routes)] if prefix else routes,
        middleware=[
            Middleware(
                AuthMiddleware,
                users=users,
                prefix=prefix,
                allowed_hosts=allowed_hosts,
                sessions=sessions,
            )
        ],
        exception_handlers={Exception: _server_error},
    )
    app.state.context = context
    app.state.max_body_bytes = max_body_bytes
    return app
