"""Buffered channels: messages uploaded as numbered chunks to a blob store or a mounted folder.

A chunk is the messages' JSON lines joined by newlines, stored as chunk ``1``, ``2``, ... Chunks
go up every `interval` seconds from a background thread and once more on close, so
``PipesContext.close()`` returns only after the last message is stored.
"""

from __future__ import annotations

import json
import os
import threading
import warnings
from abc import abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from io import StringIO
from typing import IO, Any, TypeVar

from headwater_pipes.loaders import DBFS_MOUNT_ROOT, require_param
from headwater_pipes.protocol import (
    MESSAGES_PARAM_PATH,
    DagsterPipesWarning,
    PipesError,
    PipesExtras,
    PipesMessage,
    PipesParams,
    encode_message,
)
from headwater_pipes.writers import PipesMessageWriter, PipesMessageWriterChannel

__all__ = [
    "PipesBlobStoreMessageWriterChannel",
    "PipesBlobStoreMessageWriter",
    "PipesBufferedFilesystemMessageWriterChannel",
    "PipesDbfsMessageWriter",
]

T_BlobChannel = TypeVar("T_BlobChannel", bound="PipesBlobStoreMessageWriterChannel")


class PipesBlobStoreMessageWriterChannel(PipesMessageWriterChannel):
    """Buffers messages and uploads them as numbered chunks (``1``, ``2``, ...).

    A chunk is the messages' JSON lines joined by newlines. Chunks go up every `interval`
    seconds from a background thread while `buffered_upload_loop` is open, and once more when
    it closes. A chunk that fails to upload is kept and retried with the next one.

    Args:
        interval: seconds between uploads.
    """

    def __init__(self, *, interval: float = 10) -> None:
        self._interval = interval
        self._lines: list[str] = []
        self._buffer_lock = threading.Lock()
        self._upload_lock = threading.Lock()
        self._counter = 1
        self._last_error: BaseException | None = None

    def write_message(self, message: PipesMessage) -> None:
        """Buffer the message (serialized now, so a bad payload fails at the call)."""
        line = encode_message(message)
        with self._buffer_lock:
            self._lines.append(line)

    def flush_messages(self) -> Sequence[PipesMessage]:
        """Take the buffered messages out of the buffer and return them."""
        return [json.loads(line) for line in self._take_lines()]

    def _take_lines(self) -> list[str]:
        with self._buffer_lock:
            lines, self._lines = self._lines, []
        return lines

    @abstractmethod
    def upload_messages_chunk(self, payload: IO[str], index: int) -> None:
        """Store one chunk where the orchestrator's reader looks for chunk `index`.

        Args:
            payload: the chunk's text.
            index: the chunk's number, from 1, without gaps.
        """

    def upload_pending(self) -> bool:
        """Upload the buffered messages as the next chunk, if there are any.

        Returns:
            Whether a chunk was uploaded.

        Raises:
            Exception: whatever the upload raised; the messages stay buffered.
        """
        with self._upload_lock:
            lines = self._take_lines()
            if not lines:
                return False
            try:
                self.upload_messages_chunk(StringIO("\n".join(lines)), self._counter)
            except BaseException:
                with self._buffer_lock:
                    self._lines[:0] = lines
                raise
            self._counter += 1
            return True

    def _upload_loop(self, stop: threading.Event) -> None:
        while not stop.wait(self._interval):
            try:
                self.upload_pending()
            except Exception as exc:  # retried at the next tick and at close, which raises
                self._last_error = exc

    @contextmanager
    def buffered_upload_loop(self) -> Iterator[None]:
        """Upload in the background while open; upload the rest on exit.

        Raises:
            PipesError: the final upload failed; the message says how many messages are lost.
        """
        stop = threading.Event()
        thread = threading.Thread(
            target=self._upload_loop, args=(stop,), name="headwater-pipes-upload", daemon=True
        )
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
            try:
                self.upload_pending()
            except Exception as exc:
                pending = len(self._lines)
                raise PipesError(
                    f"{type(self).__name__} could not upload the last {pending} message(s) "
                    f"as chunk {self._counter}: {type(exc).__name__}: {exc}"
                ) from exc


