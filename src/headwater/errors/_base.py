"""The root of headwater's error tree: ``HeadwaterError``."""

from __future__ import annotations

__all__ = [
    "HeadwaterError",
]


class HeadwaterError(Exception):
    """Base of every error headwater raises on purpose; catch this, not Exception."""

    # The class's name in the reference's API (its alias in `compat.py`). Stored errors
    # (``ErrorInfo.cls_name``) carry it, so a run's recorded errors read as the reference's.
    reference_name = "DagsterError"
