"""The order of a backfill's units, as it is planned: which unit waits for which.

A backfill of partitioned and unpartitioned assets runs the unpartitioned ones in at most
two units of their own: those upstream of a selected partitioned asset in a first unit
(``__unpartitioned_upstream__``) that every partition unit waits for, the others in a last
unit (``__unpartitioned__``) that waits for every other unit. How those waits play out
(which units are blocked when one fails) is ``storage.backfill_units``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from headwater.asset_key import AssetKey
from headwater.errors import HeadwaterError
from headwater.storage.backfills import BackfillUnit

__all__ = ["UPSTREAM_UNIT", "split_unpartitioned", "with_upstream_unit"]

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
