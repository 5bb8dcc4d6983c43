"""The multiprocess executor's default launcher: a fresh process per step.

The reference's contract is that each step runs in its own process: module globals,
caches and resources never leak from one step into the next, and per-step resources are
set up and torn down once in that process. Starting an interpreter per step (what the
reference does) costs seconds; here each run starts one *template* process (forked by the
forkserver, which has already imported headwater) that imports the user's code once, and
then ``os.fork()``\\ s one child per step. A child starts with everything imported and runs
exactly one step, then exits: a fresh pid per step for the price of a fork.

Step processes die with their run, however it ends (``kill -9`` included):

* the template watches its pipe to the orchestrating process: when that process dies the
  kernel closes the pipe, and the template SIGKILLs its children and exits;
* every child asks the kernel (``PR_SET_PDEATHSIG``, Linux) for SIGKILL when the template
  dies, so a template killed outright takes its children with it; a child whose template
  is already gone when it starts exits at once.

A pipe is used rather than a death signal for the template itself: a process started by
the forkserver holds the forkserver's liveness pipe, so the forkserver outlives the
orchestrating process as long as any template lives, and its death is no signal.

The template stays single-threaded, and it releases the instance's connections after
reading the run, so forking it is safe: each child opens connections of its own.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Iterable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

from headwater._dataclass import dataclass
from headwater.execution.executors.multiprocess import (
    PRELOAD,
    adopt_launcher_context,
    describe_exit,
    die_with_parent,
)
from headwater.execution.executors.worker import (
    StepReport,
    StepTask,
    StepTerminated,
    close_worker_resources,
    run_step_task,
    warm_up,
)

__all__ = ["StepForker", "template_main"]

_log = logging.getLogger(__name__)


def _raise_terminated(signum: int, frame: Any) -> None:
    raise StepTerminated()


@dataclass(slots=True)
class _Child:
    pid: int
    step_key: str
    reader: Connection


def template_main(control: Connection, warm: StepTask, cwd: str, environ: dict[str, str]) -> None:
    """The template's loop: fork a child per step task, relay reports, stop with the run.

    Args:
        control: the pipe to the orchestrating process.
        warm: the run to prepare before the first step (its ``step_key`` is unused).
        cwd: the launching process's working directory, where steps run.
        environ: the launching process's environment, which steps see.
    """
    # The forkserver kept the working directory and environment it started with, maybe
    # runs ago; steps see the launching process's as they are now, as a spawned process
    # would (an EnvVar set since is resolved in the step).
    adopt_launcher_context(cwd, environ)
    # Ctrl-C reaches the whole process group; the orchestrating process stops the steps.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        warm_up(warm)  # import the user's code and read the run once, before any fork
    except Exception as exc:
        # Each step loads the job again and reports the error as its failure, in context.
        _log.debug("warm-up of %s failed: %s", warm.job.describe(), exc)
    # What is loaded now is shared by every step process: moved out of the collector's
    # reach, a child's collections never touch (and so never copy) those pages.
    gc.freeze()
    children: dict[int, _Child] = {}
    try:
        _serve(control, children)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the orchestrating process is gone: the finally kills every child
    finally:
        for child in children.values():
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGKILL)
        for child in children.values():
            with contextlib.suppress(ChildProcessError):
                os.waitpid(child.pid, 0)
    os._exit(0)


def _serve(control: Connection, children: dict[int, _Child]) -> None:
    while True:
        ready = wait([control, *(c.reader for c in children.values())])
        for child in [c for c in children.values() if c.reader in ready]:
            del children[child.pid]
            control.send(("report", _collect(child)))
        if control not in ready:
            continue
        try:
            message = control.recv()
        except (EOFError, OSError):
            return  # the orchestrating process is gone: the finally kills every child
        if message is None:
            return
        if isinstance(message, StepTask):
            child = _fork(message, control, children)
            children[child.pid] = child
            control.send(("started", message.step_key, child.pid))
            continue
        command, keys = message
        sig = signal.SIGTERM if command == "interrupt" else signal.SIGKILL
        for child in children.values():
            if child.step_key in keys:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child.pid, sig)


def _collect(child: _Child) -> StepReport:
    """The report of ``child``, whose pipe is readable: it sent its report just before
    exiting, or it died (EOF) and its exit status says how."""
    try:
        report: StepReport | None = child.reader.recv()
    except (EOFError, OSError):
        report = None
    _, status = os.waitpid(child.pid, 0)  # reaped at once: no zombie is left behind
    child.reader.close()
    if report is not None:
        return report
    code = os.waitstatus_to_exitcode(status)
    message = f"process {child.pid} {describe_exit(code)}"
    return StepReport(child.step_key, "crashed", message=message, pid=child.pid)


def _fork(task: StepTask, control: Connection, children: dict[int, _Child]) -> _Child:
    reader, writer = multiprocessing.Pipe(duplex=False)
    template = os.getpid()
    pid = os.fork()
    if pid == 0:  # the step process
        code = 1
        try:
            reader.close()
            control.close()
            for other in children.values():
                other.reader.close()
            die_with_parent()
            if os.getppid() != template:
                os._exit(1)
            signal.signal(signal.SIGTERM, _raise_terminated)
            report = run_step_task(task)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)  # too late to stop: report it
            writer.send(report)
            code = 0
        finally:
            _exit_step_process(code)
    writer.close()
    return _Child(pid, task.step_key, reader)


def _exit_step_process(code: int) -> None:
    # os._exit skips the template's atexit handlers and multiprocessing's finalizers, which
    # belong to the template; what the step printed is flushed first.
    with contextlib.suppress(Exception):
        close_worker_resources()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


class StepForker:
    """The launcher of one run: a template process that forks one process per step.

    Args:
        start_method: how the template starts: ``forkserver`` (default) or ``spawn``.
        warm: the run, prepared by the template before the first step.
        preload_modules: more modules for the forkserver to import up front.
    """

    def __init__(
        self, *, start_method: str, warm: StepTask, preload_modules: Sequence[str] = ()
    ) -> None:
        # Typed as Any: the stubs' BaseContext lacks the Process attribute real contexts have.
        context: Any = multiprocessing.get_context(start_method)
        if start_method == "forkserver":
            # Only honoured when the forkserver starts; later runs reuse the warm server.
            context.set_forkserver_preload([*PRELOAD, *preload_modules])
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=template_main,
            args=(child, warm, os.getcwd(), dict(os.environ)),
            name="headwater-step-template",
        )
        self._process.start()
        child.close()
        self._running: dict[str, int] = {}  # step key → pid, once the template forked it
        self._submitted: set[str] = set()
        self._reports: list[StepReport] = []

    @property
    def template_pid(self) -> int:
        """The template process's id (for tests and diagnostics)."""
        return int(self._process.pid)

    @property
    def step_pids(self) -> dict[str, int]:
        """The processes of the steps running now."""
        return dict(self._running)

    def submit(self, task: StepTask) -> None:
        """Fork a process for ``task``."""
        self._submitted.add(task.step_key)
        self._conn.send(task)

    def wait(self, timeout: float) -> list[StepReport]:
        """Reports of steps that ended; if the template died, every step it ran crashed."""
        if not self._submitted:
            return []
        deadline = time.monotonic() + timeout
        while not self._reports:
            left = deadline - time.monotonic()
            ready = wait([self._conn, self._process.sentinel], max(left, 0))
            if not ready:
                break
            if not self._drain():
                break
        reports, self._reports = self._reports, []
        return reports

    def _drain(self) -> bool:
        """Read what the template sent; ``False`` if it died (its steps then crashed)."""
        try:
            while self._conn.poll():
                kind, *rest = self._conn.recv()
                if kind == "started":
                    key, pid = rest
                    self._running[key] = pid
                else:
                    report: StepReport = rest[0]
                    self._running.pop(report.step_key, None)
                    self._submitted.discard(report.step_key)
                    self._reports.append(report)
            if self._process.is_alive():
                return True
        except (EOFError, OSError):
            pass
        self._process.join(1.0)
        why = describe_exit(self._process.exitcode)
        for key in sorted(self._submitted):
            pid = self._running.pop(key, 0)
            self._reports.append(
                StepReport(
                    key,
                    "crashed",
                    message=f"its template process {self._process.pid} {why}",
                    pid=pid,
                )
            )
        self._submitted.clear()
        return False

    def interrupt(self, run_id: str, step_keys: Iterable[str]) -> None:
        """SIGTERM the processes running ``step_keys``: each raises ``StepTerminated``,
        tears its resources down and reports ``terminated``."""
        self._command("interrupt", step_keys)

    def kill(self, step_keys: Iterable[str]) -> list[StepReport]:
        """SIGKILL the processes running ``step_keys``; their steps report ``crashed``."""
        keys = set(step_keys)
        self._command("kill", keys)
        reports: list[StepReport] = []
        deadline = time.monotonic() + 2.0
        while keys - {r.step_key for r in reports} and time.monotonic() < deadline:
            reports.extend(self.wait(deadline - time.monotonic()))
        return reports

    def _command(self, command: str, step_keys: Iterable[str]) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            self._conn.send((command, frozenset(step_keys)))

    def close(self) -> None:
        """Stop the template (it kills any step still running) and wait for it."""
        with contextlib.suppress(BrokenPipeError, OSError):
            self._conn.send(None)
        self._process.join(5.0)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(1.0)
        self._conn.close()
