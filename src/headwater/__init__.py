"""headwater: a fast Python data orchestrator.

Every public name is loaded on first use, so ``import headwater`` costs almost nothing:
the table below says which module defines each name. Dagster spellings of the same names
come from ``headwater.compat`` so that ``import headwater as dg`` ports Dagster code.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> defining module. Kept as data so that import time stays flat however large the
# surface grows; `tests/test_public_api.py` checks that every entry resolves.
_EXPORTS: dict[str, str] = {}


def _export(module: str, *names: str) -> None:
    for name in names:
        _EXPORTS[name] = module


_export(
    "headwater.errors",
    "HeadwaterError",
    "ConfigProblem",
    "InvalidConfigError",
    "InvalidConfigDefinitionError",
    "InvalidDefinitionError",
    "InvariantViolationError",
    "InvalidInvocationError",
    "UnknownResourceError",
    "UserCodeExecutionError",
    "ResourceFunctionError",
    "StepExecutionError",
    "RunNotFoundError",
    "Failure",
    "RetryRequested",
)
_export(
    "headwater.config",
    "Field",
    "Shape",
    "Permissive",
    "Selector",
    "Array",
    "Noneable",
    "Map",
    "Enum",
    "EnumValue",
    "ScalarUnion",
    "Any",
    "Int",
    "String",
    "Float",
    "Bool",
    "StringSource",
    "IntSource",
    "BoolSource",
    "EnvVar",
)
_export("headwater.config.pythonic", "Config", "PermissiveConfig")
_export(
    "headwater.resources",
    "ResourceDefinition",
    "resource",
    "InitResourceContext",
    "build_init_resource_context",
    "build_resources",
    "ResourceParam",
)
_export(
    "headwater.resources.pythonic",
    "ConfigurableResource",
    "ConfigurableResourceFactory",
    "ResourceDependency",
)
_export(
    "headwater.definitions",
    "op",
    "OpDefinition",
    "In",
    "Out",
    "Output",
    "Nothing",
    "graph",
    "GraphDefinition",
    "job",
    "JobDefinition",
    "RetryPolicy",
    "Backoff",
    "Jitter",
)
_export(
    "headwater.definitions.legacy",
    "solid",
    "pipeline",
    "ModeDefinition",
    "PipelineDefinition",
    "execute_pipeline",
)
_export(
    "headwater.execution",
    "OpExecutionContext",
    "build_op_context",
    "ExecuteInProcessResult",
    "RunEvent",
    "EventType",
    "ErrorInfo",
    "ExecutorDefinition",
    "in_process_executor",
)
_export("headwater.storage", "Instance", "RunStatus", "Run")
_export(
    "headwater.compat",
    "DagsterError",
    "DagsterInvalidConfigError",
    "DagsterInvalidConfigDefinitionError",
    "DagsterInvalidDefinitionError",
    "DagsterInvariantViolationError",
    "DagsterResourceFunctionError",
    "DagsterUnknownResourceError",
    "DagsterInvalidInvocationError",
    "DagsterExecutionStepExecutionError",
    "DagsterUserCodeExecutionError",
    "DagsterRunNotFoundError",
    "DagsterEvent",
    "DagsterEventType",
    "DagsterInstance",
    "DagsterRun",
    "DagsterRunStatus",
)

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'headwater' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:
    from headwater.compat import (
        DagsterError,
        DagsterEvent,
        DagsterEventType,
        DagsterExecutionStepExecutionError,
        DagsterInstance,
        DagsterInvalidConfigDefinitionError,
        DagsterInvalidConfigError,
        DagsterInvalidDefinitionError,
        DagsterInvalidInvocationError,
        DagsterInvariantViolationError,
        DagsterResourceFunctionError,
        DagsterRun,
        DagsterRunNotFoundError,
        DagsterRunStatus,
        DagsterUnknownResourceError,
        DagsterUserCodeExecutionError,
    )
    from headwater.config import (
        Any,
        Array,
        Bool,
        BoolSource,
        Enum,
        EnumValue,
        EnvVar,
        Field,
        Float,
        Int,
        IntSource,
        Map,
        Noneable,
        Permissive,
        ScalarUnion,
        Selector,
        Shape,
        String,
        StringSource,
    )
    from headwater.config.pythonic import Config, PermissiveConfig
    from headwater.definitions import (
        Backoff,
        GraphDefinition,
        In,
        Jitter,
        JobDefinition,
        Nothing,
        OpDefinition,
        Out,
        Output,
        RetryPolicy,
        graph,
        job,
        op,
    )
    from headwater.definitions.legacy import (
        ModeDefinition,
        PipelineDefinition,
        execute_pipeline,
        pipeline,
        solid,
    )
    from headwater.errors import (
        ConfigProblem,
        Failure,
        HeadwaterError,
        InvalidConfigDefinitionError,
        InvalidConfigError,
        InvalidDefinitionError,
        InvalidInvocationError,
        InvariantViolationError,
        ResourceFunctionError,
        RetryRequested,
        RunNotFoundError,
        StepExecutionError,
        UnknownResourceError,
        UserCodeExecutionError,
    )
    from headwater.execution import (
        ErrorInfo,
        EventType,
        ExecuteInProcessResult,
        ExecutorDefinition,
        OpExecutionContext,
        RunEvent,
        build_op_context,
        in_process_executor,
    )
    from headwater.resources import (
        InitResourceContext,
        ResourceDefinition,
        ResourceParam,
        build_init_resource_context,
        build_resources,
        resource,
    )
    from headwater.resources.pythonic import (
        ConfigurableResource,
        ConfigurableResourceFactory,
        ResourceDependency,
    )
    from headwater.storage import Instance, Run, RunStatus
