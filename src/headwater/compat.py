"""Dagster spellings of headwater names, so that ``import headwater as dg`` ports code.

Only names that carry the word "Dagster" live here; everything else has one name.
"""

from __future__ import annotations

import importlib
import typing

from headwater.errors import (
    AssetCheckFailedError as DagsterAssetCheckFailedError,
    ConfigMappingFunctionError as DagsterConfigMappingFunctionError,
    EventLogInvalidForRunError as DagsterEventLogInvalidForRun,
    ExecutionInterruptedError as DagsterExecutionInterruptedError,
    HeadwaterError as DagsterError,
    InvalidConfigDefinitionError as DagsterInvalidConfigDefinitionError,
    InvalidConfigError as DagsterInvalidConfigError,
    InvalidDefinitionError as DagsterInvalidDefinitionError,
    InvalidInvocationError as DagsterInvalidInvocationError,
    InvalidMetadataError as DagsterInvalidMetadata,
    InvalidSubsetError as DagsterInvalidSubsetError,
    InvariantViolationError as DagsterInvariantViolationError,
    PipesExecutionError as DagsterPipesExecutionError,
    ResourceFunctionError as DagsterResourceFunctionError,
    RunNotFoundError as DagsterRunNotFoundError,
    StepExecutionError as DagsterExecutionStepExecutionError,
    StepNotFoundError as DagsterExecutionStepNotFoundError,
    StepOutputNotFoundError as DagsterStepOutputNotFoundError,
    SubprocessError as DagsterSubprocessError,
    TypeCheckError as DagsterTypeCheckError,
    TypeCheckFailedError as DagsterTypeCheckDidNotPass,
    UnknownResourceError as DagsterUnknownResourceError,
    UnmetExecutorRequirementsError as DagsterUnmetExecutorRequirementsError,
    UserCodeExecutionError as DagsterUserCodeExecutionError,
)
from headwater.events import EventType as DagsterEventType, RunEvent as DagsterEvent

if typing.TYPE_CHECKING:
    from headwater.alias import install_alias, uninstall_alias
    from headwater.execution.context import RunLog as DagsterLogManager
    from headwater.metadata.values import (
        AssetMetadataValue as DagsterAssetMetadataValue,
        JobMetadataValue as DagsterJobMetadataValue,
        RunMetadataValue as DagsterRunMetadataValue,
    )
    from headwater.partitions import UnknownPartitionError as DagsterUnknownPartitionError
    from headwater.storage import (
        Instance as DagsterInstance,
        Run as DagsterRun,
        RunStatus as DagsterRunStatus,
    )
    from headwater.types import (
        DataType as DagsterType,
        DataTypeKind as DagsterTypeKind,
        DataTypeLoader as DagsterTypeLoader,
        PythonObjectType as PythonObjectDagsterType,
        check_type as check_dagster_type,
        data_type_loader as dagster_type_loader,
        make_python_type_usable_as_type as make_python_type_usable_as_dagster_type,
        usable_as_type as usable_as_dagster_type,
    )

# Spellings of names from heavier packages load on first use: catching
# `DagsterInvalidConfigError` must not import the instance's storage and the partitions.
_LAZY: dict[str, tuple[str, str]] = {
    "DagsterLogManager": ("headwater.execution.context", "RunLog"),
    "DagsterAssetMetadataValue": ("headwater.metadata.values", "AssetMetadataValue"),
    "DagsterRunMetadataValue": ("headwater.metadata.values", "RunMetadataValue"),
    "DagsterJobMetadataValue": ("headwater.metadata.values", "JobMetadataValue"),
    # The opt-in `import dagster` alias (docs/alias.md); loaded only when asked for.
    "install_alias": ("headwater.alias", "install_alias"),
    "uninstall_alias": ("headwater.alias", "uninstall_alias"),
    "DagsterInstance": ("headwater.storage", "Instance"),
    "DagsterRun": ("headwater.storage", "Run"),
    "DagsterRunStatus": ("headwater.storage", "RunStatus"),
    "DagsterUnknownPartitionError": ("headwater.partitions", "UnknownPartitionError"),
    "DagsterType": ("headwater.types", "DataType"),
    "DagsterTypeKind": ("headwater.types", "DataTypeKind"),
    "DagsterTypeLoader": ("headwater.types", "DataTypeLoader"),
    "PythonObjectDagsterType": ("headwater.types", "PythonObjectType"),
    "check_dagster_type": ("headwater.types", "check_type"),
    "dagster_type_loader": ("headwater.types", "data_type_loader"),
    "make_python_type_usable_as_dagster_type": (
        "headwater.types",
        "make_python_type_usable_as_type",
    ),
    "usable_as_dagster_type": ("headwater.types", "usable_as_type"),
}

__all__ = [
    "DagsterAssetCheckFailedError",
    "DagsterConfigMappingFunctionError",
    "DagsterAssetMetadataValue",
    "install_alias",
    "uninstall_alias",
    "DagsterError",
    "DagsterExecutionInterruptedError",
    "DagsterStepOutputNotFoundError",
    "DagsterEvent",
    "DagsterEventType",
    "DagsterExecutionStepExecutionError",
    "DagsterInstance",
    "DagsterInvalidConfigDefinitionError",
    "DagsterInvalidConfigError",
    "DagsterInvalidDefinitionError",
    "DagsterInvalidMetadata",
    "DagsterLogManager",
    "DagsterUnknownPartitionError",
    "DagsterPipesExecutionError",
    "DagsterInvalidInvocationError",
    "DagsterInvalidSubsetError",
    "DagsterInvariantViolationError",
    "DagsterResourceFunctionError",
    "DagsterRun",
    "DagsterJobMetadataValue",
    "DagsterRunMetadataValue",
    "DagsterRunNotFoundError",
    "DagsterRunStatus",
    "DagsterTypeCheckDidNotPass",
    "DagsterTypeCheckError",
    "DagsterUnknownResourceError",
    "DagsterUserCodeExecutionError",
    "DagsterEventLogInvalidForRun",
    "DagsterExecutionStepNotFoundError",
    "DagsterSubprocessError",
    "DagsterUnmetExecutorRequirementsError",
    "DagsterType",
    "DagsterTypeKind",
    "DagsterTypeLoader",
    "PythonObjectDagsterType",
    "check_dagster_type",
    "dagster_type_loader",
    "make_python_type_usable_as_dagster_type",
    "usable_as_dagster_type",
]


def __getattr__(name: str) -> typing.Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'headwater.compat' has no attribute {name!r}")
    module, native = target
    value = getattr(importlib.import_module(module), native)
    globals()[name] = value  # later lookups skip this function
    return value
