"""Helpers for the alias tests: the alias changes sys.modules, so it runs in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_python(
    code: str, *, extra_path: list[str] | None = None, args: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` (or ``args``) in a fresh interpreter with headwater importable."""
    env = dict(os.environ)
    env.pop("HEADWATER_DAGSTER_ALIAS", None)
    paths = [*(extra_path or []), str(REPO / "src"), str(REPO / "headwater-pipes" / "src")]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    command = [sys.executable, *(args or ["-c", textwrap.dedent(code)])]
    return subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=120, check=False
    )


def run_json(code: str, **kwargs: Any) -> Any:
    """Run ``code``, which prints one JSON document last; return it."""
    done = run_python(code, **kwargs)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def fake_dagster(tmp_path: Path) -> Path:
    """A folder holding a package named ``dagster`` (stands for a real installation)."""
    package = tmp_path / "dagster"
    package.mkdir()
    (package / "__init__.py").write_text("REAL = True\n")
    return tmp_path
