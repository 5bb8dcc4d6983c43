"""Checking messages against the JSON Schemas that ``headwater_pipes`` ships.

The schemas live beside the protocol module (``headwater_pipes/schemas/*.json``), so the
external library, the orchestrator and clients in other languages check one definition.
They are compiled once per process with ``fastjsonschema`` (a few microseconds per
message), and a message schema that is a ``oneOf`` over methods is split by its
``method`` constant so each message is checked against its own branch only.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any

import fastjsonschema
from headwater_pipes.protocol import PIPES_METHODS, PIPES_PROTOCOL_VERSION_FIELD

__all__ = ["MessageValidator", "load_schemas"]

Validate = Callable[[Any], Any]


def load_schemas() -> dict[str, dict[str, Any]]:
    """Every schema shipped in ``headwater_pipes/schemas``, by file name without ``.json``."""
    folder = resources.files("headwater_pipes") / "schemas"
    schemas: dict[str, dict[str, Any]] = {}
    if not folder.is_dir():
        return schemas
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".json"):
            stem = name[: -len(".json")].removesuffix(".schema")
            schemas[stem] = json.loads(entry.read_text(encoding="utf-8"))
    return schemas


def _method_of(branch: Mapping[str, Any]) -> str | None:
    method = (branch.get("properties") or {}).get("method") or {}
    const = method.get("const")
    if isinstance(const, str):
        return const
    enum = method.get("enum")
    return enum[0] if isinstance(enum, list) and len(enum) == 1 else None


def _branches(schema: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    for keyword in ("oneOf", "anyOf"):
        if isinstance(schema.get(keyword), list):
            return list(schema[keyword])
    return []


def _with_defs(branch: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any]:
    # A branch split off its root still needs the root's definitions for its "$ref"s.
    merged = dict(branch)
    for key in ("$defs", "definitions"):
        if key in root and key not in merged:
            merged[key] = root[key]
    return merged


def _describe(exc: fastjsonschema.JsonSchemaValueException, method: str | None) -> str:
    where = exc.name.replace("data", "message", 1) if exc.name else "message"
    what = exc.message.replace(exc.name or "data", where, 1) if exc.message else "is invalid"
    prefix = f"'{method}' " if method else ""
    return f"{prefix}{what}" if what.startswith(where) else f"{prefix}{where}: {what}"


class MessageValidator:
    """Says what is wrong with a message, or ``None`` when it follows the protocol.

    Args:
        message_schema: the JSON Schema of one message (often a ``oneOf`` by method);
            ``None`` checks only the envelope (version field, known method, object params).
    """

    def __init__(self, message_schema: Mapping[str, Any] | None) -> None:
        self._by_method: dict[str, Validate] = {}
        self._whole: Validate | None = None
        if message_schema is None:
            return
        branches = _branches(message_schema)
        methods = [_method_of(b) for b in branches]
        if branches and all(methods):
            for method, branch in zip(methods, branches, strict=True):
                self._by_method[str(method)] = fastjsonschema.compile(
                    _with_defs(branch, message_schema)
                )
        else:
            self._whole = fastjsonschema.compile(dict(message_schema))

    @classmethod
    @functools.cache
    def default(cls) -> MessageValidator:
        """The validator for the schemas ``headwater_pipes`` ships (compiled once)."""
        schemas = load_schemas()
        schema = schemas.get("message") or next(
            (s for name, s in schemas.items() if "message" in name), None
        )
        return cls(schema)

    def problem(self, message: Any) -> str | None:
        """What is wrong with ``message``, in one line naming the field; ``None`` if valid."""
        envelope = _envelope_problem(message)
        if envelope is not None:
            return envelope
        method = message["method"]
        check = self._by_method.get(method, self._whole)
        if check is None:
            return None
        try:
            check(message)
        except fastjsonschema.JsonSchemaValueException as exc:
            return _describe(exc, method)
        return None


def _envelope_problem(message: Any) -> str | None:
    # Checked by hand first: these are the mistakes worth the plainest words.
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
