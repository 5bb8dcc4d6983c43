"""The Dask executor: each step is one task on a ``dask.distributed`` cluster.

A task calls the same step runner as the step processes (:func:`run_step_task`): the worker
loads the job from its pointer (once per worker process), builds the step's resources,
writes events to the instance as the step runs (so workers must reach it: a PostgreSQL instance,
or SQLite on a shared disk for one machine) and stores outputs through IO managers.

This module imports dask; it is loaded only by runs that use the Dask executor.
"""

from __future__ import annotations

import queue
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from typing import Any

import dask
from distributed import Client, Future, LocalCluster
from distributed.scheduler import KilledWorker

from headwater.execution.executors.engine import Launcher
from headwater.execution.executors.launcher import LaunchRequest
from headwater.execution.executors.out_of_process import run_elsewhere
from headwater.execution.executors.worker import (
    StepReport,
    StepTask,
    close_run_resources,
    interrupt_step,
    run_step_task,
)

__all__ = ["LAUNCHER", "DaskLauncher", "DaskRunLauncher"]


class DaskLauncher:
    """Submits step tasks to a Dask client and collects their reports."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self._futures: dict[Future[StepReport], str] = {}
        # Finished futures, put here by Dask's callbacks (from the client's thread).
        self._done: queue.SimpleQueue[Future[StepReport]] = queue.SimpleQueue()
        self._run_ids: set[str] = set()

    @classmethod
    @contextmanager
    def open(cls, config: Mapping[str, Any]) -> Iterator[DaskLauncher]:
        """Connect to ``config['address']`` (or ``cluster: {existing: ...}``), or start a
        ``LocalCluster`` of process workers for the run; close what was started."""
        address = config.get("address")
        cluster_choice = config.get("cluster") or {}
        if "existing" in cluster_choice:
            address = cluster_choice["existing"]["address"]
        with ExitStack() as stack:
            if address:
                client = stack.enter_context(Client(address, set_as_default=False))  # type: ignore[no-untyped-call]  # distributed is untyped
            else:
                options: dict[str, Any] = {
                    "n_workers": int(config.get("n_workers") or 2),
                    "threads_per_worker": int(config.get("threads_per_worker") or 1),
                    "processes": True,
                    "dashboard_address": ":0",  # a free port: several clusters may run at once
                }
                options.update(cluster_choice.get("local") or {})
                # A step that kills its worker fails at once instead of killing three more.
                # One task per worker thread at a time (no queue on the worker), so that a
                # dying worker takes down only the step it was running.
                stack.enter_context(
                    dask.config.set(
                        {
                            "distributed.scheduler.allowed-failures": 0,
                            "distributed.scheduler.worker-saturation": 1.0,
                        }
                    )
                )
                cluster = stack.enter_context(LocalCluster(**options))  # type: ignore[no-untyped-call]  # distributed is untyped
                client = stack.enter_context(Client(cluster, set_as_default=False))  # type: ignore[no-untyped-call]  # distributed is untyped
            launcher = cls(client)
            try:
                yield launcher
            finally:
                launcher.close_runs()

    @property
    def capacity(self) -> int:
        """How many steps the cluster runs at once: its worker threads."""
        threads: dict[str, int] = self.client.nthreads()  # type: ignore[no-untyped-call]  # distributed is untyped
        return max(sum(threads.values()), 1)

    def submit(self, task: StepTask) -> None:
        """Submit ``task`` as one Dask task (never retried by Dask: headwater retries)."""
        future = self.client.submit(
            run_step_task,  # runs in one of a Dask worker's threads
            task,
            key=f"headwater-{task.run_id}-{task.step_key}",
            pure=False,
            retries=0,
        )
        self._futures[future] = task.step_key
        future.add_done_callback(self._done.put)  # type: ignore[no-untyped-call]  # distributed is untyped
        self._run_ids.add(task.run_id)

    def wait(self, timeout: float) -> list[StepReport]:
        """Reports of finished tasks; a task whose worker died reports ``crashed``."""
        if not self._futures:
            return []
        reports = []
        try:
            finished = [self._done.get(timeout=timeout)]
        except queue.Empty:
            return []
        while True:
            try:
                finished.append(self._done.get_nowait())
            except queue.Empty:
                break
        for future in finished:
            key = self._futures.pop(future, None)
            if key is not None:  # a future canceled by kill() was reported already
                reports.append(self._report(future, key))
        return reports

    def _report(self, future: Future[StepReport], key: str) -> StepReport:
        try:
            report: StepReport = future.result()
            return report
        except KilledWorker:
            return StepReport(key, "crashed", message="the Dask worker running it died")
        except Exception as exc:
            return StepReport(key, "error", message=f"{type(exc).__name__}: {exc}")

    def interrupt(self, run_id: str, step_keys: Iterable[str]) -> None:
        """Raise ``StepTerminated`` in the worker threads running ``step_keys``."""
        for key in step_keys:
            self.client.run(interrupt_step, run_id, key)

    def kill(self, step_keys: Iterable[str]) -> list[StepReport]:
        """Cancel the tasks of ``step_keys`` (a thread cannot be killed: the worker keeps
        running the step's code until it returns, but its result is dropped)."""
        keys = set(step_keys)
        reports = []
        for future, key in list(self._futures.items()):
            if key in keys:
                future.cancel()  # type: ignore[no-untyped-call]  # distributed is untyped
                del self._futures[future]
                reports.append(StepReport(key, "crashed", message="canceled on the Dask cluster"))
        return reports

    def close_runs(self) -> None:
        """Tear down ``run``-scoped resources of this launcher's runs on every worker."""
        for run_id in self._run_ids:
            self.client.run(close_run_resources, run_id)


class DaskRunLauncher:
    """The Dask executor's launcher: each step a task on the cluster its config names (or
    a ``LocalCluster`` started for the run)."""

    runs_in_process = False

    def launch(self, request: LaunchRequest) -> None:
        """Run ``request``'s steps as Dask tasks and finish the run."""
        # A worker lost mid-task makes Dask run the task again; a worker serves many steps.
        run_elsewhere(
            request, _open_cluster, at_least_once=True, reused_process=True, announce=False
        )


@contextmanager
def _open_cluster(
    request: LaunchRequest, warm: StepTask, requested: int
) -> Iterator[tuple[Launcher, int]]:
    with DaskLauncher.open(request.config) as launcher:
        yield launcher, launcher.capacity


LAUNCHER = DaskRunLauncher()
