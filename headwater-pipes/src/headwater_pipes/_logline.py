"""The text of a ``log`` message, both ways, without building or walking its JSON objects.

A process that logs sends one ``log`` message per record, and nearly every line on the wire
is one: tens of thousands a second. ``json.dumps`` (dagster_pipes', and ours through
`_jsonwire`) writes each as the same text but for its two strings::

    {"__dagster_pipes_version": "0.1", "method": "log", "params": {"message": "…", "level": "INFO"}}

Driving the C encoder over the two dicts cost the writer ~14K instructions per line, and the
C scanner plus schema validation cost the reader ~26K; escaping or scanning just the two
strings costs a fifth of that or less (issue 10). The reader answers only for exactly that form, and
``None`` for any other line, which then takes the general path: the values are the general
path's, and the writer's text is json.dumps's, byte for byte.
"""

from __future__ import annotations

from headwater_pipes._jsonwire import WHITESPACE, escape_string, scan_string
from headwater_pipes.protocol import (
    METHOD_LOG,
    PIPES_PROTOCOL_VERSION,
    PIPES_PROTOCOL_VERSION_FIELD,
    encode_message,
    make_message,
)

__all__ = ["encode_log_line", "read_log_line"]

# json.dumps's text of the envelope (make_message's keys, in its order) and of the params up
# to the message string, and between the two strings (its default separators: ", " and ": ").
_HEAD = (
    f'{{"{PIPES_PROTOCOL_VERSION_FIELD}": "{PIPES_PROTOCOL_VERSION}", "method": "{METHOD_LOG}", '
    '"params": {"message": '
)
_BETWEEN = ', "level": '
# The same up to each string's opening quote, where the string scanner starts.
_HEAD_QUOTE = _HEAD + '"'
_TEXT_START = len(_HEAD_QUOTE)
_BETWEEN_QUOTE = _BETWEEN + '"'
_LEVEL_OFFSET = len(_BETWEEN_QUOTE)
# Between the message's text and the level's: the closing and the opening quote included.
_MIDDLE = '"' + _BETWEEN_QUOTE
# The line's end after the standard level names (logging's), and the name it gives.
_LEVEL_TAILS = {name + '"}}': name for name in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")}


def encode_log_line(text: str, level: str) -> str:
    """``json.dumps`` of the ``log`` message `make_message` builds for `text` and `level`."""
    if escape_string is not None and type(text) is str and type(level) is str:
        # (A str subclass may encode otherwise; a level name may be any object.) Where _json
        # is missing (PyPy), every line takes the general path, both ways.
        line: str = _HEAD + escape_string(text) + _BETWEEN + escape_string(level) + "}}"
        return line
    return encode_message(make_message(METHOD_LOG, {"message": text, "level": level}))


def read_log_line(line: str) -> tuple[str, str] | None:
    """The message and level of a line in exactly the form `encode_log_line` writes
    (whitespace may follow it, as ``json.loads`` allows); ``None`` for any other line,
    an invalid string included (the general path then reports it as json does)."""
    if scan_string is None or not line.startswith(_HEAD_QUOTE):
        return None
    # Most lines: a message without escapes, then a standard level, then the end. The
    # quotes around ``, "level": `` cannot be inside a JSON string (one is escaped there),
    # so the last such sequence ends the message; a string with no quote, backslash or
    # control character is its own text (JSON escapes only those). What does not fit is
    # scanned, as the decoder does. The sequence found must close the message, not share
    # its opening quote (``"message": ", "level": …`` opens a string it never closes).
    head, _, tail = line.rpartition(_MIDDLE)
    level = _LEVEL_TAILS.get(tail)
    if level is not None and len(head) >= _TEXT_START:
        text = head[_TEXT_START:]
        if "\\" not in text and '"' not in text and text.isprintable():
            return text, level
    try:
        text, end = scan_string(line, _TEXT_START)
        if not line.startswith(_BETWEEN_QUOTE, end):
            return None
        level, end = scan_string(line, end + _LEVEL_OFFSET)
    except ValueError:
        return None
    if line[end : end + 2] != "}}" or line[end + 2 :].strip(WHITESPACE):
        return None
    return text, level
