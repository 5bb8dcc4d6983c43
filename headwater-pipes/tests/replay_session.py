"""Replay a golden session with a Pipes client library; run as a script by the tests.

    python replay_session.py headwater_pipes golden/materialization.session.json

The orchestrator's params come from DAGSTER_PIPES_CONTEXT / DAGSTER_PIPES_MESSAGES, as in a
real launch. The module is named on the command line so the same replay drives
``headwater_pipes`` and ``dagster_pipes`` (they share the API).
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

EXCEPTIONS = {"ValueError": ValueError, "RuntimeError": RuntimeError, "KeyError": KeyError}


def perform(context: Any, call: dict[str, Any]) -> None:
    """Make one recorded API call on the context."""
    name = call["call"]
    args = {k: v for k, v in call.items() if k != "call"}
    if name == "log":
        context.log.log(getattr(__import__("logging"), args["level"]), args["message"])
    else:
        getattr(context, name)(**args)


def replay(module_name: str, session: dict[str, Any]) -> None:
    """Open Pipes from `module_name` and make the session's calls, raising if it says so."""
    pipes = importlib.import_module(module_name)
    with pipes.open_dagster_pipes() as context:
        for call in session["calls"]:
            perform(context, call)
        failure = session.get("raises")
        if failure:
            exc = EXCEPTIONS[failure["type"]](failure["message"])
            cause = failure.get("cause")
            if cause:
                raise exc from EXCEPTIONS[cause["type"]](cause["message"])
            raise exc


if __name__ == "__main__":
    with open(sys.argv[2], encoding="utf-8") as f:
        loaded = json.load(f)
    try:
        replay(sys.argv[1], loaded)
    except Exception:
        sys.exit(3)  # the failure is the point of the session; the transcript records it
