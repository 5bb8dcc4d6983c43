"""Loggers: where a run's events and log lines go besides the instance.

A job's ``logger_defs`` (or the default ``console`` logger) are selected and configured by
run config ``loggers:``; every event and log line of the run is then passed to each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater._lazy import lazy_names
from headwater.loggers.builtin import (
    colored_console_logger,
    default_loggers,
    default_system_loggers,
    json_console_logger,
)
from headwater.loggers.definition import (
    InitLoggerContext,
    LoggerDefinition,
    build_init_logger_context,
    logger,
)
from headwater.loggers.dispatch import RunLoggers

if TYPE_CHECKING:
    from headwater.loggers.python_logging import JsonLogFormatter, get_dagster_logger

# Built on the standard library's logging, which a run that selects no logger never loads.
_EXPORTS = {
    "JsonLogFormatter": "headwater.loggers.python_logging",
    "get_dagster_logger": "headwater.loggers.python_logging",
}

__all__ = [
    "InitLoggerContext",
    "JsonLogFormatter",
    "LoggerDefinition",
    "RunLoggers",
    "build_init_logger_context",
    "colored_console_logger",
    "default_loggers",
    "default_system_loggers",
    "get_dagster_logger",
    "json_console_logger",
    "logger",
]

__getattr__, __dir__ = lazy_names(__name__, _EXPORTS)
