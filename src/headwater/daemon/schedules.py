"""The scheduler duty: each running schedule's due tick, evaluated once, its runs queued.

Which tick is due is pure (:func:`due_ticks`). A schedule's ticks start when the daemon
first sees it running; after downtime only the most recent missed tick runs, unless the
schedule is tagged ``headwater/catch_up: "true"`` (then every missed tick, oldest first, up
to 100). A changed cron string restarts the ticks from now: old ticks are never replayed.
Each tick's runs are claimed under a key made of the tick's time, so a tick makes its runs
exactly once even if two daemons or a restart evaluate it twice.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, tzinfo

from headwater.automation import DefaultScheduleStatus, ScheduleDefinition
from headwater.automation.cron import iter_execution_times
from headwater.automation.evaluation import evaluate_schedule
from headwater.daemon.code import LoadedAutomation
from headwater.daemon.requests import submit_requests
from headwater.daemon.store import Tick, read_instigator, record_tick, write_instigator
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

    def __init__(self, instance: Instance, code: LoadedAutomation) -> None:
        self._instance = instance
        self._code = code

    def run_once(self, now: float) -> list[str]:
        """One pass; returns what went wrong (a schedule's failure never stops the others)."""
        errors = []
        for schedule in self._code.schedules.values():
            try:
                self._tick(schedule, now)
            except Exception as exc:
                errors.append(f"schedule {schedule.name!r}: {exc}")
        return errors

    def _tick(self, schedule: ScheduleDefinition, now: float) -> None:
        state = read_instigator(self._instance, "schedule", schedule.name)
        if not is_running(state.status, schedule.default_status):
            return
        cron = tuple(schedule.cron_strings)
        if state.since is None or state.cron != cron:
            # First seen running, or its cron changed: ticks start from now.
            fresh = replace(state, since=now, last_tick=None, cron=cron)
            write_instigator(self._instance, "schedule", schedule.name, fresh)
            return
        after = state.last_tick if state.last_tick is not None else state.since
        catch_up = str(schedule.tags.get(CATCH_UP_TAG, "")).lower() == "true"
        ticks = due_ticks(cron, schedule.timezone, after, now, catch_up=catch_up)
        for tick in ticks:
            self._evaluate(schedule, tick, now)
            state = replace(state, last_tick=tick.timestamp())
            write_instigator(self._instance, "schedule", schedule.name, state)

    def _evaluate(self, schedule: ScheduleDefinition, tick: datetime, now: float) -> None:
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
            record_tick(
                self._instance,
                "schedule",
                schedule.name,
                Tick(now, "FAILURE", scheduled_time=when, error=f"{type(exc).__name__}: {exc}"),
            )
            return
        run_ids, problems = submit_requests(
            self._instance,
            self._code,
            result.run_requests,
            result.invalid_requests,
            claim_as=f"schedule:{schedule.name}",
            default_key=when,
            extra_tags={"dagster/scheduled_execution_time": when},
        )
        if problems:
            tick_record = Tick(now, "FAILURE", tuple(run_ids), when, error="; ".join(problems))
        elif run_ids:
            tick_record = Tick(now, "SUCCESS", tuple(run_ids), when)
        else:
            reason = result.skip_message or "no run requested"
            tick_record = Tick(now, "SKIPPED", (), when, skip_reason=reason)
        record_tick(self._instance, "schedule", schedule.name, tick_record)
