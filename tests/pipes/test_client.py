"""PipesSubprocessClient with real processes: both Pipes clients, every feature, failures."""

from __future__ import annotations

import json
import logging
import re
import sys
import threading

import pytest

import headwater as dg
from headwater.events import EventType
from headwater.pipes import (
    PipesEnvContextInjector,
    PipesFileContextInjector,
    PipesFileMessageReader,
    PipesStdioMessageReader,
    PipesSubprocessClient,
    PipesTempFileContextInjector,
    PipesTempFileMessageReader,
    open_pipes_session,
)

from .conftest import script


def _logs(instance: dg.Instance, run_id: str) -> list[tuple[int, str]]:
    return [
        (e.level, e.message or "")
        for e in instance.run_events(run_id)
        if e.event_type is EventType.LOG_MESSAGE
    ]


def _of(instance: dg.Instance, run_id: str, kind: EventType) -> list[dict]:
    return [dict(e.data) for e in instance.run_events(run_id) if e.event_type is kind]


def test_dagster_pipes_script_materializes_a_headwater_asset(instance) -> None:
    @dg.asset(check_specs=[dg.AssetCheckSpec("non_empty", asset="orders")])
    def orders(context: dg.AssetExecutionContext, pipes_subprocess_client: PipesSubprocessClient):
        return pipes_subprocess_client.run(
            command=script("dagster_script.py"), context=context, extras={"region": "eu"}
        ).get_materialize_result()

    result = dg.materialize(
        [orders], resources={"pipes_subprocess_client": PipesSubprocessClient()}, instance=instance
    )
    assert result.success
    logs = _logs(instance, result.run_id)
    assert (logging.INFO, "hello from dagster-pipes") in logs
    assert (logging.WARNING, "extras: ['region', 'traceparent']") in logs
    [mat] = _of(instance, result.run_id, EventType.ASSET_MATERIALIZATION)
    assert mat["asset_key"] == "orders"
    assert mat["data_version"] == "dv1"
    assert mat["metadata"] == {
        "rows": {"raw_value": 42, "type": "int"},
        "path": {"raw_value": "/data/orders.csv", "type": "path"},
    }
    [check] = _of(instance, result.run_id, EventType.ASSET_CHECK_EVALUATION)
    assert (check["check_name"], check["passed"], check["asset_key"]) == (
        "non_empty",
        True,
        "orders",
    )


def test_every_headwater_pipes_feature_reaches_a_multi_asset(instance, capfd) -> None:
    specs = [dg.AssetSpec("left", code_version="7"), dg.AssetSpec("right")]
    checks = [dg.AssetCheckSpec("positive", asset=k) for k in ("left", "right")]

    @dg.multi_asset(specs=specs, check_specs=checks)
    def both(context: dg.AssetExecutionContext):
        invocation = PipesSubprocessClient().run(
            command=script("hw_everything.py"), context=context, extras={"n": 3}
        )
        assert invocation.get_custom_messages() == ({"seen": "custom", "n": 1}, [1, 2, 3])
        yield from invocation.get_results()

    result = dg.materialize([both], instance=instance)
    assert result.success
    seen = json.loads(capfd.readouterr().out.strip().splitlines()[-1])
    assert seen["asset_keys"] == ["left", "right"]
    assert seen["code_version_by_asset_key"] == {"left": "7", "right": None}
    assert seen["extras"]["n"] == 3
    assert (seen["run_id"], seen["job_name"], seen["retry_number"]) == (
        result.run_id,
        "__ephemeral_asset_job__",
        0,
    )
    assert re.fullmatch(r"00-[0-9a-f]{32}-[0-9a-f]{16}-01", seen["traceparent"])
    assert seen["traceparent"][3:35] == result.run_id.replace("-", "")
    levels = dict((m, lvl) for lvl, m in _logs(instance, result.run_id))
    assert levels["a debug line"] == logging.DEBUG
    assert levels["an info line"] == logging.INFO
    assert levels["a warning line"] == logging.WARNING
    assert levels["an error line"] == logging.ERROR
    assert levels["a critical line"] == logging.CRITICAL
    mats = {
        m["asset_key"]: m for m in _of(instance, result.run_id, EventType.ASSET_MATERIALIZATION)
    }
    assert set(mats) == {"left", "right"}
    assert mats["left"]["data_version"] == "v-left"
    assert {k: v["type"] for k, v in mats["left"]["metadata"].items()} == {
        "rows": "int",
        "ratio": "float",
        "ok": "bool",
        "note": "md",
        "where": "url",
        "blob": "json",
    }
    checks_seen = _of(instance, result.run_id, EventType.ASSET_CHECK_EVALUATION)
    assert sorted((c["asset_key"], c["passed"], c["severity"]) for c in checks_seen) == [
        ("left", False, "WARN"),
        ("right", False, "WARN"),
    ]


