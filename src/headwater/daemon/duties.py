"""The run queue and run monitor duties."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import time
from collections.abc import Mapping

from headwater.daemon.launcher import RunLauncher
from headwater.daemon.queue import runs_to_launch
from headwater.daemon.store import (
    claim_requeue,
    read_run_starts,
    read_run_workers,
    write_run_workers,
)
from headwater.events import EventType, RunEvent
from headwater.storage import Instance, Run, RunStatus

__all__ = ["CANCEL_GRACE", "MAX_RUNTIME_TAG", "RunMonitorDuty", "RunQueueDuty", "process_gone"]

MAX_RUNTIME_TAG = "dagster/max_runtime"
# How long a run asked to terminate may take to stop by itself before its processes are
# signalled (its executor interrupts running steps and tears their resources down first).
CANCEL_GRACE = 10.0
IN_PROGRESS = (RunStatus.STARTING, RunStatus.STARTED, RunStatus.CANCELING)


def process_gone(pid: int) -> bool:
    """Whether process ``pid`` of this machine has ended (a zombie child counts as ended)."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)  # our own child: reap it
        if done == pid:
            return True
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, owned by someone else
        return False
    return False


def _event(run: Run, kind: EventType, message: str, level: int = logging.DEBUG) -> RunEvent:
    return RunEvent(kind, run.run_id, run.job_name, time.time(), message, level=level)


class RunQueueDuty:
    """Launches queued runs as the instance's ``run_queue`` limits allow.

    It looks at the queue 20 times a second (one indexed read when nothing is queued), so
    a run submitted from another process starts within 50 ms; runs this daemon's sensors
    and schedules queue wake it at once.
    """

    name = "run_queue"
    interval = 0.05

    def __init__(self, instance: Instance, launcher: RunLauncher) -> None:
        self._instance = instance
        self._launcher = launcher

    def run_once(self, now: float) -> list[str]:
        """One pass: launch what may start now; returns the launch failures."""
        self._launcher.reap()
        queued = self._instance.get_runs(statuses=[RunStatus.QUEUED], ascending=True)
        if not queued:
            return []
        in_progress = self._instance.get_runs(statuses=list(IN_PROGRESS))
        chosen = runs_to_launch(queued, in_progress, self._instance.run_queue)
        if not chosen:
            return []
        self._instance.store_events(
            [
                event
                for run in chosen
                for event in (
                    _event(run, EventType.RUN_DEQUEUED, "Run was taken off the queue."),
                    _event(run, EventType.RUN_STARTING, "Launching the run's process."),
                )
            ]
        )
        errors: list[str] = []
        launched: dict[str, int] = {}
        for run in chosen:
            try:
                pid = self._launcher.launch(self._instance, run)
            except Exception as exc:
                reason = f"the run could not be launched: {exc}"
                self._instance.report_run_failed(run.run_id, reason)
                errors.append(f"run {run.run_id}: {reason}")
                continue
            if pid is not None:  # a remote launcher's worker records its own process
                launched[run.run_id] = pid
        # The monitor watches these pids; one write for the pass, off the runs' own path.
        write_run_workers(self._instance, launched, host=socket.gethostname())
        return errors


