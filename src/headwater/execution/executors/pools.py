"""Instance-wide concurrency pools: a named pool with N slots shared by every run.

An op joins a pool with ``@op(pool="warehouse")`` (or the tag ``dagster/concurrency_key``).
A pool's size is stored in the instance (``set_pool_limit``); a pool without a size does not
limit. Each slot is one row of the instance's key-value table (``headwater/pool/<name>/<i>``,
empty when free); a step claims a slot with the storage's atomic ``kv_compare_and_set``,
so two runs in two processes (or on two machines
sharing a PostgreSQL instance) never hold more than N slots between them.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

from headwater.errors import InvalidInvocationError

if TYPE_CHECKING:
    from headwater.execution.plan import Step
    from headwater.storage import Instance

__all__ = ["PoolSlots", "get_pool_limit", "set_pool_limit", "step_pool"]

POOL_TAGS = ("dagster/concurrency_key", "headwater/pool")
_LIMIT_KEY = "headwater/pool_limit/{pool}"
_SLOT_KEY = "headwater/pool/{pool}/{slot}"
# How long a pool's size is trusted before it is read again.
_LIMIT_TTL_S = 1.0


def step_pool(step: Step) -> str | None:
    """The pool a step draws from, if any."""
    pool: str | None = getattr(step.op_def, "pool", None)
    if pool:
        return pool
    for tag in POOL_TAGS:
        if step.tags.get(tag):
            return step.tags[tag]
    return None


def set_pool_limit(instance: Instance, pool: str, slots: int) -> None:
    """Give ``pool`` ``slots`` slots in ``instance`` (shared by every run).

    Raises:
        InvalidInvocationError: ``slots`` is negative.
    """
    if slots < 0:
        raise InvalidInvocationError(f"pool '{pool}' cannot have {slots} slots; use 0 or more")
    instance.kv_set({_LIMIT_KEY.format(pool=pool): str(slots)})


def get_pool_limit(instance: Instance, pool: str) -> int | None:
    """The number of slots of ``pool``, or ``None`` when it has no limit."""
    key = _LIMIT_KEY.format(pool=pool)
    value = instance.kv_get([key]).get(key)
    return int(value) if value is not None else None


class PoolSlots:
    """The slots one run holds; released by :meth:`release_all` when the run ends."""

    def __init__(self, instance: Instance, run_id: str) -> None:
        self._instance = instance
        self._run_id = run_id
        self._held: dict[str, str] = {}  # step key → slot key
        self._limits: dict[str, tuple[float, int | None]] = {}

    def _limit(self, pool: str) -> int | None:
        now = time.monotonic()
        cached = self._limits.get(pool)
        if cached is not None and now - cached[0] < _LIMIT_TTL_S:
            return cached[1]
        limit = get_pool_limit(self._instance, pool)
        self._limits[pool] = (now, limit)
        return limit

    def try_claim(self, pool: str, step_key: str) -> bool:
        """Claim a free slot of ``pool`` for ``step_key``; ``False`` when all are taken."""
        limit = self._limit(pool)
        if limit is None:
            return True
        claim = json.dumps({"run_id": self._run_id, "step_key": step_key})
        keys = [_SLOT_KEY.format(pool=pool, slot=i) for i in range(limit)]
        for attempt in range(2):
            for key in keys:
                if self._claim(key, claim):
                    self._held[step_key] = key
                    return True
            # Full: free slots held by runs that ended without releasing (a killed process).
            if attempt == 0 and not self._free_stale(keys):
                return False
        return False

    def release(self, step_key: str) -> None:
        """Free the slot ``step_key`` holds, if any."""
        key = self._held.pop(step_key, None)
        if key is not None:
            self._set_free(key)

    def release_all(self) -> None:
        """Free every slot this run holds."""
        for step_key in list(self._held):
            self.release(step_key)

    # storage ---------------------------------------------------------------------------

    def _claim(self, key: str, claim: str) -> bool:
        # A slot is free when absent (never used) or empty (released); either claim is
        # one atomic compare-and-set, so two runs never hold the same slot.
        instance = self._instance
        return instance.kv_compare_and_set(key, None, claim) or instance.kv_compare_and_set(
            key, "", claim
        )

    def _set_free(self, key: str, only_if: str | None = None) -> bool:
        if only_if is None:
            self._instance.kv_set({key: ""})
            return True
        return self._instance.kv_compare_and_set(key, only_if, "")

    def _free_stale(self, keys: list[str]) -> bool:
        freed = False
        for key, claim in self._instance.kv_get(keys).items():
            if not claim:
                continue
            try:
                holder = json.loads(claim)["run_id"]
            except (ValueError, KeyError, TypeError):
                holder = None
            run = self._instance.get_run(holder) if isinstance(holder, str) else None
            if run is None or run.is_finished:
                freed = self._set_free(key, only_if=claim) or freed
        return freed
