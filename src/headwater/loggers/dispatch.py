"""Passing a run's events and log lines to the loggers its run config selected."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.events import EventType, RunEvent
from headwater.loggers.builtin import META_ATTR
from headwater.loggers.definition import InitLoggerContext, LoggerDefinition

if TYPE_CHECKING:
    import logging

    from headwater.jobs.job import JobDefinition

__all__ = ["RunLoggers"]


class RunLoggers:
    """The Python loggers of one run (in one process), and how a record reaches them."""

    __slots__ = ("_loggers", "_pid")

    def __init__(self, loggers: Sequence[logging.Logger]) -> None:
        self._loggers = tuple(loggers)
        self._pid = os.getpid()

    @classmethod
    def for_run(
        cls,
        job: JobDefinition,
        run_config: Mapping[str, Any],
        processed: Mapping[str, Any],
        run_id: str,
    ) -> RunLoggers | None:
        """Build the loggers run config ``loggers:`` names, or ``None`` when it names none.

        Unlike the reference, a run whose config selects no logger prints nothing: the
        instance records every event, and headwater keeps the console quiet by default.
        """
        selected = run_config.get("loggers") or {}
        if not selected:
            return None
        # Deferred to keep `loggers` below `jobs`: only the defaults need the builtins.
        from headwater.loggers.builtin import default_loggers

        defs: Mapping[str, LoggerDefinition] = job.loggers or default_loggers()
        configs = processed.get("loggers") or {}
        built = []
        for key, logger_def in defs.items():
            if key in selected:
                config = (configs.get(key) or {}).get("config")
                built.append(
                    logger_def.logger_fn(
                        InitLoggerContext(config, logger_def, job_def=job, run_id=run_id)
                    )
                )
        return cls(built) if built else None

    def handle(self, event: RunEvent) -> None:
        """Pass ``event`` to every logger, formatted as the reference formats it."""
        level = event.level
        targets = [t for t in self._loggers if t.isEnabledFor(level)]
        if not targets:  # a DEBUG event under an INFO console logger: nothing to format
            return
        where = f" - {event.step_key}" if event.step_key else ""
        if event.event_type is EventType.LOG_MESSAGE:
            text = f"{event.job_name} - {event.run_id}{where} - {event.log_message}"
            dagster_event = None
        else:
            kind = event.event_type.name  # RUN_SUCCESS, not its value PIPELINE_SUCCESS
            text = (
                f"{event.job_name} - {event.run_id} - {self._pid}{where} - {kind} - "
                f"{event.log_message}"
            )
            dagster_event = kind
        meta = {
            "run_id": event.run_id,
            "job_name": event.job_name,
            "step_key": event.step_key,
            "orig_message": event.log_message,
            "dagster_event": dagster_event,
        }
        for target in targets:
            target.log(level, text, extra={META_ATTR: meta})
