"""``context``: config, resources, run facts and ``context.log`` as run events."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvariantViolationError, UnknownResourceError
from headwater.events import EventType


def _run_one(op_def: dg.OpDefinition, **kwargs: Any) -> dg.ExecuteInProcessResult:
    @dg.job(resource_defs=kwargs.pop("resource_defs", None))
    def single() -> None:
        op_def()

    return single.execute_in_process(**kwargs)


def test_context_log_becomes_log_message_events_with_level_and_step() -> None:
    @dg.op
    def chatty(context: dg.OpExecutionContext) -> None:
        context.log.debug("d")
        context.log.info("loaded %d rows from %s", 3, "orders")
        context.log.warning("w", extra={"k": 1})
        context.log.error("e")
        context.log.critical("c")

    instance = dg.Instance.ephemeral()
    result = _run_one(chatty, instance=instance)
    # logged lines are log entries without an event, as in the reference: in
    # instance.all_logs, not in result.all_events
    assert not [e for e in result.all_events if e.event_type is EventType.LOG_MESSAGE]
    logs = [e for e in instance.all_logs(result.run_id) if not e.is_dagster_event]
    assert [(e.user_message, e.level) for e in logs] == [
        ("d", logging.DEBUG),
        ("loaded 3 rows from orders", logging.INFO),
        ("w", logging.WARNING),
        ("e", logging.ERROR),
        ("c", logging.CRITICAL),
    ]
    assert {e.step_key for e in logs} == {"chatty"}
    assert {e.run_id for e in logs} == {result.run_id}
    raw = [e for e in instance.run_events(result.run_id) if e.event_type is EventType.LOG_MESSAGE]
    assert raw[2].data == {"extra": {"k": 1}}


def test_context_log_reaches_python_logging_when_configured(
    caplog: pytest.LogCaptureFixture,
) -> None:
    @dg.op
    def logs(context: dg.OpExecutionContext) -> None:
        context.log.info("to python too")

    with caplog.at_level(logging.INFO, logger="headwater.run"):
        _run_one(logs)
    assert "[single:logs] to python too" in caplog.text


def test_context_exposes_run_facts() -> None:
    seen: dict[str, Any] = {}

    @dg.op
    def inspect_run(context: dg.OpExecutionContext) -> None:
        seen.update(
            run_id=context.run_id,
            job_name=context.job_name,
            step_key=context.step_key,
            op=context.op.name,
            tags=dict(context.run_tags),
            has=context.has_tag("team"),
            get=context.get_tag("team"),
            missing=context.get_tag("nope"),
            retry=context.retry_number,
            partition=context.has_partition_key,
            run=context.dagster_run is context.run,
        )

    result = _run_one(inspect_run, tags={"team": "data"})
    assert seen == {
        "run_id": result.run_id,
        "job_name": "single",
        "step_key": "inspect_run",
        "op": "inspect_run",
        "tags": {"team": "data"},
        "has": True,
        "get": "data",
        "missing": None,
        "retry": 0,
        "partition": False,
        "run": True,
    }


def test_partition_key_without_a_partition_says_to_check_first() -> None:
    @dg.op
    def wants_partition(context: dg.OpExecutionContext) -> str:
        return context.partition_key

    msg = (
        "op 'wants_partition' asked for context.partition_key, but this run has no partition; "
        "check context.has_partition_key first"
    )
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        _run_one(wants_partition)


def test_partitioned_op_job_passes_its_key_and_unpartitioned_one_refuses_a_key() -> None:
    @dg.op
    def wants_partition(context: dg.OpExecutionContext) -> str:
        return context.partition_key

    @dg.job(partitions_def=dg.StaticPartitionsDefinition(["2024-01-01", "2024-01-02"]))
    def partitioned() -> None:
        wants_partition()

    result = partitioned.execute_in_process(partition_key="2024-01-01")
    assert result.output_for_node("wants_partition") == "2024-01-01"
    assert result.run.tags["dagster/partition"] == "2024-01-01"
    msg = (
        "job 'single' has no partitions, but the run asks for partition '2024-01-01'; "
        "drop partition_key"
    )
    with pytest.raises(dg.InvalidInvocationError, match=re.escape(msg)):
        _run_one(wants_partition, partition_key="2024-01-01")


def test_context_resources_hold_only_what_the_op_requires() -> None:
    @dg.op(required_resource_keys={"db"})
    def peek(context: dg.OpExecutionContext) -> Any:
        assert hasattr(context.resources, "db")
        assert not hasattr(context.resources, "other")
        return context.resources.db

    result = _run_one(peek, resource_defs={"db": "conn", "other": "x"})
    assert result.output_for_node("peek") == "conn"


def test_unknown_resource_on_the_context_is_an_unknown_resource_error() -> None:
    @dg.op(required_resource_keys={"db"})
    def typo(context: dg.OpExecutionContext) -> Any:
        return context.resources.dbb

    with pytest.raises(UnknownResourceError) as caught:
        _run_one(typo, resource_defs={"db": "conn"})
    assert "dbb" in str(caught.value) and "db" in str(caught.value)
    assert isinstance(caught.value, dg.DagsterUnknownResourceError)


def test_op_config_is_the_processed_config() -> None:
    @dg.op(config_schema={"n": int, "label": dg.Field(str, default_value="x")})
    def configured(context: dg.OpExecutionContext) -> Any:
        return context.op_config

    result = _run_one(configured, run_config={"ops": {"configured": {"config": {"n": 2}}}})
    assert result.output_for_node("configured") == {"n": 2, "label": "x"}


class Threshold(dg.Config):
    limit: int
    label: str = "rows"


def test_config_parameter_receives_a_config_object() -> None:
    @dg.op
    def check(context: dg.OpExecutionContext, config: Threshold) -> tuple[int, str]:
        return config.limit, config.label

    run_config = {"ops": {"check": {"config": {"limit": 5}}}}
    assert _run_one(check, run_config=run_config).output_for_node("check") == (5, "rows")


def test_config_parameter_errors_are_config_errors() -> None:
    @dg.op
    def check(config: Threshold) -> int:
        return config.limit

    msg = (
        "1 problem(s) in run config for job 'single':\n"
        '  ops.check.config.limit: expected int, got str "many"'
    )
    with pytest.raises(dg.InvalidConfigError, match=re.escape(msg)):
        _run_one(check, run_config={"ops": {"check": {"config": {"limit": "many"}}}})


def test_context_repr_names_the_step_and_run() -> None:
    @dg.op
    def show(context: dg.OpExecutionContext) -> str:
        return repr(context)

    result = _run_one(show)
    assert result.output_for_node("show") == f"<OpExecutionContext 'show' run={result.run_id}>"
