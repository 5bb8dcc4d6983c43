"""headwater: a fast Python data orchestrator.

Every public name is loaded on first use, so ``import headwater`` costs almost nothing:
the table below says which module defines each name. Dagster spellings of the same names
come from ``headwater.compat`` so that ``import headwater as dg`` ports Dagster code.
"""

from __future__ import annotations

import importlib
import typing

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
    "ExecutorDefinition",
    "in_process_executor",
)
_export("headwater.assets", "AssetKey")
_export("headwater.events", "RunEvent", "EventType", "ErrorInfo")
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

__all__ = ["__version__", *_EXPORTS]  # noqa: PLE0604 - built from the table above


def __getattr__(name: str) -> typing.Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'headwater' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


# `typing.TYPE_CHECKING`, not an imported name: a bare `Any` or `TYPE_CHECKING` here would
# shadow the lazy `headwater.Any` (the config type) with `typing.Any`.
if typing.TYPE_CHECKING:  # the same names, for type checkers (kept in step by a test)
    from headwater.assets import (
        AssetKey as AssetKey,
    )
    from headwater.compat import (
        DagsterError as DagsterError,
    )
    from headwater.compat import (
        DagsterEvent as DagsterEvent,
    )
    from headwater.compat import (
        DagsterEventType as DagsterEventType,
    )
    from headwater.compat import (
        DagsterExecutionStepExecutionError as DagsterExecutionStepExecutionError,
    )
    from headwater.compat import (
        DagsterInstance as DagsterInstance,
    )
    from headwater.compat import (
        DagsterInvalidConfigDefinitionError as DagsterInvalidConfigDefinitionError,
    )
    from headwater.compat import (
        DagsterInvalidConfigError as DagsterInvalidConfigError,
    )
    from headwater.compat import (
        DagsterInvalidDefinitionError as DagsterInvalidDefinitionError,
    )
    from headwater.compat import (
        DagsterInvalidInvocationError as DagsterInvalidInvocationError,
    )
    from headwater.compat import (
        DagsterInvariantViolationError as DagsterInvariantViolationError,
    )
    from headwater.compat import (
        DagsterResourceFunctionError as DagsterResourceFunctionError,
    )
    from headwater.compat import (
        DagsterRun as DagsterRun,
    )
    from headwater.compat import (
        DagsterRunNotFoundError as DagsterRunNotFoundError,
    )
    from headwater.compat import (
        DagsterRunStatus as DagsterRunStatus,
    )
    from headwater.compat import (
        DagsterUnknownResourceError as DagsterUnknownResourceError,
    )
    from headwater.compat import (
        DagsterUserCodeExecutionError as DagsterUserCodeExecutionError,
    )
    from headwater.config import (
        Any as Any,
    )
    from headwater.config import (
        Array as Array,
    )
    from headwater.config import (
        Bool as Bool,
    )
    from headwater.config import (
        BoolSource as BoolSource,
    )
    from headwater.config import (
        Enum as Enum,
    )
    from headwater.config import (
        EnumValue as EnumValue,
    )
    from headwater.config import (
        EnvVar as EnvVar,
    )
    from headwater.config import (
        Field as Field,
    )
    from headwater.config import (
        Float as Float,
    )
    from headwater.config import (
        Int as Int,
    )
    from headwater.config import (
        IntSource as IntSource,
    )
    from headwater.config import (
        Map as Map,
    )
    from headwater.config import (
        Noneable as Noneable,
    )
    from headwater.config import (
        Permissive as Permissive,
    )
    from headwater.config import (
        ScalarUnion as ScalarUnion,
    )
    from headwater.config import (
        Selector as Selector,
    )
    from headwater.config import (
        Shape as Shape,
    )
    from headwater.config import (
        String as String,
    )
    from headwater.config import (
        StringSource as StringSource,
    )
    from headwater.config.pythonic import (
        Config as Config,
    )
    from headwater.config.pythonic import (
        PermissiveConfig as PermissiveConfig,
    )
    from headwater.definitions import (
        Backoff as Backoff,
    )
    from headwater.definitions import (
        GraphDefinition as GraphDefinition,
    )
    from headwater.definitions import (
        In as In,
    )
    from headwater.definitions import (
        Jitter as Jitter,
    )
    from headwater.definitions import (
        JobDefinition as JobDefinition,
    )
    from headwater.definitions import (
        Nothing as Nothing,
    )
    from headwater.definitions import (
        OpDefinition as OpDefinition,
    )
    from headwater.definitions import (
        Out as Out,
    )
    from headwater.definitions import (
        Output as Output,
    )
    from headwater.definitions import (
        RetryPolicy as RetryPolicy,
    )
    from headwater.definitions import (
        graph as graph,
    )
    from headwater.definitions import (
        job as job,
    )
    from headwater.definitions import (
        op as op,
    )
    from headwater.definitions.legacy import (
        ModeDefinition as ModeDefinition,
    )
    from headwater.definitions.legacy import (
        PipelineDefinition as PipelineDefinition,
    )
    from headwater.definitions.legacy import (
        execute_pipeline as execute_pipeline,
    )
    from headwater.definitions.legacy import (
        pipeline as pipeline,
    )
    from headwater.definitions.legacy import (
        solid as solid,
    )
    from headwater.errors import (
        ConfigProblem as ConfigProblem,
    )
    from headwater.errors import (
        Failure as Failure,
    )
    from headwater.errors import (
        HeadwaterError as HeadwaterError,
    )
    from headwater.errors import (
        InvalidConfigDefinitionError as InvalidConfigDefinitionError,
    )
    from headwater.errors import (
        InvalidConfigError as InvalidConfigError,
    )
    from headwater.errors import (
        InvalidDefinitionError as InvalidDefinitionError,
    )
    from headwater.errors import (
        InvalidInvocationError as InvalidInvocationError,
    )
    from headwater.errors import (
        InvariantViolationError as InvariantViolationError,
    )
    from headwater.errors import (
        ResourceFunctionError as ResourceFunctionError,
    )
    from headwater.errors import (
        RetryRequested as RetryRequested,
    )
    from headwater.errors import (
        RunNotFoundError as RunNotFoundError,
    )
    from headwater.errors import (
        StepExecutionError as StepExecutionError,
    )
    from headwater.errors import (
        UnknownResourceError as UnknownResourceError,
    )
    from headwater.errors import (
        UserCodeExecutionError as UserCodeExecutionError,
    )
    from headwater.events import (
        ErrorInfo as ErrorInfo,
    )
    from headwater.events import (
        EventType as EventType,
    )
    from headwater.events import (
        RunEvent as RunEvent,
    )
    from headwater.execution import (
        ExecuteInProcessResult as ExecuteInProcessResult,
    )
    from headwater.execution import (
        ExecutorDefinition as ExecutorDefinition,
    )
    from headwater.execution import (
        OpExecutionContext as OpExecutionContext,
    )
    from headwater.execution import (
        build_op_context as build_op_context,
    )
    from headwater.execution import (
        in_process_executor as in_process_executor,
    )
    from headwater.resources import (
        InitResourceContext as InitResourceContext,
    )
    from headwater.resources import (
        ResourceDefinition as ResourceDefinition,
    )
    from headwater.resources import (
        ResourceParam as ResourceParam,
    )
    from headwater.resources import (
        build_init_resource_context as build_init_resource_context,
    )
    from headwater.resources import (
        build_resources as build_resources,
    )
    from headwater.resources import (
        resource as resource,
    )
    from headwater.resources.pythonic import (
        ConfigurableResource as ConfigurableResource,
    )
    from headwater.resources.pythonic import (
        ConfigurableResourceFactory as ConfigurableResourceFactory,
    )
    from headwater.resources.pythonic import (
        ResourceDependency as ResourceDependency,
    )
    from headwater.storage import (
        Instance as Instance,
    )
    from headwater.storage import (
        Run as Run,
    )
    from headwater.storage import (
        RunStatus as RunStatus,
    )
