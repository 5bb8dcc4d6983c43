"""Jobs with dynamic outputs for the out-of-process executor tests (imported by name in step
processes)."""

from __future__ import annotations

import os
from typing import Any

import headwater as dg


@dg.op(out=dg.DynamicOut())
def emit() -> Any:
    for i in range(3):
        yield dg.DynamicOutput(i, mapping_key=f"k{i}")


@dg.op
def offset() -> int:
    return 10


@dg.op
def add(context: dg.OpExecutionContext, x: int, y: int) -> Any:
    if x == 1 and os.environ.get("DYNAMIC_JOBS_FAIL") == "1":
        raise ValueError("copy k1 fails")
    return [context.get_mapping_key(), x + y, os.getpid()]


@dg.op
def totals(pairs: list[Any]) -> list[int]:
    return [pair[1] for pair in pairs]


@dg.op
def values(xs: list[int]) -> list[int]:
    return xs


@dg.job
def mapped() -> None:
    o = offset()
    d = emit()
    totals(d.map(lambda x: add(x, o)).collect())
    values(d.collect())


@dg.op(out=dg.DynamicOut(is_required=False))
def nothing() -> Any:
    return
    yield


@dg.job
def skipped() -> None:
    values(nothing().collect())
