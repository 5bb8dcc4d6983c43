"""The default run launcher: each run in a process of its own, on this machine.

A run's process is forked from a warm template of its code location (see
:mod:`headwater.daemon.template`): headwater and the user's code are already imported, so
a run starts in milliseconds. When no template can serve (it failed to start, or died), a
fresh interpreter runs ``python -m headwater.daemon.worker RUN_ID`` instead. Either way
the run's process loads the job through the one code loader and records its pid in the
instance, which is what the run monitor watches. Output goes to
``$HEADWATER_HOME/run_workers/<run id>.log``.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Protocol

from headwater.daemon.submit import POINTER_TAG
from headwater.errors import HeadwaterError
from headwater.storage import Instance, Run
from headwater.storage.config import RunLauncherConfig

__all__ = ["RunLauncher", "SubprocessRunLauncher", "make_launcher"]

_log = logging.getLogger("headwater.daemon")


class RunLauncher(Protocol):
    """Starts the process of a queued run somewhere."""

    def launch(self, instance: Instance, run: Run) -> int | None:
        """Start ``run``; returns its pid on this machine, or ``None`` when it runs elsewhere
        (its worker then records its process itself)."""
        ...

    def reap(self) -> None:
        """Collect what finished (called each pass of the run queue)."""
        ...

    def close(self) -> None:
        """Release what the launcher holds; launched runs keep going."""
        ...


def make_launcher(config: RunLauncherConfig, *, cancel_grace: float) -> RunLauncher:
    """The launcher ``run_launcher:`` in ``headwater.yaml`` chooses (subprocess by default)."""
    if config.kind == "dask" and config.address:
        from headwater.daemon.dask import DaskRunLauncher

        return DaskRunLauncher(config.address, cancel_grace=cancel_grace)
    return SubprocessRunLauncher()


class _Template:
    """One template process and the pipes to it."""

    def __init__(self, pointer_json: str, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "headwater.daemon.template", pointer_json],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
            start_new_session=True,
        )
        assert self.process.stdout is not None
        ready = self.process.stdout.readline()
        if ready.strip() != "ready":
            self.close()
            raise HeadwaterError("the run template could not import the code")

    def fork(self, run_id: str, log_path: Path) -> int:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{run_id}\t{log_path}\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise BrokenPipeError("the run template exited")
        return int(answer)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


class SubprocessRunLauncher:
    """Starts a process per run on this machine, forked from a warm template when it can.

    Args:
        use_templates: fork runs from a warm template per code location (default); with
            ``False`` every run starts a fresh interpreter.
    """

    def __init__(self, *, use_templates: bool = True) -> None:
        self._use_templates = use_templates
        self._templates: dict[str, _Template] = {}
        self._children: dict[str, subprocess.Popen[bytes]] = {}

    def launch(self, instance: Instance, run: Run) -> int:
        """Start the process of ``run``; returns its pid.

        Raises:
            HeadwaterError: the instance is ephemeral (another process cannot reach it).
        """
        home = instance.home
        if home is None:
            raise HeadwaterError(
                "the daemon launches runs in other processes, which must reach the same "
                "instance: use a persistent one (set HEADWATER_HOME)"
            )
        log_dir = home / "run_workers"
        log_dir.mkdir(parents=True, exist_ok=True)
        log_path = log_dir / f"{run.run_id}.log"
        env = {**os.environ, "HEADWATER_HOME": str(home)}
        pointer_json = run.tags.get(POINTER_TAG)
        if self._use_templates and pointer_json:
            try:
                return self._template(pointer_json, env).fork(run.run_id, log_path)
            except (OSError, ValueError, HeadwaterError) as exc:
                _log.warning("run template unavailable (%s); starting a fresh process", exc)
                self._templates.pop(pointer_json, None)
        with open(log_path, "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "headwater.daemon.worker", run.run_id],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # a daemon stopping (Ctrl-C) leaves its runs going
            )
        self._children[run.run_id] = process
        return process.pid

    def _template(self, pointer_json: str, env: dict[str, str]) -> _Template:
        template = self._templates.get(pointer_json)
        if template is None or template.process.poll() is not None:
            template = self._templates[pointer_json] = _Template(pointer_json, env)
        return template

    def reap(self) -> None:
        """Collect the exit status of finished fresh processes (no zombies)."""
        for run_id, process in list(self._children.items()):
            if process.poll() is not None:
                del self._children[run_id]

    def close(self) -> None:
        """Stop the templates (the runs they started keep going)."""
        for template in self._templates.values():
            template.close()
        self._templates.clear()
