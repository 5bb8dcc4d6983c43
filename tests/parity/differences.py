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
}

KNOWN_GAPS: dict[str, str] = {}
