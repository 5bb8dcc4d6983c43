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
    "CodeLoadError",
    "InstanceError",
    "StorageError",
    "MissingValueError",
    "InvalidMetadataError",
    "PipesExecutionError",
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
_export("headwater.resources.annotations", "TreatAsResourceParam")
_export(
    "headwater.resources.pythonic",
    "ConfigurableResource",
    "ConfigurableResourceFactory",
    "ResourceDependency",
)
_export(
    "headwater.jobs",
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
    "headwater.jobs.legacy",
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
_export(
    "headwater.assets",
    "AssetKey",
    "asset",
    "multi_asset",
    "AssetsDefinition",
    "AssetSpec",
    "AssetIn",
    "AssetOut",
    "AssetDep",
    "AssetSelection",
    "define_asset_job",
    "materialize",
    "materialize_to_memory",
    "MaterializeResult",
    "AssetMaterialization",
    "AssetObservation",
    "AssetCheckResult",
    "AssetCheckSeverity",
    "AssetCheckSpec",
    "AssetChecksDefinition",
    "asset_check",
    "DataVersion",
)
_export("headwater.execution.asset_context", "AssetExecutionContext")
_export("headwater.execution.launch", "execute_job", "ExecuteJobResult")
_export("headwater.execution.reexecute", "ReexecutionOptions")
_export("headwater.execution.reconstruct", "reconstructable", "ReconstructableJob")
_export("headwater.execution.executors", "multiprocess_executor", "dask_executor")
_export("headwater.execution.executors.scopes", "with_resource_scope")
_export("headwater.execution.terminate", "terminate_run")
_export(
    "headwater.pipes",
    "PipesSubprocessClient",
    "PipesClient",
    "PipesClientCompletedInvocation",
    "PipesSession",
    "open_pipes_session",
    "PipesContextInjector",
    "PipesEnvContextInjector",
    "PipesFileContextInjector",
    "PipesTempFileContextInjector",
    "PipesMessageReader",
    "PipesFileMessageReader",
    "PipesTempFileMessageReader",
    "PipesStdioMessageReader",
    "PipesS3MessageReader",
    "PipesMessageHandler",
    "PipesExecutionResult",
)
_export(
    "headwater.partitions",
    "PartitionsDefinition",
    "StaticPartitionsDefinition",
    "TimeWindowPartitionsDefinition",
    "DailyPartitionsDefinition",
    "HourlyPartitionsDefinition",
    "WeeklyPartitionsDefinition",
    "MonthlyPartitionsDefinition",
    "MultiPartitionsDefinition",
    "MultiPartitionKey",
    "DynamicPartitionsDefinition",
    "PartitionKeyRange",
    "TimeWindow",
    "PartitionMapping",
    "IdentityPartitionMapping",
    "TimeWindowPartitionMapping",
    "AllPartitionMapping",
    "LastPartitionMapping",
    "StaticPartitionMapping",
    "MultiToSingleDimensionPartitionMapping",
    "BackfillPolicy",
    "BackfillPolicyType",
    "UnknownPartitionError",
)
_export(
    "headwater.automation",
    "ScheduleDefinition",
    "schedule",
    "DefaultScheduleStatus",
    "ScheduleEvaluationContext",
    "build_schedule_context",
    "SensorDefinition",
    "sensor",
    "DefaultSensorStatus",
    "SensorEvaluationContext",
    "build_sensor_context",
    "AssetSensorDefinition",
    "asset_sensor",
    "RunRequest",
    "SkipReason",
    "SensorResult",
)
_export(
    "headwater.io",
    "IOManager",
    "IOManagerDefinition",
    "io_manager",
    "ConfigurableIOManager",
    "ConfigurableIOManagerFactory",
    "OutputContext",
    "InputContext",
    "build_output_context",
    "build_input_context",
    "fs_io_manager",
    "FilesystemIOManager",
    "mem_io_manager",
    "InMemoryIOManager",
)
_export(
    "headwater.metadata",
    "MetadataValue",
    "TextMetadataValue",
    "UrlMetadataValue",
    "PathMetadataValue",
    "NotebookMetadataValue",
    "JsonMetadataValue",
    "MarkdownMetadataValue",
    "FloatMetadataValue",
    "IntMetadataValue",
    "BoolMetadataValue",
    "TimestampMetadataValue",
    "TableMetadataValue",
    "TableSchemaMetadataValue",
    "TableSchema",
    "TableColumn",
    "TableColumnConstraints",
    "TableConstraints",
    "TableRecord",
)
_export("headwater.location", "Definitions", "definitions")
_export("headwater.events", "RunEvent", "EventType", "ErrorInfo", "EventLogEntry")
_export("headwater.storage", "Instance", "RunStatus", "Run")
_export(
    "headwater.storage.queries",
    "RunsFilter",
    "RunRecord",
    "EventRecordsFilter",
    "EventLogRecord",
    "EventRecordsResult",
    "AssetRecordsFilter",
)
_export("headwater.storage.testing", "instance_for_test")
_export("headwater.execution.event_data", "AssetCheckEvaluation")
_export(
    "headwater.compat",
    "DagsterError",
    "DagsterInvalidConfigError",
    "DagsterInvalidConfigDefinitionError",
    "DagsterInvalidDefinitionError",
    "DagsterInvalidMetadata",
    "DagsterUnknownPartitionError",
    "DagsterPipesExecutionError",
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

# Assets, checks, types and Definitions parity (issue 9).
_export(
    "headwater.assets",
    "AssetCheckKey",
    "multi_asset_check",
    "SourceAsset",
    "observable_source_asset",
)
_export(
    "headwater.types",
    "DataType",
    "DataTypeKind",
    "DataTypeLoader",
    "PythonObjectType",
    "TypeCheck",
    "List",
    "Optional",
    "Dict",
    "Set",
    "Tuple",
    "check_type",
    "data_type_loader",
    "make_python_type_usable_as_type",
    "usable_as_type",
)
_export("headwater.errors", "TypeCheckError", "TypeCheckFailedError")
_export(
    "headwater.location",
    "RepositoryDefinition",
    "repository",
    "load_from_defs_folder",
    "load_assets_from_modules",
    "load_asset_checks_from_modules",
    "load_assets_from_current_module",
    "load_asset_checks_from_current_module",
    "load_assets_from_package_module",
    "load_asset_checks_from_package_module",
)
_export("headwater.components", "components")
_export("headwater.execution.check_context", "AssetCheckExecutionContext")
_export("headwater.io", "InputManager", "InputManagerDefinition", "input_manager", "UPathIOManager")
_export(
    "headwater.partitions",
    "DimensionPartitionMapping",
    "MultiPartitionMapping",
    "SpecificPartitionsPartitionMapping",
)
_export(
    "headwater.compat",
    "DagsterType",
    "DagsterTypeKind",
    "DagsterTypeLoader",
    "PythonObjectDagsterType",
    "DagsterTypeCheckDidNotPass",
    "DagsterTypeCheckError",
    "check_dagster_type",
    "dagster_type_loader",
    "make_python_type_usable_as_dagster_type",
    "usable_as_dagster_type",
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
if typing.TYPE_CHECKING:  # the same names, for type checkers (scripts/sync_root_exports.py)
    from headwater.assets import (
        AssetCheckKey as AssetCheckKey,
        AssetCheckResult as AssetCheckResult,
        AssetChecksDefinition as AssetChecksDefinition,
        AssetCheckSeverity as AssetCheckSeverity,
        AssetCheckSpec as AssetCheckSpec,
        AssetDep as AssetDep,
        AssetIn as AssetIn,
        AssetKey as AssetKey,
        AssetMaterialization as AssetMaterialization,
        AssetObservation as AssetObservation,
        AssetOut as AssetOut,
        AssetsDefinition as AssetsDefinition,
        AssetSelection as AssetSelection,
        AssetSpec as AssetSpec,
        DataVersion as DataVersion,
        MaterializeResult as MaterializeResult,
        SourceAsset as SourceAsset,
        asset as asset,
        asset_check as asset_check,
        define_asset_job as define_asset_job,
        materialize as materialize,
        materialize_to_memory as materialize_to_memory,
        multi_asset as multi_asset,
        multi_asset_check as multi_asset_check,
        observable_source_asset as observable_source_asset,
    )
    from headwater.automation import (
        AssetSensorDefinition as AssetSensorDefinition,
        DefaultScheduleStatus as DefaultScheduleStatus,
        DefaultSensorStatus as DefaultSensorStatus,
        RunRequest as RunRequest,
        ScheduleDefinition as ScheduleDefinition,
        ScheduleEvaluationContext as ScheduleEvaluationContext,
        SensorDefinition as SensorDefinition,
        SensorEvaluationContext as SensorEvaluationContext,
        SensorResult as SensorResult,
        SkipReason as SkipReason,
        asset_sensor as asset_sensor,
        build_schedule_context as build_schedule_context,
        build_sensor_context as build_sensor_context,
        schedule as schedule,
        sensor as sensor,
    )
    from headwater.compat import (
        DagsterError as DagsterError,
        DagsterEvent as DagsterEvent,
        DagsterEventType as DagsterEventType,
        DagsterExecutionStepExecutionError as DagsterExecutionStepExecutionError,
        DagsterInstance as DagsterInstance,
        DagsterInvalidConfigDefinitionError as DagsterInvalidConfigDefinitionError,
        DagsterInvalidConfigError as DagsterInvalidConfigError,
        DagsterInvalidDefinitionError as DagsterInvalidDefinitionError,
        DagsterInvalidInvocationError as DagsterInvalidInvocationError,
        DagsterInvalidMetadata as DagsterInvalidMetadata,
        DagsterInvariantViolationError as DagsterInvariantViolationError,
        DagsterPipesExecutionError as DagsterPipesExecutionError,
        DagsterResourceFunctionError as DagsterResourceFunctionError,
        DagsterRun as DagsterRun,
        DagsterRunNotFoundError as DagsterRunNotFoundError,
        DagsterRunStatus as DagsterRunStatus,
        DagsterType as DagsterType,
        DagsterTypeCheckDidNotPass as DagsterTypeCheckDidNotPass,
        DagsterTypeCheckError as DagsterTypeCheckError,
        DagsterTypeKind as DagsterTypeKind,
        DagsterTypeLoader as DagsterTypeLoader,
        DagsterUnknownPartitionError as DagsterUnknownPartitionError,
        DagsterUnknownResourceError as DagsterUnknownResourceError,
        DagsterUserCodeExecutionError as DagsterUserCodeExecutionError,
        PythonObjectDagsterType as PythonObjectDagsterType,
        check_dagster_type as check_dagster_type,
        dagster_type_loader as dagster_type_loader,
        make_python_type_usable_as_dagster_type as make_python_type_usable_as_dagster_type,
        usable_as_dagster_type as usable_as_dagster_type,
    )
    from headwater.components import (
        components as components,
    )
    from headwater.config import (
        Any as Any,
        Array as Array,
        Bool as Bool,
        BoolSource as BoolSource,
        Enum as Enum,
        EnumValue as EnumValue,
        EnvVar as EnvVar,
        Field as Field,
        Float as Float,
        Int as Int,
        IntSource as IntSource,
        Map as Map,
        Noneable as Noneable,
        Permissive as Permissive,
        ScalarUnion as ScalarUnion,
        Selector as Selector,
        Shape as Shape,
        String as String,
        StringSource as StringSource,
    )
    from headwater.config.pythonic import (
        Config as Config,
        PermissiveConfig as PermissiveConfig,
    )
    from headwater.errors import (
        CodeLoadError as CodeLoadError,
        ConfigProblem as ConfigProblem,
        Failure as Failure,
        HeadwaterError as HeadwaterError,
        InstanceError as InstanceError,
        InvalidConfigDefinitionError as InvalidConfigDefinitionError,
        InvalidConfigError as InvalidConfigError,
        InvalidDefinitionError as InvalidDefinitionError,
        InvalidInvocationError as InvalidInvocationError,
        InvalidMetadataError as InvalidMetadataError,
        InvariantViolationError as InvariantViolationError,
        MissingValueError as MissingValueError,
        PipesExecutionError as PipesExecutionError,
        ResourceFunctionError as ResourceFunctionError,
        RetryRequested as RetryRequested,
        RunNotFoundError as RunNotFoundError,
        StepExecutionError as StepExecutionError,
        StorageError as StorageError,
        TypeCheckError as TypeCheckError,
        TypeCheckFailedError as TypeCheckFailedError,
        UnknownResourceError as UnknownResourceError,
        UserCodeExecutionError as UserCodeExecutionError,
    )
    from headwater.events import (
        ErrorInfo as ErrorInfo,
        EventLogEntry as EventLogEntry,
        EventType as EventType,
        RunEvent as RunEvent,
    )
    from headwater.execution import (
        ExecuteInProcessResult as ExecuteInProcessResult,
        ExecutorDefinition as ExecutorDefinition,
        OpExecutionContext as OpExecutionContext,
        build_op_context as build_op_context,
        in_process_executor as in_process_executor,
    )
    from headwater.execution.asset_context import (
        AssetExecutionContext as AssetExecutionContext,
    )
    from headwater.execution.check_context import (
        AssetCheckExecutionContext as AssetCheckExecutionContext,
    )
    from headwater.execution.event_data import (
        AssetCheckEvaluation as AssetCheckEvaluation,
    )
    from headwater.execution.executors import (
        dask_executor as dask_executor,
        multiprocess_executor as multiprocess_executor,
    )
    from headwater.execution.executors.scopes import (
        with_resource_scope as with_resource_scope,
    )
    from headwater.execution.launch import (
        ExecuteJobResult as ExecuteJobResult,
        execute_job as execute_job,
    )
    from headwater.execution.reconstruct import (
        ReconstructableJob as ReconstructableJob,
        reconstructable as reconstructable,
    )
    from headwater.execution.reexecute import (
        ReexecutionOptions as ReexecutionOptions,
    )
    from headwater.execution.terminate import (
        terminate_run as terminate_run,
    )
    from headwater.io import (
        ConfigurableIOManager as ConfigurableIOManager,
        ConfigurableIOManagerFactory as ConfigurableIOManagerFactory,
        FilesystemIOManager as FilesystemIOManager,
        InMemoryIOManager as InMemoryIOManager,
        InputContext as InputContext,
        InputManager as InputManager,
        InputManagerDefinition as InputManagerDefinition,
        IOManager as IOManager,
        IOManagerDefinition as IOManagerDefinition,
        OutputContext as OutputContext,
        UPathIOManager as UPathIOManager,
        build_input_context as build_input_context,
        build_output_context as build_output_context,
        fs_io_manager as fs_io_manager,
        input_manager as input_manager,
        io_manager as io_manager,
        mem_io_manager as mem_io_manager,
    )
    from headwater.jobs import (
        Backoff as Backoff,
        GraphDefinition as GraphDefinition,
        In as In,
        Jitter as Jitter,
        JobDefinition as JobDefinition,
        Nothing as Nothing,
        OpDefinition as OpDefinition,
        Out as Out,
        Output as Output,
        RetryPolicy as RetryPolicy,
        graph as graph,
        job as job,
        op as op,
    )
    from headwater.jobs.legacy import (
        ModeDefinition as ModeDefinition,
        PipelineDefinition as PipelineDefinition,
        execute_pipeline as execute_pipeline,
        pipeline as pipeline,
        solid as solid,
    )
    from headwater.location import (
        Definitions as Definitions,
        RepositoryDefinition as RepositoryDefinition,
        definitions as definitions,
        load_asset_checks_from_current_module as load_asset_checks_from_current_module,
        load_asset_checks_from_modules as load_asset_checks_from_modules,
        load_asset_checks_from_package_module as load_asset_checks_from_package_module,
        load_assets_from_current_module as load_assets_from_current_module,
        load_assets_from_modules as load_assets_from_modules,
        load_assets_from_package_module as load_assets_from_package_module,
        load_from_defs_folder as load_from_defs_folder,
        repository as repository,
    )
    from headwater.metadata import (
        BoolMetadataValue as BoolMetadataValue,
        FloatMetadataValue as FloatMetadataValue,
        IntMetadataValue as IntMetadataValue,
        JsonMetadataValue as JsonMetadataValue,
        MarkdownMetadataValue as MarkdownMetadataValue,
        MetadataValue as MetadataValue,
        NotebookMetadataValue as NotebookMetadataValue,
        PathMetadataValue as PathMetadataValue,
        TableColumn as TableColumn,
        TableColumnConstraints as TableColumnConstraints,
        TableConstraints as TableConstraints,
        TableMetadataValue as TableMetadataValue,
        TableRecord as TableRecord,
        TableSchema as TableSchema,
        TableSchemaMetadataValue as TableSchemaMetadataValue,
        TextMetadataValue as TextMetadataValue,
        TimestampMetadataValue as TimestampMetadataValue,
        UrlMetadataValue as UrlMetadataValue,
    )
    from headwater.partitions import (
        AllPartitionMapping as AllPartitionMapping,
        BackfillPolicy as BackfillPolicy,
        BackfillPolicyType as BackfillPolicyType,
        DailyPartitionsDefinition as DailyPartitionsDefinition,
        DimensionPartitionMapping as DimensionPartitionMapping,
        DynamicPartitionsDefinition as DynamicPartitionsDefinition,
        HourlyPartitionsDefinition as HourlyPartitionsDefinition,
        IdentityPartitionMapping as IdentityPartitionMapping,
        LastPartitionMapping as LastPartitionMapping,
        MonthlyPartitionsDefinition as MonthlyPartitionsDefinition,
        MultiPartitionKey as MultiPartitionKey,
        MultiPartitionMapping as MultiPartitionMapping,
        MultiPartitionsDefinition as MultiPartitionsDefinition,
        MultiToSingleDimensionPartitionMapping as MultiToSingleDimensionPartitionMapping,
        PartitionKeyRange as PartitionKeyRange,
        PartitionMapping as PartitionMapping,
        PartitionsDefinition as PartitionsDefinition,
        SpecificPartitionsPartitionMapping as SpecificPartitionsPartitionMapping,
        StaticPartitionMapping as StaticPartitionMapping,
        StaticPartitionsDefinition as StaticPartitionsDefinition,
        TimeWindow as TimeWindow,
        TimeWindowPartitionMapping as TimeWindowPartitionMapping,
        TimeWindowPartitionsDefinition as TimeWindowPartitionsDefinition,
        UnknownPartitionError as UnknownPartitionError,
        WeeklyPartitionsDefinition as WeeklyPartitionsDefinition,
    )
    from headwater.pipes import (
        PipesClient as PipesClient,
        PipesClientCompletedInvocation as PipesClientCompletedInvocation,
        PipesContextInjector as PipesContextInjector,
        PipesEnvContextInjector as PipesEnvContextInjector,
        PipesExecutionResult as PipesExecutionResult,
        PipesFileContextInjector as PipesFileContextInjector,
        PipesFileMessageReader as PipesFileMessageReader,
        PipesMessageHandler as PipesMessageHandler,
        PipesMessageReader as PipesMessageReader,
        PipesS3MessageReader as PipesS3MessageReader,
        PipesSession as PipesSession,
        PipesStdioMessageReader as PipesStdioMessageReader,
        PipesSubprocessClient as PipesSubprocessClient,
        PipesTempFileContextInjector as PipesTempFileContextInjector,
        PipesTempFileMessageReader as PipesTempFileMessageReader,
        open_pipes_session as open_pipes_session,
    )
    from headwater.resources import (
        InitResourceContext as InitResourceContext,
        ResourceDefinition as ResourceDefinition,
        ResourceParam as ResourceParam,
        build_init_resource_context as build_init_resource_context,
        build_resources as build_resources,
        resource as resource,
    )
    from headwater.resources.annotations import (
        TreatAsResourceParam as TreatAsResourceParam,
    )
    from headwater.resources.pythonic import (
        ConfigurableResource as ConfigurableResource,
        ConfigurableResourceFactory as ConfigurableResourceFactory,
        ResourceDependency as ResourceDependency,
    )
    from headwater.storage import (
        Instance as Instance,
        Run as Run,
        RunStatus as RunStatus,
    )
    from headwater.storage.queries import (
        AssetRecordsFilter as AssetRecordsFilter,
        EventLogRecord as EventLogRecord,
        EventRecordsFilter as EventRecordsFilter,
        EventRecordsResult as EventRecordsResult,
        RunRecord as RunRecord,
        RunsFilter as RunsFilter,
    )
    from headwater.storage.testing import (
        instance_for_test as instance_for_test,
    )
    from headwater.types import (
        DataType as DataType,
        DataTypeKind as DataTypeKind,
        DataTypeLoader as DataTypeLoader,
        Dict as Dict,
        List as List,
        Optional as Optional,
        PythonObjectType as PythonObjectType,
        Set as Set,
        Tuple as Tuple,
        TypeCheck as TypeCheck,
        check_type as check_type,
        data_type_loader as data_type_loader,
        make_python_type_usable_as_type as make_python_type_usable_as_type,
        usable_as_type as usable_as_type,
    )
