"""Per-step overhead of the multiprocess executor, which runs each step in a fresh process.

Targets: launching a step's process (from the orchestrator recording ``STEP_WORKER_STARTING``
to the forked process recording ``STEP_WORKER_STARTED``) under 10 ms; wall time per step of
a run of trivial ops under 50 ms, pool start included; total time linear in the steps.

16 independent trivial ops with ``max_concurrent=2`` on a persistent SQLite instance, then
50, 100 and 200 steps, then the same 16 with the ``reuse_workers`` opt-in for comparison.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
from typing import Any

import headwater as dg
from headwater.events import EventType
from headwater.execution.executors import multiprocess_executor
from headwater.execution.launch import JobExecutionResult, execute_job
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


@dg.op
def cpu_so_far() -> float:
    """CPU seconds this step's process has used since it was forked, at the op's end: a
    measure of the launch path that other load on the machine does not inflate."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dg.job(executor_def=multiprocess_executor)
def cpu_16() -> None:
    for _ in range(16):
        cpu_so_far()


# Module level: the step processes load the jobs again from this file.
wide_16 = wide(16)
wide_50 = wide(50)
wide_100 = wide(100)
wide_200 = wide(200)


def timed(
    job: dg.JobDefinition, instance: Instance, **config: Any
) -> tuple[float, JobExecutionResult]:
    """Seconds for one run of ``job`` with two steps at once, and its result."""
    run_config = {"execution": {"config": {"max_concurrent": 2, **config}}}
    started = time.perf_counter()
    result = execute_job(job, instance, run_config=run_config)
    elapsed = time.perf_counter() - started
    if not result.success:
        raise SystemExit(f"run of {job.name} failed")
    return elapsed, result


def launch_latencies(result: JobExecutionResult) -> list[float]:
    """Seconds from asking for each step's process to that process starting the step."""
    asked: dict[str, float] = {}
    started: dict[str, float] = {}
    for event in result.all_events:
        if event.event_type is EventType.STEP_WORKER_STARTING and event.step_key:
            asked[event.step_key] = event.timestamp
        elif event.event_type is EventType.STEP_WORKER_STARTED and event.step_key:
            started[event.step_key] = event.timestamp
    return [started[k] - asked[k] for k in asked if k in started]


def main() -> int:
    with Instance.local_temp(tempfile.mkdtemp(prefix="hw-bench-")) as instance:
        cold, _ = timed(wide_16, instance)  # also starts the forkserver (once per process)
        runs = [timed(wide_16, instance) for _ in range(REPEATS)]
        per_step = statistics.median(elapsed for elapsed, _ in runs) / 16
        launches = [s for _, result in runs for s in launch_latencies(result)]
        launch = statistics.median(launches)
        print(
            f"launching a step's process (fork from the run's template): {launch * 1000:.1f} ms "
            f"median, {min(launches) * 1000:.1f} ms best [target < 10 ms]"
        )
        _, cpu_run = timed(cpu_16, instance)
        with cpu_run:
            cpu = [
                cpu_run.output_for_node(e.step_key or "") for e in cpu_run.get_step_success_events()
            ]
        print(
            f"  CPU a step's process uses from its fork to its op's end: "
            f"{statistics.median(cpu) * 1000:.1f} ms median"
        )
        print(
            f"16 independent trivial ops, max_concurrent=2: {per_step * 1000:.1f} ms per step "
            "(template start included) [target < 50 ms]"
        )
        print(
            f"  first run in a fresh process (forkserver start included): {cold / 16 * 1000:.1f} ms"
        )
        reused = statistics.median(
            timed(wide_16, instance, reuse_workers=True)[0] for _ in range(REPEATS)
        )
        print(f"  the same with reuse_workers (opt-in): {reused / 16 * 1000:.1f} ms per step")
        sizes = ((50, wide_50), (100, wide_100), (200, wide_200))
        totals = {n: timed(job, instance)[0] for n, job in sizes}
    for n, total in totals.items():
        print(f"{n} steps: {total:.2f} s total, {total / n * 1000:.1f} ms per step")
    ratio = totals[200] / totals[50]
    print(f"200 steps / 50 steps: {ratio:.2f}x the time for 4x the steps [linear: about 4x]")
    load = os.getloadavg()[0]
    print(f"  load average while measuring: {load:.1f} on {os.cpu_count()} CPUs")
    print(f"  command: {sys.executable} benchmarks/multiprocess_overhead.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
