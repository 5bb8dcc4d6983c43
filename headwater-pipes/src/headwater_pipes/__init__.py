"""headwater-pipes: report from an external process to a headwater or Dagster run.

Standard library only, Python >= 3.9, and wire-compatible with Dagster Pipes::

    from headwater_pipes import open_pipes

    with open_pipes() as context:
        context.log.info("starting")
        context.report_asset_materialization(metadata={"rows": 42})
"""

from __future__ import annotations

from headwater_pipes.blobstore import (
    PipesBlobStoreMessageWriter,
    PipesBlobStoreMessageWriterChannel,
    PipesBufferedFilesystemMessageWriterChannel,
    PipesDbfsMessageWriter,
)
from headwater_pipes.context import PipesContext, open_dagster_pipes, open_pipes
from headwater_pipes.loaders import (
    PipesCliArgsParamsLoader,
    PipesContextLoader,
    PipesDbfsContextLoader,
    PipesDefaultContextLoader,
    PipesEnvVarParamsLoader,
    PipesMappingParamsLoader,
    PipesParamsLoader,
)
from headwater_pipes.protocol import (
    DAGSTER_PIPES_CONTEXT_ENV_VAR,
    DAGSTER_PIPES_MESSAGES_ENV_VAR,
    PIPES_PROTOCOL_VERSION,
    DagsterPipesError,
    DagsterPipesWarning,
    PipesAssetCheckSeverity,
    PipesContextData,
    PipesDataProvenance,
    PipesError,
    PipesException,
    PipesExtras,
    PipesMessage,
    PipesMetadataRawValue,
    PipesMetadataType,
    PipesMetadataValue,
    PipesOpenedData,
    PipesParams,
    PipesPartitionKeyRange,
    PipesTimeWindow,
    PipesWarning,
    decode_env_var,
    decode_param,
    encode_env_var,
    encode_param,
)
from headwater_pipes.s3 import (
    PipesS3ContextLoader,
    PipesS3MessageWriter,
    PipesS3MessageWriterChannel,
)
from headwater_pipes.schemas import load_schema
from headwater_pipes.writers import (
    PipesBufferedStreamMessageWriterChannel,
    PipesDefaultMessageWriter,
    PipesFileMessageWriterChannel,
    PipesMessageWriter,
    PipesMessageWriterChannel,
    PipesStreamMessageWriterChannel,
)

__all__ = [
    # session
    "open_pipes",
    "open_dagster_pipes",
    "PipesContext",
    # context loaders
    "PipesContextLoader",
    "PipesDefaultContextLoader",
    "PipesDbfsContextLoader",
    "PipesS3ContextLoader",
    # params loaders
    "PipesParamsLoader",
    "PipesMappingParamsLoader",
    "PipesEnvVarParamsLoader",
    "PipesCliArgsParamsLoader",
    # message writers and channels
    "PipesMessageWriter",
    "PipesDefaultMessageWriter",
    "PipesBlobStoreMessageWriter",
    "PipesS3MessageWriter",
    "PipesDbfsMessageWriter",
    "PipesMessageWriterChannel",
    "PipesFileMessageWriterChannel",
    "PipesStreamMessageWriterChannel",
    "PipesBufferedStreamMessageWriterChannel",
    "PipesBufferedFilesystemMessageWriterChannel",
    "PipesBlobStoreMessageWriterChannel",
    "PipesS3MessageWriterChannel",
    # wire data
    "PIPES_PROTOCOL_VERSION",
    "DAGSTER_PIPES_CONTEXT_ENV_VAR",
    "DAGSTER_PIPES_MESSAGES_ENV_VAR",
    "PipesParams",
    "PipesExtras",
    "PipesMessage",
    "PipesOpenedData",
    "PipesContextData",
    "PipesPartitionKeyRange",
    "PipesTimeWindow",
    "PipesDataProvenance",
    "PipesAssetCheckSeverity",
    "PipesMetadataType",
    "PipesMetadataRawValue",
    "PipesMetadataValue",
    "PipesException",
    "encode_env_var",
    "decode_env_var",
    "encode_param",
    "decode_param",
    "load_schema",
    # errors
    "PipesError",
    "PipesWarning",
    "DagsterPipesError",
    "DagsterPipesWarning",
]
