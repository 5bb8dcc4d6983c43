"""A step's state in a step process: its events are written in batches as the step runs.

Every event that records what happened (the step's start and end, outputs, asset
materializations and checks, resource events, and logs at WARNING or above) is written
before the step goes on, with whatever is pending: a step process that dies abruptly
(segfault, ``os._exit``, the OOM killer) loses none of them. Chatter (DEBUG and INFO log
lines, which a Pipes process may send by the hundred thousand) is written in batches every
``FLUSH_S`` by a background thread, when ``RunEvents`` finds enough pending, and at the
step's end; an abrupt death can lose at most its last ``FLUSH_S`` of such lines.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from headwater.events import EventType, RunEvent
from headwater.execution.run_events import RunEvents

__all__ = ["FLUSH_S", "LiveEvents"]

FLUSH_S = 0.1

_log = logging.getLogger(__name__)


class LiveEvents(RunEvents):
    """A step's events, reaching the instance within ``FLUSH_S`` of being emitted.

    Thread-safe: a Pipes reader thread logs into the step while the step thread runs.
    """

    __slots__ = ("_lock",)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        # Reentrant: RunEvents.emit calls flush when enough events are pending.
        self._lock = threading.RLock()

    def emit(self, event: RunEvent) -> None:
        with self._lock:
            was_empty = not self._pending
            super().emit(event)
            if not _is_chatter(event):
                self.flush()
                return
        if was_empty:
            _FLUSHER.watch(self)

    def emit_together(self, events: list[RunEvent]) -> None:
        """Record ``events`` and write them, with whatever is pending, in one batch."""
        with self._lock:
            for event in events:
                super().emit(event)
            self.flush()

    def flush(self) -> None:
        """Write the pending events as one batch; on failure they stay pending."""
        # Held while writing: two batches of one step never reach the instance out of order.
        with self._lock:
            if self._pending:
                self.instance.store_events(self._pending)
                self._pending.clear()


def _is_chatter(event: RunEvent) -> bool:
    """A log line below WARNING: the only kind of event that may wait for a batch."""
    return event.event_type is EventType.LOG_MESSAGE and event.level < logging.WARNING


class _Flusher:
    """One daemon thread per process, started on first use, flushing watched states."""

    def __init__(self) -> None:
        self._ready = threading.Condition()
        self._watched: list[LiveEvents] = []
        self._thread: threading.Thread | None = None

    def watch(self, events: LiveEvents) -> None:
        """Flush ``events`` at the next tick."""
        with self._ready:
            self._watched.append(events)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name="headwater-step-events", daemon=True
                )
                self._thread.start()
            self._ready.notify()

    def _loop(self) -> None:
        while True:
            with self._ready:
                while not self._watched:  # idle between steps: no wake-ups
                    self._ready.wait()
            time.sleep(FLUSH_S)  # let the batch gather
            with self._ready:
                watched, self._watched = self._watched, []
            for events in watched:
                try:
                    events.flush()
                except Exception as exc:
                    # Still pending: retried at the next tick, and at the step's end, where
                    # a failure becomes the step's error report.
                    _log.debug("writing step events failed, retrying: %s", exc)
                    self.watch(events)


_FLUSHER = _Flusher()
