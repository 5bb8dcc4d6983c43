"""The Dask run launcher: each queued run is a task on an existing ``dask.distributed``
cluster, chosen in ``headwater.yaml``::

    run_launcher:
      dask: {address: "tcp://scheduler:8786"}

The task (:func:`run_on_worker`) runs on a Dask worker: it starts the run's process,
``python -m headwater.daemon.worker RUN_ID``, in a session of its own, records that
process for the run monitor, and watches the run while it goes. A run asked to terminate
that has not stopped after the grace period gets its process group (the run's process and
every step process) signalled, and ends ``CANCELED``; a process that exits without
finishing its run fails it.

Workers open the instance from the same home folder as the daemon (``HEADWATER_HOME``,
with the same ``headwater.yaml``), so they must reach its storage: PostgreSQL for a team,
or SQLite on a disk they share. This module imports dask only when a launcher is made.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from headwater.errors import HeadwaterError
from headwater.storage import Instance, Run

__all__ = ["DaskRunLauncher", "run_on_worker"]

_POLL = 0.5


class DaskRunLauncher:
    """Submits each run to the Dask cluster at ``address`` as a fire-and-forget task.

    Args:
        address: the scheduler's address.
        cancel_grace: seconds a terminated run may take to stop by itself.
    """

    def __init__(self, address: str, *, cancel_grace: float = 10.0) -> None:
        self._address = address
        self._cancel_grace = cancel_grace
        self._client: Any = None

    def _connect(self) -> Any:
        if self._client is None:
            try:
                from distributed import Client
            except ImportError as exc:
                raise HeadwaterError(
                    "run_launcher: dask needs the dask extra: pip install 'headwater[dask]'"
                ) from exc
            self._client = Client(self._address, set_as_default=False, timeout=10)  # type: ignore[no-untyped-call]  # distributed is untyped
        return self._client

    def launch(self, instance: Instance, run: Run) -> int | None:
        """Submit ``run``'s task; the worker records the run's process itself.

        Raises:
            HeadwaterError: the instance is ephemeral, or the cluster cannot be reached.
        """
        from distributed import fire_and_forget

        home = instance.home
        if home is None:
            raise HeadwaterError(
                "the Dask run launcher starts runs on other machines, which must reach the same "
                "instance: use a persistent one (set HEADWATER_HOME)"
            )
        try:
            client = self._connect()
        except OSError as exc:
            raise HeadwaterError(
                f"cannot reach the Dask scheduler at {self._address}: {exc}"
            ) from exc
        future = client.submit(
            run_on_worker,
            run.run_id,
            str(home),
            self._cancel_grace,
            key=f"headwater-run-{run.run_id}",
            pure=False,
        )
        fire_and_forget(future)  # type: ignore[no-untyped-call]  # distributed is untyped
        return None

    def reap(self) -> None:
        """Nothing to collect: the workers own the runs' processes."""

    def close(self) -> None:
        """Disconnect from the cluster (submitted runs keep going)."""
        if self._client is not None:
            with contextlib.suppress(Exception):
                self._client.close()
            self._client = None


def run_on_worker(run_id: str, home: str, cancel_grace: float) -> int:
    """On a Dask worker: run the queued run ``run_id`` in a process of its own, watch it,
    and return the process's exit code."""
    from headwater.daemon.store import write_run_workers
    from headwater.execution.terminate import mark_run_canceled
    from headwater.storage import RunStatus

    env = {**os.environ, "HEADWATER_HOME": home}
    log_path = _log_path(Path(home), run_id)
    with Instance.from_config(home) as instance, open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "headwater.daemon.worker", run_id],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        write_run_workers(instance, {run_id: process.pid}, host=socket.gethostname())
        canceling_since: float | None = None
        while process.poll() is None:
            time.sleep(_POLL)
            run = instance.get_run(run_id)
            if run is None or run.status not in (RunStatus.CANCELING, RunStatus.CANCELED):
                continue  # still wanted (a run marked CANCELED elsewhere is stopped too)
            now = time.monotonic()
            canceling_since = canceling_since or now
            waited = now - canceling_since
            if waited >= cancel_grace:
                kill = signal.SIGKILL if waited >= cancel_grace + 2.0 else signal.SIGTERM
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, kill)
        code = process.wait()
        run = instance.get_run(run_id)
        if run is not None and not run.is_finished:
            if run.status is RunStatus.CANCELING:
                mark_run_canceled(instance, run_id, "The run's process stopped on termination.")
            else:
                instance.report_run_failed(
                    run_id,
                    f"The run's process on Dask worker {socket.gethostname()} exited with code "
                    f"{code} without finishing the run (log: {log_path}).",
                )
        return code


def _log_path(home: Path, run_id: str) -> Path:
    """``HOME/run_workers/RUN_ID.log``, or a temporary folder when the worker cannot write
    to the home folder."""
    folder = home / "run_workers"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir()) / "headwater-run-workers"
        folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{run_id}.log"
