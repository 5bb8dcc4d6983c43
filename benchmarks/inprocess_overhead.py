"""Framework overhead per op with execute_in_process (target: under 0.2 ms per op).

Workloads: a linear chain of 500 trivial ops, a fan-out/fan-in of 500, and 50 ops each
needing 5 interdependent resources (each resource must be initialized exactly once).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from typing import Any

import headwater as dg

N = 500
REPEATS = 7


def chain_job(n: int) -> dg.JobDefinition:
    @dg.op
    def first() -> int:
        return 0

    @dg.op
    def step(x: int) -> int:
        return x + 1

    @dg.job(name=f"chain_{n}")
    def chain() -> None:
        value = first()
        for _ in range(n - 1):
            value = step(value)

    return chain


def fan_job(n: int) -> dg.JobDefinition:
    @dg.op
    def source() -> int:
        return 1

    @dg.op
    def branch(x: int) -> int:
        return x * 2

    @dg.op
    def gather(values: list[int]) -> int:
        return sum(values)

    @dg.job(name=f"fan_{n}")
    def fan() -> None:
        root = source()
        gather([branch(root) for _ in range(n - 2)])

    return fan


def resource_job(counts: Counter[str]) -> dg.JobDefinition:
    def make(key: str, deps: set[str]) -> dg.ResourceDefinition:
        @dg.resource(required_resource_keys=deps)
        def _res(context: dg.InitResourceContext) -> str:
            counts[key] += 1
            return key

        return _res

    resources = {
        "r0": make("r0", set()),
        "r1": make("r1", {"r0"}),
        "r2": make("r2", {"r1"}),
        "r3": make("r3", {"r1", "r2"}),
        "r4": make("r4", {"r3", "r0"}),
    }

    @dg.op(required_resource_keys=set(resources))
    def use(context: dg.OpExecutionContext) -> Any:
        return context.resources.r4

    @dg.job(resource_defs=resources)
    def fifty() -> None:
        for _ in range(50):
            use()

    return fifty


def per_op_ms(job: dg.JobDefinition, ops: int) -> float:
    job.execute_in_process()  # warm: plan and config schema are built once per job
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        result = job.execute_in_process()
        samples.append(time.perf_counter() - started)
        assert result.success
    return statistics.median(samples) / ops * 1000


def main() -> None:
    chain_ms = per_op_ms(chain_job(N), N)
    fan_ms = per_op_ms(fan_job(N), N)
    print(f"linear chain of {N} trivial ops: {chain_ms:.4f} ms per op [target < 0.2 ms]")
    print(f"fan-out/fan-in of {N} trivial ops: {fan_ms:.4f} ms per op [target < 0.2 ms]")
    counts: Counter[str] = Counter()
    result = resource_job(counts).execute_in_process()
    assert result.success
    print(
        f"50 ops x 5 interdependent resources: initializations per resource {dict(counts)} "
        "[target: each exactly 1]"
    )
    started = time.perf_counter()
    chain_job(N)
    print(f"defining the {N}-op chain job: {(time.perf_counter() - started) * 1000:.1f} ms")
    print(f"  command: {sys.executable} benchmarks/inprocess_overhead.py")


if __name__ == "__main__":
    main()
