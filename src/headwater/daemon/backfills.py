"""Backfills: launching one, working through it on the daemon, cancelling and resuming it.

:func:`plan_backfill` is pure planning over loaded definitions: the selected assets'
partitions are split into runs as their ``backfill_policy`` asks (``plan_backfill_runs``).
:class:`BackfillDuty` submits each backfill's runs to the run queue (so the queue's limits
apply), a few at a time, each claimed under ``backfill:<id>:<generation>/<unit>`` in the
transaction that records it: a unit runs exactly once per generation, through crashes and
restarts. Progress is the claims plus the runs' statuses, so nothing else needs writing.
"""

from __future__ import annotations

import json
import secrets
import string
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from headwater._dataclass import dataclass
from headwater.daemon.backfill_order import split_unpartitioned, with_upstream_unit
from headwater.daemon.requests import ASSET_SELECTION_TAG
from headwater.daemon.submit import QueuedRun, submit_runs
from headwater.errors import HeadwaterError
from headwater.execution.partitions import PARTITION_TAG, RANGE_END_TAG, RANGE_START_TAG
from headwater.location.code import CodePointer
from headwater.storage import Instance, RunStatus
from headwater.storage.backfill_units import IN_FLIGHT, unit_states
from headwater.storage.backfills import (
    BACKFILL_TAG,
    UNPARTITIONED_UNIT,
    BackfillRecord,
    BackfillUnit,
    add_backfill,
    claims_of,
    list_backfill_ids,
    read_backfills,
    unit_claim,
    update_backfill,
)

__all__ = [
    "BackfillDuty",
    "BackfillProgress",
    "backfill_progress",
    "cancel_backfill",
    "launch_backfill",
    "plan_backfill",
    "resume_backfill",
    "shared_backfill_policy",
]


def shared_backfill_policy(policies: Sequence[Any]) -> Any:
    """One backfill policy for several assets: the one giving the smallest runs.

    An asset without a policy takes one run per partition, so any such asset decides.
    """
    from headwater.partitions import BackfillPolicy

    if not policies or any(p is None for p in policies):
        return None
    sizes = [p.max_partitions_per_run for p in policies if p.max_partitions_per_run is not None]
    return BackfillPolicy.multi_run(min(sizes)) if sizes else policies[0]


def plan_backfill(
    defs: Any,
    *,
    select: str | None,
    partition_range: tuple[str, str] | None = None,
    partition_keys: Sequence[str] | None = None,
    instance: Instance | None = None,
) -> tuple[str, tuple[str, ...] | None, tuple[str, ...] | None, tuple[BackfillUnit, ...]]:
    """The job, asset selection and runs of a backfill of ``select`` over some partitions.

    The partitioned assets run partition by partition (ranges as their ``backfill_policy``
    asks); the unpartitioned assets of the selection run once: those upstream of the
    partitioned ones in a first run the partition runs wait for, the others after all.

    Returns:
        The job's name, the assets the partition runs materialize (user strings; ``None``:
        every asset of the job), those the unpartitioned run materializes (``None``: there
        is no such run) and the runs.

    Raises:
        HeadwaterError: no partitioned asset is selected, the partitions differ, a key is
            unknown, neither or both of ``partition_range`` and ``partition_keys`` given,
            or an unpartitioned asset is both below and above partitioned ones.
    """
    from headwater.assets.job import IMPLICIT_ASSET_JOB_NAME
    from headwater.assets.selection import AssetSelection
    from headwater.partitions import PartitionKeyRange, plan_backfill_runs

    if (partition_range is None) == (partition_keys is None):
        raise HeadwaterError("a backfill needs partitions: give a partition range or keys")
    graph = defs.resolve_asset_graph()
    keys = set(AssetSelection.from_string(select).resolve(graph)) if select else graph.all_keys
    keys = set(keys) & set(graph.executable_keys)
    if not keys:
        raise HeadwaterError(f"the selection {select!r} matches no asset that can be run")
    partitioned = {k for k in keys if graph.def_by_key[k].partitions_def is not None}
    if not partitioned:
        raise HeadwaterError(
            "a backfill needs partitioned assets; the selected assets have no partitions"
        )
    defs_seen: list[Any] = []
    for k in sorted(partitioned, key=lambda k: k.to_user_string()):
        if graph.def_by_key[k].partitions_def not in defs_seen:
            defs_seen.append(graph.def_by_key[k].partitions_def)
    if len(defs_seen) > 1:
        raise HeadwaterError(
            "the selected assets have different partitions definitions; backfill each "
            "partitions definition's assets separately (--select)"
        )
    partitions_def = defs_seen[0]
    if partition_range is not None:
        for key in partition_range:
            partitions_def.validate_partition_key(key, dynamic_partitions_store=instance)
        wanted = partitions_def.get_partition_keys_in_range(
            PartitionKeyRange(*partition_range), dynamic_partitions_store=instance
        )
    else:
        wanted = list(partition_keys or ())
    policy = shared_backfill_policy([graph.def_by_key[k].backfill_policy for k in partitioned])
    ranges = plan_backfill_runs(policy, wanted, partitions_def, dynamic_partitions_store=instance)
    units = [
        BackfillUnit(r.start, partition=r.start)
        if r.start == r.end
        else BackfillUnit(f"{r.start}...{r.end}", range=(r.start, r.end))
        for r in ranges
    ]
    names = sorted(k.to_user_string() for k in partitioned)
    # Named explicitly unless the job is every asset: a run worker builds the job of the
    # selection (code with several partitions definitions has no job of every asset).
    every = partitioned == set(graph.executable_keys) and defs.has_job(IMPLICIT_ASSET_JOB_NAME)
    selection: tuple[str, ...] | None = None if every else tuple(names)
    # Parents first: the unpartitioned assets upstream of the partitions run before them.
    first, last = split_unpartitioned(graph, keys - partitioned, partitioned)
    units = with_upstream_unit(units, first)
    final = None
    if last:  # the others run once, over every partition: after them all
        units.append(BackfillUnit(UNPARTITIONED_UNIT))
        final = tuple(k.to_user_string() for k in last)
    return IMPLICIT_ASSET_JOB_NAME, selection, final, tuple(units)


