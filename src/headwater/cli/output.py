"""Showing runs and events: log lines for people, JSON lines for machines, live progress.

Plain output (a pipe, a file, CI logs) is written with click alone; rich, which takes about
0.1 s to import, loads only when stdout is a terminal (colour and the progress line) or when
a table is drawn.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from headwater.events import CRITICAL, DEBUG, ERROR, INFO, WARNING, EventType, RunEvent

if TYPE_CHECKING:
    from rich.console import Console
    from rich.live import Live

    from headwater.storage import Instance, Run

__all__ = [
    "EventPrinter",
    "StepProgress",
    "echo_outcome",
    "format_duration",
    "format_time",
    "json_line",
    "run_summary",
    "summarize_run",
]

_FAILURE_TYPES = frozenset(
    {
        EventType.STEP_FAILURE,
        EventType.RUN_FAILURE,
        EventType.RESOURCE_INIT_FAILURE,
    }
)
_STEP_OUTCOMES = {
    EventType.STEP_SUCCESS: "succeeded",
    EventType.STEP_FAILURE: "failed",
    EventType.STEP_SKIPPED: "skipped",
}
_SUCCESS_TYPES = frozenset({EventType.STEP_SUCCESS, EventType.RUN_SUCCESS})
_LEVEL_STYLE = {"DEBUG": "dim", "INFO": "cyan", "WARNING": "yellow", "ERROR": "bold red"}


def format_time(timestamp: float | None, *, with_date: bool = False) -> str:
    """Local time of a timestamp (``14:03:07.120``, or ``2024-05-01 14:03:07``)."""
    if timestamp is None:
        return "-"
    moment = datetime.fromtimestamp(timestamp)
    if with_date:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return moment.strftime("%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def format_duration(seconds: float | None) -> str:
    """``3.2ms``, ``120ms``, ``1.50s``, ``34.5s``, ``2m05s``; ``-`` when unknown."""
    if seconds is None:
        return "-"
    # Runs of trivial steps take milliseconds: "0.00s" would read as "did not run".
    if seconds < 0.01:
        return f"{seconds * 1000:.1f}ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f}ms"
    if seconds < 10:
        return f"{seconds:.2f}s"
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}m{rest:02d}s"


def json_line(kind: str, payload: dict[str, Any]) -> str:
    """One JSON object on one line, its ``kind`` first (``event``, ``summary``, ``run``)."""
    return json.dumps({"kind": kind, **payload}, default=str)


def run_summary(run: Run, events: Sequence[RunEvent]) -> dict[str, Any]:
    """What ``--json`` prints last: the run's outcome and its steps by result."""
    steps: dict[str, list[str]] = {"succeeded": [], "failed": [], "skipped": []}
    for event in events:
        bucket = _STEP_OUTCOMES.get(event.event_type)
        if bucket and event.step_key:
            steps[bucket].append(event.step_key)
    duration = None
    if run.start_time is not None and run.end_time is not None:
        duration = run.end_time - run.start_time
    return {
        "run_id": run.run_id,
        "job_name": run.job_name,
        "status": run.status.value,
        "success": run.is_success,
        "duration_s": duration,
        "steps": steps,
    }


def summarize_run(instance: Instance, run: Run) -> dict[str, Any]:
    """:func:`run_summary` of a stored run, reading only its steps' outcome events (a run
    may hold a million log events; the summary needs a few)."""
    records = instance.get_event_records(run.run_id, event_types=tuple(_STEP_OUTCOMES))
    return run_summary(run, [r.event for r in records])


def echo_outcome(summary: dict[str, Any], *, note: str = "") -> None:
    """The closing lines of a run for people: its outcome, its steps by result, and the
    command that prints its events. ``note`` follows the run id (``" (re-execution of x)"``)."""
    steps = summary["steps"]
    status = click.style(summary["status"], fg="green" if summary["success"] else "red", bold=True)
    click.echo(
        f"run {summary['run_id']}{note} of job '{summary['job_name']}': {status} in "
        f"{format_duration(summary['duration_s'])} ({len(steps['succeeded'])} steps "
        f"succeeded, {len(steps['failed'])} failed, {len(steps['skipped'])} skipped)"
    )
    click.echo(f"events: headwater run logs {summary['run_id']}")


