"""Executor tests: the jobs they run live in ``executor_jobs``, importable by that name in
the step processes too (this folder is put on ``sys.path``, which workers inherit)."""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
