"""Helpers for the daemon tests that drive real processes: the CLI in a child process,
and polling until something the daemon does has happened."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``headwater ARGS...`` in a child process, as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "headwater.cli", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ,
    )


def wait_for(check: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    """Poll ``check`` until it is true; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