def test_partition_key_reaches_the_process(instance, capfd) -> None:
    @dg.asset(
        partitions_def=dg.StaticPartitionsDefinition(["a", "b"]),
        check_specs=[dg.AssetCheckSpec("positive", asset="parted")],
    )
    def parted(context: dg.AssetExecutionContext):
        return (
            PipesSubprocessClient()
            .run(command=script("hw_everything.py"), context=context)
            .get_materialize_result()
        )

    result = dg.materialize([parted], partition_key="b", instance=instance)
    assert result.success
    assert json.loads(capfd.readouterr().out.strip().splitlines()[-1])["partition_key"] == "b"


@pytest.mark.parametrize(
    ("injector", "reader"),
    [
        (PipesEnvContextInjector(), PipesTempFileMessageReader()),
        (PipesTempFileContextInjector(), PipesStdioMessageReader("stderr")),
        (PipesTempFileContextInjector(), PipesStdioMessageReader("stdout")),
        ("file", "file"),
    ],
    ids=["env+tempfile", "tempfile+stderr", "tempfile+stdout", "file+file"],
)
def test_injectors_and_readers_carry_the_same_report(instance, tmp_path, injector, reader) -> None:
    if injector == "file":
        injector = PipesFileContextInjector(str(tmp_path / "ctx.json"))
        reader = PipesFileMessageReader(str(tmp_path / "messages.jsonl"))
    client = PipesSubprocessClient(context_injector=injector, message_reader=reader)

    @dg.asset(check_specs=[dg.AssetCheckSpec("positive", asset="one")])
    def one(context: dg.AssetExecutionContext):
        return client.run(
            command=script("hw_everything.py"), context=context
        ).get_materialize_result()

    result = dg.materialize([one], instance=instance)
    assert result.success
    [mat] = _of(instance, result.run_id, EventType.ASSET_MATERIALIZATION)
    assert mat["data_version"] == "v-one"
    assert (logging.ERROR, "an error line") in _logs(instance, result.run_id)
    assert not (tmp_path / "ctx.json").exists()


def test_cli_arguments_bootstrap_a_custom_launch(instance) -> None:
    import subprocess

    @dg.asset(check_specs=[dg.AssetCheckSpec("positive", asset="cli")])
    def cli(context: dg.AssetExecutionContext):
        with open_pipes_session(
            context, PipesTempFileContextInjector(), PipesTempFileMessageReader(), {"via": "argv"}
        ) as session:
            argv = [a for kv in session.get_bootstrap_cli_arguments().items() for a in kv]
            subprocess.run([*script("hw_everything.py"), *argv], check=True, capture_output=True)
        return session.get_results()

    result = dg.materialize([cli], instance=instance)
    assert result.success
    assert len(_of(instance, result.run_id, EventType.ASSET_MATERIALIZATION)) == 1


def test_malformed_messages_are_warned_about_and_the_run_goes_on(instance) -> None:
    @dg.asset
    def messy(context: dg.AssetExecutionContext):
        return (
            PipesSubprocessClient()
            .run(command=script("malformed.py"), context=context)
            .get_materialize_result()
        )

    result = dg.materialize([messy], instance=instance)
    assert result.success
    logs = _logs(instance, result.run_id)
    warnings = [m for lvl, m in logs if lvl == logging.WARNING and "malformed" in m]
    assert warnings[0].startswith("[pipes] malformed message ignored: not JSON")
    assert "'this is not json'" in warnings[0]
    assert warnings[1] == "[pipes] malformed message ignored: 'log' params.message must be string"
    assert warnings[2].startswith("[pipes] malformed message ignored: unknown method 'teleport'")
    assert [m for _, m in logs if m in ("before", "after")] == ["before", "after"]
    assert len(_of(instance, result.run_id, EventType.ASSET_MATERIALIZATION)) == 1


def test_non_zero_exit_fails_the_step_with_command_and_stderr_tail(instance) -> None:
    @dg.asset
    def broken(context: dg.AssetExecutionContext):
        return PipesSubprocessClient().run(command=script("fails.py"), context=context)

    result = dg.materialize([broken], instance=instance, raise_on_error=False)
    assert not result.success
    assert _pipes_error(instance, result.run_id) == (
        "External execution process failed with code 3: "
        f"'{' '.join(script('fails.py'))}'; last lines of "
        "its stderr:\n  first stderr line\n  boom: the warehouse is unreachable"
    )
    assert (logging.INFO, "about to fail") in _logs(instance, result.run_id)


