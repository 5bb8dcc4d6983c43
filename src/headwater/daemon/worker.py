"""The run worker: ``python -m headwater.daemon.worker RUN_ID`` starts one queued run.

The daemon's run launcher starts one process per run (forked from a warm template, or this
module in a fresh interpreter) and records its pid for the run monitor. The process opens
the instance (``HEADWATER_HOME``), loads the job through the one code loader from the run's
code pointer, and runs it with its executor under the run's id. A job that cannot be
loaded fails the run with the loader's message.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from headwater.daemon.submit import pointer_of
from headwater.errors import HeadwaterError
from headwater.storage import Instance, RunStatus

__all__ = ["main", "start_queued_run"]


def start_queued_run(instance: Instance, run_id: str) -> bool:
    """Start the queued (or starting) run ``run_id`` in this process.

    Returns:
        Whether the run succeeded.
    """
    from headwater.execution.launch import run_job
    from headwater.execution.reconstruct import ReconstructableJob
    from headwater.location.code import find_job

    run = instance.get_run(run_id)
    if run is None:
        raise HeadwaterError(f"no run with id {run_id!r} in this instance")
    if run.status not in (RunStatus.QUEUED, RunStatus.STARTING):
        raise HeadwaterError(
            f"run {run_id} is {run.status.value}; only a queued run can be started by a worker"
        )
    pointer = pointer_of(run)
    try:
        if pointer is None:
            raise HeadwaterError(
                f"run {run_id} has no code pointer: it was not submitted to the queue"
            )
        job = find_job(pointer, run.job_name)
        selected = run.tags.get("headwater/asset_selection")  # requests.ASSET_SELECTION_TAG
        result = run_job(
            job,
            pointer=ReconstructableJob(run.job_name, pointer),
            instance=instance,
            run_config=run.run_config,
            tags=run.tags,
            run_id=run_id,
            partition_key=run.tags.get("dagster/partition"),
            op_selection=_nodes_of(job, selected) if selected else None,
        )
    except HeadwaterError as exc:
        # Nothing ran: the job did not load, or its config is invalid. Say so on the run.
        current = instance.get_run(run_id)
        if current is not None and not current.is_finished:
            instance.report_run_failed(run_id, f"the run worker could not start the run: {exc}")
        return False
    return bool(result.success)


def _nodes_of(job: Any, selected: str) -> list[str]:
    """The ops that materialize the assets a run's asset selection tag names."""
    from headwater.asset_key import AssetKey

    return list(job.nodes_for_assets([AssetKey.from_user_string(k) for k in json.loads(selected)]))


def main(argv: list[str] | None = None) -> int:
    """Entry point: start the run named on the command line; exit 0 when it succeeded."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m headwater.daemon.worker RUN_ID", file=sys.stderr)
        return 2
    with Instance.get() as instance:
        return 0 if start_queued_run(instance, args[0]) else 1


if __name__ == "__main__":
    sys.exit(main())
