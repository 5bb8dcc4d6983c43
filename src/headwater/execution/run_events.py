"""How one run's events reach the instance: gathered, then written in batches.

The framework's own events gather and are written as one batch (one transaction) just
before control passes to user code (an op's body, an IO manager): whatever user code then
does (block, crash, be killed), what happened before it is in the instance. While user
code runs, every event that records something (a warning or error, an asset event) is
written at once, with whatever is pending; DEBUG and INFO log lines are written by a
background thread within ``LOG_FLUSH_S``, in batches.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

from headwater.events import DEBUG, WARNING, ErrorInfo, EventType, RunEvent, make_event
from headwater.loggers import RunLoggers
from headwater.storage import Instance

__all__ = ["LOG_FLUSH_S", "RunEvents"]

# How long a DEBUG/INFO line logged by user code may wait to be written with others.
LOG_FLUSH_S = 0.05
_LOG_MESSAGE = EventType.LOG_MESSAGE

# Pending events written at once: large enough to amortize a transaction, small enough
# that a chatty step streams.
_FLUSH_AT = 5000


class RunEvents:
    """The events of one run in one process: what is pending, and when it is written.

    The only writer of the run's events to the instance; everything else calls
    :meth:`emit` or :meth:`run_event`.
    """

    __slots__ = (
        "_armed",
        "_ended",
        "_live",
        "_pending",
        "_write_lock",
        "instance",
        "job_name",
        "loggers",
        "run_id",
    )

    def __init__(
        self, instance: Instance, run_id: str, job_name: str, loggers: RunLoggers | None
    ) -> None:
        self.instance = instance
        self.run_id = run_id
        self.job_name = job_name
        # The loggers run config `loggers:` selects, built in each process that runs steps.
        self.loggers = loggers
        # Appended to without a lock (a list's append, copy and slice deletion are each
        # atomic), so that user code may log from its own threads; flushes take what they
        # write, under ``_write_lock``, so that two batches reach the instance in order.
        self._pending: list[RunEvent] = []
        self._write_lock = threading.Lock()
        # Whether user code is running (see the module docstring).
        self._live = False
        # Whether the run's last event is written (see end()).
        self._ended = False
        # Whether the background thread is due to write the pending log lines.
        self._armed = False

    def emit(self, event: RunEvent) -> None:
        """Record ``event``: hand it to the run's loggers, write it now or later."""
        if self.loggers is not None:
            self.loggers.handle(event)
        pending = self._pending
        pending.append(event)
        if self._live:
            if event.event_type is not _LOG_MESSAGE or event.level >= WARNING:
                self.flush()
            elif len(pending) >= _FLUSH_AT:
                # User code logging faster than the background writer drains (a Pipes
                # process streaming its logs) writes as it goes: memory stays flat.
                self.flush()
            elif not self._armed:
                self._armed = True
                _FLUSHER.watch(self)
        elif len(pending) >= _FLUSH_AT:
            # A step that logs a lot (a Pipes process streaming its logs) is written as it
            # goes: memory stays flat.
            self.flush()

    def run_event(
        self,
        event_type: EventType,
        message: str,
        *,
        level: int = DEBUG,
        data: Mapping[str, Any] | None = None,
        error: ErrorInfo | None = None,
        step_key: str | None = None,
    ) -> None:
        """Record an event of this run (of step ``step_key``, if given).

        ``data`` is handed over, not copied: every caller builds a fresh mapping, and the
        step events are on the hot path.
        """
        self.emit(
            make_event(
                event_type,
                self.run_id,
                self.job_name,
                time.time(),
                message,
                step_key,
                level,
                data if data is not None else {},
                error,
            )
        )

    def flush(self) -> None:
        """Write pending events to the instance as one batch.

        Raises:
            Exception: the instance failed to write; the events are lost to it (the
                caller reports the failure).
        """
        pending = self._pending
        lock = self._write_lock
        lock.acquire()  # not `with`: this is on every step's path, and its protocol costs
        try:
            if pending and not self._ended:
                batch = pending[:]
                # Only what was copied: a line another thread logs meanwhile stays pending.
                del pending[: len(batch)]
                self.instance.store_events(batch)
        finally:
            lock.release()

    def enter_user_code(self) -> bool:
        """Write what is pending, then write events live until :meth:`leave_user_code`.

        Returns:
            Whether user code was already running (give it back to ``leave_user_code``).
        """
        was_live = self._live
        if not was_live and not self._ended:
            if self._pending:
                self.flush()
            self._live = True
        return was_live

    def leave_user_code(self, was_live: bool) -> None:
        """Back in framework code: events gather again until the next batch."""
        self._live = was_live

    def end(self) -> None:
        """The run's last event is written: what happens afterwards (an IO manager loading
        an output for ``result.output_for_node``) is not written, nor is anything the
        background writer still holds (the instance may be disposed by then)."""
        self._ended = True

    def _tick(self) -> None:
        """The background writer's turn: write the log lines gathered since arming."""
        self._armed = False  # a line logged from here on arms it again
        self.flush()


class _Flusher:
    """One daemon thread per process, started on first use, writing the log lines that user
    code logged within ``LOG_FLUSH_S``."""

    def __init__(self) -> None:
        self._ready = threading.Condition()
        self._watched: list[RunEvents] = []
        self._thread: threading.Thread | None = None

    def watch(self, events: RunEvents) -> None:
        """Flush ``events`` at the next tick."""
        with self._ready:
            self._watched.append(events)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name="headwater-run-events", daemon=True
                )
                self._thread.start()
            self._ready.notify()

    def _loop(self) -> None:
        while True:
            with self._ready:
                while not self._watched:  # idle: no wake-ups
                    self._ready.wait()
            time.sleep(LOG_FLUSH_S)  # let the batch gather
            with self._ready:
                watched, self._watched = self._watched, []
            for events in watched:
                try:
                    events._tick()
                except Exception as exc:  # still pending: written at the next flush
                    import logging as _logging  # deferred: only a failed write logs

                    _logging.getLogger(__name__).debug(
                        "writing run events failed, retrying: %s", exc
                    )


_FLUSHER = _Flusher()
