"""The Pipes wire format: one source for both ends of the connection.

An orchestrator bootstraps an external process with two *params* mappings (where to read the
context, where to write messages), each encoded JSON → zlib → base64 and passed in the
``DAGSTER_PIPES_CONTEXT`` / ``DAGSTER_PIPES_MESSAGES`` environment variables or the matching
``--dagster-pipes-context`` / ``--dagster-pipes-messages`` arguments. The process answers with
one JSON object per message::

    {"__dagster_pipes_version": "0.1", "method": "log",
     "params": {"message": "hi", "level": "INFO"}}

These names and values are Dagster Pipes' own, so either side interoperates with Dagster.
The orchestrator (``headwater.pipes``) imports this module; keep its names stable.
"""

from __future__ import annotations

import binascii
import sys
import zlib

from headwater_pipes import _jsonwire

# `typing.TYPE_CHECKING` without importing typing (see _types); type checkers read the name.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, Final

__all__ = [
    "PIPES_PROTOCOL_VERSION",
    "PIPES_PROTOCOL_VERSION_FIELD",
    "DAGSTER_PIPES_CONTEXT_ENV_VAR",
    "DAGSTER_PIPES_MESSAGES_ENV_VAR",
    "DAGSTER_PIPES_CONTEXT_CLI_ARGUMENT",
    "DAGSTER_PIPES_MESSAGES_CLI_ARGUMENT",
    "DAGSTER_PIPES_CONTEXT_WIDGET_KEY",
    "DAGSTER_PIPES_MESSAGES_WIDGET_KEY",
    "ESCAPE_CHARACTER",
    "to_asset_key_path",
    "METHOD_OPENED",
    "METHOD_CLOSED",
    "METHOD_LOG",
    "METHOD_REPORT_ASSET_MATERIALIZATION",
    "METHOD_REPORT_ASSET_CHECK",
    "METHOD_REPORT_CUSTOM_MESSAGE",
    "METHOD_LOG_EXTERNAL_STREAM",
    "PIPES_METHODS",
    "PIPES_METADATA_TYPE_INFER",
    "PIPES_METADATA_TYPES",
    "PIPES_ASSET_CHECK_SEVERITIES",
    "PIPES_LOG_LEVELS",
    "CONTEXT_PARAM_PATH",
    "CONTEXT_PARAM_DATA",
    "MESSAGES_PARAM_PATH",
    "MESSAGES_PARAM_STDIO",
    "MESSAGES_PARAM_BUFFERED_STDIO",
    "MESSAGES_PARAM_BUCKET",
    "MESSAGES_PARAM_KEY_PREFIX",
    "MESSAGES_PARAM_INCLUDE_STDIO",
    "EXTRA_TRACEPARENT",
    "PipesParams",
    "PipesExtras",
    "PipesMethod",
    "Method",
    "PipesMessage",
    "PipesOpenedData",
    "PipesContextData",
    "PipesPartitionKeyRange",
    "PipesTimeWindow",
    "PipesDataProvenance",
    "PipesAssetCheckSeverity",
    "PipesMetadataType",
    "PipesMetadataRawValue",
    "PipesMetadataValue",
    "PipesException",
    "PipesError",
    "PipesWarning",
    "DagsterPipesError",
    "DagsterPipesWarning",
    "encode_env_var",
    "decode_env_var",
    "encode_param",
    "decode_param",
    "make_message",
    "encode_message",
    "decode_message",
]

# The version of the protocol, not of this package; Dagster sends and expects "0.1".
PIPES_PROTOCOL_VERSION = "0.1"
PIPES_PROTOCOL_VERSION_FIELD = "__dagster_pipes_version"

DAGSTER_PIPES_CONTEXT_ENV_VAR = "DAGSTER_PIPES_CONTEXT"
DAGSTER_PIPES_MESSAGES_ENV_VAR = "DAGSTER_PIPES_MESSAGES"
DAGSTER_PIPES_CONTEXT_CLI_ARGUMENT = "--dagster-pipes-context"
DAGSTER_PIPES_MESSAGES_CLI_ARGUMENT = "--dagster-pipes-messages"
# Databricks notebook widgets carry the params under the env vars' names.
DAGSTER_PIPES_CONTEXT_WIDGET_KEY = DAGSTER_PIPES_CONTEXT_ENV_VAR
DAGSTER_PIPES_MESSAGES_WIDGET_KEY = DAGSTER_PIPES_MESSAGES_ENV_VAR

