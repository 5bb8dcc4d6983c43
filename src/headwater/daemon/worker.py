"""The run worker: ``python -m headwater.daemon.worker RUN_ID`` starts one queued run.

The daemon's run launcher starts one process per run (forked from a warm template, or this
module in a fresh interpreter) and records its pid for the run monitor. The process opens
the instance (``HEADWATER_HOME``), loads the job through the one code loader from the run's
code pointer, and runs it with its executor under the run's id: only the assets its
``headwater/asset_selection`` tag names, when it has one. A job that cannot be
loaded fails the run with the loader's message.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from typing import TYPE_CHECKING, Any

from headwater.asset_key import AssetKey
from headwater.daemon.requests import ASSET_SELECTION_TAG
from headwater.daemon.store import claim_run_start
from headwater.daemon.submit import MODE_TAG, REEXECUTION_TAG, SELECTION_TAG, pointer_of
from headwater.errors import HeadwaterError
from headwater.storage import Instance, Run, RunStatus

if TYPE_CHECKING:
    from headwater.execution.reconstruct import ReconstructableJob
    from headwater.jobs.job import JobDefinition
    from headwater.location.code import CodePointer

__all__ = ["asset_selection_of", "main", "start_queued_run"]


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
    if not claim_run_start(instance, run_id, pid=os.getpid(), host=socket.gethostname()):
        # Another process started it (a launch thought lost and launched again): not twice.
        print(f"run {run_id} was started by another process; not starting it again")
        return False
    pointer = pointer_of(run)
    try:
        if pointer is None:
            raise HeadwaterError(
                f"run {run_id} has no code pointer: it was not submitted to the queue"
            )
        selection = asset_selection_of(run)
        mode = run.tags.get(MODE_TAG)
        job = _asset_subset_job(pointer, run.job_name, selection)
        if job is None:
            job = find_job(pointer, run.job_name, mode=mode)
        else:
            selection = None  # the job is the selection
        reconstructable = ReconstructableJob(run.job_name, pointer, mode)
        if SELECTION_TAG in run.tags or REEXECUTION_TAG in run.tags:
            return _start_subset(instance, run, reconstructable)
        result = run_job(
            job,
            pointer=reconstructable,
            instance=instance,
            run_config=run.run_config,
            tags=run.tags,
            run_id=run_id,
            partition_key=run.tags.get("dagster/partition"),
            asset_selection=selection,
        )
    except HeadwaterError as exc:
        # Nothing ran: the job did not load, or its config is invalid. Say so on the run.
        current = instance.get_run(run_id)
        if current is not None and not current.is_finished:
            instance.report_run_failed(run_id, f"the run worker could not start the run: {exc}")
        return False
    return bool(result.success)


def _asset_subset_job(
    pointer: CodePointer, job_name: str, selection: list[AssetKey] | None
) -> JobDefinition | None:
    """The implicit asset job built over ``selection`` alone, as ``headwater asset
    materialize`` builds it: its partitions are those of the selected assets, so a run of
    the unpartitioned assets of a partitioned code location needs no partition. ``None``
    for any other job (op selection runs its subset)."""
    from headwater.assets.job import IMPLICIT_ASSET_JOB_NAME, build_asset_job
    from headwater.location.code import import_code, is_definitions

    if selection is None or job_name != IMPLICIT_ASSET_JOB_NAME:
        return None
    module, value = import_code(pointer)
    candidates = [value] if pointer.attribute else list(vars(module).values())
    found = [c for c in candidates if is_definitions(c) and hasattr(c, "resolve_asset_graph")]
    if not found:
        return None
    defs: Any = found[0]
    return build_asset_job(
        IMPLICIT_ASSET_JOB_NAME,
        defs.resolve_asset_graph(),
        selection,
        resource_defs=defs._asset_resources(),
        executor_def=defs.executor,
    )


def asset_selection_of(run: Run) -> list[AssetKey] | None:
    """The assets a queued run materializes (its ``headwater/asset_selection`` tag, a JSON
    list of asset keys as ``a/b`` strings), or ``None`` for every asset of its job.

    Raises:
        HeadwaterError: the tag is not such a list.
    """
    raw = run.tags.get(ASSET_SELECTION_TAG)
    if raw is None:
        return None
    try:
        keys = json.loads(raw)
    except ValueError:
        keys = None
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise HeadwaterError(
            f"run {run.run_id}: its {ASSET_SELECTION_TAG} tag {raw!r} is not a JSON list of "
            'asset keys such as ["orders", "raw/events"]'
        )
    return [AssetKey.from_user_string(k) for k in keys]


def _start_subset(instance: Instance, run: Run, pointer: ReconstructableJob) -> bool:
    """Start a queued run of some ops only, or a re-execution, as its tags ask."""
    from headwater.execution.launch import launch_job
    from headwater.execution.reexecute import ReexecutionOptions

    selection = run.tags.get(SELECTION_TAG)
    options = None
    if REEXECUTION_TAG in run.tags:
        asked = json.loads(run.tags[REEXECUTION_TAG])
        parent_id = asked["parent_run_id"]
        if asked.get("from_failure"):
            options = ReexecutionOptions.from_failure(parent_id, instance)
        else:
            options = ReexecutionOptions(parent_id, asked.get("step_selection") or [])
    result = launch_job(
        pointer,
        instance,
        run_config=run.run_config,
        tags=run.tags,
        op_selection=json.loads(selection) if selection else None,
        reexecution_options=options,
        run_id=run.run_id,
    )
    return bool(result.success)


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
