"""The default run launcher: each run in a process of its own, started through the worker.

``python -m headwater.daemon.worker RUN_ID`` loads the run's code through the one loader
and runs it with its executor; the launcher only starts the process, with the instance's
home in ``HEADWATER_HOME``, and can terminate it. The worker records its pid in the
instance, which is what the run monitor watches.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from headwater.errors import HeadwaterError
from headwater.storage import Instance

__all__ = ["SubprocessRunLauncher"]


class SubprocessRunLauncher:
    """Starts a run worker process per run on this machine.

    Args:
        log_dir: where each worker's stdout/stderr go (``<run id>.log``); default the
            instance home's ``run_workers`` folder.
    """

    def __init__(self, log_dir: Path | None = None) -> None:
        self._log_dir = log_dir
        self._children: dict[str, subprocess.Popen[bytes]] = {}

    def launch(self, instance: Instance, run_id: str) -> int:
        """Start the worker of ``run_id``; returns its pid.

        Raises:
            HeadwaterError: the instance is ephemeral (another process cannot reach it).
        """
        if instance.home is None:
            raise HeadwaterError(
                "the daemon launches runs in other processes, which must reach the same "
                "instance: use a persistent one (set HEADWATER_HOME)"
            )
        log_dir = self._log_dir or instance.home / "run_workers"
        log_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "HEADWATER_HOME": str(instance.home)}
        with open(log_dir / f"{run_id}.log", "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "headwater.daemon.worker", run_id],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # a daemon stopping (Ctrl-C) leaves its runs going
            )
        self._children[run_id] = process
        return process.pid

    def reap(self) -> None:
        """Collect the exit status of finished workers (no zombies)."""
        for run_id, process in list(self._children.items()):
            if process.poll() is not None:
                del self._children[run_id]
