"""What the loggers build on the standard library's ``logging``: the console loggers'
formatters and ``get_dagster_logger``.

Loaded when a run builds one of the built-in loggers or code calls ``get_dagster_logger``,
not when a job is defined (``builtin.py`` holds the definitions).
"""

from __future__ import annotations

import json
import logging
import sys

from headwater.loggers.builtin import BASE_LOGGER_NAME, BUILTIN_LOGGER_NAME, STEP_LOG

__all__ = ["JsonLogFormatter", "console_formatter", "console_logger", "get_dagster_logger"]

DEFAULT_FORMAT = "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
DEFAULT_DATE_FORMAT = "%Y-%m-%d %H:%M:%S %z"


def _level(value: str | int) -> int:
    if isinstance(value, int):
        return value
    level = logging.getLevelName(value.upper())
    return level if isinstance(level, int) else logging.INFO


def console_logger(name: str, level: str | int, formatter: logging.Formatter) -> logging.Logger:
    # A fresh Logger object, not logging.getLogger(name): two runs configured differently
    # must not share (and pile up) handlers on one global logger.
    built = logging.Logger(name, level=_level(level))
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    built.addHandler(handler)
    return built


def _paint(text: str, colour: int) -> str:
    return f"\x1b[{colour}m{text}\x1b[0m"


class _ColourFormatter(logging.Formatter):
    """The default format with the time green, the level blue and ERROR messages red."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        # A copy: other handlers of the same record must not receive escape codes.
        shown = logging.makeLogRecord(record.__dict__)
        shown.asctime = _paint(record.asctime, 32)
        shown.levelname = _paint(record.levelname, 34)
        if record.levelno == logging.ERROR:
            shown.message = _paint(record.message, 31)
        return super().formatMessage(shown)


def console_formatter() -> logging.Formatter:
    # Colour only for a terminal, decided when the logger is built; the check is on
    # stdout, as the reference's console logger makes it (its lines go to stderr).
    isatty = getattr(sys.stdout, "isatty", None)
    coloured = _ColourFormatter if isatty is not None and isatty() else logging.Formatter
    return coloured(DEFAULT_FORMAT, DEFAULT_DATE_FORMAT)


class JsonLogFormatter(logging.Formatter):
    """Formats a record as one JSON object: every attribute of the record, by name."""

    def format(self, record: logging.LogRecord) -> str:
        """The record's attributes as JSON (values that are not JSON become strings)."""
        return json.dumps(dict(record.__dict__), default=str)


class _CaptureHandler(logging.Handler):
    """Sends what ``get_dagster_logger()`` loggers receive inside a step to the step's log."""

    def emit(self, record: logging.LogRecord) -> None:
        step_log = STEP_LOG.get()
        if step_log is not None:
            step_log.log(record.levelno, record.getMessage())


_capture = _CaptureHandler()


def get_dagster_logger(name: str | None = None) -> logging.Logger:
    """A Python logger whose records, inside an op or asset, become the step's log lines.

    Outside a run it is an ordinary ``logging.Logger``. Use it in helper code that has no
    ``context`` at hand.

    Args:
        name: a child name: ``get_dagster_logger("io")`` is the logger ``dagster.builtin.io``;
            ``dagster.builtin`` when omitted.

    Returns:
        A ``logging.Logger``.

    Example:
        ``get_dagster_logger().info("loaded %d rows", n)``
    """
    base = logging.getLogger(BUILTIN_LOGGER_NAME)
    if _capture not in base.handlers:
        # Set up on first use, not at import: importing headwater configures no logging.
        # The parent is at DEBUG so that children without a level of their own pass all.
        logging.getLogger(BASE_LOGGER_NAME).setLevel(logging.DEBUG)
        base.addHandler(_capture)
    return base.getChild(name) if name else base
