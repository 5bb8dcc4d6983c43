"""One acting daemon per instance: a lease held in the instance and renewed each beat.

Two daemons may run against one instance (a redeploy, a standby). Only the lease holder
evaluates schedules and sensors and launches runs; the other keeps beating its own
heartbeat and takes the lease over once it expires, which is ``ttl`` seconds after the
holder's last renewal (a few seconds by default). Claims and renewals are compare-and-set
writes, so two daemons never both believe they hold it.
"""

from __future__ import annotations

import json
import time

from headwater.storage import Instance

__all__ = ["LEASE_KEY", "Lease"]

LEASE_KEY = "daemon/lease"


class Lease:
    """The lease as seen by one daemon.

    Args:
        instance: where the lease is kept.
        owner: this daemon's id.
        ttl: how long a claim or renewal holds, in seconds.
    """

    def __init__(self, instance: Instance, owner: str, *, ttl: float = 6.0) -> None:
        self._instance = instance
        self.owner = owner
        self.ttl = ttl

    def try_hold(self, now: float | None = None) -> bool:
        """Claim or renew the lease; whether this daemon holds it until ``now + ttl``."""
        now = time.time() if now is None else now
        raw = self._instance.kv_get([LEASE_KEY]).get(LEASE_KEY)
        holder, expires = _parse(raw)
        if raw is not None and holder != self.owner and expires > now:
            return False
        claim = json.dumps({"owner": self.owner, "expires": now + self.ttl})
        return self._instance.kv_compare_and_set(LEASE_KEY, raw, claim)

    def release(self) -> None:
        """Give the lease up at once (a daemon stopping cleanly), if this daemon holds it."""
        raw = self._instance.kv_get([LEASE_KEY]).get(LEASE_KEY)
        holder, _ = _parse(raw)
        if raw is not None and holder == self.owner:
            gone = json.dumps({"owner": None, "expires": 0.0})
            self._instance.kv_compare_and_set(LEASE_KEY, raw, gone)


def lease_holder(instance: Instance, now: float | None = None) -> str | None:
    """The daemon holding the lease now, or ``None``."""
    now = time.time() if now is None else now
    holder, expires = _parse(instance.kv_get([LEASE_KEY]).get(LEASE_KEY))
    return holder if holder and expires > now else None


def _parse(raw: str | None) -> tuple[str | None, float]:
    if not raw:
        return None, 0.0
    try:
        body = json.loads(raw)
        return body.get("owner"), float(body.get("expires", 0.0))
    except (ValueError, AttributeError, TypeError):
        return None, 0.0
