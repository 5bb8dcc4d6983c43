"""Pipes over S3: context from an object, messages as numbered chunk objects.

The boto3 client is passed in (``boto3.client("s3")``), never imported here, so this package
stays standard-library only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from headwater_pipes.blobstore import (
    PipesBlobStoreMessageWriter,
    PipesBlobStoreMessageWriterChannel,
)
from headwater_pipes.loaders import PipesContextLoader, require_param
from headwater_pipes.protocol import (
    MESSAGES_PARAM_BUCKET,
    MESSAGES_PARAM_KEY_PREFIX,
    PipesContextData,
    PipesError,
    PipesParams,
)

__all__ = ["PipesS3ContextLoader", "PipesS3MessageWriter", "PipesS3MessageWriterChannel"]


class PipesS3ContextLoader(PipesContextLoader):
    """Loads context data from the JSON object at params ``bucket`` and ``key``.

    Args:
        client: a ``boto3.client("s3")``.
    """

    def __init__(self, client: Any) -> None:
        self._client = client

    @contextmanager
    def load_context(self, params: PipesParams) -> Iterator[PipesContextData]:
        """Yield the context data read from S3.

        Raises:
            PipesError: a param is missing or the object is not JSON.
        """
        owner = type(self).__name__
        bucket = require_param(params, MESSAGES_PARAM_BUCKET, str, owner)
        key = require_param(params, "key", str, owner)
        body = self._client.get_object(Bucket=bucket, Key=key)["Body"].read()
        try:
            yield json.loads(body.decode("utf-8"))
        except ValueError as exc:
            raise PipesError(f"{owner}: s3://{bucket}/{key} is not valid JSON: {exc}") from exc


class PipesS3MessageWriterChannel(PipesBlobStoreMessageWriterChannel):
    """Uploads message chunks as ``<key_prefix>/<index>.json`` objects.

    Args:
        client: a ``boto3.client("s3")``.
        bucket: the bucket the orchestrator's reader lists.
        key_prefix: the prefix of the chunk keys; chunks go to the bucket root when None.
        interval: seconds between chunk uploads.
    """

    def __init__(
        self, client: Any, bucket: str, key_prefix: str | None, *, interval: float = 10
    ) -> None:
        super().__init__(interval=interval)
        self._client = client
        self._bucket = bucket
        self._key_prefix = key_prefix

    def upload_messages_chunk(self, payload: IO[str], index: int) -> None:
        """Put chunk `index` as one object."""
        name = f"{index}.json"
        key = f"{self._key_prefix}/{name}" if self._key_prefix else name
        self._client.put_object(Body=payload.read(), Bucket=self._bucket, Key=key)


class PipesS3MessageWriter(PipesBlobStoreMessageWriter[PipesS3MessageWriterChannel]):
    """Writes messages as chunk objects to the bucket and prefix the orchestrator names.

    Args:
        client: a ``boto3.client("s3")``.
        interval: seconds between chunk uploads.
    """

    def __init__(self, client: Any, *, interval: float = 10) -> None:
        super().__init__(interval=interval)
        self._client = client

    def make_channel(self, params: PipesParams) -> PipesS3MessageWriterChannel:
        """Build the channel from params ``bucket`` and optional ``key_prefix``.

        Raises:
            PipesError: ``bucket`` is missing or ``key_prefix`` is not a string.
        """
        owner = type(self).__name__
        bucket = require_param(params, MESSAGES_PARAM_BUCKET, str, owner)
        key_prefix = params.get(MESSAGES_PARAM_KEY_PREFIX)
        if key_prefix is not None:
            key_prefix = require_param(params, MESSAGES_PARAM_KEY_PREFIX, str, owner)
        return PipesS3MessageWriterChannel(self._client, bucket, key_prefix, interval=self.interval)