# Escapes a "/" inside one part of an asset key written as "part/part".
ESCAPE_CHARACTER = "\\"


def to_asset_key_path(asset_key: str) -> list[str]:
    """The parts of an asset key written as one string: ``/`` separates parts, and the
    escape character makes the next character literal (``"a\\/b/c"`` is ``["a/b", "c"]``)."""
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in asset_key:
        if escaped:
            current.append(char)
            escaped = False
        elif char == ESCAPE_CHARACTER:
            escaped = True
        elif char == "/":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if current:  # as dagster_pipes: an empty last part is dropped ("a/" is ["a"])
        parts.append("".join(current))
    return parts


METHOD_OPENED = "opened"
METHOD_CLOSED = "closed"
METHOD_LOG = "log"
METHOD_REPORT_ASSET_MATERIALIZATION = "report_asset_materialization"
METHOD_REPORT_ASSET_CHECK = "report_asset_check"
METHOD_REPORT_CUSTOM_MESSAGE = "report_custom_message"
METHOD_LOG_EXTERNAL_STREAM = "log_external_stream"
PIPES_METHODS = (
    METHOD_OPENED,
    METHOD_CLOSED,
    METHOD_LOG,
    METHOD_REPORT_ASSET_MATERIALIZATION,
    METHOD_REPORT_ASSET_CHECK,
    METHOD_REPORT_CUSTOM_MESSAGE,
    METHOD_LOG_EXTERNAL_STREAM,
)

# A raw metadata value is sent as {"raw_value": v, "type": "__infer__"}: the orchestrator infers.
PIPES_METADATA_TYPE_INFER: Final = "__infer__"
PIPES_METADATA_TYPES = (
    PIPES_METADATA_TYPE_INFER,
    "text",
    "url",
    "path",
    "notebook",
    "json",
    "md",
    "float",
    "int",
    "bool",
    "dagster_run",
    "asset",
    "null",
    "table",
    "table_schema",
    "table_column_lineage",
    "timestamp",
)
PIPES_ASSET_CHECK_SEVERITIES = ("WARN", "ERROR")
PIPES_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# Keys of the params mappings the orchestrator's injector and reader send.
CONTEXT_PARAM_PATH = "path"
CONTEXT_PARAM_DATA = "data"
MESSAGES_PARAM_PATH = "path"
MESSAGES_PARAM_STDIO = "stdio"
MESSAGES_PARAM_BUFFERED_STDIO = "buffered_stdio"
MESSAGES_PARAM_BUCKET = "bucket"
MESSAGES_PARAM_KEY_PREFIX = "key_prefix"
MESSAGES_PARAM_INCLUDE_STDIO = "include_stdio_in_messages"

# The W3C trace context of the step, passed by headwater in the context extras.
EXTRA_TRACEPARENT = "traceparent"

# The aliases and TypedDicts live in ``_types`` (they import ``typing``); they are made on
# first use, so a process that only opens Pipes and reports never builds them.
_TYPE_NAMES = frozenset(
    (
        "PipesParams",
        "PipesExtras",
        "PipesMethod",
        "Method",
        "PipesAssetCheckSeverity",
        "PipesMetadataType",
        "PipesMetadataRawValue",
        "PipesMessage",
        "PipesOpenedData",
        "PipesPartitionKeyRange",
        "PipesTimeWindow",
        "PipesDataProvenance",
        "PipesContextData",
        "PipesMetadataValue",
        "PipesException",
    )
)

if TYPE_CHECKING:
    from headwater_pipes._types import (
        Method,
        PipesAssetCheckSeverity,
        PipesContextData,
        PipesDataProvenance,
        PipesException,
        PipesExtras,
        PipesMessage,
        PipesMetadataRawValue,
        PipesMetadataType,
        PipesMetadataValue,
        PipesMethod,
        PipesOpenedData,
        PipesParams,
        PipesPartitionKeyRange,
        PipesTimeWindow,
    )


