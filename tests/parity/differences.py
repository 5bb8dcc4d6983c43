"""Where headwater's parity observations may differ from the reference's, and why.

DELIBERATE: headwater is better for users here (a clearer error, a known defect of the
reference). Each entry is shown in docs/compat.md. Keys are ``"area::scenario"``.

KNOWN_GAPS: differences that are bugs not fixed yet. They run as strict xfails, so fixing
one fails the suite until its entry is removed here.
"""

from __future__ import annotations

DELIBERATE: dict[str, str] = {
    # --- config (branch `resources`) ---
    "config::field_default_wrong_type_is_definition_error": (
        "a Field default that does not match its type raises InvalidConfigDefinitionError "
        "when the op or resource using it is built, naming it and the field's path; the "
        "reference raises DagsterInvalidConfigError from Field() itself, without the place"
    ),
    "config::field_required_with_default_is_definition_error": (
        "Field(is_required=True, default_value=...) raises DagsterInvalidConfigDefinitionError "
        "saying to drop one of them; the reference fails an internal check (CheckError)"
    ),
    # --- resources (branch `resources`) ---
    "resources::resource_init_failure_error": (
        "DagsterResourceFunctionError's message names the resource and repeats the user's "
        "exception ('ValueError: cannot connect'); the reference's says only 'Error executing "
        "resource_fn on ResourceDefinition r'"
    ),
    "resources::build_resources_init_failure": (
        "as resources::resource_init_failure_error: the message carries the user's exception"
    ),
    "resources::resource_config_missing": (
        "a missing resource config reports the missing field itself ('missing required field "
        '"url"\' at resources.r.config); the reference reports only that the top-level '
        "'resources' entry is missing"
    ),
    "resources::build_resources_missing_dependency": (
        "build_resources with a resource whose dependency is absent raises "
        "DagsterInvalidDefinitionError naming both keys; the reference leaks a bare KeyError"
    ),
    "resources::resource_missing_dependency": (
        "a job whose resource requires a key the job does not provide is a definition error "
        "(DagsterInvalidDefinitionError, naming the resource, the key and the job); the "
        "reference raises DagsterInvariantViolationError"
    ),
    "resources::call_generator_resource": (
        "a generator resource invoked directly (`with r(None) as v:`) runs its teardown when "
        "the block exits; the reference never runs the code after `yield` there"
    ),
    "resources::teardown_exception_in_build_resources": (
        "a resource whose teardown raises makes build_resources raise "
        "DagsterResourceFunctionError naming it when the block exits; the reference drops "
        "the error silently (in a run, both record it and the run still succeeds)"
    ),
    # --- pythonic_resources (branch `resources`) ---
    "pythonic_resources::get_resource_context_outside_run": (
        "get_resource_context() outside a run raises DagsterInvariantViolationError saying "
        "when the context exists and how to set one in a test; the reference fails an "
        "internal check (CheckError)"
    ),
    "pythonic_resources::from_resource_context_refuses_teardown": (
        "from_resource_context() on a class with teardown raises "
        "DagsterInvalidInvocationError naming the _cm variant to use; the reference fails an "
        "internal check (CheckError) with the same advice"
    ),
    "pythonic_resources::process_config_and_initialize_runs_setup": (
        "as from_resource_context_refuses_teardown, for process_config_and_initialize()"
    ),
    "pythonic_resources::nested_bound_at_top_level_set_up_once": (
        "a ConfigurableResource nested in another and also bound at the top level is set up "
        "once and shared; the reference sets the same object up a second time for the outer "
        "resource"
    ),
    "pythonic_resources::resource_param_and_required_keys_together": (
        "an asset may take resource parameters and declare required_resource_keys too; the "
        "reference refuses the combination with an internal check error"
    ),
    "pythonic_resources::resource_model_copy_is_usable": (
        "a resource copied with model_copy(update={...}) runs with the updated values; the "
        "reference keeps the config it computed for the original and silently drops them"
    ),
}

KNOWN_GAPS: dict[str, str] = {
    "resources::init_context_attributes_built": (
        "build_init_resource_context() without instance= leaves .instance None; the "
        "reference builds an ephemeral instance (headwater's resources layer may not import "
        "the storage layer, so this needs a hook from the instance side)"
    ),
}
