"""The web server (and optionally the daemon) as real processes, for the browser tests."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from tests.processes import free_port, stop_all, wait_until_serving


@contextlib.contextmanager
def served_ui(
    defs: Path | str,
    home: Path,
    *,
    daemon: bool = True,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Iterator[str]:
    """``headwater webserver -f defs`` (and ``headwater daemon run``) on the instance in
    ``home``; yields the server's URL once it answers, and stops both with SIGINT."""
    environ = {**os.environ, "HEADWATER_HOME": str(home), **(env or {})}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "headwater.cli", *args, "-f", str(defs)],
            cwd=cwd,
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started.append(process)
        return process

    server = start("webserver", "--port", str(port))
    if daemon:
        start("daemon", "run")
    try:
        wait_until_serving(server, url)
        yield url
    finally:
        stop_all(started)
