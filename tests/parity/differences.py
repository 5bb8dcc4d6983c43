"""Where headwater's parity observations may differ from the reference's, and why.

DELIBERATE: headwater is better for users here (a clearer error, a known defect of the
reference). Each entry is shown in docs/compat.md. Keys are ``"area::scenario"``.

KNOWN_GAPS: differences that are bugs not fixed yet. They run as strict xfails, so fixing
one fails the suite until its entry is removed here.
"""

from __future__ import annotations

DELIBERATE: dict[str, str] = {
    "events::step_failure_data_on_another_event_raises": (
        "reading a kind-specific field (step_failure_data) of an event of another kind raises "
        "DagsterInvariantViolationError naming both kinds; the reference fails a bare internal "
        "check (CheckError: 'Invariant failed.')"
    ),
    "partitions::materialize_partitioned_without_key_fails": (
        "materializing a partitioned asset without a partition key is refused with a message "
        "saying how to give one; the reference runs it and records a materialization with "
        "no partition"
    ),
    "checks::check_spec_fields": (
        "a string key 'a/b' is the two-part key a/b everywhere in headwater, as in selections "
        "and the CLI; the reference makes a one-part key 'a/b' that its asset names reject"
    ),
    "checks::multi_asset_check_in_definitions": (
        "check results returned in a list are recorded; the reference treats the list as an "
        "output value and silently records no evaluation"
    ),
    "checks::asset_check_returns_bool_is_error": (
        "an @asset_check whose function returns no AssetCheckResult fails its step with an "
        "error naming the check; the reference succeeds and silently records no evaluation"
    ),
    "types::dagster_type_requires_name_or_key": (
        "a DagsterType with neither name nor key raises DagsterInvalidDefinitionError naming "
        "the fix; the reference fails an internal check with a bare CheckError"
    ),
}

KNOWN_GAPS: dict[str, str] = {
    "execution::failure_attributes": (
        "Failure.metadata keeps the raw values given; the reference normalises them to "
        "MetadataValue objects (IntMetadataValue ...). errors.py is the innermost layer and "
        "cannot import the metadata package; the step failure event does carry typed values"
    ),
    "assets::asset_direct_invocation_with_context": "build_asset_context comes with the surface branch",
    "assets::assets_definition_keys_by_input_name": (
        "keys_by_input_name lists only data inputs; the reference also lists deps (as Nothing "
        "inputs)"
    ),
    "assets::define_asset_job_star": "no BetaWarning for a string selection (warnings land with surface)",
    "assets::define_asset_job_name_and_kind": "no BetaWarning for a string selection",
    "assets::materialize_selection_star": "no BetaWarning for a string selection",
    "assets::observable_source_asset_observes": "no BetaWarning for observable_source_asset",
    "assets::graph_asset_basic": "graph_asset is not implemented",
    "partitions::dynamic_build_add_request": "build_add_request lands with the automation branch",
    "partitions::dynamic_build_delete_request": "build_delete_request lands with automation",
    "partitions::dynamic_request_fields_equality": "the request classes land with automation",
    "partitions::partitioned_job_config": "static_partitioned_config lands with automation",
    "partitions::multi_partition_mapping_kind": "no BetaWarning for MultiPartitionMapping",
    "partitions::multi_to_single_dimension_mapping": "no BetaWarning for the mapping",
}


