"""The daemon's state, kept in the instance's key-value table as JSON documents.

Every daemon and every CLI command reading or changing it goes through this module, so the
keys and the document shapes live in one place:

- ``daemon/heartbeat/<duty>``: when a duty last finished a pass, by which daemon, and the
  errors of that pass;
- ``daemon/lease``: which daemon acts, until when (see :mod:`headwater.daemon.lease`);
- ``daemon/instigator/<kind>/<location>/<name>``: a schedule's or sensor's status as set
  from the CLI, its cursor, its last tick and the cron string that tick was computed from;
- ``daemon/ticks/<kind>/<location>/<name>``: its most recent ticks, newest first;
- ``daemon/run_key/<location>/<owner>/<run key>``: the run a keyed run request created
  (claimed in the transaction recording the run, so that a run key makes one run even with
  two daemons); ``owner`` is ``sensor:<name>`` or ``schedule:<name>``;
- ``daemon/run_worker/<run id>``: the process running a launched run (for monitoring);
- ``daemon/run_start/<run id>``: the process that started the run, claimed by the run's
  process before it runs anything (so a run is started by one process, ever), or
  ``requeued:<time>`` when the run monitor put back a run whose launch was lost.

Schedules and sensors are named within their code location (two locations of a workspace
may each have a sensor ``orders``). State stored before that, under
``daemon/instigator/<kind>/<name>``, ``daemon/ticks/<kind>/<name>`` and
``daemon/run_key/<owner>/<run key>``, is still read: a location's state falls back to it
until the location's own is first written, and a run key claimed there is never claimed
again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, field
from typing import Any, Literal

from headwater._dataclass import dataclass
from headwater.storage import Instance

__all__ = [
    "Heartbeat",
    "InstigatorState",
    "Kind",
    "Tick",
    "TickStatus",
    "legacy_run_key_claims",
    "read_heartbeats",
    "read_instigator",
    "read_instigators",
    "read_ticks",
    "record_tick",
    "record_ticks",
    "run_key_claim",
    "write_heartbeat",
    "write_instigator",
    "write_instigators",
]

Kind = Literal["schedule", "sensor"]
TickStatus = Literal["SUCCESS", "SKIPPED", "FAILURE"]
TICKS_KEPT = 50


def _key(*parts: str) -> str:
    return "daemon/" + "/".join(parts)


def _load(raw: str | None) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """One duty's last pass.

    Attributes:
        duty: ``scheduler``, ``sensors``, ``run_queue`` or ``run_monitor``.
        daemon_id: the daemon process that beat it.
        timestamp: when (seconds since the epoch).
        errors: what went wrong in that pass (empty when nothing did).
        stopped: the daemon stopped cleanly after this beat (no one runs the duty now).
    """

    duty: str
    daemon_id: str
    timestamp: float
    errors: tuple[str, ...] = ()
    stopped: bool = False


def write_heartbeat(instance: Instance, beat: Heartbeat) -> None:
    """Store ``beat`` as its duty's latest."""
    body = {
        "daemon_id": beat.daemon_id,
        "timestamp": beat.timestamp,
        "errors": list(beat.errors),
        "stopped": beat.stopped,
    }
    instance.kv_set({_key("heartbeat", beat.duty): json.dumps(body)})


def read_heartbeats(instance: Instance, duties: Sequence[str]) -> dict[str, Heartbeat]:
    """The latest heartbeat of each of ``duties`` that has one."""
    raw = instance.kv_get([_key("heartbeat", d) for d in duties])
    beats: dict[str, Heartbeat] = {}
    for duty in duties:
        body = _load(raw.get(_key("heartbeat", duty)))
        if body:
            beats[duty] = Heartbeat(
                duty,
                str(body.get("daemon_id", "")),
                float(body.get("timestamp", 0.0)),
                tuple(str(e) for e in body.get("errors", ())),
                bool(body.get("stopped", False)),
            )
    return beats


@dataclass(frozen=True, slots=True)
class InstigatorState:
    """What the daemon keeps for one schedule or sensor between its passes.

    Attributes:
        status: ``RUNNING`` or ``STOPPED`` as set by ``headwater schedule|sensor
            start|stop``; ``None``: the definition's ``default_status`` decides.
        cursor: a sensor's cursor.
        last_tick: a schedule's last evaluated tick, or a sensor's last evaluation
            (seconds since the epoch).
        since: when the daemon first saw it running (a schedule's ticks start after).
        cron: the cron strings ``last_tick`` was computed from (a change restarts ticks).
    """

    status: str | None = None
    cursor: str | None = None
    last_tick: float | None = None
    since: float | None = None
    cron: tuple[str, ...] = field(default=())