class RunMonitorDuty:
    """Fails runs whose process died, runs stuck starting, and runs over their max runtime.

    Args:
        instance: the runs to watch.
        start_timeout: how long a run may stay ``STARTING`` without its worker reporting.
    """

    name = "run_monitor"
    interval = 2.0

    def __init__(
        self,
        instance: Instance,
        *,
        start_timeout: float = 180.0,
        lost_launch_after: float = 10.0,
        cancel_grace: float = CANCEL_GRACE,
    ) -> None:
        self._instance = instance
        self._start_timeout = start_timeout
        self._lost_launch_after = lost_launch_after
        self._unlaunched: dict[str, float] = {}  # STARTING runs with no process: first seen
        self._cancel_grace = cancel_grace
        self._host = socket.gethostname()
        self._terminating: dict[str, float] = {}
        self._canceling: dict[str, float] = {}

    def run_once(self, now: float) -> list[str]:
        """One pass over the runs in progress."""
        runs = self._instance.get_runs(statuses=list(IN_PROGRESS))
        going = {r.run_id for r in runs}
        for run_id in [r for r in self._canceling if r not in going]:
            del self._canceling[run_id]  # finished by itself: forget when it was asked
        if not runs:
            return []
        ids = [r.run_id for r in runs]
        workers = read_run_workers(self._instance, ids)
        # The process that claimed a run's start runs it: it outranks the launch record.
        workers.update(read_run_starts(self._instance, ids))
        errors: list[str] = []
        for run in runs:
            try:
                self._check(run, workers.get(run.run_id), now)
            except Exception as exc:
                errors.append(f"run {run.run_id}: {exc}")
        return errors

    def _check(self, run: Run, worker: Mapping[str, object] | None, now: float) -> None:
        pid = _pid_of(run, worker)
        local = pid is not None and _host_of(run, worker) == self._host
        if run.status is RunStatus.CANCELING:
            if pid is None or local:
                self._stop_canceled(run, pid, now)
            return
        if local and pid is not None and process_gone(pid):
            current = self._instance.get_run(run.run_id)
            if current is not None and not current.is_finished:
                self._instance.report_run_failed(
                    run.run_id,
                    f"The run's process (pid {pid}) ended without finishing the run: it was "
                    "killed or crashed. Re-execute it from failure to run what is left.",
                )
            return
        if pid is None and run.status is RunStatus.STARTING and worker is None:
            # Taken off the queue, and no process was ever recorded or started it: the
            # daemon that launched it died on the way. Back in the queue, launched once more.
            seen = self._unlaunched.setdefault(run.run_id, now)
            if now - seen > self._lost_launch_after:
                del self._unlaunched[run.run_id]
                if claim_requeue(self._instance, run.run_id):
                    self._instance.store_events(
                        [
                            _event(
                                run,
                                EventType.RUN_ENQUEUED,
                                "The run's launch was lost (its daemon stopped while "
                                "launching it); it is back in the queue.",
                                logging.WARNING,
                            )
                        ]
                    )
                return
        if pid is None and run.status is RunStatus.STARTING:
            waited = now - run.create_time
            if waited > self._start_timeout:
                self._instance.report_run_failed(
                    run.run_id,
                    f"The run was launched {waited:.0f}s ago and its process never reported "
                    f"(start timeout {self._start_timeout:g}s).",
                )
            return
        self._enforce_max_runtime(run, pid if local else None, now)

    def _stop_canceled(self, run: Run, pid: int | None, now: float) -> None:
        """A run asked to terminate ends ``CANCELED``: at once when no process runs it; when
        its process stops by itself; otherwise its process group (the run's process and
        every step process it started) gets SIGTERM after ``cancel_grace`` seconds and
        SIGKILL two passes later."""
        from headwater.execution.terminate import mark_run_canceled

        if pid is None:
            if run.start_time is None:  # terminated before it was launched
                mark_run_canceled(
                    self._instance, run.run_id, "The run was canceled before it started."
                )
            return
        first = self._canceling.setdefault(run.run_id, now)
        if process_gone(pid):
            self._canceling.pop(run.run_id, None)
            mark_run_canceled(
                self._instance, run.run_id, f"The run's process (pid {pid}) stopped on termination."
            )
            return
        waited = now - first
        if waited >= self._cancel_grace:
            kill = (
                signal.SIGKILL
                if waited >= self._cancel_grace + 2 * self.interval
                else signal.SIGTERM
            )
            with contextlib.suppress(ProcessLookupError, PermissionError):
                # A launched run leads its own process group (steps included); a run started
                # from a terminal shares the terminal's group, so only its process is signalled.
                if os.getpgid(pid) == pid:
                    os.killpg(pid, kill)
                else:
                    os.kill(pid, kill)

    def _enforce_max_runtime(self, run: Run, pid: int | None, now: float) -> None:
        raw = run.tags.get(MAX_RUNTIME_TAG)
        if raw is None or run.start_time is None:
            return
        try:
            limit = float(raw)
        except ValueError:
            return
        if now - run.start_time <= limit:
            return
        if run.run_id not in self._terminating:
            self._terminating[run.run_id] = now
            from headwater.execution.terminate import terminate_run

            terminate_run(
                self._instance,
                run.run_id,
                reason=f"The run exceeded its max runtime of {limit:g}s ({MAX_RUNTIME_TAG}).",
            )
            return
        # Asked to stop and still going two passes later: end its process and fail it.
        if now - self._terminating[run.run_id] > 2 * self.interval and pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            self._instance.report_run_failed(
                run.run_id, f"The run exceeded its max runtime of {limit:g}s and was stopped."
            )
            del self._terminating[run.run_id]


def _pid_of(run: Run, worker: Mapping[str, object] | None) -> int | None:
    raw = worker.get("pid") if worker else run.tags.get("headwater/pid")
    try:
        return int(str(raw)) if raw is not None else None
    except ValueError:
        return None


def _host_of(run: Run, worker: Mapping[str, object] | None) -> str | None:
    raw = worker.get("host") if worker else run.tags.get("headwater/host")
    return str(raw) if raw is not None else None
