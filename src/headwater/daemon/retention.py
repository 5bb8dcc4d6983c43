"""The retention duty: applies ``retention.days`` of headwater.yaml on the daemon's clock.

It is what ``headwater instance vacuum`` does, once an hour (and at the daemon's start).
The duty passes every few seconds so that its heartbeat stays fresh; only one pass an hour
vacuums, and the time of the last vacuum is kept in the instance so that a restart does not
vacuum again at once.
"""

from __future__ import annotations

import json
import logging

from headwater.storage import Instance

__all__ = ["RetentionDuty"]

_log = logging.getLogger("headwater.daemon")
_LAST = "daemon/retention/last"


class RetentionDuty:
    """Deletes verbose events of runs older than the retention period, every ``every`` s.

    Args:
        instance: the instance to vacuum (a no-op without ``retention.days``).
        every: seconds between two vacuums.
    """

    name = "retention"
    interval = 5.0

    def __init__(self, instance: Instance, *, every: float = 3600.0) -> None:
        self._instance = instance
        self._every = every

    def run_once(self, now: float) -> list[str]:
        """Vacuum when ``every`` seconds have passed since the last vacuum."""
        raw = self._instance.kv_get([_LAST]).get(_LAST)
        try:
            last = float(json.loads(raw)["timestamp"]) if raw else None
        except (ValueError, KeyError, TypeError):
            last = None
        if last is not None and now - last < self._every:
            return []
        result = self._instance.vacuum(now=now)
        body = {
            "timestamp": now,
            "runs_considered": result.runs_considered,
            "events_deleted": result.events_deleted,
        }
        self._instance.kv_set({_LAST: json.dumps(body)})
        if result.events_deleted:
            _log.info(
                "retention: deleted %d verbose events of %d old runs",
                result.events_deleted,
                result.runs_considered,
            )
        return []
