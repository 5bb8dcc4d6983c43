"""Shared helpers for the Pipes tests: the scripts folder and an asset runner."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import headwater as dg

SCRIPTS = Path(__file__).parent / "scripts"


def script(name: str, *args: str) -> list[str]:
    """The command running one of the test scripts with this interpreter."""
    return [sys.executable, str(SCRIPTS / name), *args]


@pytest.fixture
def instance() -> dg.Instance:
    return dg.Instance.ephemeral()