def read_instigator(instance: Instance, kind: Kind, location: str, name: str) -> InstigatorState:
    """The stored state of one schedule or sensor of ``location`` (empty when never stored)."""
    return read_instigators(instance, kind, location, [name])[name]


def read_instigators(
    instance: Instance, kind: Kind, location: str, names: Sequence[str]
) -> dict[str, InstigatorState]:
    """The stored state of each of ``names`` in ``location``, in one read (state stored by
    name alone, before states were kept per location, when the location has none)."""
    keys = {n: (_key("instigator", kind, location, n), _key("instigator", kind, n)) for n in names}
    raw = instance.kv_get([k for pair in keys.values() for k in pair])
    states = {}
    for name, (own, legacy) in keys.items():
        found = raw.get(own)
        states[name] = _instigator(_load(found if found is not None else raw.get(legacy)))
    return states


def _instigator(body: Mapping[str, Any]) -> InstigatorState:
    return InstigatorState(
        status=body.get("status"),
        cursor=body.get("cursor"),
        last_tick=body.get("last_tick"),
        since=body.get("since"),
        cron=tuple(body.get("cron") or ()),
    )


def write_instigator(
    instance: Instance, kind: Kind, location: str, name: str, state: InstigatorState
) -> None:
    """Store the state of one schedule or sensor of ``location``."""
    write_instigators(instance, kind, location, {name: state})


def write_instigators(
    instance: Instance, kind: Kind, location: str, states: Mapping[str, InstigatorState]
) -> None:
    """Store the states of several schedules or sensors of ``location``, in one write."""
    values = {}
    for name, state in states.items():
        body = asdict(state)
        body["cron"] = list(state.cron)
        values[_key("instigator", kind, location, name)] = json.dumps(body)
    instance.kv_set(values)


@dataclass(frozen=True, slots=True)
class Tick:
    """One evaluation of a schedule or sensor, as the daemon recorded it.

    Attributes:
        timestamp: when it was evaluated.
        status: ``SUCCESS`` (runs requested), ``SKIPPED`` (with ``skip_reason``) or
            ``FAILURE`` (with ``error``).
        run_ids: the runs it submitted.
        scheduled_time: a schedule's tick, as an ISO 8601 time in its timezone.
        skip_reason: why no run was requested.
        error: what failed.
        cursor: a sensor's cursor after the tick.
        backfill_ids: the backfills it launched (an automation condition sensor's).
    """

    timestamp: float
    status: TickStatus
    run_ids: tuple[str, ...] = ()
    scheduled_time: str | None = None
    skip_reason: str | None = None
    error: str | None = None
    cursor: str | None = None
    backfill_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The tick as JSON-able values."""
        body = asdict(self)
        body["run_ids"] = list(self.run_ids)
        body["backfill_ids"] = list(self.backfill_ids)
        if not self.backfill_ids:
            del body["backfill_ids"]  # the common case stays as small as it was
        return body

    @classmethod
    def from_dict(cls, body: Mapping[str, Any]) -> Tick:
        """The tick :meth:`to_dict` wrote."""
        return cls(
            timestamp=float(body.get("timestamp", 0.0)),
            status=body.get("status", "SKIPPED"),
            run_ids=tuple(body.get("run_ids") or ()),
            scheduled_time=body.get("scheduled_time"),
            skip_reason=body.get("skip_reason"),
            error=body.get("error"),
            cursor=body.get("cursor"),
            backfill_ids=tuple(body.get("backfill_ids") or ()),
        )


def record_tick(instance: Instance, kind: Kind, location: str, name: str, tick: Tick) -> None:
    """Add ``tick`` to the front of the instigator's recent ticks (the last 50 are kept)."""
    record_ticks(instance, kind, location, [(name, tick)])


def record_ticks(
    instance: Instance, kind: Kind, location: str, ticks: Sequence[tuple[str, Tick]]
) -> None:
    """Add each ``(name, tick)`` to the front of its instigator's recent ticks, in one read
    and one write. Only the daemon holding the lease writes ticks, so read-modify-write is
    safe. The first write of a location's ticks carries on the list kept by name alone."""
    if not ticks:
        return
    keys = {name: _key("ticks", kind, location, name) for name, _ in ticks}
    legacy = {name: _key("ticks", kind, name) for name, _ in ticks}
    raw = instance.kv_get([*keys.values(), *legacy.values()])
    lists: dict[str, list[Any]] = {}
    for name, key in keys.items():
        lists[key] = _tick_list(raw.get(key) if key in raw else raw.get(legacy[name]))
    for name, tick in ticks:
        key = keys[name]
        lists[key] = [tick.to_dict(), *lists[key]][:TICKS_KEPT]
    instance.kv_set({key: json.dumps(value) for key, value in lists.items()})


