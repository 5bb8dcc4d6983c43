"""The scheduler duty: which ticks run, recorded ticks, queued runs, exactly once."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

import headwater as dg
from headwater.daemon.code import LoadedAutomation
from headwater.daemon.schedules import SchedulerDuty, due_ticks
from headwater.daemon.store import read_instigator, read_ticks
from headwater.location.code import CodePointer
from headwater.storage import Instance, RunStatus

UTC = timezone.utc

HERE = Path(__file__).name  # the code location these tests load


def _at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def test_after_downtime_only_the_latest_missed_tick_is_due() -> None:
    due = due_ticks(
        ("0 * * * *",), UTC, _at("2026-01-01T00:30"), _at("2026-01-01T05:10"), catch_up=False
    )
    assert [t.isoformat() for t in due] == ["2026-01-01T05:00:00+00:00"]


def test_catch_up_returns_every_missed_tick_oldest_first() -> None:
    due = due_ticks(
        ("0 * * * *",), UTC, _at("2026-01-01T00:30"), _at("2026-01-01T03:10"), catch_up=True
    )
    assert [t.hour for t in due] == [1, 2, 3]


def test_nothing_is_due_before_the_next_tick() -> None:
    assert (
        due_ticks(
            ("0 * * * *",), UTC, _at("2026-01-01T00:00"), _at("2026-01-01T00:59"), catch_up=False
        )
        == []
    )


@dg.op
def noop() -> None:
    pass


@dg.job
def nightly() -> None:
    noop()


def _loaded(*schedules: dg.ScheduleDefinition) -> LoadedAutomation:
    code = LoadedAutomation(CodePointer.for_file(str(Path(__file__))))
    code.schedules = {s.name: s for s in schedules}
    code.jobs = {"nightly": nightly}
    return code


def _hourly(**kwargs: object) -> dg.ScheduleDefinition:
    return dg.ScheduleDefinition(
        name="hourly",
        job=nightly,
        cron_schedule="0 * * * *",
        default_status=dg.DefaultScheduleStatus.RUNNING,
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_running_schedule_starts_ticking_from_when_it_was_first_seen() -> None:
    instance = Instance.ephemeral()
    duty = SchedulerDuty(instance, _loaded(_hourly()))
    assert duty.run_once(_at("2026-01-01T00:30")) == []
    assert instance.get_runs() == []  # the 00:00 tick is before it was seen
    assert duty.run_once(_at("2026-01-01T01:00:05")) == []
    [run] = instance.get_runs()
    assert run.status is RunStatus.QUEUED
    assert run.tags["dagster/schedule_name"] == "hourly"
    assert run.tags["dagster/scheduled_execution_time"] == "2026-01-01T01:00:00+00:00"
    [tick] = read_ticks(instance, "schedule", HERE, "hourly")
    assert (tick.status, tick.run_ids) == ("SUCCESS", (run.run_id,))
    duty.run_once(_at("2026-01-01T01:30"))  # the same tick again: nothing new
    assert len(instance.get_runs()) == 1


def test_two_daemons_evaluating_one_tick_queue_its_run_once() -> None:
    instance = Instance.ephemeral()
    first, second = (
        SchedulerDuty(instance, _loaded(_hourly())),
        SchedulerDuty(instance, _loaded(_hourly())),
    )
    first.run_once(_at("2026-01-01T00:30"))
    first.run_once(_at("2026-01-01T01:00:05"))
    # A second daemon with stale state (before the first stored its last tick) evaluates it again.
    from dataclasses import replace

    from headwater.daemon.store import write_instigator

    state = read_instigator(instance, "schedule", HERE, "hourly")
    write_instigator(instance, "schedule", HERE, "hourly", replace(state, last_tick=None))
    second.run_once(_at("2026-01-01T01:00:06"))
    assert len(instance.get_runs()) == 1


def test_a_stopped_schedule_does_not_tick_and_default_stopped_waits_for_start() -> None:
    instance = Instance.ephemeral()
    quiet = dg.ScheduleDefinition(name="quiet", job=nightly, cron_schedule="* * * * *")
    duty = SchedulerDuty(instance, _loaded(quiet))
    for minute in range(5):
        duty.run_once(_at(f"2026-01-01T00:0{minute}:30"))
    assert instance.get_runs() == []


def test_a_changed_cron_string_never_replays_old_ticks() -> None:
    instance = Instance.ephemeral()
    SchedulerDuty(instance, _loaded(_hourly())).run_once(_at("2026-01-01T00:30"))
    every_minute = dg.ScheduleDefinition(
        name="hourly",
        job=nightly,
        cron_schedule="* * * * *",
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
    duty = SchedulerDuty(instance, _loaded(every_minute))
    duty.run_once(_at("2026-01-01T03:00:30"))  # cron changed: ticks restart from now
    assert instance.get_runs() == []
    duty.run_once(_at("2026-01-01T03:01:30"))
    [run] = instance.get_runs()
    assert run.tags["dagster/scheduled_execution_time"] == "2026-01-01T03:01:00+00:00"


def test_skips_and_failures_are_recorded_as_ticks() -> None:
    instance = Instance.ephemeral()

    @dg.schedule(
        job=nightly, cron_schedule="0 * * * *", default_status=dg.DefaultScheduleStatus.RUNNING
    )
    def picky(context: dg.ScheduleEvaluationContext) -> dg.SkipReason:
        return dg.SkipReason("not today")

    @dg.schedule(
        job=nightly, cron_schedule="0 * * * *", default_status=dg.DefaultScheduleStatus.RUNNING
    )
    def broken(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        raise RuntimeError("the warehouse is down")

    duty = SchedulerDuty(instance, _loaded(picky, broken))
    duty.run_once(_at("2026-01-01T00:30"))
    duty.run_once(_at("2026-01-01T01:00:01"))
    [skip] = read_ticks(instance, "schedule", HERE, "picky")
    assert (skip.status, skip.skip_reason) == ("SKIPPED", "not today")
    [fail] = read_ticks(instance, "schedule", HERE, "broken")
    assert fail.status == "FAILURE"
    assert fail.error is not None and "the warehouse is down" in fail.error


@pytest.mark.parametrize("tz", ["Europe/Paris", "America/New_York"])
def test_ticks_follow_the_schedule_timezone(tz: str) -> None:
    instance = Instance.ephemeral()
    daily = dg.ScheduleDefinition(
        name="daily",
        job=nightly,
        cron_schedule="0 2 * * *",
        execution_timezone=tz,
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
    duty = SchedulerDuty(instance, _loaded(daily))
    duty.run_once(_at("2026-03-01T00:00"))
    duty.run_once(_at("2026-03-03T12:00"))
    [run] = instance.get_runs()
    assert run.tags["dagster/scheduled_execution_time"].startswith("2026-03-03T02:00:00")
