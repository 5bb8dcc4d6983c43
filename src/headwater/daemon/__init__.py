"""The daemon: schedules and sensors on a clock, a run queue, run workers and monitoring.

``headwater daemon run -f defs.py`` runs it; ``headwater job launch`` submits a run to its
queue; ``headwater daemon health`` reports each duty's heartbeat. See docs/daemon.md.
"""

from __future__ import annotations

from headwater.daemon.code import LoadedAutomation, load_automation
from headwater.daemon.runner import DUTIES, Daemon, DutyHealth, daemon_health
from headwater.daemon.submit import submit_run

__all__ = [
    "DUTIES",
    "Daemon",
    "DutyHealth",
    "LoadedAutomation",
    "daemon_health",
    "load_automation",
    "submit_run",
]
