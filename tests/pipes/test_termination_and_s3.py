"""Interrupting a step interrupts its process; messages read from a real S3 server (moto)."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.processes import free_port

import headwater as dg
from headwater.events import EventType
from headwater.pipes import PipesS3MessageReader, PipesSubprocessClient

from .conftest import script


def _interrupt_when(path: Path, stop: threading.Event) -> None:
    # Wait (bounded) for the child to be inside its try block, then interrupt this
    # process as Ctrl-C would (only this process: the child must learn it from the client).
    for _ in range(400):
        if path.exists():
            os.kill(os.getpid(), signal.SIGINT)  # a real signal: it interrupts waitpid
            return
        if stop.wait(0.025):
            return


def test_an_interrupted_step_interrupts_its_process(instance, tmp_path: Path) -> None:
    marker = tmp_path / "interrupted"
    stop = threading.Event()
    watcher = threading.Thread(
        target=_interrupt_when, args=(Path(f"{marker}.ready"), stop), daemon=True
    )

    @dg.asset
    def slow(context: dg.AssetExecutionContext):
        watcher.start()
        return (
            PipesSubprocessClient(termination_timeout_seconds=10)
            .run(command=script("sleeper.py", str(marker)), context=context)
            .get_materialize_result()
        )

    try:
        with pytest.raises(KeyboardInterrupt):
            dg.materialize([slow], instance=instance)
    finally:
        stop.set()
    assert marker.read_text() == "interrupted"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:  # pragma: no cover - moto[server] is a dev dependency
        pytest.skip(f"moto's server is not installed: {exc}")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    try:
        server.start()
    except OSError as exc:  # pragma: no cover - e.g. loopback sockets forbidden
        pytest.skip(f"moto's S3 server could not start on 127.0.0.1:{port}: {exc}")
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_client(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    import boto3  # type: ignore[import-untyped]  # no stubs installed

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "S3_ENDPOINT": s3_endpoint,
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="pipes")
    return client


def test_messages_come_back_through_s3_chunks(instance, s3_client) -> None:
    reader = PipesS3MessageReader(bucket="pipes", client=s3_client, interval=0.05)

    @dg.asset
    def via_s3(context: dg.AssetExecutionContext):
        invocation = PipesSubprocessClient(message_reader=reader).run(
            command=script("s3_writer.py"), context=context, env=dict(os.environ)
        )
        assert invocation.get_custom_messages() == ("via s3",)
        return invocation.get_materialize_result()

    result = dg.materialize([via_s3], instance=instance)
    assert result.success
    lines = [
        e.message
        for e in instance.run_events(result.run_id)
        if e.event_type is EventType.LOG_MESSAGE and e.level == logging.INFO
    ]
    assert lines == [f"line {i}" for i in range(250)]
    [mat] = [
        e
        for e in instance.run_events(result.run_id)
        if e.event_type is EventType.ASSET_MATERIALIZATION
    ]
    assert mat.data["metadata"] == {"lines": {"raw_value": 250, "type": "int"}}
    keys = [o["Key"] for o in s3_client.list_objects_v2(Bucket="pipes")["Contents"]]
    assert keys and all(k.startswith(reader.key_prefix + "/") for k in keys)
