"""Terminating a running run from any process that reaches its instance.

Termination is a request recorded in the instance (a ``RUN_CANCELING`` event, which moves
the run to ``CANCELING``). The process running the run watches for it: the out-of-process
executors interrupt their running steps (the step raises ``StepTerminated``, its resources
are torn down, it records that it was stopped) and start nothing more; the in-process
executor stops before its next step. Then the run ends ``CANCELED`` with an event naming
the steps that were stopped and those that never ran.
"""

from __future__ import annotations

import time

from headwater.errors import InvariantViolationError, RunNotFoundError
from headwater.events import ERROR, WARNING, EventType, RunEvent
from headwater.storage import Instance, Run, RunStatus

__all__ = ["mark_run_canceled", "terminate_run", "wait_for_run"]


def _require(instance: Instance, run_id: str) -> Run:
    run = instance.get_run(run_id)
    if run is None:
        raise RunNotFoundError(f"no run with id {run_id!r} in this instance", invalid_run_id=run_id)
    return run


def terminate_run(instance: Instance, run_id: str, *, reason: str | None = None) -> Run:
    """Ask the process running ``run_id`` to stop it; returns the run (now ``CANCELING``).

    Raises:
        RunNotFoundError: no run has that id.
        InvariantViolationError: the run has already finished.
    """
    run = _require(instance, run_id)
    if run.is_finished:
        raise InvariantViolationError(
            f"run {run_id} already finished with status {run.status.value}; only a queued or "
            "running run can be terminated"
        )
    if run.status is RunStatus.CANCELING:
        return run
    instance.store_events(
        (
            RunEvent(
                EventType.RUN_CANCELING,
                run_id,
                run.job_name,
                time.time(),
                reason or "Termination requested: running steps will be stopped.",
                level=WARNING,
                data={"reason": reason} if reason else {},
            ),
        )
    )
    return _require(instance, run_id)


def mark_run_canceled(instance: Instance, run_id: str, reason: str) -> Run:
    """End a run nobody is running any more (its process is gone) as ``CANCELED``."""
    run = _require(instance, run_id)
    if run.is_finished:
        return run
    instance.store_events(
        (
            RunEvent(
                EventType.RUN_CANCELED,
                run_id,
                run.job_name,
                time.time(),
                reason,
                level=ERROR,
                data={"stopped_steps": [], "not_run_steps": []},
            ),
        )
    )
    return _require(instance, run_id)


def wait_for_run(instance: Instance, run_id: str, *, timeout: float, poll: float = 0.1) -> Run:
    """The run once it has finished, or as it is after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    run = _require(instance, run_id)
    while not run.is_finished and time.monotonic() < deadline:
        time.sleep(poll)
        run = _require(instance, run_id)
    return run
