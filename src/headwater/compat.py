"""Dagster spellings of headwater names, so that ``import headwater as dg`` ports code.

Only names that carry the word "Dagster" live here; everything else has one name.
"""

from __future__ import annotations

import importlib
import typing

from headwater.errors import (
    HeadwaterError as DagsterError,
    InvalidConfigDefinitionError as DagsterInvalidConfigDefinitionError,
    InvalidConfigError as DagsterInvalidConfigError,
    InvalidDefinitionError as DagsterInvalidDefinitionError,
    InvalidInvocationError as DagsterInvalidInvocationError,
    InvalidMetadataError as DagsterInvalidMetadata,
    InvariantViolationError as DagsterInvariantViolationError,
    PipesExecutionError as DagsterPipesExecutionError,
    ResourceFunctionError as DagsterResourceFunctionError,
    RunNotFoundError as DagsterRunNotFoundError,
    StepExecutionError as DagsterExecutionStepExecutionError,
    UnknownResourceError as DagsterUnknownResourceError,
    UserCodeExecutionError as DagsterUserCodeExecutionError,
)
from headwater.events import EventType as DagsterEventType, RunEvent as DagsterEvent

if typing.TYPE_CHECKING:
    from headwater.partitions import UnknownPartitionError as DagsterUnknownPartitionError
    from headwater.storage import (
        Instance as DagsterInstance,
        Run as DagsterRun,
        RunStatus as DagsterRunStatus,
    )

# Spellings of names from heavier packages load on first use: catching
# `DagsterInvalidConfigError` must not import the instance's storage and the partitions.
_LAZY: dict[str, tuple[str, str]] = {
    "DagsterInstance": ("headwater.storage", "Instance"),
    "DagsterRun": ("headwater.storage", "Run"),
    # The opt-in `import dagster` alias (docs/alias.md); loaded only when asked for.
    "install_alias": ("headwater.alias", "install_alias"),
    "uninstall_alias": ("headwater.alias", "uninstall_alias"),
    "DagsterRunStatus": ("headwater.storage", "RunStatus"),
    "DagsterUnknownPartitionError": ("headwater.partitions", "UnknownPartitionError"),
}

__all__ = [
    "DagsterError",
    "DagsterEvent",
    "DagsterEventType",
    "DagsterExecutionStepExecutionError",
    "DagsterInstance",
    "DagsterInvalidConfigDefinitionError",
    "DagsterInvalidConfigError",
    "DagsterInvalidDefinitionError",
    "DagsterInvalidMetadata",
    "DagsterUnknownPartitionError",
    "DagsterPipesExecutionError",
    "DagsterInvalidInvocationError",
    "DagsterInvariantViolationError",
    "DagsterResourceFunctionError",
    "DagsterRun",
    "DagsterRunNotFoundError",
    "DagsterRunStatus",
    "DagsterUnknownResourceError",
    "DagsterUserCodeExecutionError",
]


def __getattr__(name: str) -> typing.Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'headwater.compat' has no attribute {name!r}")
    module, native = target
    value = getattr(importlib.import_module(module), native)
    globals()[name] = value  # later lookups skip this function
    return value