def test_the_calling_thread_reads_the_last_stream_itself(instance, monkeypatch) -> None:
    # A thread started per step costs a scheduling round trip on a busy host (issue 10): with
    # only stderr piped, the client starts none for it, and its tail still reaches the error.
    started: list[str] = []
    start = threading.Thread.start

    def record(thread: threading.Thread) -> None:
        started.append(thread.name)
        start(thread)

    monkeypatch.setattr(threading.Thread, "start", record)

    @dg.asset
    def broken(context: dg.AssetExecutionContext):
        return PipesSubprocessClient().run(command=script("fails.py"), context=context)

    result = dg.materialize([broken], instance=instance, raise_on_error=False)
    assert [name for name in started if name.startswith("pipes-")] == []
    assert _pipes_error(instance, result.run_id).endswith(
        "its stderr:\n  first stderr line\n  boom: the warehouse is unreachable"
    )


def test_the_failure_is_told_after_the_reader_has_drained(instance, monkeypatch) -> None:
    # A reader that looks rarely has not yet read the process's "opened" message when the
    # process exits; the failure must still not say the channel was never opened.
    monkeypatch.setattr("headwater.pipes.readers._POLL_S", 2.0)

    @dg.asset
    def broken(context: dg.AssetExecutionContext):
        return PipesSubprocessClient().run(command=script("fails.py"), context=context)

    result = dg.materialize([broken], instance=instance, raise_on_error=False)
    error = _pipes_error(instance, result.run_id)
    assert error.startswith("External execution process failed with code 3: ")
    assert "without ever opening the Pipes channel" not in error


def test_a_process_that_never_opens_the_channel_is_reported(instance) -> None:
    @dg.asset
    def quiet(context: dg.AssetExecutionContext):
        return (
            PipesSubprocessClient()
            .run(command=script("silent.py"), context=context)
            .get_materialize_result()
        )

    result = dg.materialize([quiet], instance=instance)
    assert result.success  # as in Dagster: a warning, and an implicit materialization
    [warning] = [m for lvl, m in _logs(instance, result.run_id) if lvl == logging.WARNING]
    assert warning.startswith("[pipes] the external process never opened the Pipes channel")
    assert "PipesTempFileMessageReader: messages were expected in a temporary file" in warning


def test_a_silent_failure_says_the_channel_was_never_opened(instance) -> None:
    @dg.op
    def run_false(context: dg.OpExecutionContext) -> None:
        PipesSubprocessClient().run(
            command=[sys.executable, "-c", "raise SystemExit(2)"], context=context
        )

    @dg.job
    def job() -> None:
        run_false()

    result = job.execute_in_process(instance=instance, raise_on_error=False)
    assert "failed with code 2: " in _pipes_error(instance, result.run_id)
    assert "without ever opening the Pipes channel" in _pipes_error(instance, result.run_id)


def _pipes_error(instance: dg.Instance, run_id: str) -> str:
    [failure] = [e for e in instance.run_events(run_id) if e.is_step_failure]
    error = failure.error
    # stored under the reference's name of the class
    while error is not None and error.cls_name != "DagsterPipesExecutionError":
        error = error.cause
    assert error is not None, failure.error
    return error.message


def test_a_missing_program_fails_with_its_name(instance) -> None:
    @dg.op
    def nothing(context: dg.OpExecutionContext) -> None:
        PipesSubprocessClient().run(command=["/no/such/program"], context=context)

    @dg.job
    def job() -> None:
        nothing()

    result = job.execute_in_process(instance=instance, raise_on_error=False)
    [failure] = [e for e in instance.run_events(result.run_id) if e.is_step_failure]
    error = failure.error
    while error is not None and error.cls_name != "FileNotFoundError":
        error = error.cause
    assert error is not None, failure.error
    assert "could not start the external process '/no/such/program'" in error.message
    with pytest.raises(FileNotFoundError, match="could not start the external process"):
        job.execute_in_process(instance=instance)


def test_context_data_follows_the_shipped_schema(instance) -> None:
    import fastjsonschema
    from headwater_pipes.schemas import load_schema

    seen = []
    daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")

    @dg.asset(partitions_def=daily)
    def days(context: dg.AssetExecutionContext):
        with open_pipes_session(
            context, PipesEnvContextInjector(), PipesTempFileMessageReader()
        ) as session:
            seen.append(session.context_data)
        return session.get_results()

    result = dg.materialize([days], partition_key="2024-01-02", instance=instance)
    assert result.success
    data = seen[0]
    fastjsonschema.compile(load_schema("context"))(data)
    assert data["partition_key"] == "2024-01-02"
    assert data["partition_key_range"] == {"start": "2024-01-02", "end": "2024-01-02"}
    window = data["partition_time_window"]
    assert window is not None
    assert window["start"].startswith("2024-01-02T00:00:00")
    assert window["end"].startswith("2024-01-03T00:00:00")
