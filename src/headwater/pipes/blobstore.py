"""Reading Pipes messages from a blob store (the base for readers of numbered chunks), and
from several writers at once (the composite reader).

An external process's ``PipesBlobStoreMessageWriter`` uploads its messages in chunks
``1``, ``2`` ... (each chunk newline-separated messages). A reader for a store subclasses
``PipesBlobStoreMessageReader`` with three methods: where the process should write
(``get_params``), whether that place can be read yet (``messages_are_readable``), and how to
fetch chunk ``index`` (``download_messages_chunk``). Polling, ordering and the end of the
session are handled here, as in Dagster.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any, TypedDict

from headwater_pipes.protocol import PipesParams

from headwater._warnings import preview_warning
from headwater.errors import InvariantViolationError
from headwater.pipes.readers import PipesMessageReader

if TYPE_CHECKING:
    from headwater.pipes.handler import PipesMessageHandler

__all__ = [
    "PIPES_COMPOSITE_WRITERS_KEY",
    "PipesBlobStoreMessageReader",
    "PipesCompositeMessageReader",
    "PipesLaunchedData",
    "PipesLogReader",
]


class PipesLaunchedData(TypedDict):
    """What a launcher learns once the external process has started (a job id, a log
    location ...): merged into the reader's params before it starts reading."""

    extras: Mapping[str, Any]


class PipesLogReader(ABC):
    """Forwards a log stream of the external process (its stdout or stderr as the store
    keeps them) while the session runs. A blob-store reader starts its log readers once the
    process has opened the session and their target can be read, and stops them at the end.
    """

    @abstractmethod
    def start(self, params: PipesParams, is_session_closed: threading.Event) -> None:
        """Start forwarding; ``is_session_closed`` is set when the session ends."""

    @abstractmethod
    def stop(self) -> None:
        """Stop forwarding (after a last read)."""

    @abstractmethod
    def is_running(self) -> bool:
        """Whether the reader is forwarding."""

    @abstractmethod
    def target_is_readable(self, params: PipesParams) -> bool:
        """Whether the stream this reader forwards exists yet."""

    @property
    def name(self) -> str:
        """The reader's name, in messages about it."""
        return type(self).__name__

    @property
    def debug_info(self) -> str | None:
        """Where the reader reads from, for messages; ``None`` when there is nothing to say."""
        return None

    def with_debug_info(self, message: str) -> str:
        """``message``, followed by the reader's debug info when it has some."""
        return f"{message}\n{self.debug_info}" if self.debug_info else message


