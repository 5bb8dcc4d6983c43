"""Dagster spellings of headwater names, so that ``import headwater as dg`` ports code.

Only names that carry the word "Dagster" live here; everything else has one name.
"""

from __future__ import annotations

from headwater.errors import HeadwaterError as DagsterError
from headwater.errors import InvalidConfigDefinitionError as DagsterInvalidConfigDefinitionError
from headwater.errors import InvalidConfigError as DagsterInvalidConfigError
from headwater.errors import InvalidDefinitionError as DagsterInvalidDefinitionError
from headwater.errors import InvalidInvocationError as DagsterInvalidInvocationError
from headwater.errors import InvariantViolationError as DagsterInvariantViolationError
from headwater.errors import ResourceFunctionError as DagsterResourceFunctionError
from headwater.errors import RunNotFoundError as DagsterRunNotFoundError
from headwater.errors import StepExecutionError as DagsterExecutionStepExecutionError
from headwater.errors import UnknownResourceError as DagsterUnknownResourceError
from headwater.errors import UserCodeExecutionError as DagsterUserCodeExecutionError
from headwater.events import EventType as DagsterEventType
from headwater.events import RunEvent as DagsterEvent
from headwater.storage import Instance as DagsterInstance
from headwater.storage import Run as DagsterRun
from headwater.storage import RunStatus as DagsterRunStatus

__all__ = [
    "DagsterError",
    "DagsterEvent",
    "DagsterEventType",
    "DagsterExecutionStepExecutionError",
    "DagsterInstance",
    "DagsterInvalidConfigDefinitionError",
    "DagsterInvalidConfigError",
    "DagsterInvalidDefinitionError",
    "DagsterInvalidInvocationError",
    "DagsterInvariantViolationError",
    "DagsterResourceFunctionError",
    "DagsterRun",
    "DagsterRunNotFoundError",
    "DagsterRunStatus",
    "DagsterUnknownResourceError",
    "DagsterUserCodeExecutionError",
]
