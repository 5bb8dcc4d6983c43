"""The order of a backfill's units and where each stands: which unit waits for which, which
are blocked, which the current generation will still run.

A unit starts only once the units it waits for succeeded; one whose wait can no longer end
(a unit it waits for failed or was canceled, or is itself blocked) is *blocked*: it is not
run in this generation, and the backfill ends ``COMPLETED_FAILED``. A resume (a new
generation) runs the failed unit again, then the blocked ones.

Both the daemon (what to submit next) and automation conditions (what a requested backfill
will still materialize, ``backfill_in_progress``) read a backfill's state through
:func:`unit_states`, so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from headwater._dataclass import dataclass
from headwater.storage.backfills import UNPARTITIONED_UNIT, BackfillRecord, BackfillUnit
from headwater.storage.runs import RunStatus

__all__ = ["IN_FLIGHT", "UnitStates", "blocked_units", "unit_states", "unit_waits_for"]

# A run in one of these may still materialize something.
IN_FLIGHT = frozenset(
    {
        RunStatus.QUEUED,
        RunStatus.NOT_STARTED,
        RunStatus.STARTING,
        RunStatus.STARTED,
        RunStatus.CANCELING,
    }
)


def unit_waits_for(units: Iterable[BackfillUnit], unit: BackfillUnit) -> tuple[str, ...]:
    """The keys of the units that must succeed before ``unit`` starts.

    Records written before units carried ``after`` keep working: their
    ``__unpartitioned__`` unit waits for every other unit, the others for nothing.
    """
    if unit.after is not None:
        return unit.after
    if unit.key == UNPARTITIONED_UNIT:  # it reads every partition (records of any age)
        return tuple(u.key for u in units if u.key != UNPARTITIONED_UNIT)
    return ()


def blocked_units(
    units: Iterable[BackfillUnit], candidates: Iterable[str], dead: Iterable[str]
) -> set[str]:
    """The ``candidates`` (units still to run in this generation) whose wait cannot end: a
    unit they wait for is ``dead`` (ended without succeeding, not to run again in this
    generation) or blocked itself."""
    every = list(units)
    todo = set(candidates)
    stuck = set(dead)
    blocked: set[str] = set()
    changed = True
    while changed:  # one pass mostly: units come in order, the ones waited for first
        changed = False
        for unit in every:
            if unit.key not in todo or unit.key in blocked:
                continue
            if any(k in stuck for k in unit_waits_for(every, unit)):
                blocked.add(unit.key)
                stuck.add(unit.key)
                changed = True
    return blocked


@dataclass(frozen=True, slots=True)
class UnitStates:
    """Where each unit of a backfill stands in its current generation.

    Attributes:
        latest: unit → the status of its latest run (``None``: never submitted).
        runs: unit → its latest run's id.
        ready: the units to submit now: still to run in this generation, and every unit
            they wait for succeeded.
        blocked: the units not run in this generation, as a unit they wait for failed.
        pending: the units this generation is running or will still run (those in flight,
            and those to run that are not blocked): what the backfill will still
            materialize.
    """

    latest: dict[str, RunStatus | None]
    runs: dict[str, str]
    ready: tuple[BackfillUnit, ...]
    blocked: frozenset[str]
    pending: frozenset[str]


def unit_states(
    record: BackfillRecord,
    claims: Mapping[tuple[int, str], str],
    statuses: Mapping[str, RunStatus],
) -> UnitStates:
    """Each unit's latest run and what is left, from the backfill's ``claims``
    (:func:`claims_of`) and the ``statuses`` of its runs (run id → status)."""
    latest: dict[str, RunStatus | None] = {}
    runs: dict[str, str] = {}
    to_run: list[BackfillUnit] = []
    newest: dict[str, tuple[int, str]] = {}
    for (gen, key), run_id in claims.items():
        if key not in newest or gen > newest[key][0]:
            newest[key] = (gen, run_id)
    for unit in record.units:
        status: RunStatus | None = None
        claimed = newest.get(unit.key)
        if claimed is not None:
            runs[unit.key] = claimed[1]
            # A claimed run not found was deleted: it counts as failed, not as pending.
            status = statuses.get(claimed[1], RunStatus.FAILURE)
        latest[unit.key] = status
        this_generation = claimed is not None and claimed[0] == record.generation
        retry = status is None or status in (RunStatus.FAILURE, RunStatus.CANCELED)
        if not this_generation and retry:
            to_run.append(unit)
    # A unit starts once the units it waits for succeeded; one whose wait cannot end is
    # blocked: not run in this generation.
    dead = {k for k, st in latest.items() if st in (RunStatus.FAILURE, RunStatus.CANCELED)} - {
        u.key for u in to_run
    }
    blocked = blocked_units(record.units, [u.key for u in to_run], dead)
    ready = tuple(
        u
        for u in to_run
        if all(latest.get(k) is RunStatus.SUCCESS for k in unit_waits_for(record.units, u))
    )
    in_flight = {k for k, st in latest.items() if st in IN_FLIGHT}
    pending = in_flight | ({u.key for u in to_run} - blocked)
    return UnitStates(latest, runs, ready, frozenset(blocked), frozenset(pending))
