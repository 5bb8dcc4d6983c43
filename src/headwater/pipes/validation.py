"""Checking messages against the JSON Schemas that ``headwater_pipes`` ships.

The schemas live beside the protocol (``headwater_pipes/schemas``), so the external
library, the orchestrator and clients in other languages check one definition. The
envelope (version field, known method, object params) is checked by hand, for the plainest
messages; the params are checked against ``params/<method>.json``, each compiled once per
process with ``fastjsonschema`` (a few microseconds per message).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import fastjsonschema
from headwater_pipes.protocol import PIPES_METHODS, PIPES_PROTOCOL_VERSION_FIELD
from headwater_pipes.schemas import load_schema

__all__ = ["MessageValidator"]

Validate = Callable[[Any], Any]


def _describe(exc: fastjsonschema.JsonSchemaValueException, method: str) -> str:
    # fastjsonschema names the failing value "data.<path>"; say "params.<path>" instead.
    where = (exc.name or "data").replace("data", "params", 1)
    what = (exc.message or "is invalid").replace(exc.name or "data", where, 1)
    return f"'{method}' {what}" if what.startswith(where) else f"'{method}' {where}: {what}"


class MessageValidator:
    """Says what is wrong with a message, or ``None`` when it follows the protocol.

    Args:
        params_schemas: method → JSON Schema of its params.
    """

    def __init__(self, params_schemas: Mapping[str, Mapping[str, Any]]) -> None:
        self._by_method: dict[str, Validate] = {
            method: fastjsonschema.compile(dict(schema))
            for method, schema in params_schemas.items()
        }

    @classmethod
    @functools.cache
    def default(cls) -> MessageValidator:
        """The validator for the schemas ``headwater_pipes`` ships (compiled once)."""
        return cls({method: load_schema(f"params/{method}") for method in PIPES_METHODS})

    def problem(self, message: Any) -> str | None:
        """What is wrong with ``message``, in one line naming the field; ``None`` if valid."""
        # A well-formed envelope is checked in line (this runs per message, tens of thousands
        # a second from a process that logs); _envelope_problem says what is wrong otherwise.
        if type(message) is not dict or PIPES_PROTOCOL_VERSION_FIELD not in message:
            return _envelope_problem(message)
        method = message.get("method")
        params = message.get("params")
        if method not in self._by_method or (params is not None and type(params) is not dict):
            return _envelope_problem(message)
        if params is None:
            return None
        check = self._by_method[method]
        try:
            check(params)
        except fastjsonschema.JsonSchemaValueException as exc:
            return _describe(exc, method)
        return None


def _envelope_problem(message: Any) -> str | None:
    if not isinstance(message, dict):
        return f"expected a JSON object, got {type(message).__name__}: {str(message)[:200]!r}"
    method = message.get("method")
    if PIPES_PROTOCOL_VERSION_FIELD not in message:
        return f"missing '{PIPES_PROTOCOL_VERSION_FIELD}' (method {method!r})"
    if method not in PIPES_METHODS:
        return f"unknown method {method!r}; known methods: {', '.join(PIPES_METHODS)}"
    params = message.get("params")
    if params is not None and not isinstance(params, dict):
        return f"'{method}' params must be an object or null, got {type(params).__name__}"
    return None
