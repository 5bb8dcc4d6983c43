"""Running a job for the CLI: in this process, recorded in the instance, watched as it goes."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.events import RunEvent
from headwater.storage import Instance

if TYPE_CHECKING:
    from headwater.execution.result import ExecuteInProcessResult
    from headwater.jobs.job import JobDefinition

__all__ = ["HOST_TAG", "PID_TAG", "ORIGIN_TAG", "execute_job", "is_process_gone"]

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
) -> ExecuteInProcessResult:
    """Run ``job`` in this process, recording it in ``instance``.

    Args:
        job: the job to run.
        instance: where the run and its events are stored.
        run_config: the run config (merged over the job's defaults by the run).
        tags: run tags, over the job's own.
        code_origin: how to load the job's code again (stored as a tag).
        on_events: called with each batch of events once it is stored.
        partition_key: the partition to run, for partitioned jobs.

    Returns:
        The run's result; a failed run does not raise.

    Raises:
        InvalidConfigError: the run config has problems; no run was recorded.
    """
    own_tags = {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}
    if code_origin:
        own_tags[ORIGIN_TAG] = code_origin
    target = instance if on_events is None else _WatchedInstance(instance, on_events)
    return job.execute_in_process(
        run_config=dict(run_config),
        instance=target,
        tags={**own_tags, **tags},
        raise_on_error=False,
        partition_key=partition_key,
    )


def is_process_gone(tags: Mapping[str, str]) -> bool | None:
    """Whether the process that ran a CLI run has ended: ``None`` when it cannot be known
    (not run by the CLI, or run on another machine)."""
    pid_text = tags.get(PID_TAG)
    if not pid_text or tags.get(HOST_TAG) != socket.gethostname():
        return None
    try:
        pid = int(pid_text)
    except ValueError:
        return None
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, owned by someone else
        return False
    return False
