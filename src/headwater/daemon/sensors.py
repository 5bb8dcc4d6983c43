"""The sensor duty: running sensors evaluated side by side, each in its own thread.

A sensor is evaluated when ``minimum_interval_seconds`` (plus a fixed per-sensor jitter of
up to 10%, so that sensors with one interval do not all fire together) has passed since
its last evaluation. Each evaluation runs in a thread of its own with a timeout: a sensor
that raises records a failed tick, and one that hangs records a timed-out tick and is not
evaluated again until its thread returns; neither stalls the other sensors. The new cursor
is stored after the runs the evaluation requested are queued; their run keys are claimed
first, so an evaluation repeated after a crash queues nothing twice.
"""

from __future__ import annotations

import threading
import zlib
from dataclasses import replace

from headwater.automation import SensorDefinition
from headwater.automation.evaluation import evaluate_sensor
from headwater.daemon.code import LoadedAutomation
from headwater.daemon.requests import submit_requests
from headwater.daemon.schedules import is_running
from headwater.daemon.store import Tick, read_instigator, record_tick, write_instigator
from headwater.storage import Instance

__all__ = ["SensorDuty", "jittered_interval"]


def jittered_interval(name: str, interval: float) -> float:
    """``interval`` plus a jitter of up to 10% that is fixed for the sensor ``name``."""
    return interval * (1.0 + (zlib.crc32(name.encode()) % 1000) / 10_000)


class SensorDuty:
    """Evaluates every running sensor whose interval has passed.

    Args:
        instance: where cursors, ticks and runs go.
        code: the loaded sensors.
        timeout: how long one evaluation may take, in seconds.
    """

    name = "sensors"
    interval = 1.0

    def __init__(self, instance: Instance, code: LoadedAutomation, *, timeout: float = 60.0):
        self._instance = instance
        self._code = code
        self._timeout = timeout
        self._busy: dict[str, threading.Thread] = {}

    def run_once(self, now: float) -> list[str]:
        """One pass: start the due evaluations, wait for them up to the timeout."""
        errors: list[str] = []
        started: list[tuple[SensorDefinition, threading.Thread, list[str]]] = []
        for sensor in self._code.sensors.values():
            busy = self._busy.get(sensor.name)
            if busy is not None:
                if busy.is_alive():
                    continue  # still hung from an earlier pass
                del self._busy[sensor.name]
            state = read_instigator(self._instance, "sensor", sensor.name)
            if not is_running(state.status, sensor.default_status):
                continue
            interval = jittered_interval(sensor.name, sensor.minimum_interval_seconds)
            if state.last_tick is not None and now - state.last_tick < interval:
                continue
            failures: list[str] = []
            thread = threading.Thread(
                target=self._evaluate,
                args=(sensor, now, failures),
                name=f"sensor {sensor.name}",
                daemon=True,
            )
            thread.start()
            started.append((sensor, thread, failures))
        for sensor, thread, failures in started:
            thread.join(self._timeout)
            if thread.is_alive():
                self._busy[sensor.name] = thread
                message = f"evaluation timed out after {self._timeout:g}s"
                record_tick(
                    self._instance, "sensor", sensor.name, Tick(now, "FAILURE", error=message)
                )
                errors.append(f"sensor {sensor.name!r}: {message}")
            errors.extend(f"sensor {sensor.name!r}: {f}" for f in failures)
        return errors

    def _evaluate(self, sensor: SensorDefinition, now: float, failures: list[str]) -> None:
        state = read_instigator(self._instance, "sensor", sensor.name)
        try:
            result = evaluate_sensor(
                sensor,
                cursor=state.cursor,
                instance=self._instance,
                resource_defs=self._code.resource_defs,
                last_completion_time=state.last_tick,
                jobs=self._code.jobs or None,
            )
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            record_tick(self._instance, "sensor", sensor.name, Tick(now, "FAILURE", error=error))
            write_instigator(self._instance, "sensor", sensor.name, replace(state, last_tick=now))
            return
        run_ids, problems = submit_requests(
            self._instance,
            self._code,
            result.run_requests,
            result.invalid_requests,
            claim_as=f"sensor:{sensor.name}",
            default_key=None,
        )
        write_instigator(
            self._instance,
            "sensor",
            sensor.name,
            replace(state, cursor=result.cursor, last_tick=now),
        )
        if problems:
            tick = Tick(
                now, "FAILURE", tuple(run_ids), error="; ".join(problems), cursor=result.cursor
            )
            failures.extend(problems)
        elif run_ids:
            tick = Tick(now, "SUCCESS", tuple(run_ids), cursor=result.cursor)
        else:
            reason = result.skip_message or "no run requested"
            tick = Tick(now, "SKIPPED", skip_reason=reason, cursor=result.cursor)
        record_tick(self._instance, "sensor", sensor.name, tick)
