"""Reading Pipes messages from S3: the process uploads numbered chunks, we poll for them.

The process's ``PipesS3MessageWriter`` writes ``<key_prefix>/1.json``, ``2.json`` ... each
holding newline-separated messages. The reader downloads them in order from a thread. The
boto3 client is passed in, never imported, so headwater does not depend on boto3.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from headwater_pipes.protocol import (
    MESSAGES_PARAM_BUCKET,
    MESSAGES_PARAM_INCLUDE_STDIO,
    MESSAGES_PARAM_KEY_PREFIX,
    PipesParams,
)

from headwater.pipes.readers import PipesMessageReader

if TYPE_CHECKING:
    from headwater.pipes.handler import PipesMessageHandler

__all__ = ["PipesS3MessageReader"]


class PipesS3MessageReader(PipesMessageReader):
    """Polls an S3 bucket for the chunks an external process uploads.

    Args:
        bucket: the bucket the process writes to.
        client: a ``boto3.client("s3")`` (or any client with ``get_object``).
        interval: seconds between polls once the reader has caught up.
        include_stdio_in_messages: ask the process's writer to send its stdout/stderr too.
    """

    def __init__(
        self,
        *,
        bucket: str,
        client: Any,
        interval: float = 10,
        include_stdio_in_messages: bool = False,
    ) -> None:
        self.bucket = bucket
        self.client = client
        self.interval = interval
        self._include_stdio = include_stdio_in_messages
        self.key_prefix = ""

    @contextmanager
    def read_messages(self, handler: PipesMessageHandler) -> Iterator[PipesParams]:
        """Poll in a thread under a fresh key prefix; on exit, read the remaining chunks."""
        self.key_prefix = f"headwater-pipes/{secrets.token_hex(8)}"
        done = threading.Event()
        thread = threading.Thread(
            target=self._poll, args=(handler, done), name="headwater-pipes-s3-reader", daemon=True
        )
        thread.start()
        try:
            yield {
                MESSAGES_PARAM_BUCKET: self.bucket,
                MESSAGES_PARAM_KEY_PREFIX: self.key_prefix,
                MESSAGES_PARAM_INCLUDE_STDIO: self._include_stdio,
            }
        finally:
            done.set()
            thread.join()

    def download_messages_chunk(self, index: int) -> str | None:
        """The text of chunk ``index``, or ``None`` when it is not there (yet)."""
        missing = getattr(self.client.exceptions, "NoSuchKey", None)
        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=f"{self.key_prefix}/{index}.json")
        except Exception as exc:
            if missing is not None and isinstance(exc, missing):
                return None
            raise
        body: bytes = obj["Body"].read()
        return body.decode("utf-8")

    def _poll(self, handler: PipesMessageHandler, done: threading.Event) -> None:
        index = 1
        try:
            while True:
                finished = done.is_set()  # read before the download: no chunk can slip by
                text = self.download_messages_chunk(index)
                if text is not None:
                    for line in text.splitlines():
                        handler.handle_line(line)
                    index += 1
                    continue
                if finished:
                    return
                done.wait(self.interval)
        except Exception as exc:  # reported as an event; the step goes on to its own end
            handler.report_framework_error(f"reading messages from s3://{self.bucket}", exc)

    def no_messages_debug_text(self) -> str:
        """Where chunks were expected."""
        return f"messages were expected under s3://{self.bucket}/{self.key_prefix}/"
