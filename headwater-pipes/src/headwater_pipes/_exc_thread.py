"""``ExcThread``: a thread that keeps what its target raised and reports it on ``join``."""

from __future__ import annotations

import sys
import threading
import traceback
from queue import Queue
from types import TracebackType
from typing import Any, Optional

__all__ = ["ExcThread"]

_ExcInfo = tuple[type[BaseException], BaseException, Optional[TracebackType]]


class ExcThread(threading.Thread):
    """A ``threading.Thread`` whose target's exception is written to stderr when the thread
    is joined, instead of going to ``threading.excepthook`` while it runs. Background
    workers use it so that a failure shows up where the main code waits for them.

    Attributes:
        exceptions: the ``sys.exc_info()`` of what the target raised (at most one).
    """

    def run(self, *args: Any, **kwargs: Any) -> None:
        self.exceptions: Queue[_ExcInfo] = Queue()
        try:
            super().run(*args, **kwargs)
        except Exception:
            kind, value, trace = sys.exc_info()
            assert kind is not None and value is not None  # inside `except`
            self.exceptions.put((kind, value, trace))

    def join(self, timeout: float | None = None) -> None:
        super().join(timeout)
        exceptions: Queue[_ExcInfo] | None = getattr(self, "exceptions", None)
        while exceptions is not None and not exceptions.empty():
            sys.stderr.write("".join(traceback.format_exception(*exceptions.get())))
