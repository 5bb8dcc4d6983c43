"""Dagster spellings of headwater names, so that ``import headwater as dg`` ports code.

Only names that carry the word "Dagster" live here; everything else has one name.
"""

from __future__ import annotations

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
from headwater.partitions import UnknownPartitionError as DagsterUnknownPartitionError
from headwater.storage import (
    Instance as DagsterInstance,
    Run as DagsterRun,
    RunStatus as DagsterRunStatus,
)

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
