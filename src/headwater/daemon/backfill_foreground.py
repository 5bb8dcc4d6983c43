"""Backfills run in the foreground: ``headwater asset materialize --partition-range``.

The command records the same backfill as ``headwater backfill launch``, marked with the
process running it, so the daemon leaves it alone. Before each run the command claims the
unit under the same key the daemon would (``backfill:<id>:<generation>/<unit>``), with the
run's id chosen up front: progress is the claims plus the runs' statuses, as for the
daemon's backfills, so ``headwater backfill list`` follows it as partitions complete.

A foreground backfill that stops early (Ctrl-C, ``headwater backfill cancel``, an error, or
its process killed) is continued by ``headwater backfill resume ID``, which hands it to the
daemon: a new generation runs the units that have not succeeded, and no others.
"""

from __future__ import annotations

import os
import socket
import uuid
from typing import Any

from headwater.daemon.backfills import backfill_progress
from headwater.storage import Instance, RunStatus
from headwater.storage.backfills import (
    BackfillRecord,
    BackfillUnit,
    unit_claim,
    update_backfill,
)

__all__ = [
    "claim_foreground_unit",
    "finish_foreground_backfill",
    "foreground_gone",
    "foreground_owner",
    "still_requested",
]


def foreground_owner() -> dict[str, Any]:
    """This process, as a backfill's ``foreground`` field records it."""
    return {"pid": os.getpid(), "host": socket.gethostname()}


def foreground_gone(record: BackfillRecord) -> bool:
    """Whether the process running ``record`` in the foreground has ended.

    A process on another machine cannot be checked: it counts as alive, and
    ``headwater backfill cancel`` stops it (or tells a process killed there that it ended).
    """
    from headwater.daemon.duties import process_gone

    owner = record.foreground
    if owner is None:
        return False
    if owner.get("host") != socket.gethostname():
        return False
    pid = int(owner.get("pid", 0))
    return pid != os.getpid() and process_gone(pid)


def still_requested(instance: Instance, backfill_id: str) -> bool:
    """Whether the backfill is still to be worked through (not canceled meanwhile)."""
    from headwater.storage.backfills import read_backfill

    record = read_backfill(instance, backfill_id)
    return record is not None and record.status == "REQUESTED"


def claim_foreground_unit(
    instance: Instance, record: BackfillRecord, unit: BackfillUnit
) -> str | None:
    """Claim ``unit`` for a run of this process; returns the run's id to run it with, or
    ``None`` when the unit was claimed already in this generation."""
    run_id = str(uuid.uuid4())
    claim = unit_claim(record.backfill_id, record.generation, unit.key)
    return run_id if instance.kv_insert_new({claim: run_id}) else None


def finish_foreground_backfill(
    instance: Instance, record: BackfillRecord, *, stopped: str | None = None
) -> BackfillRecord | None:
    """Mark a foreground backfill done: ``CANCELED`` with ``stopped`` as the reason when it
    stopped early, else completed as its runs ended. ``None``: it was canceled meanwhile."""
    if stopped is not None:
        return update_backfill(
            instance,
            record.backfill_id,
            only_from=("REQUESTED",),
            status="CANCELED",
            error=stopped,
        )
    progress = backfill_progress(instance, record)
    failed = any(s is not RunStatus.SUCCESS for s in progress.latest.values())
    return update_backfill(
        instance,
        record.backfill_id,
        only_from=("REQUESTED",),
        status="COMPLETED_FAILED" if failed else "COMPLETED_SUCCESS",
    )
