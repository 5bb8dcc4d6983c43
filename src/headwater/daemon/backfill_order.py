"""The order of a backfill's units: which unit waits for which.

A backfill of partitioned and unpartitioned assets runs the unpartitioned ones in at most
two units of their own: those upstream of a selected partitioned asset in a first unit
(``__unpartitioned_upstream__``) that every partition unit waits for, the others in a last
unit (``__unpartitioned__``) that waits for every other unit. A unit starts only once the
units it waits for succeeded; one whose wait can no longer end (a unit it waits for failed
or was canceled, or is itself blocked) is *blocked*: it is not run in this generation, and
the backfill ends ``COMPLETED_FAILED``. A resume runs the failed unit again, then the
blocked ones.

Records written before units carried ``after`` keep working: their ``__unpartitioned__``
unit waits for every other unit, as it always did, and the others wait for nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from headwater.asset_key import AssetKey
from headwater.daemon.backfill_store import UNPARTITIONED_UNIT, BackfillUnit
from headwater.errors import HeadwaterError

__all__ = [
    "UPSTREAM_UNIT",
    "blocked_units",
    "split_unpartitioned",
    "unit_waits_for",
    "with_upstream_unit",
]

UPSTREAM_UNIT = "__unpartitioned_upstream__"


def split_unpartitioned(
    graph: Any, unpartitioned: Iterable[AssetKey], partitioned: Iterable[AssetKey]
) -> tuple[list[AssetKey], list[AssetKey]]:
    """The unpartitioned assets that run before the partitions, and those that run after.

    An asset upstream of a partitioned one (through any path of the asset graph) runs
    before: its children read it. Every other one runs after, as it may read every
    partition.

    Raises:
        HeadwaterError: an unpartitioned asset is both downstream and upstream of the
            partitioned assets: it can run neither before nor after them.
    """
    parts = set(partitioned)
    wanted = set(unpartitioned)
    above = graph.upstream_closure(parts) - parts
    below = graph.downstream_closure(parts) - parts
    both = sorted(k.to_user_string() for k in wanted & above & below)
    if both:
        raise HeadwaterError(
            f"cannot order the backfill: the unpartitioned asset(s) {', '.join(both)} "
            "are downstream of some of its partitioned assets and upstream of others, so "
            "they can run neither before nor after the partitions; backfill the assets "
            "above and below them separately (narrow the selection)"
        )
    first = sorted(wanted & above, key=AssetKey.to_user_string)
    last = sorted(wanted - above, key=AssetKey.to_user_string)
    return first, last


def with_upstream_unit(
    units: Iterable[BackfillUnit], first: Iterable[AssetKey]
) -> list[BackfillUnit]:
    """``units`` (the partition units) preceded by a unit of ``first``, which they all wait
    for; just ``units`` when ``first`` is empty."""
    names = tuple(k.to_user_string() for k in first)
    if not names:
        return list(units)
    head = BackfillUnit(UPSTREAM_UNIT, selection=names)
    return [head, *(_after(u, UPSTREAM_UNIT) for u in units)]


def _after(unit: BackfillUnit, key: str) -> BackfillUnit:
    from dataclasses import replace

    return replace(unit, after=(*(unit.after or ()), key))


def unit_waits_for(units: Iterable[BackfillUnit], unit: BackfillUnit) -> tuple[str, ...]:
    """The keys of the units that must succeed before ``unit`` starts."""
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
