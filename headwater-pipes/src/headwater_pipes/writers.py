"""How messages leave the external process: writers pick a channel from the orchestrator's params.

Channels here (a file, a stream) write each message as one JSON line at once, so a crash
loses nothing already reported. Buffered channels that upload chunks live in `blobstore.py`.
"""

from __future__ import annotations

import sys
from abc import ABC, abstractmethod

from headwater_pipes.loaders import _OnEntry, require_param
from headwater_pipes.protocol import (
    MESSAGES_PARAM_BUFFERED_STDIO,
    MESSAGES_PARAM_INCLUDE_STDIO,
    MESSAGES_PARAM_PATH,
    MESSAGES_PARAM_STDIO,
    PipesError,
    PipesWarning,
    encode_message,
)

# typing's flag without importing typing (see protocol); type checkers read the name.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager
    from io import FileIO
    from typing import Generic, TextIO, TypeVar

    from headwater_pipes.protocol import (
        PipesExtras,
        PipesMessage,
        PipesOpenedData,
        PipesParams,
    )

__all__ = [
    "PipesMessageWriterChannel",
    "PipesMessageWriter",
    "PipesFileMessageWriterChannel",
    "PipesStreamMessageWriterChannel",
    "PipesBufferedStreamMessageWriterChannel",
    "PipesDefaultMessageWriter",
]

if TYPE_CHECKING:
    T_Channel = TypeVar("T_Channel", bound="PipesMessageWriterChannel")
    # The channel type of a log writer (``PipesLogWriter[T_LogChannel]``); headwater_pipes
    # implements no log writers (nor their channel base), and keeps the name for code that
    # annotates with it.
    T_LogChannel = TypeVar("T_LogChannel")
else:
    # At run time the writer base is generic by subscription alone, so that opening Pipes
    # does not import typing (see protocol): `PipesMessageWriter[Channel]` is the class
    # itself, a base a subclass can name. The type variables are made on first use.
    class Generic:
        def __class_getitem__(cls, item: object) -> type:
            return cls

    T_Channel = None  # named by the class statement below only; see __getattr__


def __getattr__(name: str) -> object:
    if name in ("T_Channel", "T_LogChannel"):
        from typing import TypeVar

        made = (
            TypeVar("T_Channel", bound="PipesMessageWriterChannel")
            if name == "T_Channel"
            else TypeVar("T_LogChannel")
        )
        globals()[name] = made
        return made
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class PipesMessageWriterChannel(ABC):
    """Writes messages back to the orchestration process."""

    @abstractmethod
    def write_message(self, message: PipesMessage) -> None:
        """Write one message.

        Args:
            message: the message, as built by `make_message`.
        """


class PipesMessageWriter(ABC, Generic[T_Channel]):
    """Opens the channel the orchestrator's message reader expects.

    Example:
        class QueueWriter(PipesMessageWriter[QueueChannel]):
            @contextmanager
            def open(self, params):
                with QueueChannel(params["queue"]) as channel:
                    yield channel
    """

    @abstractmethod
    def open(self, params: PipesParams) -> AbstractContextManager[T_Channel]:
        """A context manager that yields a channel and flushes it on exit (write it with
        ``@contextmanager``).

        Args:
            params: the params from the orchestrator's message reader.

        Yields:
            The channel.
        """

    def get_opened_payload(self) -> PipesOpenedData:
        """Return the ``opened`` message's params: the writer's extras. Override
        `get_opened_extras`, not this."""
        return {"extras": self.get_opened_extras()}

    def get_opened_extras(self) -> PipesExtras:
        """Return writer-specific facts known only once the process runs (e.g. a log location).

        Returns:
            A JSON-serializable mapping, sent in the ``opened`` message.
        """
        return {}


if not TYPE_CHECKING:
    del T_Channel  # the placeholder: the real TypeVar comes from __getattr__


class PipesFileMessageWriterChannel(PipesMessageWriterChannel):
    """Appends one message per line to a file, flushed at each message.

    Args:
        path: the file the orchestrator's reader tails.
    """

    def __init__(self, path: str) -> None:
        self._path = path
        self._file: FileIO | None = None

    def write_message(self, message: PipesMessage) -> None:
        """Append the message as one JSON line and flush it to the OS."""
        self._write_line(encode_message(message))

    def _write_line(self, line: str) -> None:
        data = (line + "\n").encode("utf-8")
        file = self._file
        if file is None:
            # Kept open across messages: reopening per message costs more than the write.
            # Unbuffered: each line goes to the OS in one write, as a flush at each line did,
            # without a text and a buffer layer in between (half a log call's cost; issue 10).
            file = self._file = open(self._path, "ab", buffering=0)  # noqa: SIM115
        written = file.write(data)
        while written < len(data):  # a short write: the rest, as a buffered file's flush does
            data = data[written:]
            written = file.write(data)

    def close(self) -> None:
        """Close the file; a later message reopens it."""
        if self._file is not None:
            self._file.close()
            self._file = None


