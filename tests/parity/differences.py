"""Where headwater's parity observations may differ from the reference's, and why.

DELIBERATE: headwater is better for users here (a clearer error, a known defect of the
reference). Each entry is shown in docs/compat.md. Keys are ``"area::scenario"``.

KNOWN_GAPS: differences that are bugs not fixed yet. They run as strict xfails, so fixing
one fails the suite until its entry is removed here.
"""

from __future__ import annotations

DELIBERATE: dict[str, str] = {
    "executors::execute_in_process_ignores_execution_config": (
        "execute_in_process validates the execution section against the job's executor "
        "even though it runs in process: a typo (max_concurent) is reported with its path "
        "instead of being silently ignored"
    ),
    "executors::multiprocess_run_needs_a_persistent_instance": (
        "execute_job refuses up front, with InvalidInvocationError naming the ephemeral "
        "instance and how to get a persistent one, instead of starting a run that fails"
    ),
}

KNOWN_GAPS: dict[str, str] = {
    "executors::job_default_executor": (
        "a job naming no executor has executor_def None; the reference gives it "
        "multi_or_in_process_executor"
    ),
}
