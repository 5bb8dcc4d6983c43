"""Pages of results with an opaque cursor: ``PaginatedResults``.

The cursor names the last value a page returned (JSON, base64-encoded, so it travels in a
URL or a sensor cursor as one token); the next page starts after that value.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from headwater._dataclass import dataclass
from headwater.errors import InvalidInvocationError

__all__ = ["PaginatedResults"]

T = TypeVar("T")


def _encode(value: Any) -> str:
    return base64.b64encode(json.dumps({"value": value}).encode()).decode()


def _decode(cursor: str) -> Any:
    try:
        loaded = json.loads(base64.b64decode(cursor.encode(), validate=True))
    except (binascii.Error, ValueError):
        loaded = None
    if not isinstance(loaded, dict) or "value" not in loaded:
        raise InvalidInvocationError(
            f"cursor {cursor!r} is not one a page returned; pass the `cursor` of the "
            "previous PaginatedResults, or None for the first page"
        )
    return loaded["value"]


@dataclass(frozen=True, kw_only=True)
class PaginatedResults(Generic[T]):
    """One page of results.

    Attributes:
        results: the values of this page.
        cursor: pass it back to get the page after this one.
        has_more: whether more values follow.
    """

    results: Sequence[T]
    cursor: str
    has_more: bool

    @classmethod
    def create_from_sequence(
        cls, seq: Sequence[T], limit: int, ascending: bool, cursor: str | None = None
    ) -> PaginatedResults[T]:
        """The page of ``seq`` that follows ``cursor`` (the first page without one).

        Args:
            seq: every value, in ascending order; its values must be JSON-able.
            limit: the most values a page holds.
            ascending: read ``seq`` in its order, else from its end.
            cursor: the ``cursor`` of the previous page.

        Returns:
            The page, its cursor, and whether more values follow.

        Raises:
            InvalidInvocationError: ``cursor`` is not one a page returned.
        """
        ordered = list(seq) if ascending else list(reversed(seq))
        last = None
        if cursor:
            last = _decode(cursor)
            # A value no longer there (a deleted partition) restarts from the beginning.
            start = ordered.index(last) + 1 if last in ordered else 0
            ordered = ordered[start:]
        page = ordered[:limit]
        return cls(
            results=page,
            cursor=_encode(page[-1] if page else last),
            has_more=len(ordered) > limit,
        )
