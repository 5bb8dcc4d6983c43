"""Reused workers for the multiprocess executor (``reuse_workers: true``), and what its
two launchers share.

By default each step runs in a fresh process (``forking.py``). Opted into, each run starts
``max_concurrent`` long-lived workers instead (forked by the forkserver, which has already
imported headwater), each importing the user's code once and then running steps one at a
time: for each step it builds the step's resources, runs it, tears them down and reports
back. Process state carries over from one step to the next, which is why it is not the
default. A worker that dies (segfault, ``os._exit``, the OOM killer) fails only the step
it was running; a new worker takes its place for the next step.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import select
import signal
import sys
import threading
from collections.abc import Iterable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

from headwater._dataclass import dataclass
from headwater.execution.executors.worker import (
    StepReport,
    StepTask,
    StepTerminated,
    close_worker_resources,
    run_step_task,
)
from headwater.execution.reconstruct import ReconstructableJob

__all__ = [
    "PRELOAD",
    "WarmPool",
    "adopt_launcher_context",
    "describe_exit",
    "die_with_parent",
    "worker_main",
]

_log = logging.getLogger(__name__)

# Imported by the forkserver once, so that every worker forked from it starts warm.
PRELOAD = (
    "headwater",
    # Under the Dagster alias (HEADWATER_DAGSTER_ALIAS=1) user code says `import dagster`.
    "headwater.alias.startup",
    "headwater.execution.executors.worker",
    "headwater.io",
    "headwater.storage.backends",
    "headwater.storage.sql",
    # SQLAlchemy loads a dialect when the first engine is made; a worker makes one per run.
    "sqlalchemy.dialects.sqlite",
)


_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent dies.

    Linux only (``prctl(PR_SET_PDEATHSIG)``); elsewhere a step process relies on the
    pipes it watches. The request is tied to the thread that forked this process, so
    every headwater process that forks step processes does it from its main thread.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError) as exc:
        _log.debug("PR_SET_PDEATHSIG unavailable: %s", exc)


def _raise_terminated(signum: int, frame: Any) -> None:
    raise StepTerminated()


def _die_with(pid: int) -> None:
    """SIGKILL this process, even mid-step, as soon as process ``pid`` exits (Linux's
    pidfd; elsewhere the worker notices only between steps, when its pipe closes)."""
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)  # already gone
    except (AttributeError, OSError) as exc:
        _log.debug("cannot watch launching process %s: %s", pid, exc)
        return

    def watch() -> None:
        select.select([pidfd], [], [])  # readable once the process has exited
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="headwater-launcher-watch", daemon=True).start()


def adopt_launcher_context(cwd: str, environ: dict[str, str]) -> None:
    """Take the launching process's working directory and environment.

    A process started by the forkserver inherits the forkserver's, fixed when it started
    (perhaps runs ago); a step must see the launching process's as they are now.
    """
    with contextlib.suppress(OSError):
        os.chdir(cwd)
    if environ != os.environ:
        os.environ.clear()
        os.environ.update(environ)


def worker_main(
    conn: Connection,
    pointer: ReconstructableJob | None,
    launcher_pid: int,
    launcher_context: tuple[str, dict[str, str]],
) -> None:
    """A worker's loop: run each step task received on ``conn``, send its report back.

    Steps run in the launching process's working directory and environment
    (``launcher_context``).
    """
    adopt_launcher_context(*launcher_context)
    # Ctrl-C goes to the whole process group: the launching process handles it and stops
    # the workers itself, so that a step is never interrupted twice.
    # A worker started by the forkserver keeps the forkserver alive (it holds the
    # forkserver's liveness pipe), so it watches the launching process itself.
    _die_with(launcher_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        if pointer is not None:
            try:
                pointer.get_definition()  # import user code before the first step arrives
            except Exception as exc:
                # Optional warm-up: the first step loads the job again and reports the error
                # as its failure, with the run's context.
                _log.debug("warm-up import of %s failed: %s", pointer.describe(), exc)
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError, StepTerminated):
                return
            if message is None:
                return
            conn.send(run_step_task(message))
    finally:
        close_worker_resources()


@dataclass(slots=True)
class _Worker:
    process: Any
    conn: Connection
    step_key: str | None = None


def describe_exit(code: int | None) -> str:
    """How a step process ended, for the failure message (``killed by SIGSEGV``)."""
    if code is None:
        return "it stopped responding"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (out of memory?)" if name == "SIGKILL" else ""
        return f"killed by {name}{hint}"
    return f"exited with code {code}"


class WarmPool:
    """``size`` worker processes for one run.

    Args:
        size: how many workers (the run's ``max_concurrent``).
        start_method: ``forkserver`` (default) or ``spawn``.
        pointer: the job, imported by each worker as it starts.
        preload_modules: more modules for the forkserver to import up front.
    """

    def __init__(
        self,
        *,
        size: int,
        start_method: str,
        pointer: ReconstructableJob,
        preload_modules: Sequence[str] = (),
    ) -> None:
        # Typed as Any: the stubs' BaseContext lacks the Process attribute real contexts have.
        self._context: Any = multiprocessing.get_context(start_method)
        if start_method == "forkserver":
            # Only honoured when the forkserver starts; later runs reuse the warm server.
            self._context.set_forkserver_preload([*PRELOAD, *preload_modules])
        self._pointer = pointer
        self._workers: list[_Worker] = []
        for _ in range(size):
            self._workers.append(self._start())

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=worker_main,
            args=(child, self._pointer, os.getpid(), (os.getcwd(), dict(os.environ))),
            name="headwater-step-worker",
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    @property
    def pids(self) -> list[int]:
        """The workers' process ids (for tests and diagnostics)."""
        return [w.process.pid for w in self._workers]

    def submit(self, task: StepTask) -> None:
        """Hand ``task`` to an idle worker (replacing dead ones)."""
        for worker in list(self._workers):
            if worker.step_key is None and not worker.process.is_alive():
                self._workers.remove(worker)
        idle = next((w for w in self._workers if w.step_key is None), None)
        if idle is None:
            idle = self._start()
            self._workers.append(idle)
        idle.step_key = task.step_key
        idle.conn.send(task)

    def wait(self, timeout: float) -> list[StepReport]:
        """Reports of finished steps; a worker that died reports its step as ``crashed``."""
        busy = [w for w in self._workers if w.step_key is not None]
        if not busy:
            return []
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout))
        reports = []
        for worker in busy:
            if worker.conn not in ready and worker.process.sentinel not in ready:
                continue
            report = self._receive(worker)
            if report is not None:
                reports.append(report)
        return reports

    def _receive(self, worker: _Worker) -> StepReport | None:
        key = worker.step_key
        assert key is not None  # only busy workers are read
        try:
            if worker.conn.poll():
                report: StepReport = worker.conn.recv()
                worker.step_key = None
                return report
        except (EOFError, OSError):
            pass
        if worker.process.is_alive():
            return None
        worker.process.join(1.0)
        self._workers.remove(worker)
        worker.conn.close()
        return StepReport(
            key,
            "crashed",
            message=f"process {worker.process.pid} {describe_exit(worker.process.exitcode)}",
            pid=worker.process.pid or 0,
        )

    def interrupt(self, run_id: str, step_keys: Iterable[str]) -> None:
        """Send SIGTERM to the workers running ``step_keys``; the step raises
        ``StepTerminated``, its resources are torn down and it reports ``terminated``."""
        keys = set(step_keys)
        for worker in self._workers:
            if worker.step_key in keys and worker.process.pid is not None:
                os.kill(worker.process.pid, signal.SIGTERM)

    def kill(self, step_keys: Iterable[str]) -> list[StepReport]:
        """SIGKILL the workers running ``step_keys``; their steps report ``crashed``."""
        keys = set(step_keys)
        reports = []
        for worker in list(self._workers):
            if worker.step_key in keys:
                worker.process.kill()
                report = self._receive(worker)
                if report is not None:
                    reports.append(report)
        return reports

    def close(self) -> None:
        """Stop every worker (each tears down its long-lived resources first)."""
        for worker in self._workers:
            try:
                worker.conn.send(None)
            except (BrokenPipeError, OSError):
                continue
        for worker in self._workers:
            worker.process.join(5.0)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(1.0)
            worker.conn.close()
        self._workers.clear()
