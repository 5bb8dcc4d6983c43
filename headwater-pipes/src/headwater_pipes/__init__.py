"""headwater-pipes: report from an external process to a headwater or Dagster run.

Standard library only, Python >= 3.9, and wire-compatible with Dagster Pipes::

    from headwater_pipes import open_pipes

    with open_pipes() as context:
        context.log.info("starting")
        context.report_asset_materialization(metadata={"rows": 42})
"""

from __future__ import annotations

import sys as _sys

# Names load on first use (PEP 562): an external process pays for what it touches, not for
# the blob store, S3, argparse or the JSON schemas (issue 10: `import headwater_pipes` is
# paid by every external process). `TYPE_CHECKING` is a local False rather than
# typing's, so that the import itself does not load `typing`; mypy and pyright honour the name.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from headwater_pipes._cli import DAGSTER_PIPES_CLI_PARSER
    from headwater_pipes._exc_thread import ExcThread
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
        T_LogChannel,
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
    "T_LogChannel",
    "T_BlobStoreMessageWriterChannel",
    "ExcThread",
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


def _import_module(name: str) -> Any:
    # importlib.import_module's work for an absolute name, without importing importlib (and
    # the warnings it loads): the import system itself is always there (issue 10).
    __import__(name)
    return _sys.modules[name]


