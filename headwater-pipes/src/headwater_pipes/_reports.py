"""Checks and payload building behind PipesContext's report methods and scope properties.

Every message here says what *is* in scope, so a script's author sees at once why a call is
undefined for this step.
"""

from __future__ import annotations

import sys

from headwater_pipes import _jsonwire
from headwater_pipes.protocol import (
    PIPES_ASSET_CHECK_SEVERITIES,
    PIPES_METADATA_TYPE_INFER,
    PIPES_METADATA_TYPES,
    PipesError,
)

# typing's flag without importing typing (see protocol); type checkers read the name.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from traceback import TracebackException
    from types import TracebackType
    from typing import Any

    from headwater_pipes.protocol import (
        PipesContextData,
        PipesException,
        PipesMetadataValue,
    )

_TYPED_VALUE_KEYS = frozenset({"raw_value", "type"})
# Types that are never a Mapping, decided without collections.abc (exact types: a subclass
# could also be one).
_NOT_MAPPINGS = frozenset({str, int, float, bool, list, tuple, type(None)})


def _is_mapping(value: object) -> bool:
    """``isinstance(value, collections.abc.Mapping)``, importing collections.abc (and
    collections) only for a value that is neither a dict nor a plain JSON value: most
    processes never load it (issue 10)."""
    if isinstance(value, dict):
        return True
    if type(value) in _NOT_MAPPINGS:
        return False
    from collections.abc import Mapping

    return isinstance(value, Mapping)


def describe_assets(asset_keys: Sequence[str] | None) -> str:
    """Say which assets the step targets, for error messages."""
    if not asset_keys:
        return "the current step targets no assets"
    names = ", ".join(repr(k) for k in asset_keys)
    return f"the current step targets {len(asset_keys)} asset(s): {names}"


def describe_partitions(data: PipesContextData) -> str:
    """Say which partitions the step targets, for error messages."""
    key_range = data.get("partition_key_range")
    if key_range is None:
        return "the current step targets no partitions"
    if key_range["start"] == key_range["end"]:
        return f"the current step targets partition {key_range['start']!r}"
    return (
        f"the current step targets partitions {key_range['start']!r} to {key_range['end']!r}; "
        "use partition_key_range"
    )


def require_assets(data: PipesContextData, name: str) -> Sequence[str]:
    """Return the asset keys in scope, or raise if there are none."""
    keys = data.get("asset_keys")
    if not keys:
        raise PipesError(f"`{name}` is undefined: {describe_assets(keys)}")
    return keys


def require_single_asset(data: PipesContextData, name: str) -> str:
    """Return the one asset key in scope, or raise naming those in scope."""
    keys = require_assets(data, name)
    if len(keys) != 1:
        raise PipesError(
            f"`{name}` is undefined: {describe_assets(keys)}; use the `..._by_asset_key` "
            "mapping or `asset_keys`"
        )
    return keys[0]


def resolve_asset_key(data: PipesContextData, asset_key: str | None, method: str) -> str:
    """Return the asset a report is about: the one passed, or the only one in scope."""
    if asset_key is not None and not isinstance(asset_key, str):
        raise PipesError(
            f"`{method}`: asset_key must be a str such as 'schema/table', "
            f"got {type(asset_key).__name__} {asset_key!r}"
        )
    keys = data.get("asset_keys") or []
    if asset_key is not None:
        if keys and asset_key not in keys:
            raise PipesError(
                f"`{method}`: asset key {asset_key!r} is not in scope; {describe_assets(keys)}"
            )
        return asset_key
    if len(keys) == 1:
        return keys[0]
    if not keys:
        raise PipesError(f"`{method}` needs an asset: {describe_assets(keys)}; pass asset_key=...")
    raise PipesError(
        f"`{method}` without asset_key is ambiguous: {describe_assets(keys)}; "
        "pass asset_key=... naming one of them"
    )


def require_type(value: Any, expected: type, method: str, param: str) -> None:
    """Raise if a report parameter has the wrong type."""
    if not isinstance(value, expected):
        raise PipesError(
            f"`{method}`: {param} must be a {expected.__name__}, "
            f"got {type(value).__name__} {value!r}"
        )


def check_severity(severity: Any, method: str) -> None:
    """Raise unless severity is WARN or ERROR."""
    if severity not in PIPES_ASSET_CHECK_SEVERITIES:
        raise PipesError(f"`{method}`: severity must be 'WARN' or 'ERROR', got {severity!r}")


def require_json(value: Any, method: str, param: str) -> None:
    """Raise now, in the caller's frame, if a value cannot be sent."""
    try:
        _jsonwire.dumps(value)
    except (TypeError, ValueError) as exc:
        raise PipesError(
            f"`{method}`: {param} must be JSON-serializable ({exc}); "
            "convert it to dicts, lists, strings, numbers, booleans or None"
        ) from exc


def normalize_metadata(
    metadata: Mapping[str, Any] | None, method: str
) -> dict[str, PipesMetadataValue] | None:
    """Turn each raw value into ``{"raw_value": v, "type": "__infer__"}``; check typed ones.

    Returns:
        The metadata as sent on the wire, or None when there is none.

    Raises:
        PipesError: a key is not a str, a dict value is not ``{raw_value, type}``, or the type
            is unknown; the message names the entry.
    """
    if not metadata:
        return None
    if not _is_mapping(metadata):
        raise PipesError(
            f"`{method}`: metadata must be a dict of name to value, got {type(metadata).__name__}"
        )
    out: dict[str, PipesMetadataValue] = {}
    for key, value in metadata.items():
        if not isinstance(key, str):
            raise PipesError(f"`{method}`: metadata keys must be str, got {key!r}")
        if _is_mapping(value):
            if set(value) != _TYPED_VALUE_KEYS:
                raise PipesError(
                    f"`{method}`: metadata[{key!r}] is a dict with keys {sorted(value)}; a dict "
                    'value must be typed, {"raw_value": ..., "type": ...}; for a JSON value '
                    'use {"raw_value": {...}, "type": "json"}'
                )
            if value["type"] not in PIPES_METADATA_TYPES:
                known = ", ".join(t for t in PIPES_METADATA_TYPES if t != PIPES_METADATA_TYPE_INFER)
                raise PipesError(
                    f"`{method}`: metadata[{key!r}] has unknown type {value['type']!r}; "
                    f"known types: {known}"
                )
            typed: PipesMetadataValue = {
                "raw_value": value["raw_value"],
                "type": value["type"],  # checked against PIPES_METADATA_TYPES above
            }
            out[key] = typed
        else:
            out[key] = {"raw_value": value, "type": PIPES_METADATA_TYPE_INFER}
    require_json(out, method, "metadata")
    return out


def exception_payload(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> PipesException:
    """Describe an exception as the ``closed`` message carries it, with cause and context."""
    # Deferred: traceback (and the linecache and tokenize it loads) only when a process fails.
    from traceback import TracebackException

    return _describe(TracebackException(exc_type, exc, tb))


def _describe(tb: TracebackException) -> PipesException:
    if sys.version_info >= (3, 13):
        name: str | None = tb.exc_type_str.rsplit(".", 1)[-1]
    else:
        exc_type: Any = tb.exc_type  # typed non-optional, but None for some synthetic exceptions
        name = exc_type.__name__ if exc_type is not None else None
    return {
        "message": "".join(tb.format_exception_only()),
        "stack": list(tb.stack.format()),
        "name": name,
        "cause": _describe(tb.__cause__) if tb.__cause__ else None,
        "context": _describe(tb.__context__) if tb.__context__ else None,
    }
