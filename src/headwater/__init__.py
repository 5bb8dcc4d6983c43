"""headwater: a fast Python data orchestrator.

Every public name is loaded on first use, so ``import headwater`` costs almost nothing:
the table below says which module defines each name. Dagster spellings of the same names
come from ``headwater.compat`` so that ``import headwater as dg`` ports Dagster code.
"""

from __future__ import annotations

import importlib
import typing

from headwater import _lazy

__version__ = "0.1.0"


def _ephemeral_instance() -> typing.Any:
    """A new in-memory instance (storage/), for contexts resources/ builds outside a run."""
    # Loaded when first asked for, by name like every layer here: the alias imports this
    # package, and a static import would read as alias/ reaching storage/.
    return importlib.import_module("headwater.storage.instance").Instance.ephemeral()


# resources/ may not import storage/; the root, above every layer, hands it the maker.
_lazy.register_ephemeral_instance(_ephemeral_instance)

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
# `op`, `graph`, `job`, `definitions` and `repository` come from their defining modules:
# each shares its name with a submodule of its package, which type checkers would see.
_export("headwater.jobs.op", "op")
_export("headwater.jobs.graph", "graph")
_export("headwater.jobs.composition", "PendingNodeInvocation")
_export("headwater.assets.graph_decorators", "graph_asset", "graph_multi_asset")
_export("headwater.jobs.job", "job")
_export("headwater.location.decorator", "definitions")
_export("headwater.location.modules", "repository")
_export("headwater.jobs.dynamic", "DynamicOut", "DynamicOutput")
_export(
    "headwater.jobs",
    "OpDefinition",
    "In",
    "Out",
    "GraphOut",
    "Output",
    "Nothing",
    "GraphDefinition",
    "JobDefinition",
    "RetryPolicy",
    "Backoff",
    "Jitter",
)
_export(
    "headwater.jobs.legacy",
    "solid",
    "pipeline",
    "composite_solid",
    "ModeDefinition",
    "PresetDefinition",
    "PipelineDefinition",
    "SolidDefinition",
    "CompositeSolidDefinition",
    "InputDefinition",
    "OutputDefinition",
    "PipelineExecutionResult",
    "SolidExecutionResult",
    "CompositeSolidExecutionResult",
    "execute_pipeline",
    "execute_solid",
)
_export(
    "headwater.execution",
    "OpExecutionContext",
    "build_op_context",
    "SolidExecutionContext",
    "build_solid_context",
    "ExecuteInProcessResult",
    "ExecutorDefinition",
    "in_process_executor",
)
_export("headwater.asset_key", "AssetKey")
_export(
    "headwater.assets",
    "asset",
    "multi_asset",
    "AssetsDefinition",
    "map_asset_specs",
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
_export("headwater.assets.freshness", "FreshnessPolicy", "LegacyFreshnessPolicy")
_export("headwater.assets.spec", "apply_freshness_policy")
_export(
    "headwater.automation.freshness_checks",
    "build_last_update_freshness_checks",
    "build_time_partition_freshness_checks",
)
_export("headwater.automation.freshness_sensor", "build_sensor_for_freshness_checks")
_export(
    "headwater.automation.metadata_checks",
    "build_column_schema_change_checks",
    "build_metadata_bounds_checks",
)
_export("headwater.execution.launch", "execute_job", "JobExecutionResult")
_export("headwater.execution.reexecute", "ReexecutionOptions")
_export("headwater.execution.reconstruct", "reconstructable", "ReconstructableJob")
_export(
    "headwater.execution.executors",
    "multiprocess_executor",
    "dask_executor",
    "multi_or_in_process_executor",
)
_export("headwater.jobs.executor", "executor", "InitExecutorContext")
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
    "PipesBlobStoreMessageReader",
    "PipesCompositeMessageReader",
    "PipesLogReader",
    "PipesLaunchedData",
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
    "DefaultScheduleStatus",
    "ScheduleEvaluationContext",
    "build_schedule_context",
    "SensorDefinition",
    "DefaultSensorStatus",
    "SensorEvaluationContext",
    "build_sensor_context",
    "AssetSensorDefinition",
    "RunRequest",
    "SkipReason",
    "SensorResult",
)
_export(
    "headwater.partitions.dynamic",
    "AddDynamicPartitionsRequest",
    "DeleteDynamicPartitionsRequest",
)
# Decorators named like their modules come from those modules: type checkers read
# `from headwater.automation import schedule` as the submodule.
_export("headwater.automation.schedule", "schedule")
_export("headwater.automation.sensor", "sensor")
_export("headwater.automation.asset_sensor", "asset_sensor")
_export("headwater.automation.partitioned_schedule", "build_schedule_from_partitioned_job")
_export("headwater.automation.requests", "SensorReturnTypesUnion")
_export("headwater.automation.condition", "AutomationCondition")
_export(
    "headwater.automation.policy",
    "AutoMaterializeAssetPartitionsFilter",
    "AutoMaterializePolicy",
    "AutoMaterializeRule",
)
_export(
    "headwater.automation.evaluator",
    "AutomationContext",
    "AutomationResult",
    "EvaluateAutomationConditionsResult",
    "evaluate_automation_conditions",
)
_export(
    "headwater.automation.multi_asset_sensor",
    "MultiAssetSensorDefinition",
    "MultiAssetSensorEvaluationContext",
    "build_multi_asset_sensor_context",
    "multi_asset_sensor",
)
_export(
    "headwater.automation.run_status_sensor",
    "RunStatusSensorDefinition",
    "run_status_sensor",
    "run_failure_sensor",
)
_export(
    "headwater.automation.run_status_context",
    "RunStatusSensorContext",
    "RunFailureSensorContext",
    "build_run_status_sensor_context",
)
_export("headwater.automation.condition_sensor", "AutomationConditionSensorDefinition")
_export(
    "headwater.partitions.config",
    "PartitionedConfig",
    "partitioned_config",
    "static_partitioned_config",
    "dynamic_partitioned_config",
    "hourly_partitioned_config",
    "daily_partitioned_config",
    "weekly_partitioned_config",
    "monthly_partitioned_config",
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
    "NullMetadataValue",
    "TableMetadataValue",
    "TableSchemaMetadataValue",
    "PoolMetadataValue",
    "PythonArtifactMetadataValue",
    "TableColumnLineageMetadataValue",
    "TableColumnDep",
    "TableColumnLineage",
    "TableSchema",
    "TableColumn",
    "TableColumnConstraints",
    "TableConstraints",
    "TableRecord",
)
_export(
    "headwater.metadata.source_code",
    "CodeReferencesMetadataValue",
    "LocalFileCodeReference",
    "UrlCodeReference",
    "FilePathMapping",
    "AnchorBasedFilePathMapping",
)
_export(
    "headwater.assets.source_code", "with_source_code_references", "link_code_references_to_git"
)
_export(
    "headwater.location.collect",
    "load_definitions_from_module",
    "load_definitions_from_modules",
    "load_definitions_from_current_module",
    "load_definitions_from_package_module",
    "load_definitions_from_package_name",
    "load_assets_from_package_name",
    "load_asset_checks_from_package_name",
)
_export("headwater.assets.checks", "AssetOrCheckKey")
_export("headwater.storage.partition_status", "AssetPartitionStatus")
_export("headwater.execution.typecheck", "TypeCheckContext", "DagsterTypeLoaderContext")
_export("headwater.location", "Definitions")
_export("headwater.events", "RunEvent", "EventType", "ErrorInfo")
_export("headwater.event_log", "EventLogEntry")
_export("headwater.storage", "Instance", "RunStatus", "Run")
# Loggers, hooks, warnings and the testing helpers (issue 9, "surface").
_export(
    "headwater.jobs.hooks",
    "HookDefinition",
    "HookExecutionResult",
    "success_hook",
    "failure_hook",
)
_export("headwater.execution.hooks", "HookContext", "build_hook_context")
_export(
    "headwater.loggers",
    "LoggerDefinition",
    "logger",
    "InitLoggerContext",
    "build_init_logger_context",
    "get_dagster_logger",
    "colored_console_logger",
    "json_console_logger",
    "default_loggers",
    "default_system_loggers",
    "JsonLogFormatter",
)
_export(
    "headwater._warnings",
    "BetaWarning",
    "PreviewWarning",
    "SupersessionWarning",
    "ConfigArgumentWarning",
)
_export("headwater.config.run_config", "RunConfig")
_export("headwater.assets.binding", "with_resources")
_export("headwater.execution.invocation", "build_asset_context", "build_asset_check_context")
_export("headwater.errors", "UnsupportedFeatureError")
_export("headwater.compat", "DagsterLogManager")
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
    "DagsterExecutionInterruptedError",
    "DagsterStepOutputNotFoundError",
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
    "DagsterInvalidSubsetError",
    "DagsterExecutionStepExecutionError",
    "DagsterRunMetadataValue",
    "DagsterAssetMetadataValue",
    "DagsterJobMetadataValue",
    "DagsterUserCodeExecutionError",
    "DagsterRunNotFoundError",
    "DagsterEvent",
    "DagsterEventType",
    "DagsterInstance",
    "DagsterRun",
    "DagsterRunStatus",
    "DagsterConfigMappingFunctionError",
    "DagsterEventLogInvalidForRun",
    "DagsterExecutionStepNotFoundError",
    "DagsterSubprocessError",
    "DagsterUnmetExecutorRequirementsError",
)
# config and resources (issue 9, branch `resources`)
_export("headwater.config.schema", "ConfigSchema")
_export(
    "headwater.config.files",
    "config_from_files",
    "config_from_pkg_resources",
    "config_from_yaml_strings",
)
_export("headwater.jobs.run_config", "validate_run_config")
_export("headwater.config.mapping", "ConfigMapping", "configured", "config_mapping")
_export("headwater.resources.decorator", "make_values_resource")
_export("headwater.resources.context", "IAttachDifferentObjectToOpContext")
_export("headwater.resources.pythonic", "ConfigurableLegacyResourceAdapter")
# issue 9 §2, names of the jobs area (branch `namesjobs`)
_export("headwater.location.paths", "file_relative_path")
_export("headwater.storage.runs", "MAX_RUNTIME_SECONDS_TAG")
_export("headwater.errors", "raise_execution_interrupts")
_export("headwater.jobs.executor", "ExecutorRequirement", "multiple_process_executor_requirements")
_export("headwater.assets.results", "ExpectationResult")
_export(
    "headwater.jobs.dependencies",
    "DependencyDefinition",
    "MultiDependencyDefinition",
    "NodeInvocation",
    "GraphIn",
    "InputMapping",
    "OutputMapping",
)

