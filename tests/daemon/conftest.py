"""Fixtures shared by the daemon tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.processes import stop_all

from headwater.storage import Instance


@pytest.fixture
def start_daemon(home: Path) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Start ``headwater daemon run -f HOME/defs.py`` (each call a new process); every one
    still alive at the end is stopped with SIGINT, then killed if it does not stop.

    ``home`` is the test module's own fixture: a folder holding its ``defs.py``."""
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        # Output goes nowhere: an unread pipe would block a chatty daemon once it fills.
        process = subprocess.Popen(
            [sys.executable, "-m", "headwater.cli", "daemon", "run", "-f", str(home / "defs.py")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=os.environ,
        )
        started.append(process)
        return process

    yield start
    stop_all(started)


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    """A fresh SQLite instance under the test's temporary folder."""
    with Instance.from_config(tmp_path / "home") as opened:
        yield opened
