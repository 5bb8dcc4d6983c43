"""Where headwater's parity observations may differ from the reference's, and why.

DELIBERATE: headwater is better for users here (a clearer error, a known defect of the
reference). Each entry is shown in docs/compat.md. Keys are ``"area::scenario"``.

KNOWN_GAPS: differences that are bugs not fixed yet. They run as strict xfails, so fixing
one fails the suite until its entry is removed here.

Keep both dicts sorted by key (one entry per scenario): branches that add entries then
merge without conflicts in the middle of the file.
"""

from __future__ import annotations

DELIBERATE: dict[str, str] = {
    "asset_selection::different_kinds_with_the_same_fields_differ": (
        "the reference compares selections as plain tuples of their fields, so "
        "upstream(1) == downstream(1) and a union equals the intersection of the same "
        "operands; headwater compares the kind of selection too"
    ),
    "automation_condition::distinct_operands_compare_equal": (
        "the reference compares conditions as plain tuples of their fields, so different "
        "operands without fields (missing(), run_in_progress(), ...) are equal and replace() "
        "swaps them all; headwater compares the kind of condition too"
    ),
    "automation_condition::eager_without_missing_rejected": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the condition that is not an "
        "operand"
    ),
    "automation_condition::replace_by_condition": (
        "the reference compares conditions as plain tuples of their fields, so different "
        "operands without fields (missing(), run_in_progress(), ...) are equal and replace() "
        "swaps them all; headwater compares the kind of condition too"
    ),
    "automation_condition::sensor_definition_default_condition": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the sensor and the "
        "use_user_code_server it needs"
    ),
    "checks::asset_check_returns_bool_is_error": (
        "an @asset_check whose function returns no AssetCheckResult fails its step with an "
        "error naming the check; the reference succeeds and silently records no evaluation"
    ),
    "checks::check_spec_fields": (
        "a string key 'a/b' is the two-part key a/b everywhere in headwater, as in selections "
        "and the CLI; the reference makes a one-part key 'a/b' that its asset names reject"
    ),
    "checks::multi_asset_check_in_definitions": (
        "check results returned in a list are recorded; the reference treats the list as an "
        "output value and silently records no evaluation"
    ),
    "config::field_default_wrong_type_is_definition_error": (
        "a Field default that does not match its type raises InvalidConfigDefinitionError "
        "when the op or resource using it is built, naming it and the field's path; the "
        "reference raises DagsterInvalidConfigError from Field() itself, without the place"
    ),
    "definitions::repository_data_defaults": (
        "RepositoryData.get_job and get_schedule for a missing name raise "
        "DagsterInvariantViolationError naming it and listing what there is; the reference "
        "lets a bare StopIteration escape (which a generator would swallow)"
    ),
    "definitions::repository_definition_from_repository_data": (
        "RepositoryDefinition.get_job for a missing name raises "
        "DagsterInvariantViolationError naming it and listing the jobs; the reference lets a "
        "bare StopIteration escape"
    ),
    "events::step_failure_data_on_another_event_raises": (
        "reading a kind-specific field (step_failure_data) of an event of another kind raises "
        "DagsterInvariantViolationError naming both kinds; the reference fails a bare "
        "internal check (CheckError: 'Invariant failed.')"
    ),
    "execution::build_op_context_key_and_range_together": (
        "build_op_context with both partition_key and partition_key_range raises "
        "DagsterInvalidInvocationError saying to pass one; the reference raises its internal "
        "CheckError"
    ),
    "execution::same_run_id_twice": (
        "a run id already used raises DagsterInvariantViolationError (a DagsterError) whose "
        "message names the run id; the reference's DagsterRunAlreadyExists does not name it"
    ),
    "executors::execute_in_process_ignores_execution_config": (
        "execute_in_process validates the execution section against the job's executor even "
        "though it runs in process: a typo (max_concurent) is reported with its path instead "
        "of being silently ignored"
    ),
    "executors::multiprocess_run_needs_a_persistent_instance": (
        "execute_job refuses up front, with InvalidInvocationError naming the ephemeral "
        "instance and how to get a persistent one, instead of starting a run that fails"
    ),
    "io_managers::output_context_log_event_takes_materializations_and_observations": (
        "the reference raises its internal CheckError (not a Dagster error class) for an "
        "event of another kind; headwater raises DagsterInvalidInvocationError naming the "
        "two kinds OutputContext.log_event takes and the kind it got"
    ),
    "legacy::resource_failing_in_setup": (
        "headwater's DagsterResourceFunctionError names the resource's own error ('cannot "
        "connect'); 0.15's message says only that initialization failed"
    ),
    "names_meta::load_definitions_from_current_module_reads_the_caller": (
        "the reference looks one frame up from inside its @preview wrapper, so it reads "
        "dagster's own annotations module and returns empty Definitions; headwater reads the "
        "module that called load_definitions_from_current_module, as documented"
    ),
    "observations::data_versions_by_partition_coerces_strings": (
        "the reference raises its internal CheckError (not a Dagster error class) for a "
        "version that is neither a string nor a DataVersion; headwater raises "
        "DagsterInvalidDefinitionError naming the partition and the value"
    ),
    "observations::observe_function_receives_asset_context": (
        "the reference hands an observable source asset's function a plain "
        "OpExecutionContext; headwater hands it the AssetExecutionContext (a subclass with "
        "the same attributes), as every asset's function receives"
    ),
    "partial_yields::op_returning_after_log_event_then_raising_keeps_nothing": (
        "an event logged with context.log_event before the body raised is in the result's "
        "events, as it is in the instance (both implementations record it when it is "
        "logged); the reference's result lists only what its step iterator went on to "
        "yield, so it leaves out an event its own instance and asset catalog hold"
    ),
    "partitioned_config::partitioned_config_both_fns_rejected": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the two functions that conflict"
    ),
    "partitioned_config::schedule_from_static_job_rejected": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the job and the cron_schedule to "
        "give"
    ),
    "partitioned_config::schedule_from_unpartitioned_job_rejected": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the job that has no partitions"
    ),
    "partitioned_config::time_config_unknown_key": (
        "the reference leaks strptime's ValueError for a key that is not a date; headwater "
        "raises DagsterUnknownPartitionError naming the key, the format and the nearest keys"
    ),
    "partitions::materialize_partitioned_without_key_fails": (
        "materializing a partitioned asset without a partition key is refused with a message "
        "saying how to give one; the reference runs it and records a materialization with no "
        "partition"
    ),
    "pipes::dbfs_writer_opened_payload_without_pyspark": (
        "without pyspark (or an active Spark session) the reference's DBFS message writer "
        "fails to open; headwater_pipes writes its messages without the cluster log location, "
        "so the writer also works in tests and on non-Spark hosts that mount DBFS"
    ),
    "pipes::extras_reach_the_external_process__dp": (
        "headwater adds the step's W3C `traceparent` to the extras, so that an external "
        "process can join the run's trace (docs/pipes.md, `PipesContext.traceparent`)"
    ),
    "pipes::extras_reach_the_external_process__hwp": (
        "headwater adds the step's W3C `traceparent` to the extras, so that an external "
        "process can join the run's trace (docs/pipes.md, `PipesContext.traceparent`)"
    ),
    "pipes::in_process_error_unknown_check_severity": (
        "headwater_pipes rejects a severity other than WARN/ERROR where it is reported; "
        "dagster_pipes sends it, and the orchestrator then fails to read the message"
    ),
    "pythonic_resources::nested_bound_at_top_level_set_up_once": (
        "a ConfigurableResource nested in another and also bound at the top level is set up "
        "once and shared; the reference sets the same object up a second time for the outer "
        "resource"
    ),
    "pythonic_resources::resource_model_copy_is_usable": (
        "a resource copied with model_copy(update={...}) runs with the updated values; the "
        "reference keeps the config it computed for the original and silently drops them"
    ),
    "pythonic_resources::resource_param_and_required_keys_together": (
        "an asset may take resource parameters and declare required_resource_keys too; the "
        "reference refuses the combination with an internal check error"
    ),
    "resources::build_resources_init_failure": (
        "as resources::resource_init_failure_error: the message carries the user's exception"
    ),
    "resources::build_resources_missing_dependency": (
        "build_resources with a resource whose dependency is absent raises "
        "DagsterInvalidDefinitionError naming both keys; the reference leaks a bare KeyError"
    ),
    "resources::call_generator_resource": (
        "a generator resource invoked directly (`with r(None) as v:`) runs its teardown when "
        "the block exits; the reference never runs the code after `yield` there"
    ),
    "resources::resource_config_missing": (
        "a missing resource config reports the missing field itself ('missing required field "
        '"url"\' at resources.r.config); the reference reports only that the top-level '
        "'resources' entry is missing"
    ),
    "resources::resource_init_failure_error": (
        "DagsterResourceFunctionError's message names the resource and repeats the user's "
        "exception ('ValueError: cannot connect'); the reference's says only 'Error executing "
        "resource_fn on ResourceDefinition r'"
    ),
    "resources::resource_missing_dependency": (
        "a job whose resource requires a key the job does not provide is a definition error "
        "(DagsterInvalidDefinitionError, naming the resource, the key and the job); the "
        "reference raises DagsterInvariantViolationError"
    ),
    "resources::teardown_exception_in_build_resources": (
        "a resource whose teardown raises makes build_resources raise "
        "DagsterResourceFunctionError naming it when the block exits; the reference drops the "
        "error silently (in a run, both record it and the run still succeeds)"
    ),
    "schedules::context_without_time": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the missing "
        "scheduled_execution_time and how to pass it"
    ),
    "schedules::definition_no_job": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the schedule and the job or "
        "job_name to give"
    ),
    "schedules::definition_run_config_and_fn_rejected": (
        "the reference silently ignores one of run_config and run_config_fn when both are "
        "given; headwater refuses the ambiguous schedule and says to give only one"
    ),
    "schedules::direct_call_wrong_context": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the expected context class and the "
        "builder to use"
    ),
    "schedules::tick_multiple_requests_need_run_keys": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the schedule and the run_key each "
        "request needs"
    ),
    "schedules::tick_opens_resources_outside_with": (
        "evaluate_tick sets up the resources a tick needs and tears them down after it, as "
        "the daemon does; the reference raises unless the context is opened with `with "
        "build_..._context(...) as context:` (code written for the reference works unchanged)"
    ),
    "schedules::tick_skip_and_request_rejected": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the schedule and the values that "
        "conflict"
    ),
    "schedules::tick_wrong_return": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the schedule, the value it returned "
        "and what it may return"
    ),
    "sensors::context_sensor_name_unset": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the sensor name is unset"
    ),
    "sensors::direct_call_wrong_context_type": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the expected context class and the "
        "builder to use"
    ),
    "sensors::multi_asset_sensor_wrong_context": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the expected context class and the "
        "builder to use"
    ),
    "sensors::run_failure_sensor_tick_reacts_to_every_failed_run": (
        "the reference reacts to at most 5 runs per tick (DAGSTER_RUN_STATUS_SENSOR_PROCESS_"
        "LIMIT), so a sensor falls behind when runs fail faster than it ticks; headwater "
        "reacts to every run since the cursor, oldest first, in one tick"
    ),
    "sensors::run_request_non_string_run_key_rejected": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the run_key and the type it got"
    ),
    "sensors::run_status_sensor_tick_request_without_target": (
        "the reference raises a bare Exception for a RunRequest from a sensor without a "
        "target; headwater raises DagsterInvariantViolationError naming the sensor and the "
        "arguments to give"
    ),
    "sensors::run_status_sensor_wrong_context": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the expected context class and the "
        "builder to use"
    ),
    "sensors::sensor_result_requests_and_skip_rejected": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the two arguments that conflict"
    ),
    "sensors::tick_dynamic_partition_request_resolved_with_instance": (
        "the reference's evaluate_tick cannot resolve a run request for a dynamic partition "
        "even when the context has the instance holding it (an internal CheckError asks for "
        "a partition loading context); headwater reads the keys from the context's instance"
    ),
    "sensors::tick_nested_resource_dependency": (
        "the reference cannot evaluate a tick whose resource holds a nested resource, even "
        "inside `with build_sensor_context(...)` (it reports the resources as not open); "
        "headwater sets both up and evaluates the tick"
    ),
    "sensors::tick_opens_resources_outside_with": (
        "evaluate_tick sets up the resources a tick needs and tears them down after it, as "
        "the daemon does; the reference raises unless the context is opened with `with "
        "build_..._context(...) as context:` (code written for the reference works unchanged)"
    ),
    "sensors::tick_request_without_target": (
        "the reference raises a bare Exception for a RunRequest from a sensor without a "
        "target; headwater raises DagsterInvariantViolationError naming the sensor and the "
        "arguments to give"
    ),
    "sensors::tick_sensor_result_with_other_values_rejected": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the sensor and what it returned"
    ),
    "sensors::tick_two_skips_rejected": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the sensor and the SkipReasons it "
        "returned"
    ),
    "sensors::tick_wrong_return_type": (
        "the reference raises its internal CheckError (not a Dagster error class); headwater "
        "raises a Dagster error class whose message names the sensor, the value it returned "
        "and what it may return"
    ),
    "signatures::DagsterUnknownPartitionError": (
        "the reference's signature is opaque (*args, **kwargs: a named tuple or an error "
        "class); headwater names the same parameters, and every call form the reference "
        "accepts works the same (area `constructors`)"
    ),
    "signatures::DagsterType": (
        "the parameters, their order, kinds and defaults are the reference's (kind defaults to "
        "the REGULAR member); only the name of that member's class differs: headwater exports "
        "the enum (DagsterTypeKind, also DataTypeKind) so that kind= can be given from the "
        "public API, where the reference keeps it private and the harness can name it only "
        "'object'"
    ),
    "signatures::JobDefinition": (
        "only underscore parameters differ: they are the reference's internals, not its "
        "public API, and headwater does not take them"
    ),
    "signatures::repository": (
        "only underscore parameters differ: they are the reference's internals, not its "
        "public API, and headwater does not take them"
    ),
    "types::dagster_type_requires_name_or_key": (
        "a DagsterType with neither name nor key raises DagsterInvalidDefinitionError naming "
        "the fix; the reference fails an internal check with a bare CheckError"
    ),
}

KNOWN_GAPS: dict[str, str] = {}
