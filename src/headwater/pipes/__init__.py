"""Pipes, the orchestrator side: run code outside the orchestrator's process and record
what it reports (logs, materializations, checks, custom messages) in the run.

Wire-compatible with Dagster Pipes: a process using ``headwater_pipes`` or Dagster's
``dagster_pipes`` can report here. The wire format comes from ``headwater_pipes.protocol``.
"""

from __future__ import annotations

from headwater.pipes.blobstore import (
    PipesBlobStoreMessageReader,
    PipesCompositeMessageReader,
    PipesLaunchedData,
    PipesLogReader,
)
from headwater.pipes.client import (
    PipesClient,
    PipesClientCompletedInvocation,
    PipesSubprocessClient,
)
from headwater.pipes.context_data import build_context_data, make_traceparent
from headwater.pipes.handler import PipesExecutionResult, PipesMessageHandler
from headwater.pipes.injectors import (
    PipesContextInjector,
    PipesEnvContextInjector,
    PipesFileContextInjector,
    PipesTempFileContextInjector,
)
from headwater.pipes.readers import (
    PipesFileMessageReader,
    PipesMessageReader,
    PipesStdioMessageReader,
    PipesTempFileMessageReader,
)
from headwater.pipes.s3 import PipesS3MessageReader
from headwater.pipes.session import PipesSession, open_pipes_session

__all__ = [
    "PipesClient",
    "PipesSubprocessClient",
    "PipesClientCompletedInvocation",
    "PipesSession",
    "open_pipes_session",
    "PipesContextInjector",
    "PipesEnvContextInjector",
    "PipesFileContextInjector",
    "PipesTempFileContextInjector",
    "PipesMessageReader",
    "PipesFileMessageReader",
    "PipesTempFileMessageReader",
    "PipesStdioMessageReader",
    "PipesS3MessageReader",
    "PipesBlobStoreMessageReader",
    "PipesCompositeMessageReader",
    "PipesLogReader",
    "PipesLaunchedData",
    "PipesMessageHandler",
    "PipesExecutionResult",
    "build_context_data",
    "make_traceparent",
]
