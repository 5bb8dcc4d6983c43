"""The instance and its storage: runs and event logs that outlive the process.

Only the in-memory parts load with this package; the SQL backends (and SQLAlchemy) load when
a persistent instance is opened.
"""

from __future__ import annotations

from headwater.storage.base import EventRecord, Storage
from headwater.storage.instance import Instance, InstanceInfo, VacuumResult, migrate_instance
from headwater.storage.runs import Run, RunStatus

__all__ = [
    "Instance",
    "InstanceInfo",
    "VacuumResult",
    "migrate_instance",
    "Run",
    "RunStatus",
    "EventRecord",
    "Storage",
]
