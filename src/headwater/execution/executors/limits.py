"""Which ready steps may start now: ``max_concurrent``, tag limits and instance pools."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater._dataclass import dataclass
from headwater.execution.executors.pools import PoolSlots, step_pool

if TYPE_CHECKING:
    from headwater.execution.plan import Step

__all__ = ["StepLimits", "TagLimit"]


@dataclass(frozen=True, slots=True)
class TagLimit:
    """At most ``limit`` running steps carrying tag ``key`` (with ``value``, when given;
    per distinct value, when ``per_value``)."""

    key: str
    value: str | None
    limit: int
    per_value: bool = False

    @classmethod
    def from_config(cls, entry: Mapping[str, Any]) -> TagLimit:
        """One entry of ``tag_concurrency_limits`` (the reference's shape)."""
        value = entry.get("value")
        if isinstance(value, Mapping):  # {"applyLimitPerUniqueValue": true}
            return cls(
                entry["key"], None, int(entry["limit"]), bool(value.get("applyLimitPerUniqueValue"))
            )
        return cls(entry["key"], value, int(entry["limit"]))

    def bucket(self, tags: Mapping[str, str]) -> str | None:
        """The counter a step with ``tags`` uses under this limit, or ``None`` if unaffected."""
        if self.key not in tags:
            return None
        if self.value is not None:
            return self.value if tags[self.key] == self.value else None
        return tags[self.key] if self.per_value else ""


class StepLimits:
    """Admission of ready steps, in plan order, under every configured limit.

    Args:
        max_concurrent: at most this many steps at once (0: no limit beyond the pool).
        tag_limits: ``tag_concurrency_limits`` entries.
        pools: the run's claims on instance pools, or ``None`` to ignore pools.
    """

    def __init__(
        self, *, max_concurrent: int, tag_limits: Sequence[TagLimit], pools: PoolSlots | None
    ) -> None:
        self.max_concurrent = max_concurrent
        self.tag_limits = tuple(tag_limits)
        self.pools = pools
        self._running = 0
        self._by_tag: Counter[tuple[int, str]] = Counter()

    def try_acquire(self, step: Step) -> bool:
        """Admit ``step`` if every limit allows it, counting it as running."""
        if self.max_concurrent and self._running >= self.max_concurrent:
            return False
        buckets = self._buckets(step)
        for i, bucket in buckets:
            if self._by_tag[(i, bucket)] >= self.tag_limits[i].limit:
                return False
        pool = step_pool(step) if self.pools is not None else None
        if pool is not None and self.pools is not None and not self.pools.try_claim(pool, step.key):
            return False
        self._running += 1
        for i, bucket in buckets:
            self._by_tag[(i, bucket)] += 1
        return True

    def release(self, step: Step) -> None:
        """``step`` finished: free what it held."""
        self._running -= 1
        for i, bucket in self._buckets(step):
            self._by_tag[(i, bucket)] -= 1
        if self.pools is not None:
            self.pools.release(step.key)

    def release_all(self) -> None:
        """The run ended: free its pool slots."""
        if self.pools is not None:
            self.pools.release_all()

    def _buckets(self, step: Step) -> list[tuple[int, str]]:
        found = []
        for i, limit in enumerate(self.tag_limits):
            bucket = limit.bucket(step.tags)
            if bucket is not None:
                found.append((i, bucket))
        return found
