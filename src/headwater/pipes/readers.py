"""Message readers: where the orchestrator reads what the external process reports.

A reader yields the params the process's message writer needs (``{"path": ...}``,
``{"stdio": "stderr"}``) and, while the session is open, feeds each message to the
session's handler as it arrives. Reading is incremental: a chunk at a time, nothing kept.
"""

from __future__ import annotations

import collections
import os
import sys
import tempfile
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

from headwater_pipes.protocol import (
    MESSAGES_PARAM_INCLUDE_STDIO,
    MESSAGES_PARAM_PATH,
    MESSAGES_PARAM_STDIO,
    PIPES_PROTOCOL_VERSION_FIELD,
    PipesParams,
)

from headwater.errors import InvalidInvocationError, InvariantViolationError

if TYPE_CHECKING:
    from headwater.pipes.handler import PipesMessageHandler

__all__ = [
    "PipesFileMessageReader",
    "PipesMessageReader",
    "PipesStdioMessageReader",
    "PipesTempFileMessageReader",
]

_CHUNK = 1 << 16
_POLL_S = 0.005  # how often a tailing reader looks for more bytes once it has caught up
_MARKER = PIPES_PROTOCOL_VERSION_FIELD.encode()


class PipesMessageReader(ABC):
    """Reads the messages an external process writes, for the length of a session.

    Subclass it to read from another place; call ``handler.handle_line`` (or
    ``handle_message``) for each message, from any thread.
    """

    @abstractmethod
    @contextmanager
    def read_messages(self, handler: PipesMessageHandler) -> Iterator[PipesParams]:
        """Start reading; yield the params for the process's message writer.

        On exit, every message the process wrote before it ended has been handled.
        """

    def no_messages_debug_text(self) -> str:
        """A line saying where messages were expected, shown when none came."""
        return f"messages were expected by {type(self).__name__}"

    @property
    def expected_writer_count(self) -> int:
        """How many external writers report through this reader (one, except a composite's);
        the session ends its reading when that many have closed."""
        return 1


def _feed(handler: PipesMessageHandler, pending: bytes, chunk: bytes) -> bytes:
    """Handle the complete lines of ``pending + chunk``; return the unfinished tail."""
    data = pending + chunk if pending else chunk
    end = data.rfind(b"\n")
    if end < 0:
        return data
    for line in data[:end].split(b"\n"):
        handler.handle_line(line)
    return data[end + 1 :]


class PipesFileMessageReader(PipesMessageReader):
    """Tails the file at ``path``, where the process appends one JSON message per line.

    Args:
        path: the file the process writes (created by the process; removed at the end
            when ``cleanup_file``).
        include_stdio_in_messages: ask the process's writer to send its stdout/stderr too.
        cleanup_file: delete the file when the session ends.
    """

    def __init__(
        self, path: str, include_stdio_in_messages: bool = False, cleanup_file: bool = True
    ) -> None:
        self._path = path
        self._include_stdio = include_stdio_in_messages
        self._cleanup = cleanup_file

    @contextmanager
    def read_messages(self, handler: PipesMessageHandler) -> Iterator[PipesParams]:
        """Tail the file in a thread; on exit, read to its end and stop."""
        done = threading.Event()
        thread = threading.Thread(
            target=self._tail, args=(handler, done), name="headwater-pipes-file-reader", daemon=True
        )
        thread.start()
        try:
            yield {
                MESSAGES_PARAM_PATH: self._path,
                MESSAGES_PARAM_INCLUDE_STDIO: self._include_stdio,
            }
        finally:
            done.set()
            thread.join()
            if self._cleanup and os.path.exists(self._path):
                os.remove(self._path)

    def _tail(self, handler: PipesMessageHandler, done: threading.Event) -> None:
        try:
            while not os.path.exists(self._path):
                if done.wait(_POLL_S):
                    if not os.path.exists(self._path):
                        return
                    break
            with open(self._path, "rb") as stream:
                pending = b""
                while True:
                    chunk = stream.read(_CHUNK)
                    if chunk:
                        pending = _feed(handler, pending, chunk)
                        continue
                    # Caught up: stop only once the session is over and nothing is left.
                    if done.is_set():
                        chunk = stream.read()
                        if not chunk:
                            break
                        pending = _feed(handler, pending, chunk)
                        continue
                    done.wait(_POLL_S)
                if pending.strip():
                    handler.handle_line(pending)
        except Exception as exc:  # reported as an event; the step goes on to its own end
            handler.report_framework_error(f"reading messages from {self._path}", exc)

    def no_messages_debug_text(self) -> str:
        """Which file was tailed."""
        return f"messages were expected in the file {self._path}"


