"""Per-step overhead of the multiprocess executor (target: under 50 ms per step).

16 independent trivial ops with ``max_concurrent=2`` on a persistent SQLite instance; the
figure is wall time per step of the whole run, pool start included (the ops do nothing).
Then 50, 100 and 200 independent steps: the total should grow linearly.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time

import headwater as dg
from headwater.execution.executors import multiprocess_executor
from headwater.execution.launch import execute_job
from headwater.storage import Instance

REPEATS = 3


def wide(n: int) -> dg.JobDefinition:
    """A job of ``n`` independent trivial ops."""

    @dg.op
    def noop() -> int:
        return 1

    @dg.job(name=f"wide_{n}", executor_def=multiprocess_executor)
    def job() -> None:
        for _ in range(n):
            noop()

    return job


# Module level: the step processes load the jobs again from this file.
wide_16 = wide(16)
wide_50 = wide(50)
wide_100 = wide(100)
wide_200 = wide(200)


def timed(job: dg.JobDefinition, instance: Instance) -> float:
    """Seconds for one run of ``job`` with two workers."""
    started = time.perf_counter()
    result = execute_job(job, instance, run_config={"execution": {"config": {"max_concurrent": 2}}})
    elapsed = time.perf_counter() - started
    if not result.success:
        raise SystemExit(f"run of {job.name} failed")
    return elapsed


def main() -> int:
    with Instance.local_temp(tempfile.mkdtemp(prefix="hw-bench-")) as instance:
        cold = timed(wide_16, instance) / 16  # also starts the forkserver (once per process)
        per_step = statistics.median(timed(wide_16, instance) for _ in range(REPEATS)) / 16
        print(
            f"16 independent trivial ops, max_concurrent=2: {per_step * 1000:.1f} ms per step "
            "(pool start included) [target < 50 ms]"
        )
        print(f"  first run in a fresh process (forkserver start included): {cold * 1000:.1f} ms")
        sizes = ((50, wide_50), (100, wide_100), (200, wide_200))
        totals = {n: timed(job, instance) for n, job in sizes}
    for n, total in totals.items():
        print(f"{n} steps: {total:.2f} s total, {total / n * 1000:.1f} ms per step")
    ratio = totals[200] / totals[50]
    print(f"200 steps / 50 steps: {ratio:.2f}x the time for 4x the steps [linear: about 4x]")
    print(f"  command: {sys.executable} benchmarks/multiprocess_overhead.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
