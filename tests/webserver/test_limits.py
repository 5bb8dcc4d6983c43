"""Query depth and complexity limits: the UI's and the Python client's documents pass with
room to spare, larger ones get a 400 naming the limit, and the limits are configurable."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.webserver.live import graphql, live_server
from tests.webserver.ui_queries import ui_documents


def _client_documents() -> dict[str, str]:
    """The published Python GraphQL client's documents, when the reference env is there
    (``PARITY_REF_113``, its interpreter, as for test_dagster_client.py)."""
    interpreter = os.environ.get("PARITY_REF_113")
    if not interpreter:
        return {}
    pattern = "lib/python3*/site-packages/dagster_graphql/client/client_queries.py"
    found = sorted(Path(interpreter).parents[1].glob(pattern))
    if not found:
        return {}
    spec = importlib.util.spec_from_file_location("client_queries", found[0])
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {
        f"client:{k}": v
        for k, v in vars(module).items()
        if k.isupper() and isinstance(v, str) and "{" in v
    }


def _measures() -> dict[str, tuple[int, int]]:
    from graphql import OperationDefinitionNode, TypeInfo, ValidationContext, parse
    from graphql.utilities import get_introspection_query

    from headwater.webserver.limits import measure
    from headwater.webserver.schema import get_schema

    schema = get_schema()
    docs = {**ui_documents(), **_client_documents()}
    docs["introspection"] = get_introspection_query(descriptions=True)
    out = {}
    for name, text in docs.items():
        document = parse(text)
        context = ValidationContext(schema, document, TypeInfo(schema), lambda _e: None)
        for node in document.definitions:
            if isinstance(node, OperationDefinitionNode):
                out[name] = measure(node.selection_set, context)
    return out


def test_defaults_leave_room_above_every_known_document() -> None:
    from headwater.webserver.limits import QueryLimits

    measures = _measures()
    deepest = max(depth for depth, _ in measures.values())
    largest = max(size for _, size in measures.values())
    assert "introspection" in measures and len(measures) > 20
    limits = QueryLimits()
    assert limits.max_depth >= 2 * deepest, (deepest, limits)
    assert limits.max_complexity >= 5 * largest, (largest, limits)


def _nested(depth: int) -> str:
    """A query ``depth`` fields deep, through types that nest for ever."""
    inner = "name"
    for _ in range(depth - 3):
        inner = f"ofType {{ {inner} }}"
    return "{ __schema { queryType { " + inner.replace("ofType", "fields { type", 1) + " } } } }"


@pytest.fixture
def limited(context: Any) -> Iterator[str]:
    import dataclasses

    from headwater.webserver import create_app
    from headwater.webserver.limits import QueryLimits

    small = dataclasses.replace(context, limits=QueryLimits(max_depth=8, max_complexity=40))
    with live_server(create_app(small)) as url:
        yield url


def test_over_the_limits_gets_400_naming_the_limit(limited: str) -> None:
    assert graphql(limited, "{ __schema { queryType { name } } }").status == 200
    answer = graphql(limited, "query Deep " + _nested(12))
    assert answer.status == 400
    assert "operation 'Deep' is" in answer.message()
    assert "query depth limit of 8" in answer.message() and "--max-query-depth" in answer.message()
    wide = "fragment F on Query { a: version b: version c: version d: version e: version }"
    query = "{ " + " ".join(f"x{i}: __typename ...F" for i in range(8)) + " } " + wide
    answer = graphql(limited, query)
    assert answer.status == 400 and "selects 48 fields" in answer.message()
    assert "complexity limit of 40" in answer.message()


def test_fragment_cycles_are_refused_not_followed(limited: str) -> None:
    answer = graphql(
        limited,
        "{ ...A } fragment A on Query { version ...B } fragment B on Query { ...A }",
    )
    assert answer.status == 400 and "A" in answer.message()


def test_subscriptions_have_the_limits_too(context: Any) -> None:
    import asyncio
    import dataclasses

    from headwater.webserver.limits import QueryLimits
    from headwater.webserver.websocket import _results

    small = dataclasses.replace(context, limits=QueryLimits(max_depth=2))
    query = (
        'subscription { pipelineRunLogs(runId: "x") { '
        "... on PipelineRunLogsSubscriptionSuccess { run { runId } } } }"
    )
    errors = asyncio.run(_results(small, {"query": query}))
    assert isinstance(errors, list) and "depth limit of 2" in errors[0]["message"]


def _token_count(text: str) -> int:
    from graphql.language import Lexer, Source, TokenKind

    lexer, count = Lexer(Source(text)), 0
    while lexer.advance().kind is not TokenKind.EOF:
        count += 1
    return count


def test_token_limit_leaves_room_above_every_known_document() -> None:
    from graphql.utilities import get_introspection_query

    from headwater.webserver.limits import QueryLimits

    docs = {**ui_documents(), **_client_documents()}
    docs["introspection"] = get_introspection_query(descriptions=True)
    largest = max(_token_count(text) for text in docs.values())
    assert QueryLimits().max_tokens >= 20 * largest, largest


def test_a_huge_document_is_refused_while_parsing_naming_the_option(context: Any) -> None:
    import dataclasses
    import time

    from headwater.webserver import create_app
    from headwater.webserver.limits import QueryLimits

    # 200 000 aliased fields, ~2.4 MB: parsed whole it takes seconds; refused at 10 000 tokens.
    huge = "{ " + " ".join(f"a{i}: version" for i in range(200_000)) + " }"
    with live_server(create_app(context)) as url:
        started = time.perf_counter()
        answer = graphql(url, huge)
        took = time.perf_counter() - started
        assert answer.status == 400
        assert "more than 10000 tokens" in answer.message()
        assert "--max-query-tokens" in answer.message()
        started = time.perf_counter()
        assert graphql(url, "{ version }").status == 200
        small = time.perf_counter() - started
    # Reading the body and refusing it: well under the seconds a full parse costs.
    assert took < 2 + 10 * small, (took, small)
    tight = dataclasses.replace(context, limits=QueryLimits(max_tokens=5))
    with live_server(create_app(tight)) as url:
        assert graphql(url, "{ version }").status == 200  # 3 tokens
        assert "more than 5 tokens" in graphql(url, "{ a: version b: version }").message()


def test_subscriptions_have_the_token_limit_too(context: Any) -> None:
    import asyncio
    import dataclasses

    from headwater.webserver.limits import QueryLimits
    from headwater.webserver.websocket import _results

    small = dataclasses.replace(context, limits=QueryLimits(max_tokens=8))
    query = 'subscription { pipelineRunLogs(runId: "x") { __typename } }'
    errors = asyncio.run(_results(small, {"query": query}))
    assert isinstance(errors, list) and "more than 8 tokens" in errors[0]["message"]


def test_a_connection_runs_at_most_max_subscriptions(
    context: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from websockets.sync.client import connect
    from websockets.typing import Subprotocol

    from headwater.storage import Run, RunStatus
    from headwater.webserver import create_app, websocket

    monkeypatch.setattr(websocket, "MAX_SUBSCRIPTIONS", 3)
    context.instance.add_runs([Run(run_id="q", job_name="my_job", status=RunStatus.QUEUED)])
    query = 'subscription { pipelineRunLogs(runId: "q") { __typename } }'
    with live_server(create_app(context)) as url:
        ws_url = url.replace("http", "ws") + "/graphql"
        with connect(ws_url, subprotocols=[Subprotocol("graphql-transport-ws")]) as ws:
            ws.send(json.dumps({"type": "connection_init"}))
            assert json.loads(ws.recv(timeout=30))["type"] == "connection_ack"

            def subscribe(op_id: str) -> dict[str, Any]:
                message = {"type": "subscribe", "id": op_id, "payload": {"query": query}}
                ws.send(json.dumps(message))
                answer: dict[str, Any] = json.loads(ws.recv(timeout=30))
                assert answer["id"] == op_id
                return answer

            for op_id in "123":
                assert subscribe(op_id)["type"] == "next"  # the run is queued: they stay open
            refused = subscribe("4")
            assert refused["type"] == "error"
            assert "already runs 3 subscriptions" in refused["payload"][0]["message"]
            ws.send(json.dumps({"type": "complete", "id": "1"}))
            assert subscribe("5")["type"] == "next"  # room again once one is stopped
