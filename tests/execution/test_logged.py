"""Events logged with ``context.log_event`` are recorded when they are logged: between the
step's log lines around them, stamped then, written to a persistent instance before the
body goes on, and kept when the body fails afterwards."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidInvocationError
from headwater.events import EventType
from headwater.execution.logged import logged_event
from headwater.storage import Instance


def step_log(instance: Any, run_id: str) -> list[str]:
    """The step's records from its start, in order: an event's type, or ``LOG:<message>``
    for a log line."""
    rows = [
        r.dagster_event.event_type_value if r.dagster_event is not None else f"LOG:{r.user_message}"
        for r in instance.all_logs(run_id)
        if r.step_key is not None
    ]
    return rows[rows.index("STEP_START") :]


def test_logged_events_sit_between_the_log_lines_with_their_time_and_step() -> None:
    @dg.op
    def logs(context: dg.OpExecutionContext) -> int:
        context.log.info("before")
        context.log_event(dg.AssetMaterialization("m"))
        context.log_event(dg.ExpectationResult(True, label="rows"))
        context.log.info("after")
        return 1

    @dg.job
    def job() -> None:
        logs()

    instance = dg.DagsterInstance.ephemeral()
    result = job.execute_in_process(instance=instance)
    assert step_log(instance, result.run_id) == [
        "STEP_START",
        "LOG:before",
        "ASSET_MATERIALIZATION",
        "STEP_EXPECTATION_RESULT",
        "LOG:after",
        "STEP_OUTPUT",
        "HANDLED_OUTPUT",
        "STEP_SUCCESS",
    ]
    records = {
        r.user_message if r.dagster_event is None else r.dagster_event.event_type_value: r
        for r in instance.all_logs(result.run_id)
    }
    logged = records["ASSET_MATERIALIZATION"]
    assert logged.step_key == "logs"
    assert records["before"].timestamp <= logged.timestamp <= records["after"].timestamp
    expectation = records["STEP_EXPECTATION_RESULT"].dagster_event
    assert expectation is not None and expectation.message == "Expectation rows passed"


def test_a_logged_event_is_written_before_the_body_goes_on(tmp_path: Path) -> None:
    seen: list[bool] = []

    @dg.op
    def logs(context: dg.OpExecutionContext) -> int:
        context.log_event(dg.AssetMaterialization("m"))
        # Another connection to the same database: what is written, not what is pending.
        reader = Instance.local_temp(tmp_path)
        seen.append(reader.get_latest_materialization_event(dg.AssetKey("m")) is not None)
        return 1

    @dg.job
    def job() -> None:
        logs()

    job.execute_in_process(instance=Instance.local_temp(tmp_path))
    assert seen == [True]


def test_an_io_manager_s_logged_event_is_recorded_while_it_stores(tmp_path: Path) -> None:
    seen: list[bool] = []

    class Logging(dg.IOManager):
        def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
            context.log.info("before")
            context.log_event(dg.AssetMaterialization("stored"))
            reader = Instance.local_temp(tmp_path)
            seen.append(reader.get_latest_materialization_event(dg.AssetKey("stored")) is not None)
            context.log.info("after")

        def load_input(self, context: dg.InputContext) -> Any:
            return 1

    @dg.op(out=dg.Out(io_manager_key="io"))
    def out() -> int:
        return 1

    @dg.job(resource_defs={"io": Logging()})
    def job() -> None:
        out()

    instance = Instance.local_temp(tmp_path)
    result = job.execute_in_process(instance=instance)
    assert seen == [True]
    assert step_log(instance, result.run_id)[2:6] == [
        "LOG:before",
        "ASSET_MATERIALIZATION",
        "LOG:after",
        "HANDLED_OUTPUT",
    ]


def test_an_event_logged_before_a_failure_is_kept() -> None:
    @dg.op
    def fails(context: dg.OpExecutionContext) -> None:
        context.log_event(dg.AssetMaterialization("kept"))
        raise ValueError("after logging")

    @dg.job
    def job() -> None:
        fails()

    instance = dg.DagsterInstance.ephemeral()
    result = job.execute_in_process(instance=instance, raise_on_error=False)
    assert not result.success
    assert instance.get_latest_materialization_event(dg.AssetKey("kept")) is not None
    assert step_log(instance, result.run_id)[-2:] == ["ASSET_MATERIALIZATION", "STEP_FAILURE"]
    assert [e.asset_key for e in result.get_asset_materialization_events()] == [dg.AssetKey("kept")]


def test_a_logged_check_evaluation_is_recorded_as_the_step_s_own() -> None:
    @dg.asset(check_specs=[dg.AssetCheckSpec("c", asset="checked")])
    def checked(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        context.log_event(
            dg.AssetCheckEvaluation(
                asset_key=dg.AssetKey("checked"),
                check_name="c",
                passed=False,
                metadata={"rows": 3},
                severity=dg.AssetCheckSeverity.WARN,
                description="too few",
            )
        )
        return dg.MaterializeResult(check_results=[dg.AssetCheckResult(passed=True)])

    result = dg.materialize([checked])
    logged, returned = result.get_asset_check_evaluations()
    assert (logged.check_name, logged.passed, logged.severity) == (
        "c",
        False,
        dg.AssetCheckSeverity.WARN,
    )
    assert logged.description == "too few"
    assert logged.metadata == {"rows": dg.MetadataValue.int(3)}
    assert returned.passed
    first = next(e for e in result.all_events if e.event_type is EventType.ASSET_CHECK_EVALUATION)
    assert first.message == "Asset check 'c' on 'checked' did not pass. Description: 'too few'"
    assert first.level == logging.WARNING


def test_log_event_rejects_other_kinds_and_records_nothing() -> None:
    @dg.op
    def wrong(context: dg.OpExecutionContext) -> None:
        context.log_event(dg.Output(1))

    @dg.job
    def job() -> None:
        wrong()

    result = job.execute_in_process(raise_on_error=False)
    failure = result.get_step_failure_events()[0]
    assert "context.log_event takes an AssetMaterialization, an AssetObservation, an " in str(
        failure.step_failure_data.error
    )
    assert not result.get_asset_materialization_events()


def test_logged_event_names_what_it_accepts() -> None:
    msg = (
        "context.log_event takes an AssetMaterialization, an AssetObservation, an "
        "ExpectationResult or an AssetCheckEvaluation, got str; return outputs and check "
        "results instead"
    )
    with pytest.raises(InvalidInvocationError, match=f"^{re.escape(msg)}$"):
        logged_event("m", run_id="r", job_name="j", step_key="s", partition=None)


def test_logged_event_takes_the_run_s_partition_unless_the_event_names_one() -> None:
    plain = logged_event(
        dg.AssetObservation("o"), run_id="r", job_name="j", step_key="s", partition="p"
    )
    named = logged_event(
        dg.AssetMaterialization("m", partition="q"),
        run_id="r",
        job_name="j",
        step_key="s",
        partition="p",
    )
    assert (plain.event_type, plain.data["partition"], plain.step_key) == (
        EventType.ASSET_OBSERVATION,
        "p",
        "s",
    )
    assert (named.event_type, named.data["partition"], named.message) == (
        EventType.ASSET_MATERIALIZATION,
        "q",
        "Materialized value m.",
    )


def test_a_context_built_for_a_test_takes_logged_events() -> None:
    context = dg.build_op_context()
    context.log_event(dg.AssetMaterialization("m"))
    assert [e.event_type for e in context.events] == [EventType.ASSET_MATERIALIZATION]
