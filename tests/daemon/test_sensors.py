"""The sensor duty: intervals, cursors, run keys once, failures and hangs isolated."""

from __future__ import annotations

import threading
from pathlib import Path

import headwater as dg
from headwater.daemon.code import LoadedAutomation
from headwater.daemon.sensors import SensorDuty, jittered_interval
from headwater.daemon.store import read_instigator, read_ticks
from headwater.location.code import CodePointer
from headwater.storage import Instance

RUNNING = dg.DefaultSensorStatus.RUNNING

HERE = Path(__file__).name  # the code location these tests load


@dg.op
def noop() -> None:
    pass


@dg.job
def load() -> None:
    noop()


def _loaded(*sensors: dg.SensorDefinition) -> LoadedAutomation:
    code = LoadedAutomation(CodePointer.for_file(str(Path(__file__))))
    code.sensors = {s.name: s for s in sensors}
    code.jobs = {"load": load}
    return code


def test_jitter_is_at_most_a_tenth_and_fixed_per_sensor() -> None:
    assert 30 <= jittered_interval("files", 30) <= 33
    assert jittered_interval("files", 30) == jittered_interval("files", 30)


def test_cursor_is_stored_and_run_keys_make_one_run_each() -> None:
    instance = Instance.ephemeral()

    @dg.sensor(job=load, minimum_interval_seconds=10, default_status=RUNNING)
    def files(context: dg.SensorEvaluationContext) -> list[dg.RunRequest]:
        seen = int(context.cursor or 0)
        context.update_cursor(str(seen + 1))
        return [dg.RunRequest(run_key="a.csv"), dg.RunRequest(run_key=f"new{seen}")]

    duty = SensorDuty(instance, _loaded(files))
    assert duty.run_once(100.0) == []
    assert duty.run_once(105.0) == []  # within the interval: not evaluated
    assert duty.run_once(112.0) == []
    assert read_instigator(instance, "sensor", HERE, "files").cursor == "2"
    keys = sorted(r.tags["dagster/run_key"] for r in instance.get_runs())
    assert keys == ["a.csv", "new0", "new1"]  # a.csv asked twice, launched once
    assert [t.status for t in read_ticks(instance, "sensor", HERE, "files")] == [
        "SUCCESS",
        "SUCCESS",
    ]


def test_a_raising_sensor_records_a_failed_tick_and_the_others_still_run() -> None:
    instance = Instance.ephemeral()

    @dg.sensor(job=load, minimum_interval_seconds=1, default_status=RUNNING)
    def broken(context: dg.SensorEvaluationContext) -> dg.RunRequest:
        raise ValueError("bucket unreachable")

    @dg.sensor(job=load, minimum_interval_seconds=1, default_status=RUNNING)
    def fine(context: dg.SensorEvaluationContext) -> dg.RunRequest:
        return dg.RunRequest()

    errors = SensorDuty(instance, _loaded(broken, fine)).run_once(100.0)
    [tick] = read_ticks(instance, "sensor", HERE, "broken")
    assert tick.status == "FAILURE" and tick.error is not None
    assert "bucket unreachable" in tick.error
    assert errors == []  # a user's error is the tick's, not the daemon's
    assert len(instance.get_runs()) == 1


def test_a_hanging_sensor_times_out_without_stalling_the_others() -> None:
    instance = Instance.ephemeral()
    release = threading.Event()

    @dg.sensor(job=load, minimum_interval_seconds=0, default_status=RUNNING)
    def stuck(context: dg.SensorEvaluationContext) -> dg.SkipReason:
        release.wait(30)
        return dg.SkipReason("late")

    @dg.sensor(job=load, minimum_interval_seconds=0, default_status=RUNNING)
    def quick(context: dg.SensorEvaluationContext) -> dg.RunRequest:
        return dg.RunRequest()

    duty = SensorDuty(instance, _loaded(stuck, quick), timeout=0.3)
    errors = duty.run_once(100.0)
    assert errors == ["sensor 'stuck': evaluation timed out after 0.3s"]
    assert duty.run_once(101.0) == []  # still hung: skipped, the other one goes on
    assert len(instance.get_runs()) == 2
    release.set()


def test_a_stopped_sensor_is_not_evaluated() -> None:
    instance = Instance.ephemeral()

    @dg.sensor(job=load, minimum_interval_seconds=0)
    def idle(context: dg.SensorEvaluationContext) -> dg.RunRequest:
        return dg.RunRequest()

    SensorDuty(instance, _loaded(idle)).run_once(100.0)
    assert instance.get_runs() == []