# Signatures (area `signatures`): parameters headwater does not take yet, or takes
# differently. Each entry says what differs; fixing one turns its xfail into a failure.
_SIGNATURE_GAPS: dict[str, str] = {
    "Array": "extra parameters `description`",
    "AssetCheckEvaluation": "parameters `partition` missing",
    "AssetCheckSpec": (
        "parameters `additional_deps`, `automation_condition`, `partitions_def` missing"
    ),
    "AssetChecksDefinition": (
        "parameters `keys_by_input_name`, `keys_by_output_name`, `node_def`, "
        "`partitions_def`, `partition_mappings`, `asset_deps`, `selected_asset_keys`, "
        "`can_subset`, `resource_defs`, `group_names_by_key`, `metadata_by_key`, "
        "`tags_by_key`, `legacy_freshness_policies_by_key`, `backfill_policy`, "
        "`descriptions_by_key`, `check_specs_by_output_name`, "
        "`selected_asset_check_keys`, `is_subset`, `owners_by_key`, `specs`, "
        "`execution_type`, `auto_materialize_policies_by_key`, `hook_defs` missing; "
        "extra parameters `op`, `spec`, `asset_input`"
    ),
    "AssetDep": "parameters `metadata` missing; kind of `partition_mapping` differs",
    "AssetIn": "parameters `input_manager_key` missing",
    "AssetMaterialization": "parameters `tags` missing",
    "AssetObservation": "parameters `tags` missing",
    "AssetOut": (
        "parameters `automation_condition`, `backfill_policy`, `freshness_policy`, "
        "`is_virtual`, `kwargs` missing"
    ),
    "AssetSelection": "extra parameters `resolver`, `text`",
    "AssetSensorDefinition": (
        "parameters `job_name`, `asset_materialization_fn`, `minimum_interval_seconds`, "
        "`description`, `job`, `jobs`, `default_status`, `required_resource_keys`, "
        "`tags`, `metadata` missing; extra parameters `evaluation_fn`, `kwargs`; kind "
        "of `asset_key` differs; default of `name` differs"
    ),
    "AssetSpec": (
        "parameters `automation_condition`, `freshness_policy`, `is_virtual`, `kwargs` missing"
    ),
    "AssetsDefinition": (
        "parameters `keys_by_output_name`, `node_def`, `asset_deps`, "
        "`selected_asset_keys`, `group_names_by_key`, `metadata_by_key`, `tags_by_key`, "
        "`legacy_freshness_policies_by_key`, `descriptions_by_key`, "
        "`check_specs_by_output_name`, `selected_asset_check_keys`, `is_subset`, "
        "`owners_by_key`, `specs`, `execution_type`, "
        "`auto_materialize_policies_by_key`, `hook_defs` missing; extra parameters "
        "`op`, `specs_by_output`, `check_specs`"
    ),
    "BackfillPolicy": "extra parameters `policy_type`; default of `max_partitions_per_run` differs",
    "BoolMetadataValue": "parameters `args`, `kwargs` missing; extra parameters `value`",
    "DagsterExecutionStepExecutionError": (
        "parameters `args`, `kwargs` missing; extra parameters `message`, `user_exception`"
    ),
    "DagsterInvalidConfigDefinitionError": "parameter order, kinds or defaults differ",
    "DagsterInvalidConfigError": (
        "parameters `preamble`, `errors`, `config_value`, `args`, `kwargs` missing; "
        "extra parameters `problems`, `subject`"
    ),
    "DagsterResourceFunctionError": (
        "parameters `args`, `kwargs` missing; extra parameters `message`, `user_exception`"
    ),
    "DagsterRunNotFoundError": "parameter order, kinds or defaults differ",
    "DagsterUnknownPartitionError": (
        "the reference takes (*args, **kwargs) or no readable signature; headwater "
        "names its parameters"
    ),
    "DagsterUnknownResourceError": "parameter order, kinds or defaults differ",
    "DagsterUserCodeExecutionError": (
        "parameters `args`, `kwargs` missing; extra parameters `message`, `user_exception`"
    ),
    "DailyPartitionsDefinition": "parameters `exclusions`, `kwargs` missing",
    "Definitions": "parameters `component_tree` missing",
    "Enum": "extra parameters `description`",
    "ExecutorDefinition": "parameters `requirements`, `executor_creation_fn` missing",
    "FloatMetadataValue": "parameters `args`, `kwargs` missing; extra parameters `value`",
    "GraphDefinition": (
        "parameters `node_defs`, `dependencies`, `input_mappings`, "
        "`node_input_source_assets`, `input_assets`, `composition_fn`, `kwargs` "
        "missing; extra parameters `nodes`, `input_defs`, `output_defs`"
    ),
    "HourlyPartitionsDefinition": "parameters `exclusions`, `kwargs` missing",
    "In": "parameters `asset_key`, `asset_partitions`, `input_manager_key` missing",
    "IntMetadataValue": "parameters `args`, `kwargs` missing; extra parameters `value`",
    "JobDefinition": (
        "private parameters `_subset_selection_data`, "
        "`_was_explicitly_provided_resources`, `_automation_condition` missing"
    ),
    "MarkdownMetadataValue": "parameters `args`, `kwargs` missing; extra parameters `md_str`",
    "MaterializeResult": (
        "parameters `value` missing; kind of `asset_key`, `metadata`, `check_results`, "
        "`data_version`, `tags` differs"
    ),
    "MonthlyPartitionsDefinition": "parameters `exclusions`, `kwargs` missing",
    "OpDefinition": (
        "parameters `code_version` missing; extra parameters `compute_signature`; kind "
        "of `name`, `ins`, `outs`, `description`, `config_schema`, "
        "`required_resource_keys`, `tags`, `version`, `retry_policy`, `pool` differs; "
        "default of `name` differs"
    ),
    "Out": "parameters `code_version` missing",
    "Output": "parameters `data_version`, `tags` missing",
    "PermissiveConfig": "parameters `config_dict` missing; extra parameters `data`",
    "PipesClientCompletedInvocation": "kind of `metadata` differs",
    "PipesMessageHandler": "parameters `message_reader` missing; extra parameters `validator`",
    "PipesSession": "parameters `created_at` missing",
    "ReexecutionOptions": "extra parameters `only_failed`; default of `step_selection` differs",
    "ResourceDependency": "extra parameters `args`, `kwargs`",
    "RunRequest": "parameters `stale_assets_only`, `asset_check_keys`, `kwargs` missing",
    "ScheduleDefinition": (
        "parameters `tags_fn`, `metadata`, `should_execute`, `environment_vars`, "
        "`target`, `owners` missing; default of `cron_schedule`, `default_status` "
        "differs"
    ),
    "SensorDefinition": (
        "parameters `metadata`, `target`, `owners` missing; default of `default_status` differs"
    ),
    "SensorResult": "parameters `dynamic_partitions_requests`, `asset_events`, `kwargs` missing",
    "TableConstraints": "default of `other` differs",
    "TableMetadataValue": "default of `schema` differs",
    "TableRecord": "parameters `args`, `kwargs` missing; extra parameters `data`",
    "TableSchemaMetadataValue": "parameters `args`, `kwargs` missing; extra parameters `schema`",
    "TextMetadataValue": "parameters `args`, `kwargs` missing; extra parameters `text`",
    "TimeWindowPartitionsDefinition": "parameters `exclusions` missing; default of `fmt` differs",
    "TimestampMetadataValue": "parameters `args`, `kwargs` missing; extra parameters `value`",
    "UrlMetadataValue": "parameters `args`, `kwargs` missing; extra parameters `url`",
    "WeeklyPartitionsDefinition": "parameters `exclusions`, `kwargs` missing",
    "asset": (
        "parameters `resource_defs`, `hooks`, `io_manager_def`, `automation_condition`, "
        "`freshness_policy`, `is_virtual`, `kwargs` missing; extra parameters "
        "`compute_kind`"
    ),
    "asset_check": (
        "parameters `additional_ins`, `additional_deps`, `resource_defs`, "
        "`compute_kind`, `automation_condition`, `pool`, `partitions_def` missing"
    ),
    "asset_sensor": "parameters `metadata` missing; default of `default_status` differs",
    "build_input_context": (
        "parameters `step_context` missing; extra parameters `asset_partition_keys`, `job_name`"
    ),
    "build_output_context": (
        "parameters `asset_spec`, `output_metadata` missing; extra parameters "
        "`asset_partition_keys`, `job_name`"
    ),
    "build_resources": "parameters `dagster_run`, `event_loop` missing",
    "build_schedule_context": "parameters `repository_def`, `instance_ref` missing",
    "build_sensor_context": (
        "parameters `repository_name`, `repository_def`, `definitions`, `instance_ref`, "
        "`last_sensor_start_time` missing; extra parameters `last_completion_time`"
    ),
    "execute_job": "parameters `asset_selection` missing; extra parameters `run_id`",
    "instance_for_test": (
        "parameters `synchronous_run_coordinator`, `synchronous_run_launcher` missing"
    ),
    "multi_asset": "parameters `internal_asset_deps`, `hooks`, `resource_defs`, `kwargs` missing",
    "schedule": (
        "parameters `tags_fn`, `metadata`, `should_execute`, `environment_vars`, "
        "`target`, `owners` missing; default of `default_status` differs"
    ),
    "sensor": (
        "parameters `metadata`, `target`, `owners` missing; default of `default_status` differs"
    ),
}
KNOWN_GAPS.update({f"signatures::{k}": f"signature: {v}" for k, v in _SIGNATURE_GAPS.items()})
