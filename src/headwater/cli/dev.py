"""``headwater dev``: the daemon (and the web server, when installed) on a local instance,
restarted when the code changes, all stopped by one Ctrl-C.

The instance is ``./.headwater`` unless ``HEADWATER_HOME`` is set. The daemon runs as a
child process (``headwater daemon run``) so that a code change is picked up by starting it
again: a fresh interpreter imports the new code and builds new run templates. Python files
under the code's folder (and the workspace file) are polled twice a second.

On Ctrl-C (or SIGTERM) every child is asked to stop, runs still in progress are terminated
(their processes stopped, the runs recorded ``CANCELED``), and nothing is left running.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from headwater.cli.root import code_options, debug_option, target_from

__all__ = ["dev_command", "webserver_argv"]

_POLL = 0.5
_STOP_TIMEOUT = 15.0
# Folders never worth watching: they change without the code changing.
_SKIPPED = {".headwater", "__pycache__", ".git", ".venv", "node_modules", ".mypy_cache"}


def webserver_argv(code_args: list[str]) -> list[str] | None:
    """The command starting the web server for ``code_args``, or ``None`` while headwater has
    no ``webserver`` command. (The hook ``headwater dev`` starts the web server through.)"""
    from headwater.cli import _GROUPS

    if "webserver" not in _GROUPS:
        return None
    return [sys.executable, "-m", "headwater.cli", "webserver", *code_args]


def _watched_files(roots: Iterable[Path]) -> dict[Path, float]:
    found: dict[Path, float] = {}
    for root in roots:
        if root.is_file():
            with contextlib.suppress(OSError):
                found[root] = root.stat().st_mtime
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if d not in _SKIPPED and not d.startswith(".")]
            for name in files:
                if name.endswith((".py", ".yaml", ".yml")):
                    path = Path(folder) / name
                    with contextlib.suppress(OSError):
                        found[path] = path.stat().st_mtime
    return found


class _Children:
    """The processes ``headwater dev`` runs, started and stopped together."""

    def __init__(self, commands: list[list[str]], env: dict[str, str]) -> None:
        self._commands = commands
        self._env = env
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        self.processes = [subprocess.Popen(argv, env=self._env) for argv in self._commands]
        for argv, process in zip(self._commands, self.processes, strict=True):
            click.echo(
                f"headwater dev: started {' '.join(argv[3:5])} (pid {process.pid})", err=True
            )

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + _STOP_TIMEOUT
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = []


def _stop_runs_in_progress(home: Path, env: dict[str, str]) -> None:
    """Terminate the runs this instance has in progress and stop their processes."""
    from headwater.daemon.duties import IN_PROGRESS, process_gone
    from headwater.daemon.store import read_run_workers
    from headwater.execution.terminate import mark_run_canceled, terminate_run
    from headwater.storage import Instance

    with Instance.from_config(home) as instance:
        runs = instance.get_runs(statuses=list(IN_PROGRESS))
        if not runs:
            return
        workers = read_run_workers(instance, [r.run_id for r in runs])
        here = socket.gethostname()
        pids = {  # only this machine's processes (a Dask worker's are stopped by its task)
            r.run_id: int(workers[r.run_id]["pid"])
            for r in runs
            if r.run_id in workers and workers[r.run_id].get("host") == here
        }
        for run in runs:
            with contextlib.suppress(Exception):
                terminate_run(instance, run.run_id, reason="headwater dev stopped.")
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline and not all(process_gone(p) for p in pids.values()):
            time.sleep(0.2)
        for pid in pids.values():
            if not process_gone(pid):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pid, signal.SIGKILL)
        for run in runs:
            if run.run_id in pids or run.run_id not in workers:  # remote runs: their launcher
                mark_run_canceled(
                    instance, run.run_id, "headwater dev stopped: the run was stopped."
                )
        click.echo(f"headwater dev: stopped {len(runs)} run(s) in progress", err=True)


@click.command("dev")
@code_options()
@click.option(
    "-w",
    "--workspace",
    "workspace",
    metavar="FILE",
    help="A workspace file listing several code locations.",
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address the web server binds."
)
@click.option(
    "-p", "--port", default=3000, show_default=True, type=int, help="Port the web server binds."
)
@click.option(
    "--auth",
    "auth_file",
    metavar="FILE",
    help="Passed to the web server: a YAML file of users and token hashes that turns auth "
    "on (see 'headwater webserver --help').",
)
@debug_option
def dev_command(
    workspace: str | None, host: str, port: int, auth_file: str | None, **code: Any
) -> None:
    """Run the daemon (and the web server) for local development, reloading on code changes.

    Uses the instance in ./.headwater unless HEADWATER_HOME is set. One Ctrl-C stops
    everything, runs in progress included.
    """
    target = target_from(code)
    code_args: list[str] = []
    roots: list[Path] = []
    if workspace is not None:
        code_args += ["-w", str(Path(workspace).absolute())]
        roots.append(Path(workspace).absolute().parent)
    elif target.python_file:
        code_args += ["-f", str(Path(target.python_file).absolute())]
        roots.append(Path(target.python_file).absolute().parent)
    elif target.module_name:
        code_args += ["-m", target.module_name]
        roots.append(Path(target.working_directory or os.getcwd()).absolute())
    else:
        raise click.UsageError("name the code: -f FILE, -m MODULE or -w WORKSPACE")
    if target.attribute:
        code_args += ["-a", target.attribute]
    if target.working_directory:
        code_args += ["--working-directory", str(Path(target.working_directory).absolute())]
    home = Path(os.environ.get("HEADWATER_HOME") or Path.cwd() / ".headwater").absolute()
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HEADWATER_HOME": str(home)}
    commands = [[sys.executable, "-m", "headwater.cli", "daemon", "run", *code_args]]
    web = webserver_argv(code_args)
    if web is not None:
        web = [*web, "--host", host, "--port", str(port)]
        commands.append(web + (["--auth", str(Path(auth_file).absolute())] if auth_file else []))
    click.echo(f"headwater dev: instance {home}; Ctrl-C stops everything", err=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    children = _Children(commands, env)
    try:
        _serve(children, roots, stop)
    finally:
        children.stop()
        _stop_runs_in_progress(home, env)
    click.echo("headwater dev: stopped", err=True)


def _serve(children: _Children, roots: list[Path], stop: threading.Event) -> None:
    children.start()
    seen = _watched_files(roots)
    while not stop.wait(_POLL):
        if _watched_files(roots) != seen:
            click.echo("headwater dev: code changed, restarting", err=True)
            children.stop()
            seen = _watched_files(roots)
            children.start()
