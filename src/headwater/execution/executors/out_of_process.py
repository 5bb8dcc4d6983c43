"""Running a run's steps in other processes: what the multiprocess and Dask launchers share,
and the multiprocess executor's launcher (``multiprocess_executor``).

The run's loop (:func:`~headwater.execution.executors.engine.orchestrate`) stays in the
launching process; a step launcher (a template forking a process per step, reused
workers, Dask) runs each step where its events reach the same persistent instance.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from headwater.errors import InvalidInvocationError
from headwater.events import EventType
from headwater.execution.executors.engine import Launcher, StepSource, orchestrate
from headwater.execution.executors.forking import StepForker
from headwater.execution.executors.launcher import LaunchRequest
from headwater.execution.executors.limits import StepLimits, TagLimit
from headwater.execution.executors.multiprocess import WarmPool
from headwater.execution.executors.pools import PoolSlots
from headwater.execution.executors.worker import StepTask
from headwater.execution.state import RunState

__all__ = ["MULTIPROCESS", "MultiprocessLauncher", "StepLauncherOpener", "run_elsewhere"]

# Opens the step launcher of a run: (request, a task template, the max_concurrent asked
# for) -> (launcher, how many steps it runs at once by default).
StepLauncherOpener = Callable[
    [LaunchRequest, StepTask, int], contextlib.AbstractContextManager[tuple[Launcher, int]]
]


def run_elsewhere(
    request: LaunchRequest,
    open_steps: StepLauncherOpener,
    *,
    at_least_once: bool,
    reused_process: bool,
    announce: bool,
) -> None:
    """Run ``request``'s steps through the step launcher ``open_steps`` opens, and finish
    the run.

    Args:
        request: the started run.
        open_steps: opens the step launcher for the run and closes it after.
        at_least_once: a step may run again after its process was lost (Dask).
        reused_process: a process runs several steps (its resources may outlive one).
        announce: record the multiprocess executor's parent-process engine events.
    """
    state, config = request.state, request.config
    instance = state.instance
    assert instance.home is not None  # execute_job checks runs_in_process first
    tag_limits = [TagLimit.from_config(e) for e in config.get("tag_concurrency_limits") or ()]
    source = StepSource(
        job=request.pointer,
        instance_home=str(instance.home),
        op_selection=request.op_selection,
        partition_key=state.partition_key,
        retries_enabled=state.retries_enabled,
        at_least_once=at_least_once,
        reused_process=reused_process,
        announce=announce,
    )
    started = time.monotonic()
    if announce:
        state.events.run_event(
            EventType.ENGINE_EVENT,
            f"Executing steps using multiprocess executor: parent process (pid: {os.getpid()})",
            data={"pid": os.getpid()},
        )
    state.events.flush()
    requested = int(config.get("max_concurrent") or 0)
    warm = StepTask(
        job=request.pointer,
        instance_home=source.instance_home,
        run_id=state.run_id,
        step_key="",
        op_selection=source.op_selection,
        partition_key=source.partition_key,
        sources=(),
    )
    with open_steps(request, warm, requested) as (launcher, capacity):
        limits = StepLimits(
            max_concurrent=requested or capacity,
            tag_limits=tag_limits,
            pools=PoolSlots(instance, state.run_id),
        )
        orchestrate(
            state,
            request.prepared.plan,
            launcher,
            limits,
            source,
            produced_by=request.produced_by,
            done_before=request.done_before,
            before_finish=_exiting_event(state, started) if announce else None,
        )


def _exiting_event(state: RunState, started: float) -> Callable[[], None]:
    def emit() -> None:
        pid = os.getpid()
        state.events.run_event(
            EventType.ENGINE_EVENT,
            f"Multiprocess executor: parent process exiting after "
            f"{time.monotonic() - started:.2f}s (pid: {pid})",
            data={"pid": pid},
        )

    return emit


class MultiprocessLauncher:
    """A process per step, forked from a template that imported the job once; or, with
    ``reuse_workers``, long-lived workers that run many steps."""

    runs_in_process = False

    def launch(self, request: LaunchRequest) -> None:
        """Run ``request``'s steps in step processes and finish the run."""
        reuse = bool(request.config.get("reuse_workers"))
        run_elsewhere(
            request, _open_processes, at_least_once=False, reused_process=reuse, announce=True
        )


@contextlib.contextmanager
def _open_processes(
    request: LaunchRequest, warm: StepTask, requested: int
) -> Iterator[tuple[Launcher, int]]:
    config = request.config
    capacity = os.cpu_count() or 1
    start_method = _start_method(config.get("start_method"))
    pointer = warm.job
    preload = [*_preload(config.get("start_method")), *pointer.preload_modules()]
    launcher: Any
    if config.get("reuse_workers"):
        launcher = WarmPool(
            size=min(requested or capacity, max(len(request.prepared.plan.steps), 1)),
            start_method=start_method,
            pointer=pointer,
            preload_modules=preload,
        )
    else:
        launcher = StepForker(start_method=start_method, warm=warm, preload_modules=preload)
    try:
        yield launcher, capacity
    finally:
        launcher.close()


def _start_method(value: Any) -> str:
    if isinstance(value, str):
        if value not in ("forkserver", "spawn"):
            raise InvalidInvocationError(
                f"start_method {value!r} is not supported; use 'forkserver' (the default) or "
                "'spawn' (fork is unsafe with the threads storage drivers start)"
            )
        return value
    if isinstance(value, Mapping) and value:
        return str(next(iter(value)))
    return "forkserver"


def _preload(value: Any) -> list[str]:
    if isinstance(value, Mapping):
        return list((value.get("forkserver") or {}).get("preload_modules") or [])
    return []


MULTIPROCESS = MultiprocessLauncher()
