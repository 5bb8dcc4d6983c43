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
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import replace

from headwater._dataclass import dataclass
from headwater.automation import SensorDefinition
from headwater.automation.condition_sensor import AutomationConditionSensorDefinition
from headwater.automation.evaluation import evaluate_sensor
from headwater.daemon.code import LoadedAutomation
from headwater.daemon.conditions import ConditionBackfill, evaluate_condition_tick
from headwater.daemon.requests import submit_requests
from headwater.daemon.schedules import is_running
from headwater.daemon.store import (
    InstigatorState,
    Tick,
    read_instigators,
    record_ticks,
    write_instigators,
)
from headwater.errors import InvalidDefinitionError
from headwater.partitions.dynamic import AddDynamicPartitionsRequest, DynamicPartitionsRequest
from headwater.storage import Instance

__all__ = ["SensorDuty", "apply_partition_requests", "jittered_interval"]


def apply_partition_requests(
    instance: Instance, requests: Sequence[DynamicPartitionsRequest]
) -> None:
    """Add or delete the dynamic partition keys a ``SensorResult`` asked for, in order."""
    for request in requests:
        if isinstance(request, AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions(request.partitions_def_name, request.partition_keys)
        else:
            for key in request.partition_keys:
                instance.delete_dynamic_partition(request.partitions_def_name, key)


def _id_from(seed: str) -> str:
    """Eight lowercase letters (the shape of a backfill id) that ``seed`` determines."""
    import hashlib
    import string

    digest = hashlib.sha256(seed.encode()).digest()
    return "".join(string.ascii_lowercase[b % 26] for b in digest[:8])


def jittered_interval(name: str, interval: float) -> float:
    """``interval`` plus a jitter of up to 10% that is fixed for the sensor ``name``."""
    return interval * (1.0 + (zlib.crc32(name.encode()) % 1000) / 10_000)


@dataclass(slots=True)
class _Outcome:
    """What one evaluation left to store: the sensor's new state, its tick, its problems."""

    state: InstigatorState
    tick: Tick
    failures: list[str]


class SensorDuty:
    """Evaluates every running sensor whose interval has passed.

    Args:
        instance: where cursors, ticks and runs go.
        code: the loaded sensors.
        timeout: how long one evaluation may take, in seconds.
        on_submit: called when an evaluation queued runs (wakes the run queue).
    """

    name = "sensors"
    interval = 1.0

    def __init__(
        self,
        instance: Instance,
        code: LoadedAutomation,
        *,
        timeout: float = 60.0,
        on_submit: Callable[[], None] = lambda: None,
    ) -> None:
        self._instance = instance
        self._code = code
        self._timeout = timeout
        self._on_submit = on_submit
        self._busy: dict[str, threading.Thread] = {}
        # Evaluations that outlived their pass's timeout store their outcome here when done.
        self._late: dict[str, _Outcome] = {}
        self._late_lock = threading.Lock()

    def run_once(self, now: float) -> list[str]:
        """One pass: start the due evaluations, wait for them up to the timeout, then store
        their states and ticks in one write each."""
        sensors = self._code.sensors
        states = read_instigators(self._instance, "sensor", self._code.location, list(sensors))
        outcomes: dict[str, _Outcome] = {}
        with self._late_lock:
            outcomes.update(self._late)
            self._late.clear()
        started: list[tuple[str, threading.Thread, dict[str, _Outcome]]] = []
        for name, sensor in sensors.items():
            busy = self._busy.get(name)
            if busy is not None:
                if busy.is_alive():
                    continue  # still hung from an earlier pass
                del self._busy[name]
            state = states[name]
            if name in outcomes or not is_running(state.status, sensor.default_status):
                continue
            interval = jittered_interval(name, sensor.minimum_interval_seconds)
            if state.last_tick is not None and now - state.last_tick < interval:
                continue
            box: dict[str, _Outcome] = {}
            thread = threading.Thread(
                target=self._evaluate,
                args=(sensor, state, now, box),
                name=f"sensor {name}",
                daemon=True,
            )
            thread.start()
            started.append((name, thread, box))
        errors: list[str] = []
        deadline = time.monotonic() + self._timeout
        for name, thread, box in started:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                self._busy[name] = thread
                message = f"evaluation timed out after {self._timeout:g}s"
                timed_out = Tick(now, "FAILURE", error=message)
                outcomes[name] = _Outcome(
                    replace(states[name], last_tick=now), timed_out, [message]
                )
            elif name in box:
                outcomes[name] = box[name]
        for name, outcome in outcomes.items():
            errors.extend(f"sensor {name!r}: {f}" for f in outcome.failures)
        record_ticks(
            self._instance,
            "sensor",
            self._code.location,
            [(n, o.tick) for n, o in outcomes.items()],
        )
        if outcomes:
            write_instigators(
                self._instance,
                "sensor",
                self._code.location,
                {n: o.state for n, o in outcomes.items()},
            )
        return errors

    def _evaluate(
        self,
        sensor: SensorDefinition,
        state: InstigatorState,
        now: float,
        box: dict[str, _Outcome],
    ) -> None:
        outcome = self._outcome(sensor, state, now)
        box[sensor.name] = outcome
        if sensor.name in self._busy:  # timed out: the next pass stores it
            with self._late_lock:
                self._late[sensor.name] = outcome

    def _outcome(self, sensor: SensorDefinition, state: InstigatorState, now: float) -> _Outcome:
        if isinstance(sensor, AutomationConditionSensorDefinition):
            return self._condition_outcome(sensor, state, now)
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
            return _Outcome(replace(state, last_tick=now), Tick(now, "FAILURE", error=error), [])
        try:
            # Before the runs are queued: a run of a partition added in this tick finds it.
            apply_partition_requests(self._instance, result.dynamic_partitions_requests)
        except Exception as exc:
            error = f"dynamic partitions request failed: {type(exc).__name__}: {exc}"
            return _Outcome(replace(state, last_tick=now), Tick(now, "FAILURE", error=error), [])
        run_ids, problems = submit_requests(
            self._instance,
            self._code,
            result.run_requests,
            result.invalid_requests,
            claim_as=f"sensor:{sensor.name}",
            default_key=None,
        )
        if run_ids:
            self._on_submit()
        return self._finish(state, now, result.cursor, run_ids, problems, result.skip_message)

    def _condition_outcome(
        self, sensor: AutomationConditionSensorDefinition, state: InstigatorState, now: float
    ) -> _Outcome:
        graph = self._code.asset_graph
        try:
            if graph is None:
                raise InvalidDefinitionError(
                    "an automation condition sensor needs the Definitions of its assets"
                )
            tick = evaluate_condition_tick(
                sensor, graph, self._instance, cursor=state.cursor, now=now
            )
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            return _Outcome(replace(state, last_tick=now), Tick(now, "FAILURE", error=error), [])
        run_ids, problems = submit_requests(
            self._instance,
            self._code,
            tick.run_requests,
            (),
            claim_as=f"sensor:{sensor.name}",
            default_key=None,
        )
        if run_ids:
            self._on_submit()
        backfill_ids: tuple[str, ...] = ()
        if tick.backfill is not None:
            try:
                backfill_ids = (self._launch_backfill(sensor, tick.backfill, state),)
            except Exception as exc:
                problems.append(f"backfill not launched: {type(exc).__name__}: {exc}")
        skip = None if tick.requested else "no asset partition requested"
        outcome = self._finish(state, now, tick.cursor, run_ids, problems, skip)
        if backfill_ids and outcome.tick.status != "FAILURE":
            tick_done = replace(outcome.tick, status="SUCCESS", skip_reason=None)
            outcome.tick = tick_done
        outcome.tick = replace(outcome.tick, backfill_ids=backfill_ids)
        return outcome

    def _launch_backfill(
        self,
        sensor: AutomationConditionSensorDefinition,
        planned: ConditionBackfill,
        state: InstigatorState,
    ) -> str:
        """Record the tick's backfill for the backfills duty; returns its id.

        The id is made from the sensor and the state it was evaluated from: a daemon killed
        before storing the new cursor evaluates from that state again and finds the backfill
        recorded, so it records no second one.
        """
        from headwater.assets.job import IMPLICIT_ASSET_JOB_NAME
        from headwater.automation.sensor import SENSOR_NAME_TAG
        from headwater.daemon.backfills import launch_backfill
        from headwater.errors import HeadwaterError
        from headwater.storage.backfills import read_backfill

        seed = f"{self._code.location}/{sensor.name}/{state.last_tick!r}/{state.cursor}"
        backfill_id = _id_from(seed)
        try:
            launch_backfill(
                self._instance,
                code=self._code.code,
                job_name=IMPLICIT_ASSET_JOB_NAME,
                asset_selection=planned.asset_selection,
                final_selection=planned.final_selection,
                units=planned.units,
                tags={**(sensor.run_tags or {}), SENSOR_NAME_TAG: sensor.name},
                backfill_id=backfill_id,
            )
        except HeadwaterError:
            if read_backfill(self._instance, backfill_id) is None:
                raise
        return backfill_id

    def _finish(
        self,
        state: InstigatorState,
        now: float,
        cursor: str | None,
        run_ids: list[str],
        problems: list[str],
        skip_message: str | None,
    ) -> _Outcome:
        new_state = replace(state, cursor=cursor, last_tick=now)
        if problems:
            tick = Tick(now, "FAILURE", tuple(run_ids), error="; ".join(problems), cursor=cursor)
            return _Outcome(new_state, tick, problems)
        if run_ids:
            return _Outcome(new_state, Tick(now, "SUCCESS", tuple(run_ids), cursor=cursor), [])
        reason = skip_message or "no run requested"
        return _Outcome(new_state, Tick(now, "SKIPPED", skip_reason=reason, cursor=cursor), [])
