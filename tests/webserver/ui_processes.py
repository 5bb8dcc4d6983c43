"""The web server (and optionally the daemon) as real processes, for the browser tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                err = server.stderr.read().decode() if server.stderr else ""
                raise AssertionError(f"webserver exited: {err}")
            try:
                urllib.request.urlopen(f"{url}/server_info", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("webserver did not answer within 60 s") from None
                time.sleep(0.2)
        yield url
    finally:
        for process in started:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