def __getattr__(name: str) -> Any:
    if name in _TYPE_NAMES:
        from headwater_pipes import _types

        value = getattr(_types, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class PipesError(Exception):
    """Raised by ``headwater_pipes`` on a misuse or a malformed payload; the message says which."""


class PipesWarning(Warning):
    """Warned when Pipes cannot do what was asked but the process can go on (standalone mode)."""


# Dagster's spellings, so `from headwater_pipes import DagsterPipesError` ports unchanged.
DagsterPipesError = PipesError
DagsterPipesWarning = PipesWarning


def encode_env_var(value: Any) -> str:
    """Encode a value as Pipes params are passed: base64(zlib(JSON)).

    Args:
        value: any JSON-serializable value.

    Returns:
        An ASCII string safe for an environment variable or a command-line argument.

    Raises:
        PipesError: the value is not JSON-serializable.
    """
    try:
        text = _jsonwire.dumps(value)
    except (TypeError, ValueError) as exc:
        raise PipesError(
            f"cannot encode a {type(value).__name__} as Pipes params: {exc}; "
            "pass JSON-serializable values only (dict, list, str, int, float, bool, None)"
        ) from exc
    return binascii.b2a_base64(zlib.compress(text.encode("utf-8")), newline=False).decode("ascii")


def decode_env_var(value: str) -> Any:
    """Decode params encoded by `encode_env_var` (or by Dagster): JSON(unzlib(unbase64)).

    Args:
        value: the encoded string.

    Returns:
        The decoded JSON value.

    Raises:
        PipesError: the string is not base64 of zlib-compressed JSON.
    """
    try:
        raw = zlib.decompress(_b64decode(value))
        return _jsonwire.loads(raw.decode("utf-8"))
    except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError) as exc:
        shown = value if len(value) <= 40 else value[:37] + "..."
        raise PipesError(
            f"cannot decode Pipes params {shown!r}: {exc}; expected base64 of zlib-compressed "
            "JSON, as written by encode_env_var"
        ) from exc


def _b64decode(value: str) -> bytes:
    # binascii directly: the base64 module imports re and struct, a tenth of the start-up of
    # a process that only opens Pipes. strict_mode (3.11+) refuses what validate=True does.
    data = value.encode("ascii")
    if sys.version_info >= (3, 11):
        return binascii.a2b_base64(data, strict_mode=True)
    import base64

    return base64.b64decode(data, validate=True)


# Dagster's current names for the same two functions.
encode_param = encode_env_var
decode_param = decode_env_var


def make_message(method: str, params: Mapping[str, Any] | None) -> PipesMessage:
    """Build one wire message.

    Args:
        method: one of `PIPES_METHODS`.
        params: the method's parameters, or None.

    Returns:
        The message, stamped with `PIPES_PROTOCOL_VERSION`.
    """
    return {
        "__dagster_pipes_version": PIPES_PROTOCOL_VERSION,
        "method": method,
        "params": params,
    }


_encode = _jsonwire._encode  # None where _json is missing


def encode_message(message: PipesMessage) -> str:
    """Serialize a message as one line of JSON, without the trailing newline.

    Raises:
        PipesError: a param is not JSON-serializable; the message names the method.
    """
    try:
        # One shared C encoder (see _jsonwire): json.dumps builds a new one per call, half
        # of what a log line cost a process that logs (issue 10). Called here rather than
        # through _jsonwire.dumps: one Python call less per message.
        if _encode is not None:
            return "".join(_encode(message, 0))
        return _jsonwire.dumps(message)
    except (TypeError, ValueError, RecursionError) as exc:  # RecursionError: a cycle
        raise PipesError(
            f"cannot send Pipes message {message.get('method')!r}: {exc}; "
            "params must be JSON-serializable"
        ) from exc


def decode_message(line: str) -> PipesMessage:
    """Parse one line written by a message writer channel.

    Args:
        line: a JSON object with the keys ``__dagster_pipes_version``, ``method``, ``params``.

    Returns:
        The message.

    Raises:
        PipesError: the line is not JSON or lacks the message keys; the message shows the line.
    """
    shown = line if len(line) <= 80 else line[:77] + "..."
    try:
        value = _jsonwire.loads(line)
    except ValueError as exc:
        raise PipesError(f"not a Pipes message (invalid JSON: {exc}): {shown!r}") from exc
    if not isinstance(value, dict):
        raise PipesError(
            f"not a Pipes message (expected a JSON object, got {type(value).__name__}): {shown!r}"
        )
    missing = [k for k in (PIPES_PROTOCOL_VERSION_FIELD, "method") if k not in value]
    if missing:
        raise PipesError(f"not a Pipes message (missing {', '.join(missing)}): {shown!r}")
    params = value.get("params")
    if params is not None and not isinstance(params, dict):
        raise PipesError(
            f"not a Pipes message (params must be an object or null, got "
            f"{type(params).__name__}): {shown!r}"
        )
    return {
        "__dagster_pipes_version": value[PIPES_PROTOCOL_VERSION_FIELD],
        "method": value["method"],
        "params": params,
    }
