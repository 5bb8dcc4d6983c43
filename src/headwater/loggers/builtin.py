"""The built-in loggers, and ``get_dagster_logger`` for code that logs outside a context."""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from headwater.config import Field
from headwater.loggers.definition import InitLoggerContext, LoggerDefinition, logger

__all__ = [
    "STEP_LOG",
    "JsonLogFormatter",
    "colored_console_logger",
    "default_loggers",
    "default_system_loggers",
    "get_dagster_logger",
    "json_console_logger",
]

DEFAULT_FORMAT = "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
DEFAULT_DATE_FORMAT = "%Y-%m-%d %H:%M:%S %z"
# Records that carry this attribute came from a run; its value describes where.
META_ATTR = "dagster_meta"

_CONSOLE_SCHEMA = Field(
    {
        "log_level": Field(str, is_required=False, default_value="INFO"),
        "name": Field(str, is_required=False, default_value="dagster"),
    },
    description="The console logger's level and name.",
)


def _level(value: str | int) -> int:
    if isinstance(value, int):
        return value
    level = logging.getLevelName(value.upper())
    return level if isinstance(level, int) else logging.INFO


def _console_logger(name: str, level: str | int, formatter: logging.Formatter) -> logging.Logger:
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


def _console_formatter() -> logging.Formatter:
    # Colour only for a terminal, decided when the logger is built; the check is on
    # stdout, as the reference's console logger makes it (its lines go to stderr).
    isatty = getattr(sys.stdout, "isatty", None)
    coloured = _ColourFormatter if isatty is not None and isatty() else logging.Formatter
    return coloured(DEFAULT_FORMAT, DEFAULT_DATE_FORMAT)


@logger(_CONSOLE_SCHEMA, description="The default colored console logger.")
def colored_console_logger(init_context: InitLoggerContext) -> logging.Logger:
    """A logger that prints run events and log lines to the console (stderr), coloured when
    standard output is a terminal."""
    config = init_context.logger_config
    return _console_logger(config["name"], config["log_level"], _console_formatter())


class JsonLogFormatter(logging.Formatter):
    """Formats a record as one JSON object: every attribute of the record, by name."""

    def format(self, record: logging.LogRecord) -> str:
        """The record's attributes as JSON (values that are not JSON become strings)."""
        return json.dumps(dict(record.__dict__), default=str)


@logger(_CONSOLE_SCHEMA, description="A JSON-formatted console logger.")
def json_console_logger(init_context: InitLoggerContext) -> logging.Logger:
    """A logger that prints run events and log lines to the console as JSON lines."""
    config = init_context.logger_config
    return _console_logger(config["name"], config["log_level"], JsonLogFormatter())


def default_loggers() -> Mapping[str, LoggerDefinition]:
    """The loggers a job has when it defines none: ``{"console": colored_console_logger}``."""
    return {"console": colored_console_logger}


def default_system_loggers(
    instance: Any,
) -> Sequence[tuple[LoggerDefinition, Mapping[str, object]]]:
    """The loggers (with their config) a run uses when run config selects none.

    Args:
        instance: the instance of the run, or ``None``; its ``python_log_level``
            (``python_logs.python_log_level`` in ``headwater.yaml``) sets the level.

    Returns:
        ``[(colored_console_logger, {"name": "dagster", "log_level": <level or "DEBUG">})]``.
    """
    level = getattr(instance, "python_log_level", None) or "DEBUG"
    return [(colored_console_logger, {"name": "dagster", "log_level": level})]


class _StepLog(Protocol):
    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None: ...


# The reference's names: user code and log configuration address these loggers by name.
BASE_LOGGER_NAME = "dagster"
BUILTIN_LOGGER_NAME = "dagster.builtin"
# The log of the step running in this thread (None outside steps); the run loop sets it.
STEP_LOG: contextvars.ContextVar[_StepLog | None] = contextvars.ContextVar(
    "headwater_step_log", default=None
)


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