class PipesTempFileMessageReader(PipesMessageReader):
    """Tails a fresh temporary file (the subprocess default).

    Args:
        include_stdio_in_messages: ask the process's writer to send its stdout/stderr too.
    """

    def __init__(self, include_stdio_in_messages: bool = False) -> None:
        self._include_stdio = include_stdio_in_messages

    @contextmanager
    def read_messages(self, handler: PipesMessageHandler) -> Iterator[PipesParams]:
        """Tail ``messages`` in a temporary folder removed at the end."""
        with (
            tempfile.TemporaryDirectory(prefix="headwater-pipes-") as folder,
            self._in_folder(folder).read_messages(handler) as params,
        ):
            yield params

    def _in_folder(self, folder: str) -> PipesFileMessageReader:
        # The same file in a folder the caller made (see injectors' _in_folder).
        return PipesFileMessageReader(
            os.path.join(folder, "messages"), include_stdio_in_messages=self._include_stdio
        )

    def no_messages_debug_text(self) -> str:
        """Where messages were expected."""
        return "messages were expected in a temporary file"


class PipesStdioMessageReader(PipesMessageReader):
    """Reads messages from the process's own stdout or stderr, mixed with its other output.

    A line carrying the Pipes version field is a message; every other line is passed through
    to the orchestrator's stream of the same name and its last lines are kept for error
    reports. ``PipesSubprocessClient`` connects the stream; a custom launcher calls
    :meth:`consume` with the process's stream.

    Args:
        stream: ``"stderr"`` (default) or ``"stdout"``.
        tail_lines: how many non-message lines to keep for error reports.
    """

    def __init__(self, stream: str = "stderr", *, tail_lines: int = 20) -> None:
        if stream not in ("stdout", "stderr"):
            raise InvalidInvocationError(
                f'PipesStdioMessageReader(stream=...) must be "stdout" or "stderr", got {stream!r}'
            )
        self.stream = stream
        self.tail: collections.deque[str] = collections.deque(maxlen=tail_lines)
        self._handler: PipesMessageHandler | None = None

    @contextmanager
    def read_messages(self, handler: PipesMessageHandler) -> Iterator[PipesParams]:
        """Yield ``{"stdio": stream}``; lines arrive through :meth:`consume`."""
        self._handler = handler
        try:
            yield {MESSAGES_PARAM_STDIO: self.stream}
        finally:
            self._handler = None

    def consume(self, source: IO[bytes]) -> None:
        """Read ``source`` to its end, handling messages and passing other lines through.

        Raises:
            InvariantViolationError: called outside a session (``read_messages``).
        """
        handler = self._handler
        if handler is None:
            raise InvariantViolationError(
                "PipesStdioMessageReader.consume() was called outside a session; call it "
                "inside open_pipes_session(..., message_reader=reader)"
            )
        target = sys.stderr if self.stream == "stderr" else sys.stdout
        for line in source:
            if _MARKER in line and line.lstrip().startswith(b"{"):
                handler.handle_line(line)
                continue
            text = line.decode("utf-8", "replace")
            self.tail.append(text.rstrip("\n"))
            target.write(text)

    def no_messages_debug_text(self) -> str:
        """Which stream was read."""
        return f"messages were expected on the process's {self.stream}"
