"""The sensor duty with every kind of sensor: run status sensors over many runs, asset
sensors, dynamic partitions from a ``SensorResult``, automation condition sensors."""

from __future__ import annotations

import json
import time
from pathlib import Path

import headwater as dg
from headwater.automation.condition_sensor import DEFAULT_CONDITION_SENSOR_NAME
from headwater.daemon.code import LoadedAutomation, load_automation
from headwater.daemon.sensors import SensorDuty
from headwater.daemon.store import InstigatorState, read_ticks, write_instigator
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


@dg.job
def alert() -> None:
    noop()


def _loaded(
    *sensors: dg.SensorDefinition, jobs: dict[str, object] | None = None
) -> LoadedAutomation:
    code = LoadedAutomation(CodePointer.for_file(str(Path(__file__))))
    code.sensors = {s.name: s for s in sensors}
    code.jobs = dict(jobs or {"load": load, "alert": alert})
    return code


def test_a_run_failure_sensor_reacts_to_every_failed_run_since_its_cursor() -> None:
    instance = Instance.ephemeral()
    seen: list[str] = []

    @dg.run_failure_sensor(
        monitored_jobs=[load], request_job=alert, default_status=RUNNING, minimum_interval_seconds=1
    )
    def on_failure(context: dg.RunFailureSensorContext) -> dg.RunRequest:
        seen.append(context.dagster_run.run_id)
        return dg.RunRequest(run_key=context.dagster_run.run_id)

    duty = SensorDuty(instance, _loaded(on_failure))
    assert duty.run_once(100.0) == []  # the first tick only places the cursor
    failed = []
    for _ in range(1500):  # far more than one page: none is left behind
        run = instance.create_run(job_name="load")
        instance.report_run_failed(run.run_id, "boom")
        failed.append(run.run_id)
    ok = instance.create_run(job_name="alert")
    instance.report_run_failed(ok.run_id, "not monitored")
    assert duty.run_once(102.0) == []
    assert seen == failed
    alerts = instance.get_runs(job_name="alert")
    assert len([r for r in alerts if r.tags.get("dagster/sensor_name") == "on_failure"]) == 1500
    assert duty.run_once(104.0) == []  # nothing new: no run twice
    assert len(seen) == 1500
    assert read_ticks(instance, "sensor", HERE, "on_failure")[0].status == "SKIPPED"


def test_an_asset_sensor_requests_a_run_per_new_materialization() -> None:
    instance = Instance.ephemeral()

    @dg.asset
    def orders() -> int:
        return 1

    @dg.asset_sensor(asset_key=dg.AssetKey("orders"), job=load, default_status=RUNNING)
    def on_orders(context: dg.SensorEvaluationContext, event: dg.EventLogEntry) -> dg.RunRequest:
        return dg.RunRequest(run_key=context.cursor)

    duty = SensorDuty(instance, _loaded(on_orders))
    assert duty.run_once(100.0) == []
    assert instance.get_runs(job_name="load") == []
    dg.materialize([orders], instance=instance)
    assert duty.run_once(200.0) == []
    assert len(instance.get_runs(job_name="load")) == 1
    assert duty.run_once(300.0) == []  # the cursor moved past it
    assert len(instance.get_runs(job_name="load")) == 1


fruits = dg.DynamicPartitionsDefinition(name="fruits")


@dg.asset(partitions_def=fruits)
def fruit(context: dg.AssetExecutionContext) -> str:
    return context.partition_key


fruit_job = dg.define_asset_job("fruit_job", selection=[fruit], partitions_def=fruits)


def test_a_sensor_result_adds_partitions_before_its_runs_are_queued() -> None:
    instance = Instance.ephemeral()
    instance.add_dynamic_partitions("fruits", ["old"])

    @dg.sensor(job=fruit_job, default_status=RUNNING)
    def new_fruit(context: dg.SensorEvaluationContext) -> dg.SensorResult:
        return dg.SensorResult(
            run_requests=[dg.RunRequest(partition_key="apple")],
            dynamic_partitions_requests=[
                fruits.build_add_request(["apple"]),
                fruits.build_delete_request(["old"]),
            ],
        )

    defs = dg.Definitions(assets=[fruit], jobs=[fruit_job], sensors=[new_fruit])
    code = _loaded(new_fruit, jobs={j.name: j for j in defs.get_all_job_defs()})
    assert SensorDuty(instance, code).run_once(100.0) == []
    assert instance.get_dynamic_partitions("fruits") == ["apple"]
    [run] = instance.get_runs(job_name="fruit_job")
    assert run.tags["dagster/partition"] == "apple"
    assert read_ticks(instance, "sensor", HERE, "new_fruit")[0].status == "SUCCESS"


CONDITIONED = """
import headwater as dg

@dg.asset(automation_condition=dg.AutomationCondition.missing())
def raw() -> int:
    return 1

@dg.asset(deps=[raw], automation_condition=dg.AutomationCondition.eager())
def clean() -> int:
    return 2

@dg.asset
def manual() -> int:
    return 3

defs = dg.Definitions(assets=[raw, clean, manual])
"""


def test_assets_with_conditions_get_the_default_condition_sensor(tmp_path: Path) -> None:
    path = tmp_path / "conditioned.py"
    path.write_text(CONDITIONED)
    code = load_automation(CodePointer.for_file(str(path)))
    sensor = code.sensors[DEFAULT_CONDITION_SENSOR_NAME]
    assert isinstance(sensor, dg.AutomationConditionSensorDefinition)
    assert sensor.default_status == dg.DefaultSensorStatus.STOPPED
    assert sensor.minimum_interval_seconds == 30
    instance = Instance.ephemeral()
    duty = SensorDuty(instance, code)
    assert duty.run_once(time.time()) == []
    assert instance.get_runs() == []  # stopped until started
    running = InstigatorState(status="RUNNING")
    write_instigator(instance, "sensor", code.location, sensor.name, running)
    assert duty.run_once(time.time()) == []
    [run] = instance.get_runs()
    assert run.job_name == "__ASSET_JOB"
    assert json.loads(run.tags["headwater/asset_selection"]) == ["raw"]  # clean waits for raw
    [tick] = read_ticks(instance, "sensor", code.location, sensor.name)
    assert tick.status == "SUCCESS" and tick.cursor is not None


def test_a_multi_asset_sensor_advances_its_cursor_over_new_materializations() -> None:
    instance = Instance.ephemeral()

    @dg.asset
    def orders() -> int:
        return 1

    @dg.asset
    def refunds() -> int:
        return 2

    @dg.multi_asset_sensor(
        monitored_assets=[dg.AssetKey("orders"), dg.AssetKey("refunds")],
        job=load,
        default_status=RUNNING,
    )
    def both(context: dg.MultiAssetSensorEvaluationContext) -> dg.RunRequest | None:
        latest = context.latest_materialization_records_by_key()
        if not all(latest.values()):
            return None
        context.advance_all_cursors()
        return dg.RunRequest()

    duty = SensorDuty(instance, _loaded(both))
    dg.materialize([orders], instance=instance)
    assert duty.run_once(100.0) == []
    assert instance.get_runs(job_name="load") == []  # refunds not there yet
    dg.materialize([refunds], instance=instance)
    assert duty.run_once(200.0) == []
    assert len(instance.get_runs(job_name="load")) == 1
    assert duty.run_once(300.0) == []  # consumed: nothing new
    assert len(instance.get_runs(job_name="load")) == 1
