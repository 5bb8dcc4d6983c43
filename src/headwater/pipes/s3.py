"""Reading Pipes messages from S3: the process uploads numbered chunks, we poll for them.

The process's ``PipesS3MessageWriter`` writes ``<key_prefix>/1.json``, ``2.json`` ... each
holding newline-separated messages. The reader downloads them in order from a thread. The
boto3 client is passed in, never imported, so headwater does not depend on boto3.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from headwater_pipes.protocol import (
    MESSAGES_PARAM_BUCKET,
    MESSAGES_PARAM_INCLUDE_STDIO,
    MESSAGES_PARAM_KEY_PREFIX,
    PipesParams,
)

from headwater.pipes.blobstore import PipesBlobStoreMessageReader, PipesLogReader

__all__ = ["PipesS3MessageReader"]


class PipesS3MessageReader(PipesBlobStoreMessageReader):
    """Polls an S3 bucket for the chunks an external process uploads.

    Args:
        bucket: the bucket the process writes to.
        client: a ``boto3.client("s3")`` (or any client with ``get_object``).
        interval: seconds between polls once the reader has caught up.
        log_readers: readers of the process's logs (see ``PipesBlobStoreMessageReader``).
        include_stdio_in_messages: ask the process's writer to send its stdout/stderr too.
    """

    def __init__(
        self,
        *,
        bucket: str,
        client: Any,
        interval: float = 10,
        log_readers: Sequence[PipesLogReader] | None = None,
        include_stdio_in_messages: bool = False,
    ) -> None:
        super().__init__(interval=interval, log_readers=log_readers)
        self.bucket = bucket
        self.client = client
        self._include_stdio = include_stdio_in_messages
        self.key_prefix = ""

    @contextmanager
    def get_params(self) -> Iterator[PipesParams]:
        """A fresh key prefix for this session's chunks."""
        self.key_prefix = f"headwater-pipes/{secrets.token_hex(8)}"
        self.counter = 1
        yield {
            MESSAGES_PARAM_BUCKET: self.bucket,
            MESSAGES_PARAM_KEY_PREFIX: self.key_prefix,
            MESSAGES_PARAM_INCLUDE_STDIO: self._include_stdio,
        }

    def messages_are_readable(self, params: PipesParams) -> bool:
        """Always: a chunk that is not there yet reads as missing."""
        return True

    def download_messages_chunk(self, index: int, params: PipesParams) -> str | None:
        """The text of chunk ``index``, or ``None`` when it is not there (yet)."""
        missing = getattr(self.client.exceptions, "NoSuchKey", None)
        key = f"{params[MESSAGES_PARAM_KEY_PREFIX]}/{index}.json"
        try:
            obj = self.client.get_object(Bucket=params[MESSAGES_PARAM_BUCKET], Key=key)
        except Exception as exc:
            if missing is not None and isinstance(exc, missing):
                return None
            raise
        body: bytes = obj["Body"].read()
        return body.decode("utf-8")

    def no_messages_debug_text(self) -> str:
        """Where chunks were expected."""
        return f"messages were expected under s3://{self.bucket}/{self.key_prefix}/"
