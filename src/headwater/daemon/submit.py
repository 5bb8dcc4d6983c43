"""Submitting runs to the queue: ``QUEUED`` run records that the daemon will launch.

A record holds everything a run's process needs to start it later: the job's name, the run
config as given, the tags and a code pointer (as JSON in the ``headwater/code_pointer``
tag) that the one loader follows. A tick's runs are recorded together, in one transaction.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import field
from typing import Any

from headwater._dataclass import dataclass
from headwater.events import EventType, RunEvent
from headwater.location.code import CodePointer
from headwater.storage import Instance, Run, RunStatus

__all__ = [
    "MODE_TAG",
    "POINTER_TAG",
    "REEXECUTION_TAG",
    "SELECTION_TAG",
    "QueuedRun",
    "pointer_of",
    "submit_run",
    "submit_runs",
]

POINTER_TAG = "headwater/code_pointer"
# A queued run of some ops only: the op names as a JSON list.
SELECTION_TAG = "headwater/op_selection"
# A queued run of a legacy pipeline: the mode whose job runs (absent for jobs).
MODE_TAG = "headwater/mode"
# A queued re-execution: JSON {"parent_run_id", "from_failure", "step_selection"}.
REEXECUTION_TAG = "headwater/reexecution"


@dataclass(frozen=True, slots=True)
class QueuedRun:
    """One run to submit.

    Attributes:
        job_name: the job to run.
        code: where the job is defined.
        run_config: the run config.
        tags: the run's tags (``dagster/priority`` orders the queue, higher first).
        run_id: the run's id (default: a new UUID).
    """

    job_name: str
    code: CodePointer
    run_config: Mapping[str, Any] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    run_id: str | None = None


def submit_runs(
    instance: Instance,
    queued: Sequence[QueuedRun],
    *,
    claims: Mapping[str, str] | None = None,
) -> list[Run]:
    """Record runs as ``QUEUED``, all in one transaction; the daemon's run queue launches them.

    Args:
        instance: where the runs are recorded.
        queued: the runs.
        claims: run-key claims (key-value key → run id) made in the same transaction: a run
            whose key was claimed before is not recorded.

    Returns:
        The runs recorded.

    Raises:
        InvariantViolationError: a run with one of the ids exists (nothing is recorded).
    """
    now = time.time()
    runs = []
    for item in queued:
        pointer = item.code.absolute()
        pointer_json = json.dumps(pointer.to_dict(), sort_keys=True)
        runs.append(
            Run(
                run_id=item.run_id or str(uuid.uuid4()),
                job_name=item.job_name,
                status=RunStatus.QUEUED,
                run_config=dict(item.run_config),
                tags={**item.tags, POINTER_TAG: pointer_json},
                create_time=now,
                code_origin=pointer.origin(),
            )
        )
    if not runs:
        return []
    recorded = instance.add_runs(runs, claims=claims)
    runs = [r for r in runs if r.run_id in recorded]
    message = "Run was added to the queue."
    instance.store_events(
        [
            RunEvent(
                EventType.RUN_ENQUEUED, r.run_id, r.job_name, now, message, level=logging.DEBUG
            )
            for r in runs
        ]
    )
    return runs


def submit_run(
    instance: Instance,
    *,
    job_name: str,
    code: CodePointer,
    run_config: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    run_id: str | None = None,
) -> Run:
    """Record one run of ``job_name`` as ``QUEUED`` (see :func:`submit_runs`).

    Args:
        instance: where the run is recorded; it must be persistent for the daemon and the
            run's process to reach it.
        job_name: the job to run.
        code: where the job is defined (made absolute, so any process can load it).
        run_config: the run config.
        tags: the run's tags (``dagster/priority`` orders the queue, higher first).
        run_id: the run's id (default: a new UUID).

    Returns:
        The queued run.
    """
    item = QueuedRun(job_name, code, run_config or {}, tags or {}, run_id)
    return submit_runs(instance, [item])[0]


def pointer_of(run: Run) -> CodePointer | None:
    """The code pointer a queued run was submitted with, if any."""
    raw = run.tags.get(POINTER_TAG)
    if not raw:
        return None
    return CodePointer.from_dict(json.loads(raw))