class PipesBlobStoreMessageWriter(PipesMessageWriter[T_BlobChannel]):
    """Opens a blob store channel and runs its upload loop while the context is open.

    Args:
        interval: seconds between chunk uploads.
    """

    def __init__(self, *, interval: float = 10) -> None:
        self.interval = interval

    @contextmanager
    def open(self, params: PipesParams) -> Iterator[T_BlobChannel]:
        """Yield the channel from `make_channel`; its last chunk is uploaded on exit."""
        channel = self.make_channel(params)
        with channel.buffered_upload_loop():
            yield channel

    @abstractmethod
    def make_channel(self, params: PipesParams) -> T_BlobChannel:
        """Build the channel from the orchestrator's params.

        Args:
            params: the params from the orchestrator's message reader.
        """


class PipesBufferedFilesystemMessageWriterChannel(PipesBlobStoreMessageWriterChannel):
    """Writes chunks as ``<path>/<index>.json`` on a (mounted) filesystem.

    Each chunk is written to a hidden temporary file and renamed into place, so a reader never
    sees half a chunk.

    Args:
        path: the directory the orchestrator's reader watches.
        interval: seconds between chunks.
    """

    def __init__(self, path: str, *, interval: float = 10) -> None:
        super().__init__(interval=interval)
        self._path = path

    def upload_messages_chunk(self, payload: IO[str], index: int) -> None:
        """Write chunk `index` atomically."""
        os.makedirs(self._path, exist_ok=True)
        final = os.path.join(self._path, f"{index}.json")
        partial = os.path.join(self._path, f".{index}.json.partial")
        with open(partial, "w", encoding="utf-8") as f:
            f.write(payload.read())
        os.replace(partial, final)


class PipesDbfsMessageWriter(
    PipesBlobStoreMessageWriter[PipesBufferedFilesystemMessageWriterChannel]
):
    """Writes message chunks to a DBFS directory through the driver's mount.

    When the process runs in a Spark session with cluster log delivery on, the ``opened``
    message carries ``cluster_driver_log_root`` so the orchestrator can fetch the driver's
    logs. pyspark is imported only then, if it is installed; without it (or without an
    active session) the writer still writes its messages, with no extras.

    Args:
        interval: seconds between chunks.

    Attributes:
        mount_root: where DBFS is mounted, ``/dbfs`` on Databricks (a class attribute; a
            test may set it on an instance).
    """

    mount_root: str = DBFS_MOUNT_ROOT

    def make_channel(self, params: PipesParams) -> PipesBufferedFilesystemMessageWriterChannel:
        """Build a filesystem channel on the mounted path of ``params["path"]``."""
        dbfs_path = require_param(params, MESSAGES_PARAM_PATH, str, type(self).__name__)
        return PipesBufferedFilesystemMessageWriterChannel(
            os.path.join(self.mount_root, dbfs_path.lstrip("/")), interval=self.interval
        )

    def get_opened_extras(self) -> PipesExtras:
        """Return ``cluster_driver_log_root`` when the active Spark session shows log
        delivery is on; nothing without pyspark or a session, or when its config cannot be
        read (a warning says why)."""
        spark = _active_spark_session()
        if spark is None:
            return {}
        prefix = "spark.databricks.clusterUsageTags."
        try:
            if not spark.conf.get(prefix + "clusterLogDeliveryEnabled", None):
                return {}
            destination = spark.conf.get(prefix + "clusterLogDestination")
            cluster_id = spark.conf.get(prefix + "clusterId")
        except Exception as exc:  # py4j's Java errors, which this package cannot name
            warnings.warn(
                "reading the Spark config for the cluster's log location failed; the driver's "
                f"logs will not be forwarded: {exc}",
                DagsterPipesWarning,
                stacklevel=2,
            )
            return {}
        return {"cluster_driver_log_root": f"{destination}/{cluster_id}/driver"}


def _active_spark_session() -> Any:
    """The active ``SparkSession`` when pyspark is installed (on Databricks), else ``None``."""
    try:
        from pyspark.sql import SparkSession  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    return SparkSession.getActiveSession()
