"""Running a job for the CLI: in this process, recorded in the instance, watched as it goes."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from headwater.events import RunEvent
from headwater.storage import Instance

if TYPE_CHECKING:
    from headwater.cli.loading import CodeTarget
    from headwater.execution.reconstruct import ReconstructableJob
    from headwater.execution.result import ExecuteInProcessResult
    from headwater.jobs.job import JobDefinition

__all__ = [
    "HOST_TAG",
    "PID_TAG",
    "ORIGIN_TAG",
    "cli_run_tags",
    "execute_job",
    "is_process_gone",
    "job_pointer",
]

# Tags the CLI puts on its runs, so that a later command can tell that a run still marked
# as started has lost its process (killed, machine restarted) and may be marked failed.
PID_TAG = "headwater/pid"
HOST_TAG = "headwater/host"
ORIGIN_TAG = "headwater/code_origin"


class _WatchedInstance(Instance):
    """The same storage as ``inner``; every stored batch is also handed to ``on_events``.

    The callback runs after the batch is stored, so whatever it shows is already durable.
    """

    def __init__(self, inner: Instance, on_events: Callable[[Sequence[RunEvent]], None]) -> None:
        super().__init__(inner.storage, home=inner.home)
        self._on_events = on_events

    def store_events(self, events: Sequence[RunEvent]) -> None:
        super().store_events(events)
        if events:
            self._on_events(events)


def execute_job(
    job: JobDefinition,
    *,
    instance: Instance,
    run_config: Mapping[str, Any],
    tags: Mapping[str, str],
    code_origin: str | None = None,
    on_events: Callable[[Sequence[RunEvent]], None] | None = None,
    partition_key: str | None = None,
    code: CodeTarget | None = None,
    run_id: str | None = None,
) -> ExecuteInProcessResult:
    """Run ``job`` with its executor, recording it in ``instance``.

    In process unless the job's executor (or ``execution`` in run config) runs steps in
    other processes; those load the job again through ``pointer``.

    Args:
        job: the job to run.
        instance: where the run and its events are stored.
        run_config: the run config (merged over the job's defaults by the run).
        tags: run tags, over the job's own.
        code_origin: how to load the job's code again (stored as a tag).
        on_events: called with each batch of events once it is stored.
        partition_key: the partition to run, for partitioned jobs.
        code: where other processes find the job's code (the command's code options).
        run_id: the run's id (default: a new one), chosen by a caller that claimed it.

    Returns:
        The run's result; a failed run does not raise.

    Raises:
        InvalidConfigError: the run config has problems; no run was recorded.
    """
    from headwater.execution.launch import run_job, runs_in_process

    own_tags = {**cli_run_tags(code_origin), **tags}
    if code is not None and not runs_in_process(job, run_config):
        run_id = run_id or str(uuid.uuid4())  # known up front: its events are tailed
        with _tailing(instance, run_id, on_events):
            return run_job(
                job,
                pointer=job_pointer(code, job.name),  # made only here: most runs need none
                instance=instance,
                run_config=run_config,
                tags=own_tags,
                run_id=run_id,
                partition_key=partition_key,
            )
    target = instance if on_events is None else _WatchedInstance(instance, on_events)
    return run_job(
        job,
        pointer=None,
        instance=target,
        run_config=run_config,
        tags=own_tags,
        partition_key=partition_key,
        run_id=run_id,
    )


def cli_run_tags(code_origin: str | None) -> dict[str, str]:
    """The tags the CLI puts on the runs it starts: this process, and how to load the code."""
    tags = {PID_TAG: str(os.getpid()), HOST_TAG: _hostname()}
    if code_origin:
        tags[ORIGIN_TAG] = code_origin
    return tags


def is_process_gone(tags: Mapping[str, str]) -> bool | None:
    """Whether the process that ran a CLI run has ended: ``None`` when it cannot be known
    (not run by the CLI, or run on another machine)."""
    from headwater.daemon.duties import process_gone

    pid_text = tags.get(PID_TAG)
    if not pid_text or tags.get(HOST_TAG) != _hostname():
        return None
    try:
        pid = int(pid_text)
    except ValueError:
        return None
    return False if pid == os.getpid() else process_gone(pid)


def _hostname() -> str:
    """This machine's name, as ``socket.gethostname()`` gives it (on Unix both read the
    kernel's node name), without importing ``socket`` on every run's start."""
    uname = getattr(os, "uname", None)
    if uname is not None:
        return str(uname().nodename)
    import socket

    return socket.gethostname()


def job_pointer(target: CodeTarget, job_name: str) -> ReconstructableJob:
    """Where a step process finds ``job_name`` of the code the command loaded."""
    from headwater.execution.reconstruct import ReconstructableJob

    return ReconstructableJob(job_name, target.absolute())


@contextmanager
def _tailing(
    instance: Instance, run_id: str, on_events: Callable[[Sequence[RunEvent]], None] | None
) -> Iterator[None]:
    """Hand events that step processes store to ``on_events`` while the run goes on."""
    if on_events is None:
        yield
        return
    stop = threading.Event()

    def tail() -> None:
        cursor: int | None = None
        while True:
            stopping = stop.wait(0.2)
            records = instance.get_event_records(run_id, after=cursor)
            if records:
                cursor = records[-1].storage_id
                on_events([r.event for r in records])
            if stopping:
                return

    thread = threading.Thread(target=tail, name="headwater-tail", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(5.0)
