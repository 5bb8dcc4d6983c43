"""Shared fixtures: a fresh PipesContext singleton per test, and the other interpreters."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater_pipes import PipesContext

# Test helpers (hwp_helpers, replay_session) are imported as top-level modules.
sys.path.insert(0, str(Path(__file__).parent))

from hwp_helpers import REF_DAGSTER_ENV_VAR, find_python39, reference_dagster_python


@pytest.fixture(autouse=True)
def _fresh_singleton() -> Iterator[None]:
    # open_pipes keeps one context per process; tests each open their own.
    PipesContext._instance = None
    yield
    current = PipesContext._instance
    if isinstance(current, PipesContext) and not current.is_closed:
        current.close()
    PipesContext._instance = None


@pytest.fixture
def python39() -> Path:
    """A Python 3.9 interpreter; the test is skipped (with the places looked at) when none runs."""
    found = find_python39()
    if found is None:
        pytest.skip(
            "no working Python 3.9: set HEADWATER_PYTHON39, or install one with pyenv "
            "(~/.pyenv/versions/3.9.*) or on PATH as python3.9"
        )
    return found


@pytest.fixture
def dagster_python() -> Path:
    """The reference Dagster 1.13's interpreter; skipped when absent, except in CI."""
    python = reference_dagster_python()
    if not python.exists():
        message = (
            f"the reference Dagster is not installed at {python} "
            f"(set {REF_DAGSTER_ENV_VAR} to the python of a Dagster 1.13 venv)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return python
