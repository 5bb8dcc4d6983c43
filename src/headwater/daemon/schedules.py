"""The scheduler duty: each running schedule's due tick, evaluated once, its runs queued.

Which tick is due is pure (:func:`due_ticks`). A schedule's ticks start when the daemon
first sees it running; after downtime only the most recent missed tick runs, unless the
schedule is tagged ``headwater/catch_up: "true"`` (then every missed tick, oldest first, up
to 100). A changed cron string restarts the ticks from now: old ticks are never replayed.
Each tick's runs are claimed under a key made of the tick's time, so a tick makes its runs
exactly once even if two daemons or a restart evaluate it twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, tzinfo

from headwater.automation import DefaultScheduleStatus, ScheduleDefinition
from headwater.automation.cron import iter_execution_times
from headwater.automation.evaluation import evaluate_schedule
from headwater.daemon.code import LoadedAutomation
from headwater.daemon.requests import RequestBatch
from headwater.daemon.store import (
    InstigatorState,
    Tick,
    read_instigators,
    record_ticks,
    write_instigators,
)
from headwater.storage import Instance

__all__ = ["CATCH_UP_TAG", "SchedulerDuty", "due_ticks", "is_running"]

CATCH_UP_TAG = "headwater/catch_up"
_CATCH_UP_MAX = 100


def due_ticks(
    cron_strings: tuple[str, ...], tz: tzinfo, after: float, now: float, *, catch_up: bool
) -> list[datetime]:
    """The ticks to evaluate now: those in ``(after, now]``; only the latest unless
    ``catch_up`` (then the oldest 100)."""
    due: list[datetime] = []
    for tick in iter_execution_times(cron_strings, datetime.fromtimestamp(after, tz), tz):
        if tick.timestamp() > now:
            break
        due.append(tick)
        if not catch_up and len(due) > 1:
            due.pop(0)  # keep only the newest; memory stays flat over a long downtime
        if catch_up and len(due) >= _CATCH_UP_MAX:
            break
    return due


def is_running(status: str | None, default: object) -> bool:
    """Whether a schedule or sensor runs: as set from the CLI, else its default status."""
    if status is not None:
        return status == "RUNNING"
    return getattr(default, "value", None) == DefaultScheduleStatus.RUNNING.value


class SchedulerDuty:
    """Evaluates the due ticks of every running schedule."""

    name = "scheduler"
    interval = 1.0

    def __init__(
        self,
        instance: Instance,
        code: LoadedAutomation,
        *,
        on_submit: Callable[[], None] = lambda: None,
    ) -> None:
        self._instance = instance
        self._code = code
        self._on_submit = on_submit  # wakes the run queue: queued runs start at once

    def run_once(self, now: float) -> list[str]:
        """One pass; returns what went wrong (a schedule's failure never stops the others).

        States are read in one query; the due ticks are evaluated, their runs queued in one
        batch, and the states and ticks written in one write each.
        """
        schedules = self._code.schedules
        states = read_instigators(self._instance, "schedule", self._code.location, list(schedules))
        batch = RequestBatch(self._instance, self._code)
        changed: dict[str, InstigatorState] = {}
        pending: list[tuple[str, Callable[[], Tick]]] = []
        errors = []
        for name, schedule in schedules.items():
            try:
                state = self._tick(schedule, states[name], now, batch, pending)
            except Exception as exc:
                errors.append(f"schedule {name!r}: {exc}")
                continue
            if state != states[name]:
                changed[name] = state
        batch.commit()
        ticks = [(name, finish()) for name, finish in pending]
        if any(t.run_ids for _, t in ticks):
            self._on_submit()
        record_ticks(self._instance, "schedule", self._code.location, ticks)
        if changed:
            write_instigators(self._instance, "schedule", self._code.location, changed)
        return errors

    def _tick(
        self,
        schedule: ScheduleDefinition,
        state: InstigatorState,
        now: float,
        batch: RequestBatch,
        pending: list[tuple[str, Callable[[], Tick]]],
    ) -> InstigatorState:
        if not is_running(state.status, schedule.default_status):
            return state
        cron = tuple(schedule.cron_strings)
        if state.since is None or state.cron != cron:
            # First seen running, or its cron changed: ticks start from now.
            return replace(state, since=now, last_tick=None, cron=cron)
        after = state.last_tick if state.last_tick is not None else state.since
        catch_up = str(schedule.tags.get(CATCH_UP_TAG, "")).lower() == "true"
        for tick in due_ticks(cron, schedule.timezone, after, now, catch_up=catch_up):
            pending.append((schedule.name, self._evaluate(schedule, tick, now, batch)))
            state = replace(state, last_tick=tick.timestamp())
        return state

    def _evaluate(
        self, schedule: ScheduleDefinition, tick: datetime, now: float, batch: RequestBatch
    ) -> Callable[[], Tick]:
        """Evaluate one tick and plan its runs; returns how to read its outcome once the
        batch is committed."""
        when = tick.isoformat()
        try:
            result = evaluate_schedule(
                schedule,
                scheduled_execution_time=tick,
                instance=self._instance,
                resource_defs=self._code.resource_defs,
                jobs=self._code.jobs or None,
            )
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            return lambda: Tick(now, "FAILURE", scheduled_time=when, error=error)
        submitted = batch.add(
            result.run_requests,
            result.invalid_requests,
            claim_as=f"schedule:{schedule.name}",
            default_key=when,
            extra_tags={"dagster/scheduled_execution_time": when},
        )
        skip = result.skip_message or "no run requested"

        def outcome() -> Tick:
            run_ids = tuple(submitted.run_ids)
            if submitted.problems:
                return Tick(now, "FAILURE", run_ids, when, error="; ".join(submitted.problems))
            if run_ids:
                return Tick(now, "SUCCESS", run_ids, when)
            return Tick(now, "SKIPPED", (), when, skip_reason=skip)

        return outcome
