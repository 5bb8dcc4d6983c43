"""Helpers for the backfill tests: load a test's definitions and launch a backfill of them."""

from __future__ import annotations

from typing import Any

from headwater.daemon.backfills import launch_backfill, plan_backfill
from headwater.location.code import CodePointer, import_code
from headwater.storage import Instance


def defs_of(code: CodePointer) -> Any:
    """The ``defs`` object of the test's definitions file."""
    module, _ = import_code(code)
    return module.defs


def launch(
    instance: Instance,
    code: CodePointer,
    select: str,
    first: str = "2024-01-01",
    last: str = "2024-01-02",
) -> str:
    """Plan and record a backfill of ``select`` over ``first...last``; returns its id."""
    job, selection, final, units = plan_backfill(
        defs_of(code), select=select, partition_range=(first, last), instance=instance
    )
    record = launch_backfill(
        instance,
        code=code,
        job_name=job,
        asset_selection=selection,
        final_selection=final,
        units=units,
    )
    return record.backfill_id