def launch_backfill(
    instance: Instance,
    *,
    code: CodePointer,
    job_name: str,
    asset_selection: Sequence[str] | None,
    units: Sequence[BackfillUnit],
    final_selection: Sequence[str] | None = None,
    run_config: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    foreground: Mapping[str, Any] | None = None,
    backfill_id: str | None = None,
) -> BackfillRecord:
    """Record a backfill for the daemon to work through; returns it (``REQUESTED``).

    ``backfill_id`` (default: a new one) lets a caller that may repeat itself after a crash
    record one backfill: a second launch with that id raises.

    With ``foreground`` (the process running it, ``backfill_foreground.foreground_owner()``)
    that process works through it and the daemon leaves it alone until it is resumed.
    """
    if not units:
        raise HeadwaterError("the backfill has no partitions to run")
    record = BackfillRecord(
        backfill_id=backfill_id or _new_backfill_id(),
        status="REQUESTED",
        created=time.time(),
        code=code.absolute().to_dict(),
        job_name=job_name,
        asset_selection=tuple(asset_selection) if asset_selection is not None else None,
        units=tuple(units),
        final_selection=tuple(final_selection) if final_selection is not None else None,
        run_config=dict(run_config or {}),
        tags=dict(tags or {}),
        foreground=dict(foreground) if foreground is not None else None,
    )
    add_backfill(instance, record)
    return record


def _new_backfill_id() -> str:
    """Eight random lowercase letters, the shape of backfill ids everywhere."""
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(8))


@dataclass(frozen=True, slots=True)
class BackfillProgress:
    """Where a backfill stands.

    Attributes:
        record: the backfill.
        latest: unit → the status of its latest run (``None``: never submitted).
        runs: unit → its latest run's id.
        to_submit: the units the daemon submits next (in this generation).
        blocked: the units not run in this generation, as a unit they wait for failed.
    """

    record: BackfillRecord
    latest: dict[str, RunStatus | None]
    runs: dict[str, str]
    to_submit: tuple[BackfillUnit, ...]
    blocked: frozenset[str] = frozenset()

    def counts(self) -> dict[str, int]:
        """How many units are in each state: ``pending``, ``queued``, ``in_progress``,
        ``success``, ``failure``, ``canceled``, ``not_run`` (blocked, never run)."""
        states = ("pending", "queued", "in_progress", "success", "failure", "canceled")
        counts = dict.fromkeys((*states, "not_run"), 0)
        for key, status in self.latest.items():
            blocked = status is None and key in self.blocked
            counts["not_run" if blocked else _state(status)] += 1
        return counts

    @property
    def finished(self) -> bool:
        """Nothing left to submit or running."""
        return not self.to_submit and not any(
            s in IN_FLIGHT for s in self.latest.values() if s is not None
        )


def _state(status: RunStatus | None) -> str:
    if status is None:
        return "pending"
    if status is RunStatus.QUEUED:
        return "queued"
    if status in IN_FLIGHT:
        return "in_progress"
    return {RunStatus.SUCCESS: "success", RunStatus.CANCELED: "canceled"}.get(status, "failure")


def backfill_progress(instance: Instance, record: BackfillRecord) -> BackfillProgress:
    """Each unit's latest run, and what is left to submit."""
    statuses = {
        r.run_id: r.status for r in instance.get_runs(tags={BACKFILL_TAG: record.backfill_id})
    }
    states = unit_states(record, claims_of(instance, record), statuses)
    return BackfillProgress(record, states.latest, states.runs, states.ready, states.blocked)


