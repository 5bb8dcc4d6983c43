"""Where headwater's parity observations may differ from the reference's, and why.

DELIBERATE: headwater is better for users here (a clearer error, a known defect of the
reference). Each entry is shown in docs/compat.md. Keys are ``"area::scenario"``.

KNOWN_GAPS: differences that are bugs not fixed yet. They run as strict xfails, so fixing
one fails the suite until its entry is removed here.
"""

from __future__ import annotations

DELIBERATE: dict[str, str] = {
    # Pipes
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
    # Legacy (0.15)
    "legacy::resource_failing_in_setup": (
        "headwater's DagsterResourceFunctionError names the resource's own error "
        "('cannot connect'); 0.15's message says only that initialization failed"
    ),
}

KNOWN_GAPS: dict[str, str] = {
    "pipes::data_version_becomes_a_tag__dp": (
        "AssetMaterialization has no `tags` (Dagster keeps dagster/data_version there)"
    ),
    "pipes::data_version_becomes_a_tag__hwp": (
        "AssetMaterialization has no `tags` (Dagster keeps dagster/data_version there)"
    ),
    "legacy::output_type_check_fails": (
        "no Dagster type checks yet: an output typed int that returns a str should fail "
        "with DagsterTypeCheckDidNotPass"
    ),
}
