"""Shared fixtures: a fresh PipesContext singleton per test and a context-data builder."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater_pipes import PipesContext

# Test helpers (hwp_helpers, replay_session) are imported as top-level modules.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def _fresh_singleton() -> Iterator[None]:
    # open_pipes keeps one context per process; tests each open their own.
    PipesContext._instance = None
    yield
    current = PipesContext._instance
    if isinstance(current, PipesContext) and not current.is_closed:
        current.close()
    PipesContext._instance = None
