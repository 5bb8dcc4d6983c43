"""Real processes a test starts (a web server, a daemon): a free port, waiting until a web
server answers, and stopping them the way a user would (SIGINT, then kill)."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterable
from typing import Any


def free_port() -> int:
    """A TCP port nothing listens on now, on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_serving(process: subprocess.Popen[Any], url: str, timeout: float = 60) -> None:
    """Poll ``url/server_info`` until it answers; fail with the server's stderr if it exits,
    or after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            errors = process.stderr.read() if process.stderr else ""
            if isinstance(errors, bytes):
                errors = errors.decode(errors="replace")
            raise AssertionError(f"webserver exited: {errors}")
        try:
            urllib.request.urlopen(f"{url}/server_info", timeout=2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise AssertionError(f"webserver did not answer within {timeout:.0f} s") from None
            time.sleep(0.2)


def stop_all(processes: Iterable[subprocess.Popen[Any]], timeout: float = 15) -> None:
    """Interrupt every process still running (a user's Ctrl-C); kill one that does not
    stop within ``timeout`` seconds."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