# name -> (module under headwater_pipes, attribute there)
_LAZY: dict[str, tuple[str, str]] = {
    "PipesUnsupportedError": ("_unsupported", "PipesUnsupportedError"),
    "PipesBlobStoreMessageWriter": ("blobstore", "PipesBlobStoreMessageWriter"),
    "PipesBlobStoreMessageWriterChannel": ("blobstore", "PipesBlobStoreMessageWriterChannel"),
    "PipesBufferedFilesystemMessageWriterChannel": (
        "blobstore",
        "PipesBufferedFilesystemMessageWriterChannel",
    ),
    "PipesDbfsMessageWriter": ("blobstore", "PipesDbfsMessageWriter"),
    "T_BlobStoreMessageWriterChannel": ("blobstore", "T_BlobChannel"),
    "PipesContext": ("context", "PipesContext"),
    "open_dagster_pipes": ("context", "open_dagster_pipes"),
    "open_pipes": ("context", "open_pipes"),
    "DAGSTER_PIPES_CLI_PARSER": ("_cli", "DAGSTER_PIPES_CLI_PARSER"),
    "PipesCliArgsParamsLoader": ("loaders", "PipesCliArgsParamsLoader"),
    "PipesContextLoader": ("loaders", "PipesContextLoader"),
    "PipesDbfsContextLoader": ("loaders", "PipesDbfsContextLoader"),
    "PipesDefaultContextLoader": ("loaders", "PipesDefaultContextLoader"),
    "PipesEnvVarParamsLoader": ("loaders", "PipesEnvVarParamsLoader"),
    "PipesMappingParamsLoader": ("loaders", "PipesMappingParamsLoader"),
    "PipesParamsLoader": ("loaders", "PipesParamsLoader"),
    "DAGSTER_PIPES_CONTEXT_CLI_ARGUMENT": ("protocol", "DAGSTER_PIPES_CONTEXT_CLI_ARGUMENT"),
    "DAGSTER_PIPES_CONTEXT_ENV_VAR": ("protocol", "DAGSTER_PIPES_CONTEXT_ENV_VAR"),
    "DAGSTER_PIPES_CONTEXT_WIDGET_KEY": ("protocol", "DAGSTER_PIPES_CONTEXT_WIDGET_KEY"),
    "DAGSTER_PIPES_MESSAGES_CLI_ARGUMENT": ("protocol", "DAGSTER_PIPES_MESSAGES_CLI_ARGUMENT"),
    "DAGSTER_PIPES_MESSAGES_ENV_VAR": ("protocol", "DAGSTER_PIPES_MESSAGES_ENV_VAR"),
    "DAGSTER_PIPES_MESSAGES_WIDGET_KEY": ("protocol", "DAGSTER_PIPES_MESSAGES_WIDGET_KEY"),
    "ESCAPE_CHARACTER": ("protocol", "ESCAPE_CHARACTER"),
    "PIPES_METADATA_TYPE_INFER": ("protocol", "PIPES_METADATA_TYPE_INFER"),
    "PIPES_PROTOCOL_VERSION": ("protocol", "PIPES_PROTOCOL_VERSION"),
    "PIPES_PROTOCOL_VERSION_FIELD": ("protocol", "PIPES_PROTOCOL_VERSION_FIELD"),
    "DagsterPipesError": ("protocol", "DagsterPipesError"),
    "DagsterPipesWarning": ("protocol", "DagsterPipesWarning"),
    "Method": ("protocol", "Method"),
    "PipesAssetCheckSeverity": ("protocol", "PipesAssetCheckSeverity"),
    "PipesContextData": ("protocol", "PipesContextData"),
    "PipesDataProvenance": ("protocol", "PipesDataProvenance"),
    "PipesError": ("protocol", "PipesError"),
    "PipesException": ("protocol", "PipesException"),
    "PipesExtras": ("protocol", "PipesExtras"),
    "PipesMessage": ("protocol", "PipesMessage"),
    "PipesMetadataRawValue": ("protocol", "PipesMetadataRawValue"),
    "PipesMetadataType": ("protocol", "PipesMetadataType"),
    "PipesMetadataValue": ("protocol", "PipesMetadataValue"),
    "PipesOpenedData": ("protocol", "PipesOpenedData"),
    "PipesParams": ("protocol", "PipesParams"),
    "PipesPartitionKeyRange": ("protocol", "PipesPartitionKeyRange"),
    "PipesTimeWindow": ("protocol", "PipesTimeWindow"),
    "PipesWarning": ("protocol", "PipesWarning"),
    "decode_env_var": ("protocol", "decode_env_var"),
    "decode_param": ("protocol", "decode_param"),
    "encode_env_var": ("protocol", "encode_env_var"),
    "encode_param": ("protocol", "encode_param"),
    "to_asset_key_path": ("protocol", "to_asset_key_path"),
    "PipesS3ContextLoader": ("s3", "PipesS3ContextLoader"),
    "PipesS3MessageWriter": ("s3", "PipesS3MessageWriter"),
    "PipesS3MessageWriterChannel": ("s3", "PipesS3MessageWriterChannel"),
    "load_schema": ("schemas", "load_schema"),
    "PipesBufferedStreamMessageWriterChannel": (
        "writers",
        "PipesBufferedStreamMessageWriterChannel",
    ),
    "PipesDefaultMessageWriter": ("writers", "PipesDefaultMessageWriter"),
    "PipesFileMessageWriterChannel": ("writers", "PipesFileMessageWriterChannel"),
    "PipesMessageWriter": ("writers", "PipesMessageWriter"),
    "PipesMessageWriterChannel": ("writers", "PipesMessageWriterChannel"),
    "PipesStreamMessageWriterChannel": ("writers", "PipesStreamMessageWriterChannel"),
    "T_MessageChannel": ("writers", "T_Channel"),
    "T_LogChannel": ("writers", "T_LogChannel"),
    "ExcThread": ("_exc_thread", "ExcThread"),
}


def __getattr__(name: str) -> object:
    found = _LAZY.get(name)
    if found is not None:
        module_name, attribute = found
        value = getattr(_import_module(f"headwater_pipes.{module_name}"), attribute)
        globals()[name] = value  # resolved once; later lookups skip this function
        return value
    if name.startswith("_"):
        # A private submodule being imported (`from headwater_pipes import _reports`) asks
        # here first: no placeholder has such a name, and loading their table costs typing.
        raise AttributeError(f"module 'headwater_pipes' has no attribute {name!r}")
    # dagster_pipes names headwater_pipes does not implement resolve to placeholders that
    # raise PipesUnsupportedError when used (they are not exports: not in __all__).
    # (Submodules imported with `from headwater_pipes import _x` also pass through here, so
    # this imports by full name: a from-import would recurse.)
    placeholder = _import_module("headwater_pipes._unsupported").placeholder(name)
    if placeholder is None:
        raise AttributeError(f"module 'headwater_pipes' has no attribute {name!r}")
    return placeholder


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
