"""The wire format's types: aliases and TypedDicts, for annotations and type checkers.

Apart from ``protocol`` because building them imports ``typing``, which an external process
that only opens Pipes and reports would load for nothing (a fifth of its start-up);
``protocol`` hands these names out on first use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, Optional, TypedDict, Union

# Aliases and TypedDicts below are evaluated at runtime, so they use Optional/Union and the
# functional TypedDict form: this module must import on Python 3.9.
PipesParams = Mapping[str, Any]
PipesExtras = Mapping[str, Any]
PipesMethod = Literal[
    "opened",
    "closed",
    "log",
    "report_asset_materialization",
    "report_asset_check",
    "report_custom_message",
    "log_external_stream",
]
Method = PipesMethod  # dagster_pipes' name for the same type
PipesAssetCheckSeverity = Literal["WARN", "ERROR"]
PipesMetadataType = Literal[
    "__infer__",
    "text",
    "url",
    "path",
    "notebook",
    "json",
    "md",
    "float",
    "int",
    "bool",
    "dagster_run",
    "asset",
    "null",
    "table",
    "table_schema",
    "table_column_lineage",
    "timestamp",
]
PipesMetadataRawValue = Union[int, float, str, Mapping[str, Any], Sequence[Any], bool, None]

# The version key starts with "__", which a class-body annotation would name-mangle.
PipesMessage = TypedDict(
    "PipesMessage",
    {
        "__dagster_pipes_version": str,
        "method": str,
        "params": Optional[Mapping[str, Any]],
    },
)
PipesOpenedData = TypedDict("PipesOpenedData", {"extras": Mapping[str, Any]})
PipesPartitionKeyRange = TypedDict("PipesPartitionKeyRange", {"start": str, "end": str})
PipesTimeWindow = TypedDict("PipesTimeWindow", {"start": str, "end": str})
PipesDataProvenance = TypedDict(
    "PipesDataProvenance",
    {
        "code_version": str,
        "input_data_versions": Mapping[str, str],
        "is_user_provided": bool,
    },
)
PipesContextData = TypedDict(
    "PipesContextData",
    {
        "asset_keys": Optional[Sequence[str]],
        "code_version_by_asset_key": Optional[Mapping[str, Optional[str]]],
        "provenance_by_asset_key": Optional[Mapping[str, Optional[PipesDataProvenance]]],
        "partition_key": Optional[str],
        "partition_key_range": Optional[PipesPartitionKeyRange],
        "partition_time_window": Optional[PipesTimeWindow],
        "run_id": str,
        "job_name": Optional[str],
        "retry_number": int,
        "extras": Mapping[str, Any],
    },
)
PipesMetadataValue = TypedDict(
    "PipesMetadataValue", {"type": PipesMetadataType, "raw_value": PipesMetadataRawValue}
)
# cause/context nest the same shape; a forward reference keeps the functional form valid.
PipesException = TypedDict(
    "PipesException",
    {
        "message": str,
        "stack": Sequence[str],
        "name": Optional[str],
        "cause": Optional["PipesException"],
        "context": Optional["PipesException"],
    },
)

# What report methods take as metadata: raw values, or values with their type.
PipesMetadata = Mapping[str, Union[PipesMetadataRawValue, PipesMetadataValue]]
