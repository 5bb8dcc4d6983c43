"""The job ``materialize`` built last, kept for a call with the same definitions.

Compiling assets into a job, planning it and building its run-config schema cost about as
much per asset as running a trivial one, and a caller that materializes the same assets again
(a loop over partition keys, a re-run in a notebook) would pay it every time. A job is
immutable and caches its own plan and schema, so the same inputs may share one.

"The same" is identity: the very same definition, resource and selection objects. The entry
holds them, so their ids cannot be reused by other objects while it lives; one entry only,
so nothing piles up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from headwater.jobs.job import JobDefinition

__all__ = ["cached_job"]

_lock = threading.Lock()
# The one entry, in a list so that it is replaced, not rebound: (key, held objects, job).
_last: list[tuple[tuple[Any, ...], tuple[object, ...], JobDefinition]] = []


def _identity(
    assets: Sequence[object],
    resources: Mapping[str, object] | None,
    options: tuple[object, ...],
) -> tuple[tuple[Any, ...], tuple[object, ...]]:
    held = (*assets, *(resources or {}).values(), *options)
    key = (
        tuple(map(id, assets)),
        tuple((name, id(value)) for name, value in (resources or {}).items()),
        tuple(map(id, options)),
    )
    return key, held


def cached_job(
    assets: Sequence[object],
    resources: Mapping[str, object] | None,
    options: tuple[object, ...],
    build: Callable[[], JobDefinition],
) -> JobDefinition:
    """The job ``build()`` makes, or the one it made for the same ``assets``, ``resources``
    (by key) and ``options`` (selection, job name, default IO manager) last time."""
    key, held = _identity(assets, resources, options)
    with _lock:
        last = _last[0] if _last else None
    if last is not None and last[0] == key:
        return last[2]
    job = build()
    with _lock:
        _last[:] = [(key, held, job)]
    return job
