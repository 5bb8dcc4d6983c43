"""Every GraphQL document the web UI sends is valid against the server's schema.

The UI is built separately (ui/, with Node); this keeps its field names in step with the
schema without Node: a renamed or missing field fails here, not in a user's browser.
"""

from __future__ import annotations

import pytest
from graphql import parse, validate
from tests.webserver.ui_queries import ui_documents

from headwater.webserver.schema import get_schema


def test_the_ui_sends_a_known_set_of_documents() -> None:
    docs = ui_documents()
    core = {"RUNS", "RUN", "LOGS_WINDOW", "RUN_LOGS_SUBSCRIPTION", "CONFIG_SCHEMA", "VALIDATE"}
    assert core | {"LAUNCH", "REEXECUTE"} <= set(docs)
    assert all("${" not in body for body in docs.values())


# Documents written to the public schema that the server does not answer yet. Strict: once
# the server has them these pass, and the entry must go.
AWAITING_SERVER: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason=AWAITING_SERVER[n], strict=True))
        if n in AWAITING_SERVER
        else n
        for n in sorted(ui_documents())
    ],
)
def test_ui_document_is_valid_against_the_schema(name: str) -> None:
    problems = validate(get_schema(), parse(ui_documents()[name]))
    assert not problems, f"{name}: " + "; ".join(p.message for p in problems)
