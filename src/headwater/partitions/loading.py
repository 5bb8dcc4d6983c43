"""``partition_loading_context``: the moment and the instance partition keys are read at.

Partitions definitions answer "which keys exist?" for a moment (time windows) and from an
instance (dynamic partitions). Code that asks many questions about the same moment (a
schedule tick, a test pinned to a date) sets them once for a block instead of passing
``current_time=`` and ``dynamic_partitions_store=`` to every call. Nested blocks inherit
what they do not set. Also ``Partition``, the legacy value-and-name pair.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any, Generic, TypeVar

from headwater._dataclass import dataclass
from headwater.errors import InvalidInvocationError
from headwater.partitions.definition import DynamicPartitionsStore

__all__ = [
    "Partition",
    "PartitionLoadingContext",
    "effective_dt",
    "effective_partitions_store",
    "partition_loading_context",
]

T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True, slots=True)
class PartitionLoadingContext:
    """What a `partition_loading_context` block sets.

    Attributes:
        effective_dt: the moment keys are read at (``None``: now, read at each call).
        dynamic_partitions_store: the instance dynamic partitions are read from, or ``None``.
    """

    effective_dt: datetime | None = None
    dynamic_partitions_store: DynamicPartitionsStore | None = None


_CURRENT: ContextVar[PartitionLoadingContext | None] = ContextVar(
    "headwater_partition_loading_context", default=None
)


@contextmanager
def partition_loading_context(
    effective_dt: datetime | None = None,
    dynamic_partitions_store: DynamicPartitionsStore | None = None,
    *,
    new_ctx: PartitionLoadingContext | None = None,
) -> Iterator[PartitionLoadingContext]:
    """Read partition keys at ``effective_dt`` and from ``dynamic_partitions_store`` inside
    the block, wherever a call does not pass ``current_time=`` / ``dynamic_partitions_store=``.

    Args:
        effective_dt: the moment, read as ``current_time=`` would be; unset keeps the outer
            block's, or now.
        dynamic_partitions_store: the instance; unset keeps the outer block's.
        new_ctx: a whole context to use instead (the two above are then ignored).

    Example:
        ``with partition_loading_context(effective_dt=datetime(2024, 1, 3)):
        daily.get_last_partition_key()  # "2024-01-02"``
    """
    if effective_dt is not None and not isinstance(effective_dt, datetime):
        raise InvalidInvocationError(
            f"partition_loading_context: effective_dt must be a datetime, got "
            f"{type(effective_dt).__name__}"
        )
    if new_ctx is None:
        outer = _CURRENT.get() or PartitionLoadingContext()
        new_ctx = replace(
            outer,
            effective_dt=effective_dt or outer.effective_dt,
            dynamic_partitions_store=dynamic_partitions_store or outer.dynamic_partitions_store,
        )
    token = _CURRENT.set(new_ctx)
    try:
        yield new_ctx
    finally:
        _CURRENT.reset(token)


def effective_dt(current_time: datetime | None) -> datetime:
    """``current_time``, else the enclosing block's moment, else now (aware UTC)."""
    context = _CURRENT.get()
    moment = current_time or (context.effective_dt if context else None)
    if moment is None:
        return datetime.now(timezone.utc)
    return moment


def effective_partitions_store(
    store: DynamicPartitionsStore | None,
) -> DynamicPartitionsStore | None:
    """``store``, else the enclosing block's instance, else ``None``."""
    if store is not None:
        return store
    context = _CURRENT.get()
    return context.dynamic_partitions_store if context else None


class Partition(Generic[T_co]):
    """A legacy partition: a value and its name (``str(value)`` by default). Partition keys
    are plain strings now; this remains for code written against the old API.

    Args:
        value: the object the partition stands for.
        name: its name; must be a str when given.
    """

    __hash__ = None  # type: ignore[assignment]  # equal by value and name, but mutable-looking

    def __init__(self, value: Any, name: str | None = None) -> None:
        warnings.warn(
            "Class `Partition` is deprecated and will be removed in 2.0. Use string partition "
            "keys instead.",
            DeprecationWarning,
            stacklevel=2,
        )
        if name is not None and not isinstance(name, str):
            raise InvalidInvocationError(
                f"Partition: name must be a str, got {type(name).__name__} {name!r}"
            )
        self._value = value
        self._name = name or str(value)

    @property
    def value(self) -> T_co:
        """The object the partition stands for."""
        return self._value  # type: ignore[no-any-return]

    @property
    def name(self) -> str:
        """The partition's name."""
        return self._name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Partition) and (self.value, self.name) == (
            other.value,
            other.name,
        )

    def __repr__(self) -> str:
        return f"Partition(value={self._value!r}, name={self._name!r})"