# Assets, checks, types and Definitions parity (issue 9).
_export(
    "headwater.assets",
    "AssetCheckKey",
    "multi_asset_check",
    "SourceAsset",
    "observable_source_asset",
)
# Observations, and loading stored asset values.
_export(
    "headwater.assets",
    "ObserveResult",
    "DataProvenance",
    "DataVersionsByPartition",
    "multi_observable_source_asset",
)
_export("headwater.location.loader", "AssetValueLoader")
_export("headwater.io", "custom_path_fs_io_manager", "ConfigurableLegacyIOManagerAdapter")
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
_export("headwater.io", "InputManager", "InputManagerDefinition", "UPathIOManager")
_export("headwater.io.input_manager", "input_manager")
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
_export("headwater.metadata.entry", "MetadataEntry")
_export("headwater.partitions.loading", "Partition", "partition_loading_context")

# Runtime names (execution objects, repositories, instance queries).
_export("headwater.assets.job_key", "AssetJobKey")
_export("headwater.storage.pagination", "PaginatedResults")
_export(
    "headwater.storage.status_changes", "RunShardedEventsCursor", "RunStatusChangeRecordsFilter"
)
_export("headwater.execution.reconstruct", "build_reconstructable_job")
_export("headwater.jobs.executor", "Executor")
_export("headwater.execution.step_context", "StepExecutionContext")
_export(
    "headwater.location",
    "BindResourcesToJobs",
    "RepositoryData",
    "create_repository_using_definitions_args",
    "load_defs",
)