def _tick_list(raw: str | None) -> list[Any]:
    try:
        kept = json.loads(raw) if raw else []
    except ValueError:
        return []
    return kept if isinstance(kept, list) else []


def read_ticks(
    instance: Instance, kind: Kind, location: str, name: str, limit: int = TICKS_KEPT
) -> list[Tick]:
    """The instigator's most recent ticks, newest first (those kept by name alone when the
    location has none)."""
    key, legacy = _key("ticks", kind, location, name), _key("ticks", kind, name)
    raw = instance.kv_get([key, legacy])
    kept = _tick_list(raw[key] if key in raw else raw.get(legacy))
    return [Tick.from_dict(t) for t in kept[:limit] if isinstance(t, dict)]


def run_key_claim(location: str, owner: str, run_key: str) -> str:
    """The key-value key under which ``owner``'s (``sensor:<name>``) ``run_key`` in
    ``location`` is claimed, in the same transaction as the run it makes
    (``Instance.add_runs(claims=...)``)."""
    return _key("run_key", location, owner, run_key)


def legacy_run_key_claims(
    instance: Instance, pairs: Iterable[tuple[str, str]]
) -> set[tuple[str, str]]:
    """Which ``(owner, run key)`` pairs were claimed before claims were kept per location.

    Only a schedule or sensor that a daemon ran then can have such claims, and that daemon
    stored its state under its name alone: the claims of the others are not read, so an
    instance that never had the old layout pays one small read per batch.
    """
    pairs = list(pairs)
    owners = {owner for owner, _ in pairs}
    state_keys = {o: _key("instigator", *o.split(":", 1)) for o in owners if ":" in o}
    found = instance.kv_get(list(state_keys.values())) if state_keys else {}
    old = {o for o, k in state_keys.items() if k in found}
    keys = {_key("run_key", owner, key): (owner, key) for owner, key in pairs if owner in old}
    return {keys[k] for k in instance.kv_get(list(keys))} if keys else set()


def write_run_workers(instance: Instance, pids: Mapping[str, int], *, host: str) -> None:
    """Record the process that runs each run (run id → pid), on ``host``."""
    now = time.time()
    instance.kv_set(
        {
            _key("run_worker", run_id): json.dumps({"pid": pid, "host": host, "started": now})
            for run_id, pid in pids.items()
        }
    )


def read_run_workers(instance: Instance, run_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The recorded worker process of each of ``run_ids`` that has one."""
    raw = instance.kv_get([_key("run_worker", r) for r in run_ids])
    found = {r: _load(raw.get(_key("run_worker", r))) for r in run_ids}
    return {r: body for r, body in found.items() if body}


_REQUEUED = "requeued:"


def _run_start_key(run_id: str) -> str:
    return _key("run_start", run_id)


def claim_run_start(instance: Instance, run_id: str, *, pid: int, host: str) -> bool:
    """Claim the start of ``run_id`` for process ``pid``: true for the one process that
    may run it (none claimed it before, or the monitor put it back in the queue since)."""
    key = _run_start_key(run_id)
    body = json.dumps({"pid": pid, "host": host, "started": time.time()})
    while True:
        current = instance.kv_get([key]).get(key)
        if current is not None and not current.startswith(_REQUEUED):
            return False
        if instance.kv_compare_and_set(key, current, body):
            return True


def claim_requeue(instance: Instance, run_id: str) -> bool:
    """Claim a run whose launch was lost for the queue again: true when no process has
    claimed its start (and, from now, none can until it is launched again)."""
    key = _run_start_key(run_id)
    current = instance.kv_get([key]).get(key)
    if current is not None and not current.startswith(_REQUEUED):
        return False
    return instance.kv_compare_and_set(key, current, f"{_REQUEUED}{time.time()}")


def read_run_starts(instance: Instance, run_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The process that claimed the start of each of ``run_ids`` that has one."""
    raw = instance.kv_get([_run_start_key(r) for r in run_ids])
    found = {r: _load(raw.get(_run_start_key(r))) for r in run_ids}
    return {r: body for r, body in found.items() if body}