def cancel_backfill(instance: Instance, backfill_id: str) -> tuple[BackfillRecord | None, int]:
    """Stop submitting a backfill's runs and cancel its queued ones.

    Returns:
        The canceled record (``None`` when it was not running) and how many queued runs
        were canceled.
    """
    record = update_backfill(instance, backfill_id, only_from=("REQUESTED",), status="CANCELED")
    return record, cancel_queued_runs(instance, backfill_id)


def cancel_queued_runs(instance: Instance, backfill_id: str) -> int:
    """Cancel the backfill's runs still in the queue; returns how many."""
    from headwater.execution.terminate import mark_run_canceled

    queued = instance.get_runs(statuses=[RunStatus.QUEUED], tags={BACKFILL_TAG: backfill_id})
    for run in queued:
        mark_run_canceled(instance, run.run_id, f"Backfill {backfill_id} was canceled.")
    return len(queued)


def resume_backfill(instance: Instance, backfill_id: str) -> BackfillRecord | None:
    """Continue a canceled or failed backfill, or a foreground one whose process ended: its
    units that have not succeeded (and are not running) are submitted again by the daemon,
    as a new generation. ``None``: it was not stopped."""
    from headwater.daemon.backfill_foreground import foreground_gone

    stopped = ("CANCELED", "FAILED", "COMPLETED_FAILED")
    while True:
        current = update_backfill(instance, backfill_id, only_from=(*stopped, "REQUESTED"))
        if current is None:
            return None
        if current.status == "REQUESTED" and not foreground_gone(current):
            return None  # the daemon's, or a foreground process still working
        changed = update_backfill(
            instance,
            backfill_id,
            only_from=(current.status,),
            status="REQUESTED",
            generation=current.generation + 1,
            error=None,
            foreground=None,
        )
        if changed is not None and changed.generation == current.generation + 1:
            return changed


class BackfillDuty:
    """Works through the requested backfills: submits their runs to the queue and marks
    them completed when every run has finished.

    Args:
        instance: where backfills and runs are.
        max_queued: at most this many queued runs per backfill (default: twice the queue's
            ``max_concurrent_runs``), so a large backfill does not flood the queue and a
            cancel has little to take back.
        on_submit: called after runs were queued (wakes the run queue).
    """

    name = "backfills"
    interval = 1.0

    def __init__(
        self,
        instance: Instance,
        *,
        max_queued: int | None = None,
        on_submit: Any = None,
    ) -> None:
        self._instance = instance
        self._max_queued = max_queued
        self._on_submit = on_submit
        self._done: set[str] = set()

    def run_once(self, now: float) -> list[str]:
        """One pass over the requested backfills; returns one line per problem."""
        ids = [i for i in list_backfill_ids(self._instance) if i not in self._done]
        errors: list[str] = []
        for backfill_id, record in read_backfills(self._instance, ids).items():
            if record.status == "COMPLETED_SUCCESS":
                self._done.add(backfill_id)  # never resumed: not read again
            if record.status != "REQUESTED" or record.foreground is not None:
                continue  # stopped, or worked through by a foreground command
            try:
                self._work(record)
            except Exception as exc:
                errors.append(f"backfill {backfill_id}: {type(exc).__name__}: {exc}")
        return errors

    def _work(self, record: BackfillRecord) -> None:
        progress = backfill_progress(self._instance, record)
        if progress.finished:
            failed = any(s is not RunStatus.SUCCESS for s in progress.latest.values())
            status = "COMPLETED_FAILED" if failed else "COMPLETED_SUCCESS"
            update_backfill(
                self._instance, record.backfill_id, only_from=("REQUESTED",), status=status
            )
            return
        cap = self._max_queued or 2 * max(self._instance.run_queue.max_concurrent_runs, 1)
        queued = sum(1 for s in progress.latest.values() if s is RunStatus.QUEUED)
        chosen = progress.to_submit[: max(0, cap - queued)]
        if not chosen:
            return
        code = CodePointer.from_dict(record.code)
        items, claims = [], {}
        for unit in chosen:
            run_id = str(uuid.uuid4())
            items.append(
                QueuedRun(record.job_name, code, record.run_config, _tags(record, unit), run_id)
            )
            claims[unit_claim(record.backfill_id, record.generation, unit.key)] = run_id
        submitted = submit_runs(self._instance, items, claims=claims)
        if submitted and self._on_submit is not None:
            self._on_submit()
        # A cancel that landed while these were being submitted: take them back.
        again = read_backfills(self._instance, [record.backfill_id]).get(record.backfill_id)
        if again is not None and again.status != "REQUESTED":
            cancel_queued_runs(self._instance, record.backfill_id)


def _tags(record: BackfillRecord, unit: BackfillUnit) -> dict[str, str]:
    tags = {**record.tags, BACKFILL_TAG: record.backfill_id}
    if unit.partition is not None:
        tags[PARTITION_TAG] = unit.partition
    if unit.range is not None:
        tags[RANGE_START_TAG], tags[RANGE_END_TAG] = unit.range
    selection = record.unit_selection(unit)
    if selection is not None:
        tags[ASSET_SELECTION_TAG] = json.dumps(list(selection))
    return tags
