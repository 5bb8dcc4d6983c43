"""``headwater daemon run``: one process running its duties side by side.

Each duty (scheduler, sensors, run queue, run monitor) runs in a thread of its own, one pass
every ``interval`` seconds, and beats its heartbeat into the instance after each pass. Only
the daemon holding the instance's lease acts; a second daemon waits, and takes over within
the lease's time-to-live when the first stops beating.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Sequence
from typing import Protocol

from headwater._dataclass import dataclass
from headwater.daemon.backfills import BackfillDuty
from headwater.daemon.code import LoadedAutomation
from headwater.daemon.duties import CANCEL_GRACE, RunMonitorDuty, RunQueueDuty
from headwater.daemon.launcher import make_launcher
from headwater.daemon.lease import Lease
from headwater.daemon.retention import RetentionDuty
from headwater.daemon.schedules import SchedulerDuty
from headwater.daemon.sensors import SensorDuty
from headwater.daemon.store import Heartbeat, read_heartbeats, write_heartbeat
from headwater.daemon.workspace import EachLocation
from headwater.storage import Instance

__all__ = ["DUTIES", "Daemon", "DutyHealth", "daemon_health"]

DUTIES = ("scheduler", "sensors", "run_queue", "run_monitor", "backfills", "retention")
_log = logging.getLogger("headwater.daemon")
# A duty that passes 20 times a second beats once a second (a pass with errors beats too).
_BEAT_EVERY = 1.0


class Duty(Protocol):
    """One kind of work the daemon does, a pass at a time."""

    name: str
    interval: float

    def run_once(self, now: float) -> list[str]: ...


class Daemon:
    """The daemon: its duties, its lease, its heartbeats.

    Args:
        instance: a persistent instance (run workers open it again).
        code: the loaded schedules and sensors, of one code location or of each location
            of a workspace (``None``: the queue and monitor only).
        daemon_id: this process's id in heartbeats and the lease (default: host, pid, a
            random suffix).
        lease_ttl: how long the lease holds without renewal, in seconds.
        sensor_timeout: how long one sensor evaluation may take, in seconds.
        cancel_grace: how long a run asked to terminate may take to stop by itself before
            its processes are signalled, in seconds.
    """

    def __init__(
        self,
        instance: Instance,
        code: LoadedAutomation | Sequence[LoadedAutomation] | None,
        *,
        daemon_id: str | None = None,
        lease_ttl: float = 6.0,
        sensor_timeout: float = 60.0,
        cancel_grace: float = CANCEL_GRACE,
    ) -> None:
        self.instance = instance
        self.daemon_id = daemon_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lease = Lease(instance, self.daemon_id, ttl=lease_ttl)
        self._wakes: dict[str, threading.Event] = {}
        self.launcher = make_launcher(instance.run_launcher, cancel_grace=cancel_grace)
        queue = RunQueueDuty(instance, self.launcher)
        wake_queue = self._wake_of(queue.name).set
        duties: list[Duty] = []
        locations = [code] if isinstance(code, LoadedAutomation) else list(code or ())
        if len(locations) == 1:
            duties += [
                SchedulerDuty(instance, locations[0], on_submit=wake_queue),
                SensorDuty(instance, locations[0], timeout=sensor_timeout, on_submit=wake_queue),
            ]
        elif locations:  # a workspace: each duty passes over every code location
            duties += [
                EachLocation(
                    SchedulerDuty.name,
                    SchedulerDuty.interval,
                    [SchedulerDuty(instance, c, on_submit=wake_queue) for c in locations],
                ),
                EachLocation(
                    SensorDuty.name,
                    SensorDuty.interval,
                    [
                        SensorDuty(instance, c, timeout=sensor_timeout, on_submit=wake_queue)
                        for c in locations
                    ],
                ),
            ]
        duties += [queue, RunMonitorDuty(instance, cancel_grace=cancel_grace)]
        duties += [BackfillDuty(instance, on_submit=wake_queue), RetentionDuty(instance)]
        self.duties: Sequence[Duty] = duties
        self._holds = threading.Event()

    def _wake_of(self, duty: str) -> threading.Event:
        return self._wakes.setdefault(duty, threading.Event())

    @property
    def is_active(self) -> bool:
        """Whether this daemon holds the lease (and so acts)."""
        return self._holds.is_set()

    def run(self, stop: threading.Event) -> None:
        """Run until ``stop`` is set; the lease is released on the way out."""
        threads = [threading.Thread(target=self._hold_lease, args=(stop,), daemon=True)]
        threads += [
            threading.Thread(target=self._loop, args=(duty, stop), name=duty.name, daemon=True)
            for duty in self.duties
        ]
        for thread in threads:
            thread.start()
        try:
            while not stop.wait(0.5):
                pass
        finally:
            stop.set()
            for wake in self._wakes.values():
                wake.set()
            for thread in threads:
                thread.join(timeout=10)
            if self._holds.is_set():
                now = time.time()
                for duty in self.duties:
                    beat = Heartbeat(duty.name, self.daemon_id, now, stopped=True)
                    write_heartbeat(self.instance, beat)
            self.lease.release()
            self.launcher.close()

    def _hold_lease(self, stop: threading.Event) -> None:
        renew_every = self.lease.ttl / 3
        while not stop.is_set():
            try:
                held = self.lease.try_hold()
            except Exception:
                _log.exception("daemon %s: could not renew the lease", self.daemon_id)
                held = False
            if held and not self._holds.is_set():
                _log.info("daemon %s holds the lease and acts", self.daemon_id)
            (self._holds.set if held else self._holds.clear)()
            stop.wait(renew_every)

    def _loop(self, duty: Duty, stop: threading.Event) -> None:
        last_beat = 0.0
        while not stop.is_set():
            if self._holds.is_set():
                started = time.time()
                due_beat = started - last_beat >= _BEAT_EVERY
                try:
                    errors = duty.run_once(started)
                except Exception as exc:
                    _log.exception("daemon duty %s failed", duty.name)
                    errors = [f"{type(exc).__name__}: {exc}"]
                for error in errors:
                    _log.warning("%s: %s", duty.name, error)
                try:
                    if due_beat or errors:
                        last_beat = time.time()
                        beat = Heartbeat(duty.name, self.daemon_id, last_beat, tuple(errors))
                        write_heartbeat(self.instance, beat)
                except Exception:
                    _log.exception("daemon duty %s could not beat its heartbeat", duty.name)
            # A duty sleeps its interval, or less when another duty wakes it (a sensor that
            # queued a run wakes the run queue, so the run starts at once).
            wake = self._wake_of(duty.name)
            wake.wait(duty.interval)
            wake.clear()


@dataclass(frozen=True, slots=True)
class DutyHealth:
    """One duty's health, as ``headwater daemon health`` prints it.

    Attributes:
        duty: its name.
        healthy: whether its last heartbeat is recent (and not its daemon's last).
        heartbeat: the last heartbeat, or ``None`` when it never beat.
        age: seconds since the last heartbeat.
    """

    duty: str
    healthy: bool
    heartbeat: Heartbeat | None
    age: float | None


def daemon_health(
    instance: Instance, *, now: float | None = None, stale_after: float = 30.0
) -> list[DutyHealth]:
    """Each duty's health: healthy when it beat within ``stale_after`` seconds."""
    now = time.time() if now is None else now
    beats = read_heartbeats(instance, DUTIES)
    health = []
    for duty in DUTIES:
        beat = beats.get(duty)
        age = None if beat is None else max(0.0, now - beat.timestamp)
        fresh = beat is not None and not beat.stopped and age is not None and age <= stale_after
        health.append(DutyHealth(duty, fresh, beat, age))
    return health