class EventPrinter:
    """Prints events as log lines: coloured through rich on a terminal, plain otherwise.

    Args:
        console: a rich console to print through (colour), or ``None`` for plain text.
        json_lines: print each event as one JSON object instead.
    """

    def __init__(self, *, console: Console | None = None, json_lines: bool = False) -> None:
        self._console = console
        self._json = json_lines

    def print_events(self, events: Iterable[RunEvent]) -> None:
        """Print each event (and the error of a failure) in order."""
        for event in events:
            if self._json:
                click.echo(json_line("event", event.to_dict()))
            elif self._console is not None:
                self._print_rich(event)
            else:
                click.echo(self._plain(event))
                if event.error is not None:
                    click.echo(_indent(event.error.to_string()))

    def _plain(self, event: RunEvent) -> str:
        level = _level_name(event.level)
        step = event.step_key or "-"
        return (
            f"{format_time(event.timestamp)} {level:<7} {step:<16} "
            f"{event.event_type.value:<22} {event.log_message}"
        )

    def _print_rich(self, event: RunEvent) -> None:
        from rich.text import Text

        assert self._console is not None  # checked by print_events
        level = _level_name(event.level)
        if event.event_type in _FAILURE_TYPES:
            type_style = "bold red"
        elif event.event_type in _SUCCESS_TYPES:
            type_style = "green"
        else:
            type_style = "blue"
        line = Text.assemble(
            (format_time(event.timestamp) + " ", "dim"),
            (f"{level:<7} ", _LEVEL_STYLE.get(level, "")),
            (f"{event.step_key or '-':<16} ", "magenta"),
            (f"{event.event_type.value:<22} ", type_style),
            event.log_message,
        )
        self._console.print(line, highlight=False, soft_wrap=True)
        if event.error is not None:
            self._console.print(
                Text(_indent(event.error.to_string()), style="red"), highlight=False
            )


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip().splitlines())


class StepProgress:
    """A live status line under the logs: steps done/running/failed and the time elapsed.

    Args:
        console: the terminal's rich console.
        job_name: the job being run.
        step_keys: every step of the run, in plan order.
    """

    def __init__(self, console: Console, job_name: str, step_keys: Sequence[str]) -> None:
        self._console = console
        self._job = job_name
        self._steps = list(step_keys)
        self._done: set[str] = set()
        self._failed: set[str] = set()
        self._skipped: set[str] = set()
        self._running: set[str] = set()
        self._started = time.perf_counter()
        self._live: Live | None = None

    def __enter__(self) -> StepProgress:
        from rich.live import Live

        self._live = Live(self, console=self._console, refresh_per_second=8, transient=True)
        self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.__exit__(None, None, None)

    def update(self, events: Iterable[RunEvent]) -> None:
        """Take in newly stored events."""
        for event in events:
            key = event.step_key
            if key is None:
                continue
            if event.event_type is EventType.STEP_START:
                self._running.add(key)
            elif event.event_type is EventType.STEP_SUCCESS:
                self._running.discard(key)
                self._done.add(key)
            elif event.event_type is EventType.STEP_FAILURE:
                self._running.discard(key)
                self._failed.add(key)
            elif event.event_type is EventType.STEP_SKIPPED:
                self._skipped.add(key)

    def _running_now(self) -> list[str]:
        # Events arrive in one batch per step, after the step: the step after the last
        # finished one is the one running now.
        if self._running:
            return sorted(self._running)
        finished = self._done | self._failed | self._skipped
        pending = [k for k in self._steps if k not in finished]
        return pending[:1]

    def __rich__(self) -> Any:
        from rich.text import Text

        elapsed = format_duration(time.perf_counter() - self._started)
        running = self._running_now()
        return Text.assemble(
            ("⏵ ", "cyan"),
            (self._job, "bold"),
            f"  {len(self._done)}/{len(self._steps)} steps done",
            ("  " + f"{len(self._failed)} failed", "red" if self._failed else "dim"),
            (f"  running: {', '.join(running)}" if running else "", "yellow"),
            (f"  {elapsed}", "dim"),
        )


# The levels events.py names, by the names logging gives them.
_LEVEL_NAMES = {
    CRITICAL: "CRITICAL",
    ERROR: "ERROR",
    WARNING: "WARNING",
    INFO: "INFO",
    DEBUG: "DEBUG",
    0: "NOTSET",
}


def _level_name(level: int) -> str:
    """``logging.getLevelName(level)``, without importing logging for a run that did not:
    only code that imported it can have named (or renamed) a level."""
    logging = sys.modules.get("logging")
    if logging is not None:
        return str(logging.getLevelName(level))
    return _LEVEL_NAMES.get(level, f"Level {level}")