# `resources` is the package `headwater.resources`, which is also callable as the
# reference's `dagster.resources` (see headwater/resources/__init__.py); it is listed here,
# not in the table, because the package itself is the value.
__all__ = ["__version__", "resources", *_EXPORTS]  # noqa: PLE0604 - built from the table above


def __getattr__(name: str) -> typing.Any:
    if name == "resources":  # the package is the value; importing it sets the attribute
        return importlib.import_module("headwater.resources")
    module = _EXPORTS.get(name)
    if module is None:
        # A Dagster name outside headwater's concepts imports as a placeholder that raises
        # when used; it is not cached, so the namespace keeps only the public API.
        from headwater._unsupported import placeholder

        stand_in = placeholder(name)
        if stand_in is not None:
            return stand_in
        raise AttributeError(f"module 'headwater' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


# `typing.TYPE_CHECKING`, not an imported name: a bare `Any` or `TYPE_CHECKING` here would
# shadow the lazy `headwater.Any` (the config type) with `typing.Any`.
if typing.TYPE_CHECKING:  # the same names, for type checkers (scripts/sync_root_exports.py)
    from headwater._warnings import (
        BetaWarning as BetaWarning,
        ConfigArgumentWarning as ConfigArgumentWarning,
        PreviewWarning as PreviewWarning,
        SupersessionWarning as SupersessionWarning,
    )
    from headwater.asset_key import (
        AssetKey as AssetKey,
    )
    from headwater.assets import (
        AssetCheckKey as AssetCheckKey,
        AssetCheckResult as AssetCheckResult,
        AssetChecksDefinition as AssetChecksDefinition,
        AssetCheckSeverity as AssetCheckSeverity,
        AssetCheckSpec as AssetCheckSpec,
        AssetDep as AssetDep,
        AssetIn as AssetIn,
        AssetMaterialization as AssetMaterialization,
        AssetObservation as AssetObservation,
        AssetOut as AssetOut,
        AssetsDefinition as AssetsDefinition,
        AssetSelection as AssetSelection,
        AssetSpec as AssetSpec,
        DataProvenance as DataProvenance,
        DataVersion as DataVersion,
        DataVersionsByPartition as DataVersionsByPartition,
        MaterializeResult as MaterializeResult,
        ObserveResult as ObserveResult,
        SourceAsset as SourceAsset,
        asset as asset,
        asset_check as asset_check,
        define_asset_job as define_asset_job,
        map_asset_specs as map_asset_specs,
        materialize as materialize,
        materialize_to_memory as materialize_to_memory,
        multi_asset as multi_asset,
        multi_asset_check as multi_asset_check,
        multi_observable_source_asset as multi_observable_source_asset,
        observable_source_asset as observable_source_asset,
    )
    from headwater.assets.binding import (
        with_resources as with_resources,
    )
    from headwater.assets.checks import (
        AssetOrCheckKey as AssetOrCheckKey,
    )
    from headwater.assets.freshness import (
        FreshnessPolicy as FreshnessPolicy,
        LegacyFreshnessPolicy as LegacyFreshnessPolicy,
    )
    from headwater.assets.graph_decorators import (
        graph_asset as graph_asset,
        graph_multi_asset as graph_multi_asset,
    )
    from headwater.assets.job_key import (
        AssetJobKey as AssetJobKey,
    )
    from headwater.assets.results import (
        ExpectationResult as ExpectationResult,
    )
    from headwater.assets.source_code import (
        link_code_references_to_git as link_code_references_to_git,
        with_source_code_references as with_source_code_references,
    )
    from headwater.assets.spec import (
        apply_freshness_policy as apply_freshness_policy,
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
        build_schedule_context as build_schedule_context,
        build_sensor_context as build_sensor_context,
    )
    from headwater.automation.asset_sensor import (
        asset_sensor as asset_sensor,
    )
    from headwater.automation.condition import (
        AutomationCondition as AutomationCondition,
    )
    from headwater.automation.condition_sensor import (
        AutomationConditionSensorDefinition as AutomationConditionSensorDefinition,
    )
    from headwater.automation.evaluator import (
        AutomationContext as AutomationContext,
        AutomationResult as AutomationResult,
        EvaluateAutomationConditionsResult as EvaluateAutomationConditionsResult,
        evaluate_automation_conditions as evaluate_automation_conditions,
    )
    from headwater.automation.freshness_checks import (
        build_last_update_freshness_checks as build_last_update_freshness_checks,
        build_time_partition_freshness_checks as build_time_partition_freshness_checks,
    )
    from headwater.automation.freshness_sensor import (
        build_sensor_for_freshness_checks as build_sensor_for_freshness_checks,
    )
    from headwater.automation.metadata_checks import (
        build_column_schema_change_checks as build_column_schema_change_checks,
        build_metadata_bounds_checks as build_metadata_bounds_checks,
    )
    from headwater.automation.multi_asset_sensor import (
        MultiAssetSensorDefinition as MultiAssetSensorDefinition,
        MultiAssetSensorEvaluationContext as MultiAssetSensorEvaluationContext,
        build_multi_asset_sensor_context as build_multi_asset_sensor_context,
        multi_asset_sensor as multi_asset_sensor,
    )
    from headwater.automation.partitioned_schedule import (
        build_schedule_from_partitioned_job as build_schedule_from_partitioned_job,
    )
    from headwater.automation.policy import (
        AutoMaterializeAssetPartitionsFilter as AutoMaterializeAssetPartitionsFilter,
        AutoMaterializePolicy as AutoMaterializePolicy,
        AutoMaterializeRule as AutoMaterializeRule,
    )
    from headwater.automation.requests import (
        SensorReturnTypesUnion as SensorReturnTypesUnion,
    )
    from headwater.automation.run_status_context import (
        RunFailureSensorContext as RunFailureSensorContext,
        RunStatusSensorContext as RunStatusSensorContext,
        build_run_status_sensor_context as build_run_status_sensor_context,
    )
    from headwater.automation.run_status_sensor import (
        RunStatusSensorDefinition as RunStatusSensorDefinition,
        run_failure_sensor as run_failure_sensor,
        run_status_sensor as run_status_sensor,
    )
    from headwater.automation.schedule import (
        schedule as schedule,
    )
    from headwater.automation.sensor import (
        sensor as sensor,
    )
    from headwater.compat import (
        DagsterAssetMetadataValue as DagsterAssetMetadataValue,
        DagsterConfigMappingFunctionError as DagsterConfigMappingFunctionError,
        DagsterError as DagsterError,
        DagsterEvent as DagsterEvent,
        DagsterEventLogInvalidForRun as DagsterEventLogInvalidForRun,
        DagsterEventType as DagsterEventType,
        DagsterExecutionInterruptedError as DagsterExecutionInterruptedError,
        DagsterExecutionStepExecutionError as DagsterExecutionStepExecutionError,
        DagsterExecutionStepNotFoundError as DagsterExecutionStepNotFoundError,
        DagsterInstance as DagsterInstance,
        DagsterInvalidConfigDefinitionError as DagsterInvalidConfigDefinitionError,
        DagsterInvalidConfigError as DagsterInvalidConfigError,
        DagsterInvalidDefinitionError as DagsterInvalidDefinitionError,
        DagsterInvalidInvocationError as DagsterInvalidInvocationError,
        DagsterInvalidMetadata as DagsterInvalidMetadata,
        DagsterInvalidSubsetError as DagsterInvalidSubsetError,
        DagsterInvariantViolationError as DagsterInvariantViolationError,
        DagsterJobMetadataValue as DagsterJobMetadataValue,
        DagsterLogManager as DagsterLogManager,
        DagsterPipesExecutionError as DagsterPipesExecutionError,
        DagsterResourceFunctionError as DagsterResourceFunctionError,
        DagsterRun as DagsterRun,
        DagsterRunMetadataValue as DagsterRunMetadataValue,
        DagsterRunNotFoundError as DagsterRunNotFoundError,
        DagsterRunStatus as DagsterRunStatus,
        DagsterStepOutputNotFoundError as DagsterStepOutputNotFoundError,
        DagsterSubprocessError as DagsterSubprocessError,
        DagsterType as DagsterType,
        DagsterTypeCheckDidNotPass as DagsterTypeCheckDidNotPass,
        DagsterTypeCheckError as DagsterTypeCheckError,
        DagsterTypeKind as DagsterTypeKind,
        DagsterTypeLoader as DagsterTypeLoader,
        DagsterUnknownPartitionError as DagsterUnknownPartitionError,
        DagsterUnknownResourceError as DagsterUnknownResourceError,
        DagsterUnmetExecutorRequirementsError as DagsterUnmetExecutorRequirementsError,
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
    from headwater.config.files import (
        config_from_files as config_from_files,
        config_from_pkg_resources as config_from_pkg_resources,
        config_from_yaml_strings as config_from_yaml_strings,
    )
    from headwater.config.mapping import (
        ConfigMapping as ConfigMapping,
        config_mapping as config_mapping,
        configured as configured,
    )
    from headwater.config.pythonic import (
        Config as Config,
        PermissiveConfig as PermissiveConfig,
    )
    from headwater.config.run_config import (
        RunConfig as RunConfig,
    )
    from headwater.config.schema import (
        ConfigSchema as ConfigSchema,
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
        UnsupportedFeatureError as UnsupportedFeatureError,
        UserCodeExecutionError as UserCodeExecutionError,
        raise_execution_interrupts as raise_execution_interrupts,
    )
    from headwater.event_log import (
        EventLogEntry as EventLogEntry,
    )
    from headwater.events import (
        ErrorInfo as ErrorInfo,
        EventType as EventType,
        RunEvent as RunEvent,
    )
    from headwater.execution import (
        ExecuteInProcessResult as ExecuteInProcessResult,
        ExecutorDefinition as ExecutorDefinition,
        OpExecutionContext as OpExecutionContext,
        SolidExecutionContext as SolidExecutionContext,
        build_op_context as build_op_context,
        build_solid_context as build_solid_context,
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
        multi_or_in_process_executor as multi_or_in_process_executor,
        multiprocess_executor as multiprocess_executor,
    )
    from headwater.execution.executors.scopes import (
        with_resource_scope as with_resource_scope,
    )
    from headwater.execution.hooks import (
        HookContext as HookContext,
        build_hook_context as build_hook_context,
    )
    from headwater.execution.invocation import (
        build_asset_check_context as build_asset_check_context,
        build_asset_context as build_asset_context,
    )
    from headwater.execution.launch import (
        JobExecutionResult as JobExecutionResult,
        execute_job as execute_job,
    )
    from headwater.execution.reconstruct import (
        ReconstructableJob as ReconstructableJob,
        build_reconstructable_job as build_reconstructable_job,
        reconstructable as reconstructable,
    )
    from headwater.execution.reexecute import (
        ReexecutionOptions as ReexecutionOptions,
    )
    from headwater.execution.step_context import (
        StepExecutionContext as StepExecutionContext,
    )
    from headwater.execution.terminate import (
        terminate_run as terminate_run,
    )
    from headwater.execution.typecheck import (
        DagsterTypeLoaderContext as DagsterTypeLoaderContext,
        TypeCheckContext as TypeCheckContext,
    )
    from headwater.io import (
        ConfigurableIOManager as ConfigurableIOManager,
        ConfigurableIOManagerFactory as ConfigurableIOManagerFactory,
        ConfigurableLegacyIOManagerAdapter as ConfigurableLegacyIOManagerAdapter,
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
        custom_path_fs_io_manager as custom_path_fs_io_manager,
        fs_io_manager as fs_io_manager,
        io_manager as io_manager,
        mem_io_manager as mem_io_manager,
    )
    from headwater.io.input_manager import (
        input_manager as input_manager,
    )
    from headwater.jobs import (
        Backoff as Backoff,
        GraphDefinition as GraphDefinition,
        GraphOut as GraphOut,
        In as In,
        Jitter as Jitter,
        JobDefinition as JobDefinition,
        Nothing as Nothing,
        OpDefinition as OpDefinition,
        Out as Out,
        Output as Output,
        RetryPolicy as RetryPolicy,
    )
    from headwater.jobs.composition import (
        PendingNodeInvocation as PendingNodeInvocation,
    )
    from headwater.jobs.dependencies import (
        DependencyDefinition as DependencyDefinition,
        GraphIn as GraphIn,
        InputMapping as InputMapping,
        MultiDependencyDefinition as MultiDependencyDefinition,
        NodeInvocation as NodeInvocation,
        OutputMapping as OutputMapping,
    )
    from headwater.jobs.dynamic import (
        DynamicOut as DynamicOut,
        DynamicOutput as DynamicOutput,
    )
    from headwater.jobs.executor import (
        Executor as Executor,
        ExecutorRequirement as ExecutorRequirement,
        InitExecutorContext as InitExecutorContext,
        executor as executor,
        multiple_process_executor_requirements as multiple_process_executor_requirements,
    )
    from headwater.jobs.graph import (
        graph as graph,
    )
    from headwater.jobs.hooks import (
        HookDefinition as HookDefinition,
        HookExecutionResult as HookExecutionResult,
        failure_hook as failure_hook,
        success_hook as success_hook,
    )
    from headwater.jobs.job import (
        job as job,
    )
    from headwater.jobs.legacy import (
        CompositeSolidDefinition as CompositeSolidDefinition,
        CompositeSolidExecutionResult as CompositeSolidExecutionResult,
        InputDefinition as InputDefinition,
        ModeDefinition as ModeDefinition,
        OutputDefinition as OutputDefinition,
        PipelineDefinition as PipelineDefinition,
        PipelineExecutionResult as PipelineExecutionResult,
        PresetDefinition as PresetDefinition,
        SolidDefinition as SolidDefinition,
        SolidExecutionResult as SolidExecutionResult,
        composite_solid as composite_solid,
        execute_pipeline as execute_pipeline,
        execute_solid as execute_solid,
        pipeline as pipeline,
        solid as solid,
    )
    from headwater.jobs.op import (
        op as op,
    )
    from headwater.jobs.run_config import (
        validate_run_config as validate_run_config,
    )
    from headwater.location import (
        BindResourcesToJobs as BindResourcesToJobs,
        Definitions as Definitions,
        RepositoryData as RepositoryData,
        RepositoryDefinition as RepositoryDefinition,
        create_repository_using_definitions_args as create_repository_using_definitions_args,
        load_asset_checks_from_current_module as load_asset_checks_from_current_module,
        load_asset_checks_from_modules as load_asset_checks_from_modules,
        load_asset_checks_from_package_module as load_asset_checks_from_package_module,
        load_assets_from_current_module as load_assets_from_current_module,
        load_assets_from_modules as load_assets_from_modules,
        load_assets_from_package_module as load_assets_from_package_module,
        load_defs as load_defs,
        load_from_defs_folder as load_from_defs_folder,
    )
    from headwater.location.collect import (
        load_asset_checks_from_package_name as load_asset_checks_from_package_name,
        load_assets_from_package_name as load_assets_from_package_name,
        load_definitions_from_current_module as load_definitions_from_current_module,
        load_definitions_from_module as load_definitions_from_module,
        load_definitions_from_modules as load_definitions_from_modules,
        load_definitions_from_package_module as load_definitions_from_package_module,
        load_definitions_from_package_name as load_definitions_from_package_name,
    )
    from headwater.location.decorator import (
        definitions as definitions,
    )
    from headwater.location.loader import (
        AssetValueLoader as AssetValueLoader,
    )
    from headwater.location.modules import (
        repository as repository,
    )
    from headwater.location.paths import (
        file_relative_path as file_relative_path,
    )
    from headwater.loggers import (
        InitLoggerContext as InitLoggerContext,
        JsonLogFormatter as JsonLogFormatter,
        LoggerDefinition as LoggerDefinition,
        build_init_logger_context as build_init_logger_context,
        colored_console_logger as colored_console_logger,
        default_loggers as default_loggers,
        default_system_loggers as default_system_loggers,
        get_dagster_logger as get_dagster_logger,
        json_console_logger as json_console_logger,
        logger as logger,
    )
    from headwater.metadata import (
        BoolMetadataValue as BoolMetadataValue,
        FloatMetadataValue as FloatMetadataValue,
        IntMetadataValue as IntMetadataValue,
        JsonMetadataValue as JsonMetadataValue,
        MarkdownMetadataValue as MarkdownMetadataValue,
        MetadataValue as MetadataValue,
        NotebookMetadataValue as NotebookMetadataValue,
        NullMetadataValue as NullMetadataValue,
        PathMetadataValue as PathMetadataValue,
        PoolMetadataValue as PoolMetadataValue,
        PythonArtifactMetadataValue as PythonArtifactMetadataValue,
        TableColumn as TableColumn,
        TableColumnConstraints as TableColumnConstraints,
        TableColumnDep as TableColumnDep,
        TableColumnLineage as TableColumnLineage,
        TableColumnLineageMetadataValue as TableColumnLineageMetadataValue,
        TableConstraints as TableConstraints,
        TableMetadataValue as TableMetadataValue,
        TableRecord as TableRecord,
        TableSchema as TableSchema,
        TableSchemaMetadataValue as TableSchemaMetadataValue,
        TextMetadataValue as TextMetadataValue,
        TimestampMetadataValue as TimestampMetadataValue,
        UrlMetadataValue as UrlMetadataValue,
    )
    from headwater.metadata.entry import (
        MetadataEntry as MetadataEntry,
    )
    from headwater.metadata.source_code import (
        AnchorBasedFilePathMapping as AnchorBasedFilePathMapping,
        CodeReferencesMetadataValue as CodeReferencesMetadataValue,
        FilePathMapping as FilePathMapping,
        LocalFileCodeReference as LocalFileCodeReference,
        UrlCodeReference as UrlCodeReference,
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
    from headwater.partitions.config import (
        PartitionedConfig as PartitionedConfig,
        daily_partitioned_config as daily_partitioned_config,
        dynamic_partitioned_config as dynamic_partitioned_config,
        hourly_partitioned_config as hourly_partitioned_config,
        monthly_partitioned_config as monthly_partitioned_config,
        partitioned_config as partitioned_config,
        static_partitioned_config as static_partitioned_config,
        weekly_partitioned_config as weekly_partitioned_config,
    )
    from headwater.partitions.dynamic import (
        AddDynamicPartitionsRequest as AddDynamicPartitionsRequest,
        DeleteDynamicPartitionsRequest as DeleteDynamicPartitionsRequest,
    )
    from headwater.partitions.loading import (
        Partition as Partition,
        partition_loading_context as partition_loading_context,
    )
    from headwater.pipes import (
        PipesBlobStoreMessageReader as PipesBlobStoreMessageReader,
        PipesClient as PipesClient,
        PipesClientCompletedInvocation as PipesClientCompletedInvocation,
        PipesCompositeMessageReader as PipesCompositeMessageReader,
        PipesContextInjector as PipesContextInjector,
        PipesEnvContextInjector as PipesEnvContextInjector,
        PipesExecutionResult as PipesExecutionResult,
        PipesFileContextInjector as PipesFileContextInjector,
        PipesFileMessageReader as PipesFileMessageReader,
        PipesLaunchedData as PipesLaunchedData,
        PipesLogReader as PipesLogReader,
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
    from headwater.resources.context import (
        IAttachDifferentObjectToOpContext as IAttachDifferentObjectToOpContext,
    )
    from headwater.resources.decorator import (
        make_values_resource as make_values_resource,
    )
    from headwater.resources.pythonic import (
        ConfigurableLegacyResourceAdapter as ConfigurableLegacyResourceAdapter,
        ConfigurableResource as ConfigurableResource,
        ConfigurableResourceFactory as ConfigurableResourceFactory,
        ResourceDependency as ResourceDependency,
    )
    from headwater.storage import (
        Instance as Instance,
        Run as Run,
        RunStatus as RunStatus,
    )
    from headwater.storage.pagination import (
        PaginatedResults as PaginatedResults,
    )
    from headwater.storage.partition_status import (
        AssetPartitionStatus as AssetPartitionStatus,
    )
    from headwater.storage.queries import (
        AssetRecordsFilter as AssetRecordsFilter,
        EventLogRecord as EventLogRecord,
        EventRecordsFilter as EventRecordsFilter,
        EventRecordsResult as EventRecordsResult,
        RunRecord as RunRecord,
        RunsFilter as RunsFilter,
    )
    from headwater.storage.runs import (
        MAX_RUNTIME_SECONDS_TAG as MAX_RUNTIME_SECONDS_TAG,
    )
    from headwater.storage.status_changes import (
        RunShardedEventsCursor as RunShardedEventsCursor,
        RunStatusChangeRecordsFilter as RunStatusChangeRecordsFilter,
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
