"""headwater-pipes: report from an external process to a headwater or Dagster run.

Standard library only, Python >= 3.9, and wire-compatible with Dagster Pipes::

    from headwater_pipes import open_pipes

    with open_pipes() as context:
        context.log.info("starting")
        context.report_asset_materialization(metadata={"rows": 42})
"""

from __future__ import annotations

from headwater_pipes import _unsupported
from headwater_pipes._unsupported import PipesUnsupportedError
from headwater_pipes.blobstore import (
    PipesBlobStoreMessageWriter,
    PipesBlobStoreMessageWriterChannel,
    PipesBufferedFilesystemMessageWriterChannel,
    PipesDbfsMessageWriter,
    T_BlobChannel as T_BlobStoreMessageWriterChannel,
)
from headwater_pipes.context import PipesContext, open_dagster_pipes, open_pipes
from headwater_pipes.loaders import (
    DAGSTER_PIPES_CLI_PARSER,
    PipesCliArgsParamsLoader,
    PipesContextLoader,
    PipesDbfsContextLoader,
    PipesDefaultContextLoader,
    PipesEnvVarParamsLoader,
    PipesMappingParamsLoader,
    PipesParamsLoader,
)
from headwater_pipes.protocol import (
    DAGSTER_PIPES_CONTEXT_CLI_ARGUMENT,
    DAGSTER_PIPES_CONTEXT_ENV_VAR,
    DAGSTER_PIPES_CONTEXT_WIDGET_KEY,
    DAGSTER_PIPES_MESSAGES_CLI_ARGUMENT,
    DAGSTER_PIPES_MESSAGES_ENV_VAR,
    DAGSTER_PIPES_MESSAGES_WIDGET_KEY,
    ESCAPE_CHARACTER,
    PIPES_METADATA_TYPE_INFER,
    PIPES_PROTOCOL_VERSION,
    PIPES_PROTOCOL_VERSION_FIELD,
    DagsterPipesError,
    DagsterPipesWarning,
    Method,
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
    to_asset_key_path,
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
    T_Channel as T_MessageChannel,
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
    "PIPES_PROTOCOL_VERSION_FIELD",
    "PIPES_METADATA_TYPE_INFER",
    "ESCAPE_CHARACTER",
    "DAGSTER_PIPES_CONTEXT_ENV_VAR",
    "DAGSTER_PIPES_MESSAGES_ENV_VAR",
    "DAGSTER_PIPES_CONTEXT_CLI_ARGUMENT",
    "DAGSTER_PIPES_MESSAGES_CLI_ARGUMENT",
    "DAGSTER_PIPES_CONTEXT_WIDGET_KEY",
    "DAGSTER_PIPES_MESSAGES_WIDGET_KEY",
    "DAGSTER_PIPES_CLI_PARSER",
    "Method",
    "to_asset_key_path",
    "T_MessageChannel",
    "T_BlobStoreMessageWriterChannel",
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
    "PipesUnsupportedError",
]


def __getattr__(name: str) -> object:
    # dagster_pipes names headwater_pipes does not implement resolve to placeholders that
    # raise PipesUnsupportedError when used (they are not exports: not in __all__).
    found = _unsupported.placeholder(name)
    if found is None:
        raise AttributeError(f"module 'headwater_pipes' has no attribute {name!r}")
    return found
