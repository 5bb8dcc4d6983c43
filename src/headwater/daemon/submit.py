"""Submitting a run to the queue: a ``QUEUED`` run record that the daemon will launch.

The record holds everything a run worker needs to start it later in another process: the
job's name, the run config as given, the tags and a code pointer (as JSON in the
``headwater/code_pointer`` tag) that the one loader follows.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from typing import Any

from headwater.events import EventType, RunEvent
from headwater.location.code import CodePointer
from headwater.storage import Instance, Run

__all__ = ["POINTER_TAG", "submit_run"]

POINTER_TAG = "headwater/code_pointer"


def submit_run(
    instance: Instance,
    *,
    job_name: str,
    code: CodePointer,
    run_config: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    run_id: str | None = None,
) -> Run:
    """Record a run of ``job_name`` as ``QUEUED``; the daemon's run queue launches it.

    Args:
        instance: where the run is recorded; it must be persistent (the daemon and the run
            worker open it again).
        job_name: the job to run.
        code: where the job is defined (made absolute, so any process can load it).
        run_config: the run config.
        tags: the run's tags (``dagster/priority`` orders the queue, higher first).
        run_id: the run's id (default: a new UUID).

    Returns:
        The queued run.
    """
    pointer = code.absolute()
    run = instance.create_run(
        job_name=job_name,
        run_config=run_config,
        tags={**(tags or {}), POINTER_TAG: json.dumps(pointer.to_dict(), sort_keys=True)},
        run_id=run_id,
        code_origin=pointer.origin(),
    )
    instance.store_events(
        (
            RunEvent(
                EventType.RUN_ENQUEUED,
                run.run_id,
                job_name,
                time.time(),
                "Run was added to the queue.",
                level=logging.DEBUG,
            ),
        )
    )
    queued = instance.get_run(run.run_id)
    assert queued is not None
    return queued


def pointer_of(run: Run) -> CodePointer | None:
    """The code pointer a queued run was submitted with, if any."""
    raw = run.tags.get(POINTER_TAG)
    if not raw:
        return None
    return CodePointer.from_dict(json.loads(raw))
