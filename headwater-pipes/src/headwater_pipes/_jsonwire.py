"""JSON for the wire through CPython's C accelerator ``_json``, without the ``json`` package.

``import json`` loads ``re`` and ``enum`` and the pure-Python decoder and encoder, about a
third of what opening Pipes cost an external process that only reports (issue 10); ``_json``
alone is a C module. The functions here drive the very scanner and encoder that ``json.loads``
and ``json.dumps`` drive with their default arguments, so the values and the text are the
same. Where ``_json`` is missing (PyPy) or its calling convention is not the one known here,
and on any error (so that the error is ``json``'s own, word for word), ``json`` does the work.
"""

from __future__ import annotations

# typing's flag without importing typing (see protocol); type checkers read the name.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["WHITESPACE", "dumps", "escape_string", "loads", "scan_string"]

# What json's decoder skips around a document (its WHITESPACE pattern, `[ \t\n\r]*`).
WHITESPACE = " \t\n\r"


def _not_serializable(value: object) -> object:
    # json.JSONEncoder.default's error, word for word.
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


class _DecoderSettings:
    """The attributes the C scanner reads from a ``json.JSONDecoder``, at their defaults."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    # The types themselves: the scanner then parses numbers in C, as json's does.
    parse_float = float
    parse_int = int
    parse_constant = {
        "-Infinity": float("-inf"),
        "Infinity": float("inf"),
        "NaN": float("nan"),
    }.__getitem__


def _make() -> tuple[Any, Any, Any, Any]:
    try:
        import _json
    except ImportError:
        return None, None, None, None
    try:
        settings: Any = _DecoderSettings()  # typeshed asks for a JSONDecoder; duck-typed
        scanner = _json.make_scanner(settings)
        # json.dumps's encoder (", " and ": ", ASCII, NaN allowed, keys unsorted), without
        # circular-reference markers: a shared marker dict keeps stale ids after an error,
        # and a cycle ends in RecursionError instead (then `dumps` asks json for its error).
        encoder = _json.make_encoder(
            None,
            _not_serializable,
            _json.encode_basestring_ascii,
            None,
            ": ",
            ", ",
            False,
            False,
            True,
        )
        # What the two call for one string (ASCII; strict), for a caller that writes or
        # reads the text around its strings itself (_logline).
        strings = (_json.encode_basestring_ascii, _json.scanstring)
    except (AttributeError, TypeError):  # another interpreter's _json: json does the work
        return None, None, None, None
    return (scanner, encoder, *strings)


# escape_string(text) is json.dumps(text); scan_string(line, i) reads the string whose text
# starts after the quote at i - 1 and returns it with the index after its closing quote.
_scan, _encode, escape_string, scan_string = _make()


def loads(text: str) -> Any:
    """``json.loads(text)``: the same value, or the same error."""
    if _scan is not None and isinstance(text, str):  # bytes: json sniffs their encoding
        start = len(text) - len(text.lstrip(WHITESPACE))
        try:
            value, end = _scan(text, start)
        except (StopIteration, ValueError, RecursionError):
            pass  # json raises its own error below
        else:
            if end == len(text) or not text[end:].strip(WHITESPACE):
                return value
    import json

    return json.loads(text)


def dumps(value: Any) -> str:
    """``json.dumps(value)``: the same text, or the same error."""
    if _encode is not None:
        try:
            return "".join(_encode(value, 0))
        except (TypeError, ValueError, RecursionError):
            pass  # json raises its own error below
    import json

    return json.dumps(value)
