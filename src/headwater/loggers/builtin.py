"""The built-in logger definitions, and the step log that ``get_dagster_logger`` feeds.

What builds on the standard library's ``logging`` (the console loggers' formatters,
``get_dagster_logger``) is in ``python_logging.py``, loaded when a run builds a logger or
code asks for one: a run whose config selects no logger never imports ``logging``.
"""

from __future__ import annotations

import contextvars
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from headwater.config import Field
from headwater.loggers.definition import InitLoggerContext, LoggerDefinition, logger

if TYPE_CHECKING:
    import logging

__all__ = [
    "STEP_LOG",
    "colored_console_logger",
    "default_loggers",
    "default_system_loggers",
    "json_console_logger",
]

# Records that carry this attribute came from a run; its value describes where.
META_ATTR = "dagster_meta"

_CONSOLE_SCHEMA = Field(
    {
        "log_level": Field(str, is_required=False, default_value="INFO"),
        "name": Field(str, is_required=False, default_value="dagster"),
    },
    description="The console logger's level and name.",
)


@logger(_CONSOLE_SCHEMA, description="The default colored console logger.")
def colored_console_logger(init_context: InitLoggerContext) -> logging.Logger:
    """A logger that prints run events and log lines to the console (stderr), coloured when
    standard output is a terminal."""
    from headwater.loggers.python_logging import console_formatter, console_logger

    config = init_context.logger_config
    return console_logger(config["name"], config["log_level"], console_formatter())


@logger(_CONSOLE_SCHEMA, description="A JSON-formatted console logger.")
def json_console_logger(init_context: InitLoggerContext) -> logging.Logger:
    """A logger that prints run events and log lines to the console as JSON lines."""
    from headwater.loggers.python_logging import JsonLogFormatter, console_logger

    config = init_context.logger_config
    return console_logger(config["name"], config["log_level"], JsonLogFormatter())


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
