"""Helpers for the CLI backfill tests: the backfill list as rows, and the CLI in a child
process (for a run that must really die, which the in-process runner cannot survive)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import Result

ROOT = Path(__file__).resolve().parents[2]


def listed(invoke: Callable[..., Result]) -> list[dict[str, Any]]:
    """The rows of ``headwater backfill list --json``."""
    result = invoke("backfill", "list", "--json")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def run_cli(
    home: Path, *args: str, crash_on: str = "", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``headwater ARGS...`` in a child process against ``home``; the test definitions
    end the process (exit code 9) when they run the partition ``crash_on``."""
    env = {
        **os.environ,
        "HEADWATER_HOME": str(home),
        "CRASH_ON": crash_on,
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    return subprocess.run(
        [sys.executable, "-m", "headwater.cli", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
