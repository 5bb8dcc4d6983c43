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
}

KNOWN_GAPS: dict[str, str] = {
    "events::observation_event_message": (
        "an ASSET_OBSERVATION event's message is '' where the reference's is None: "
        "RunEvent.message is a str everywhere (storage, CLI)"
    ),
    "execution::failure_attributes": (
        "Failure.metadata keeps the raw values given; the reference normalises them to "
        "MetadataValue objects (IntMetadataValue ...). errors.py is the innermost layer and "
        "cannot import the metadata package; the step failure event does carry typed values"
    ),
}
