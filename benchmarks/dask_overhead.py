"""Per-step overhead of the Dask executor on a 2-worker LocalCluster (target: < 20 ms).

The cluster is started once (as a deployment's would be) and runs are submitted to its
scheduler address; the ops do nothing, so wall time per step is all overhead: submitting,
the worker loading the job and the run, per-step resources, events to the instance,
outputs through the filesystem IO manager, and the report back.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time

from distributed import LocalCluster

import headwater as dg
from headwater.execution.executors import dask_executor
from headwater.execution.launch import execute_job
from headwater.storage import Instance

N = 32
REPEATS = 3


@dg.op
def noop() -> int:
    return 1


@dg.job(executor_def=dask_executor)
def wide() -> None:
    for _ in range(N):
        noop()


def main() -> int:
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Instance.local_temp(tempfile.mkdtemp(prefix="hw-bench-")) as instance,
    ):
        config = {"execution": {"config": {"address": cluster.scheduler_address}}}

        def timed() -> float:
            started = time.perf_counter()
            if not execute_job(wide, instance, run_config=config).success:
                raise SystemExit("run failed")
            return time.perf_counter() - started

        first = timed() / N  # workers import headwater and this file on their first step
        per_step = statistics.median(timed() for _ in range(REPEATS)) / N
    print(
        f"{N} independent trivial ops on a 2-worker LocalCluster: {per_step * 1000:.1f} ms per "
        f"step of overhead [target < 20 ms] (first run, workers cold: {first * 1000:.1f} ms)"
    )
    print(f"  command: {sys.executable} benchmarks/dask_overhead.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