class PipesStreamMessageWriterChannel(PipesMessageWriterChannel):
    """Writes one message per line to a text stream, flushed at each message.

    Args:
        stream: e.g. ``sys.stderr``.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write_message(self, message: PipesMessage) -> None:
        """Write the message as one JSON line and flush the stream."""
        self._write_line(encode_message(message))

    def _write_line(self, line: str) -> None:
        self._stream.write(line + "\n")
        self._stream.flush()


class PipesBufferedStreamMessageWriterChannel(PipesMessageWriterChannel):
    """Keeps messages in memory and writes them all to a stream on `flush`.

    Args:
        stream: e.g. ``sys.stdout``, when the platform mixes stream output.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lines: list[str] = []

    def write_message(self, message: PipesMessage) -> None:
        """Buffer the message (serialized now, so a bad payload fails at the call)."""
        self._lines.append(encode_message(message))

    def _write_line(self, line: str) -> None:
        self._lines.append(line)

    def flush(self) -> None:
        """Write the buffered messages, one per line."""
        lines, self._lines = self._lines, []
        for line in lines:
            self._stream.write(line + "\n")
        self._stream.flush()


# The write_message of each channel above: one that writes `encode_message`'s line and does
# nothing else with the message (see line_writer).
_WRITES_ITS_LINE = (
    PipesFileMessageWriterChannel.write_message,
    PipesStreamMessageWriterChannel.write_message,
    PipesBufferedStreamMessageWriterChannel.write_message,
)


def line_writer(channel: PipesMessageWriterChannel) -> Callable[[str], None] | None:
    """How to hand `channel` a message already serialized, when all its ``write_message``
    does with a message is write its line: one of the channels above, ``write_message`` not
    overridden (a subclass that overrides it sees every message). ``None`` for any other.

    A log record is then sent as the line `_logline` makes from its two strings, without a
    message dict for the channel to serialize (issue 10).
    """
    if type(channel).write_message in _WRITES_ITS_LINE:
        write_line: Callable[[str], None] = channel._write_line  # type: ignore[attr-defined]
        return write_line
    return None


def _stdio_stream(params: PipesParams, key: str, owner: str) -> TextIO:
    name = require_param(params, key, str, owner)
    if name not in ("stdout", "stderr"):
        raise PipesError(f"{owner}: param {key!r} must be 'stdout' or 'stderr', got {name!r}")
    return sys.stdout if name == "stdout" else sys.stderr


class PipesDefaultMessageWriter(PipesMessageWriter[PipesMessageWriterChannel]):
    """Writes to the file named by params key ``path``, or the stream named by ``stdio``.

    ``buffered_stdio`` (write everything to the stream at close) is accepted too.
    """

    FILE_PATH_KEY = MESSAGES_PARAM_PATH
    STDIO_KEY = MESSAGES_PARAM_STDIO
    BUFFERED_STDIO_KEY = MESSAGES_PARAM_BUFFERED_STDIO
    STDOUT = "stdout"
    STDERR = "stderr"

    def open(self, params: PipesParams) -> AbstractContextManager[PipesMessageWriterChannel]:
        """Yield a file, stream or buffered-stream channel, as the params say; on exit, close
        the file or write the buffered messages.

        Raises:
            PipesError: (on entry) the params name no known destination.
        """
        return _OnEntry(lambda: self._open_channel(params))

    def _open_channel(
        self, params: PipesParams
    ) -> tuple[PipesMessageWriterChannel, Callable[[], None] | None]:
        # The channel, and what ends it; called on entry, by _OnEntry.__enter__.
        owner = type(self).__name__
        if params.get(MESSAGES_PARAM_INCLUDE_STDIO):
            import warnings  # only on this path: most processes never warn

            warnings.warn(
                f"{owner}: the orchestrator asked for stdout/stderr to be sent as messages "
                f"({MESSAGES_PARAM_INCLUDE_STDIO}); headwater_pipes does not capture them, "
                "so only explicit logs and reports are sent",
                PipesWarning,
                stacklevel=4,  # the `with` that opened the writer
            )
        if self.FILE_PATH_KEY in params:
            channel = PipesFileMessageWriterChannel(
                require_param(params, self.FILE_PATH_KEY, str, owner)
            )
            return channel, channel.close
        if self.STDIO_KEY in params:
            stream = _stdio_stream(params, self.STDIO_KEY, owner)
            return PipesStreamMessageWriterChannel(stream), None
        if self.BUFFERED_STDIO_KEY in params:
            stream = _stdio_stream(params, self.BUFFERED_STDIO_KEY, owner)
            buffered = PipesBufferedStreamMessageWriterChannel(stream)
            return buffered, buffered.flush
        raise PipesError(
            f"{owner} expects params with key 'path', 'stdio' or 'buffered_stdio', got keys "
            f"{sorted(params)}; the orchestrator's message reader expects another writer: "
            "pass it as message_writer to open_pipes()"
        )
