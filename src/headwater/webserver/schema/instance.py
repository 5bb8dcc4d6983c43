"""The instance: the daemon's health (``headwater.daemon.daemon_health``)."""

from __future__ import annotations

from typing import Any

from headwater.webserver.schema.registry import field, sdl

__all__: list[str] = []

sdl("""
type DaemonStatus {
  id: String!
  daemonType: String!
  required: Boolean!
  healthy: Boolean
  "Seconds since the epoch of its last heartbeat."
  lastHeartbeatTime: Float
  lastHeartbeatErrors: [PythonError!]!
}
type DaemonHealth {
  id: String!
  allDaemonStatuses: [DaemonStatus!]!
  daemonStatus(daemonType: String): DaemonStatus!
}
type Instance {
  id: String!
  info: String
  daemonHealth: DaemonHealth!
  hasInfo: Boolean!
}
extend type Query { instance: Instance! }
""")


def _statuses(info: Any) -> list[dict[str, Any]]:
    from headwater.daemon import daemon_health

    out = []
    for duty in daemon_health(info.context.instance):
        beat = duty.heartbeat
        errors: list[dict[str, Any]] = [
            {"message": e, "className": None, "stack": [], "cause": None, "causes": []}
            for e in (beat.errors if beat is not None else ())
        ]
        out.append(
            {
                "id": duty.duty,
                "daemonType": duty.duty,
                "required": True,
                "healthy": duty.healthy,
                "lastHeartbeatTime": beat.timestamp if beat is not None else None,
                "lastHeartbeatErrors": errors,
            }
        )
    return out


@field("Query", "instance")
def _instance(_: Any, info: Any) -> dict[str, Any]:
    return {"id": "Instance", "info": None, "hasInfo": False, "daemonHealth": {"id": "health"}}


@field("DaemonHealth", "allDaemonStatuses")
def _all(_: Any, info: Any) -> list[dict[str, Any]]:
    return _statuses(info)


# The daemon types clients written for Dagster ask for, by the duty that does that work here.
_DAEMON_TYPES = {
    "SCHEDULER": "scheduler",
    "SENSOR": "sensors",
    "QUEUED_RUN_COORDINATOR": "run_queue",
    "MONITORING": "run_monitor",
    "BACKFILL": "backfills",
}


@field("DaemonHealth", "daemonStatus")
def _one(_: Any, info: Any, daemonType: str | None = None) -> dict[str, Any]:
    statuses = _statuses(info)
    wanted = _DAEMON_TYPES.get(daemonType or "", daemonType)
    for status in statuses:
        if status["daemonType"] == wanted:
            return status
    names = ", ".join(s["daemonType"] for s in statuses)
    raise ValueError(
        f"no daemon duty {daemonType!r}; the duties are {names} "
        f"(Dagster's names {', '.join(_DAEMON_TYPES)} are accepted too)"
    )
