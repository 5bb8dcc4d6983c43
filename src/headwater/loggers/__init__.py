"""Loggers: where a run's events and log lines go besides the instance.

A job's ``logger_defs`` (or the default ``console`` logger) are selected and configured by
run config ``loggers:``; every event and log line of the run is then passed to each.
"""

from __future__ import annotations

from headwater.loggers.builtin import (
    JsonLogFormatter,
    colored_console_logger,
    default_loggers,
    default_system_loggers,
    get_dagster_logger,
    json_console_logger,
)
from headwater.loggers.definition import (
    InitLoggerContext,
    LoggerDefinition,
    build_init_logger_context,
    logger,
)
from headwater.loggers.dispatch import RunLoggers

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
