"""Which partitions of an asset the requested backfills target, and which of those they will
still materialize: what ``backfill_in_progress`` and the legacy
``skip_on_backfill_in_progress`` rule read.

As in the reference, a backfill counts while it is ``REQUESTED`` (being worked through; a
canceled, completed or failed one does not). It *targets* every asset partition of its
runs; it has an asset partition *in progress* while the run for it is in flight or still to
run in this generation (not blocked by a failed run it waits for), and no run of the
backfill has materialized it yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from headwater.asset_key import AssetKey
from headwater.automation.evaluator.state import BackfillTarget
from headwater.automation.evaluator.subset import PartitionKey
from headwater.storage.backfills import BACKFILL_TAG

if TYPE_CHECKING:
    from headwater.automation.evaluator.graph_view import GraphView

__all__ = ["backfill_partitions", "targets_by_key"]


def targets_by_key(view: GraphView) -> Mapping[AssetKey, Sequence[BackfillTarget]]:
    """The requested backfills' runs, by the assets they materialize."""
    found: dict[AssetKey, list[BackfillTarget]] = defaultdict(list)
    for target in view.state.backfill_targets:
        # No selection: the run materializes every asset of the code it runs.
        keys = view.graph.executable_keys if target.assets is None else target.assets
        for key in keys:
            found[key].append(target)
    return found


def backfill_partitions(
    view: GraphView, key: AssetKey, *, in_progress: bool
) -> frozenset[PartitionKey]:
    """The partitions of ``key`` the requested backfills target or, with ``in_progress``,
    will still materialize."""
    targets = view.backfill_targets_by_key.get(key, ())
    if in_progress:
        targets = [t for t in targets if t.pending]
    if not targets:
        return frozenset()
    keys = view.partition_keys(key)
    position = {p: i for i, p in enumerate(keys)}
    found: set[PartitionKey] = set()
    for target in targets:
        covered = set(_covered(target, keys, position))
        if in_progress:
            covered = {p for p in covered if not _materialized_by(view, key, p, target)}
        found |= covered
    return frozenset(found)


def _covered(
    target: BackfillTarget, keys: Sequence[PartitionKey], position: Mapping[PartitionKey, int]
) -> Iterable[PartitionKey]:
    """The partitions of an asset (its ``keys`` now) that a backfill run materializes; a
    partition no longer among them (the definition changed since) is not targeted."""
    if target.partition is not None:
        return (target.partition,) if target.partition in position else ()
    if target.range is not None:
        first, last = position.get(target.range[0]), position.get(target.range[1])
        return () if first is None or last is None else keys[first : last + 1]
    # The run of the backfill's unpartitioned assets.
    return (None,) if None in position else ()


def _materialized_by(
    view: GraphView, key: AssetKey, p: PartitionKey, target: BackfillTarget
) -> bool:
    """Whether a run of the target's backfill (of any generation) materialized the partition."""
    for update in view.state.materializations.get((key, p), ()):
        run = view.state.runs.get(update.run_id)
        if run is not None and run.tags.get(BACKFILL_TAG) == target.backfill_id:
            return True
    return False
