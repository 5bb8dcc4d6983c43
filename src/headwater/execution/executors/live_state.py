"""A step's state in a step process: its events are written in batches as the step runs.

One transaction per event cost about 0.1 ms each (a trivial step emits half a dozen); a
batch costs about that once. So a step's events are written together: at the step's end
(before its report goes back, so the orchestrator's own events come after them), when
``RunState`` finds enough pending, and every ``FLUSH_S`` by a background thread while the
step runs, so ``headwater run logs --follow`` shows a long step live and a step process
that dies loses at most its last ``FLUSH_S`` of events.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from headwater.events import RunEvent
from headwater.execution.state import RunState

__all__ = ["FLUSH_S", "LiveState"]

FLUSH_S = 0.1

_log = logging.getLogger(__name__)


class LiveState(RunState):
    """A step's state whose events reach the instance within ``FLUSH_S`` of being emitted.

    Thread-safe: a Pipes reader thread logs into the step while the step thread runs.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Reentrant: RunState.emit calls flush when enough events are pending.
        self._lock = threading.RLock()

    def emit(self, event: RunEvent) -> None:
        with self._lock:
            was_empty = not self._pending
            super().emit(event)
        if was_empty:
            _FLUSHER.watch(self)

    def flush(self) -> None:
        """Write the pending events as one batch; on failure they stay pending."""
        # Held while writing: two batches of one step never reach the instance out of order.
        with self._lock:
            if self._pending:
                self.instance.store_events(self._pending)
                self._pending = []


class _Flusher:
    """One daemon thread per process, started on first use, flushing watched states."""

    def __init__(self) -> None:
        self._ready = threading.Condition()
        self._watched: list[LiveState] = []
        self._thread: threading.Thread | None = None

    def watch(self, state: LiveState) -> None:
        """Flush ``state`` at the next tick."""
        with self._ready:
            self._watched.append(state)
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
                states, self._watched = self._watched, []
            for state in states:
                try:
                    state.flush()
                except Exception as exc:
                    # Still pending: retried at the next tick, and at the step's end, where
                    # a failure becomes the step's error report.
                    _log.debug("writing step events failed, retrying: %s", exc)
                    self.watch(state)


_FLUSHER = _Flusher()
