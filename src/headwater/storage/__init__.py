"""The instance and its storage: runs and event logs that outlive the process."""

from __future__ import annotations

from headwater.storage.instance import Instance
from headwater.storage.runs import Run, RunStatus

__all__ = ["Instance", "Run", "RunStatus"]
