"""The run queue: which ``QUEUED`` runs start now, under the instance's limits.

:func:`runs_to_launch` is pure: given the queued runs, the runs in progress and the limits,
it returns the runs to launch, in order. Runs are taken by ``dagster/priority`` (a whole
number tag, higher first; default 0), then oldest first. A run that a limit blocks is passed
over, so it never holds up the runs behind it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from headwater.storage import Run
from headwater.storage.config import RunQueueConfig, TagConcurrencyLimit

__all__ = ["PRIORITY_TAG", "priority_of", "runs_to_launch"]

PRIORITY_TAG = "dagster/priority"


def priority_of(run: Run) -> int:
    """The run's ``dagster/priority`` tag as a number (0 when absent or not a number)."""
    try:
        return int(run.tags.get(PRIORITY_TAG, "0"))
    except ValueError:
        return 0


def _slot(limit: TagConcurrencyLimit, run: Run) -> tuple[str, str] | None:
    """Which counter of ``limit`` the run takes, or ``None`` when the limit ignores it."""
    if limit.key not in run.tags:
        return None
    value = run.tags[limit.key]
    if limit.value is not None and value != limit.value:
        return None
    return (limit.key, value if limit.per_unique_value else "")


def runs_to_launch(
    queued: Sequence[Run], in_progress: Sequence[Run], config: RunQueueConfig
) -> list[Run]:
    """The queued runs to launch now, in launch order.

    Args:
        queued: runs in ``QUEUED``.
        in_progress: runs launched and not finished (``STARTING``, ``STARTED``,
            ``CANCELING``): they hold their places under every limit.
        config: the instance's ``run_queue`` settings.
    """
    free = config.max_concurrent_runs - len(in_progress)
    if free <= 0:
        return []
    taken: Counter[tuple[int, tuple[str, str]]] = Counter()
    for run in in_progress:
        for i, limit in enumerate(config.tag_concurrency_limits):
            slot = _slot(limit, run)
            if slot is not None:
                taken[(i, slot)] += 1
    chosen: list[Run] = []
    for run in sorted(queued, key=lambda r: (-priority_of(r), r.create_time)):
        if len(chosen) >= free:
            break
        slots = []
        for i, limit in enumerate(config.tag_concurrency_limits):
            slot = _slot(limit, run)
            if slot is not None:
                slots.append(((i, slot), limit.limit))
        if any(taken[key] >= most for key, most in slots):
            continue  # blocked by a limit: the runs behind it may still go
        for key, _ in slots:
            taken[key] += 1
        chosen.append(run)
    return chosen