class PipesBlobStoreMessageReader(PipesMessageReader):
    """Polls a blob store for the numbered chunks a process uploads, from a thread.

    Args:
        interval: seconds between attempts to download the next chunk once the reader has
            caught up (the remaining chunks are read at once when the session ends).
        log_readers: readers of the process's logs, started once it has opened the session.

    Subclasses implement ``get_params``, ``messages_are_readable`` and
    ``download_messages_chunk``.
    """

    def __init__(
        self, interval: float = 10, log_readers: Sequence[PipesLogReader] | None = None
    ) -> None:
        self.interval = interval
        self.log_readers: dict[str, PipesLogReader] = {
            str(i): reader for i, reader in enumerate(log_readers or ())
        }
        self.counter = 1
        self.opened_payload: Mapping[str, Any] | None = None
        self.launched_payload: PipesLaunchedData | None = None

    @abstractmethod
    @contextmanager
    def get_params(self) -> Iterator[PipesParams]:
        """Yield the params for the process's message writer (where to upload chunks)."""

    @abstractmethod
    def messages_are_readable(self, params: PipesParams) -> bool:
        """Whether the place ``params`` name can be read yet."""

    @abstractmethod
    def download_messages_chunk(self, index: int, params: PipesParams) -> str | None:
        """The text of chunk ``index`` (from 1), or ``None`` when it is not there yet."""

    def download_messages(self, cursor: int | None, params: PipesParams) -> tuple[int, str] | None:
        """The next chunk and the cursor after it, or ``None`` (the cursor is the counter)."""
        chunk = self.download_messages_chunk(self.counter, params)
        if chunk is None:
            return None
        self.counter += 1
        return self.counter, chunk

    def add_log_reader(self, log_reader: PipesLogReader) -> None:
        """Attach a log reader whose target is known only once the process has started."""
        self.log_readers[str(len(self.log_readers))] = log_reader

    def on_opened(self, opened_payload: Mapping[str, Any]) -> None:
        """Keep what the process's writer said when it opened the session."""
        self.opened_payload = opened_payload

    def on_launched(self, launched_payload: PipesLaunchedData) -> None:
        """Keep what the launcher learned; its values join the params before reading."""
        self.launched_payload = launched_payload

    @contextmanager
    def read_messages(self, handler: PipesMessageHandler) -> Iterator[PipesParams]:
        """Poll in a thread for the session's length; on exit, read the remaining chunks."""
        with self.get_params() as params:
            done = threading.Event()
            thread = threading.Thread(
                target=self._poll,
                args=(handler, params, done),
                name="headwater-pipes-blob-reader",
                daemon=True,
            )
            thread.start()
            try:
                yield params
            finally:
                done.set()
                thread.join()
                for reader in self.log_readers.values():
                    if reader.is_running():
                        reader.stop()

    def _poll(
        self, handler: PipesMessageHandler, params: PipesParams, done: threading.Event
    ) -> None:
        readable = False
        started: set[str] = set()
        try:
            while True:
                finished = done.is_set()  # read before the download: no chunk can slip by
                if not readable:
                    params = {**params, **dict(self.launched_payload or {})}
                    readable = self.messages_are_readable(params)
                if readable:
                    result = self.download_messages(None, params)
                    if result is not None:
                        for line in result[1].splitlines():
                            handler.handle_line(line)
                        continue
                if handler.received_opened_message:
                    self._start_log_readers(params, done, started)
                if finished or handler.received_closed_message:
                    return
                done.wait(self.interval)
        except Exception as exc:  # reported as an event; the step goes on to its own end
            handler.report_framework_error(f"reading messages with {type(self).__name__}", exc)

    def _start_log_readers(
        self, params: PipesParams, done: threading.Event, started: set[str]
    ) -> None:
        for key, reader in self.log_readers.items():
            if key not in started and reader.target_is_readable(params):
                reader.start(params, done)
                started.add(key)

    def no_messages_debug_text(self) -> str:
        """Where chunks were expected."""
        return f"messages were expected as chunks read by {type(self).__name__}"


PIPES_COMPOSITE_WRITERS_KEY = "dagster_pipes_composite_writers"
"""The key of a composite reader's params: the list of each writer's own params."""


class PipesCompositeMessageReader(PipesMessageReader):
    """Several readers in one session, one per external writer (preview in Dagster).

    For one step that launches several external processes which each open their own Pipes
    session: each process writes where its own reader reads, and every message reaches the
    same handler. The session's params are ``{"dagster_pipes_composite_writers": [...]}``;
    ``PipesSession.get_per_writer_bootstrap_env_vars()`` gives each process its own.

    Args:
        readers: the readers, one per writer (none of them composite).

    Raises:
        DagsterInvariantViolationError: no reader, or a reader that expects several writers.
    """

    def __init__(self, readers: Sequence[PipesMessageReader]) -> None:
        preview_warning("Class `PipesCompositeMessageReader`")
        if not readers:
            raise InvariantViolationError(
                "PipesCompositeMessageReader requires at least one underlying reader."
            )
        for reader in readers:
            if reader.expected_writer_count != 1:
                raise InvariantViolationError(
                    "PipesCompositeMessageReader only supports single-writer readers as "
                    f"children; got {type(reader).__name__} with expected_writer_count="
                    f"{reader.expected_writer_count}."
                )
        self._readers = tuple(readers)

    @property
    def expected_writer_count(self) -> int:
        """One writer per reader."""
        return len(self._readers)

    @contextmanager
    def read_messages(self, handler: PipesMessageHandler) -> Iterator[PipesParams]:
        """Every reader reads for the session; the params list each writer's own."""
        with ExitStack() as stack:
            per_writer = [stack.enter_context(r.read_messages(handler)) for r in self._readers]
            yield {PIPES_COMPOSITE_WRITERS_KEY: per_writer}

    def no_messages_debug_text(self) -> str:
        """Where each writer's messages were expected."""
        return "\n".join(
            f"[writer {i}] {reader.no_messages_debug_text()}"
            for i, reader in enumerate(self._readers)
        )
