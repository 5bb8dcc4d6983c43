"""Every message round-trips through every writer and channel, and buffered ones lose nothing."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import threading
import types
from pathlib import Path
from typing import IO, Any, ClassVar

import pytest

from headwater_pipes import (
    PipesBufferedFilesystemMessageWriterChannel,
    PipesBufferedStreamMessageWriterChannel,
    PipesDbfsMessageWriter,
    PipesDefaultMessageWriter,
    PipesError,
    PipesFileMessageWriterChannel,
    PipesS3MessageWriter,
    PipesS3MessageWriterChannel,
    PipesStreamMessageWriterChannel,
    PipesWarning,
    open_pipes,
)
from headwater_pipes.blobstore import PipesBlobStoreMessageWriterChannel
from headwater_pipes.protocol import PIPES_METHODS, PipesMessage, decode_message, make_message
from hwp_helpers import make_context_data, params_loader

SAMPLE_PARAMS: dict[str, dict[str, Any]] = {
    "opened": {"extras": {"cluster": "c1"}},
    "closed": {
        "exception": {
            "message": "E: x\n",
            "stack": ["f"],
            "name": "E",
            "cause": None,
            "context": None,
        }
    },
    "log": {"message": "caf\u00e9 \u2713\nsecond line", "level": "INFO"},
    "report_asset_materialization": {
        "asset_key": "a/b",
        "data_version": None,
        "metadata": {"n": {"raw_value": 1, "type": "__infer__"}},
    },
    "report_asset_check": {
        "asset_key": "a/b",
        "check_name": "c",
        "passed": False,
        "metadata": None,
        "severity": "WARN",
    },
    "report_custom_message": {"payload": [1, {"x": None}]},
    "log_external_stream": {"stream": "stderr", "text": "boom\n", "extras": {}},
}
MESSAGES = [make_message(method, SAMPLE_PARAMS[method]) for method in PIPES_METHODS]


class FakeS3:
    """An in-memory stand-in for boto3's S3 client (put_object only); real S3 is tested in
    headwater's orchestrator suite against moto's server."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], str] = {}
        self.put = threading.Event()

    def put_object(self, *, Body: str, Bucket: str, Key: str) -> None:  # noqa: N803  # boto3 names
        self.objects[(Bucket, Key)] = Body
        self.put.set()


def decode_lines(text: str) -> list[PipesMessage]:
    return [decode_message(line) for line in text.splitlines()]


def test_file_channel_round_trip(tmp_path: Path) -> None:
    channel = PipesFileMessageWriterChannel(str(tmp_path / "m.jsonl"))
    for message in MESSAGES:
        channel.write_message(message)
        # Flushed at each message: the reader sees it before close.
        assert decode_lines((tmp_path / "m.jsonl").read_text())[-1] == message
    channel.close()
    assert decode_lines((tmp_path / "m.jsonl").read_text()) == MESSAGES


def test_stream_channel_round_trip() -> None:
    stream = io.StringIO()
    channel = PipesStreamMessageWriterChannel(stream)
    for message in MESSAGES:
        channel.write_message(message)
    assert decode_lines(stream.getvalue()) == MESSAGES


def test_buffered_stream_channel_writes_on_flush() -> None:
    stream = io.StringIO()
    channel = PipesBufferedStreamMessageWriterChannel(stream)
    for message in MESSAGES:
        channel.write_message(message)
    assert stream.getvalue() == ""
    channel.flush()
    assert decode_lines(stream.getvalue()) == MESSAGES


def chunks_in(folder: Path) -> list[PipesMessage]:
    names = sorted(
        (p for p in folder.iterdir() if not p.name.startswith(".")), key=lambda p: int(p.stem)
    )
    return [m for p in names for m in decode_lines(p.read_text())]


def test_buffered_filesystem_channel_uploads_numbered_chunks_on_close(tmp_path: Path) -> None:
    channel = PipesBufferedFilesystemMessageWriterChannel(str(tmp_path / "out"), interval=3600)
    with channel.buffered_upload_loop():
        for message in MESSAGES[:3]:
            channel.write_message(message)
        assert channel.upload_pending()
        for message in MESSAGES[3:]:
            channel.write_message(message)
    assert sorted(os.listdir(tmp_path / "out")) == ["1.json", "2.json"]
    assert chunks_in(tmp_path / "out") == MESSAGES


def test_blob_channel_uploads_on_interval_from_the_background() -> None:
    client = FakeS3()
    channel = PipesS3MessageWriterChannel(client, "bucket", "run/step", interval=0.01)
    with channel.buffered_upload_loop():
        channel.write_message(MESSAGES[0])
        assert client.put.wait(timeout=5), "no upload while the loop was open"
    assert client.objects == {("bucket", "run/step/1.json"): json.dumps(MESSAGES[0])}


def test_s3_writer_round_trip_through_a_session() -> None:
    client = FakeS3()
    loader = params_loader(make_context_data(), {"bucket": "b", "key_prefix": "p"})
    with open_pipes(
        params_loader=loader, message_writer=PipesS3MessageWriter(client, interval=3600)
    ) as c:
        c.report_asset_materialization(metadata={"rows": 2})
    keys = sorted(client.objects)
    assert keys == [("b", "p/1.json")]
    messages = decode_lines(client.objects[keys[0]])
    assert [m["method"] for m in messages] == ["opened", "report_asset_materialization", "closed"]


def test_s3_channel_without_prefix_writes_at_the_bucket_root() -> None:
    client = FakeS3()
    channel = PipesS3MessageWriterChannel(client, "b", None, interval=3600)
    with channel.buffered_upload_loop():
        channel.write_message(MESSAGES[2])
    assert list(client.objects) == [("b", "1.json")]


def test_failed_final_upload_keeps_messages_and_says_how_many() -> None:
    class Broken(PipesBlobStoreMessageWriterChannel):
        def upload_messages_chunk(self, payload: IO[str], index: int) -> None:
            raise OSError("network down")

    channel = Broken(interval=3600)
    msg = "Broken could not upload the last 2 message(s) as chunk 1: OSError: network down"
    with pytest.raises(PipesError, match=re.escape(msg)), channel.buffered_upload_loop():
        channel.write_message(MESSAGES[0])
        channel.write_message(MESSAGES[1])
    assert channel.flush_messages() == MESSAGES[:2]


def test_dbfs_writer_writes_under_the_mount_root(tmp_path: Path) -> None:
    writer = PipesDbfsMessageWriter(interval=3600)
    writer.mount_root = str(tmp_path)
    loader = params_loader(make_context_data(), {"path": "/tmp/pipes/messages"})
    with open_pipes(params_loader=loader, message_writer=writer) as c:
        c.log.info("on databricks")
    messages = chunks_in(tmp_path / "tmp" / "pipes" / "messages")
    assert [m["method"] for m in messages] == ["opened", "log", "closed"]


def test_dbfs_writer_reports_the_driver_log_root_from_the_active_spark_session(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Conf:
        values: ClassVar[dict[str, str]] = {
            "spark.databricks.clusterUsageTags.clusterLogDeliveryEnabled": "true",
            "spark.databricks.clusterUsageTags.clusterLogDestination": "dbfs:/logs",
            "spark.databricks.clusterUsageTags.clusterId": "0102-abc",
        }

        def get(self, key: str, default: Any = None) -> Any:
            return self.values.get(key, default)

    class Spark:
        conf = Conf()

    active: list[Any] = []

    class SparkSession:
        @staticmethod
        def getActiveSession() -> Any:
            return active[0] if active else None

    pyspark = types.ModuleType("pyspark")
    pyspark_sql = types.ModuleType("pyspark.sql")
    pyspark_sql.SparkSession = SparkSession  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pyspark", pyspark)
    monkeypatch.setitem(sys.modules, "pyspark.sql", pyspark_sql)
    assert PipesDbfsMessageWriter().get_opened_extras() == {}  # no active session
    active.append(Spark())
    assert PipesDbfsMessageWriter().get_opened_payload() == {
        "extras": {"cluster_driver_log_root": "dbfs:/logs/0102-abc/driver"}
    }


def test_dbfs_writer_without_pyspark_has_no_extras(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    assert PipesDbfsMessageWriter().get_opened_extras() == {}


@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_default_writer_stdio(stream: str, capsys: pytest.CaptureFixture[str]) -> None:
    loader = params_loader(make_context_data(), {"stdio": stream})
    with open_pipes(params_loader=loader) as c:
        c.report_custom_message("hi")
    out = getattr(capsys.readouterr(), "out" if stream == "stdout" else "err")
    assert [m["method"] for m in decode_lines(out)] == ["opened", "report_custom_message", "closed"]


def test_default_writer_buffered_stdio(capsys: pytest.CaptureFixture[str]) -> None:
    loader = params_loader(make_context_data(), {"buffered_stdio": "stdout"})
    with open_pipes(params_loader=loader) as c:
        c.report_custom_message("hi")
        assert capsys.readouterr().out == ""
    assert len(decode_lines(capsys.readouterr().out)) == 3


def test_default_writer_rejects_unknown_params() -> None:
    msg = (
        "PipesDefaultMessageWriter expects params with key 'path', 'stdio' or 'buffered_stdio', "
        "got keys ['bucket']; the orchestrator's message reader expects another writer: pass it "
        "as message_writer to open_pipes()"
    )
    with (
        pytest.raises(PipesError, match=re.escape(msg)),
        PipesDefaultMessageWriter().open({"bucket": "b"}),
    ):
        pass
    msg = "PipesDefaultMessageWriter: param 'stdio' must be 'stdout' or 'stderr', got 'stdin'"
    with (
        pytest.raises(PipesError, match=re.escape(msg)),
        PipesDefaultMessageWriter().open({"stdio": "stdin"}),
    ):
        pass


def test_default_writer_warns_that_stdio_capture_is_not_supported(tmp_path: Path) -> None:
    params = {"path": str(tmp_path / "m"), "include_stdio_in_messages": True}
    with (
        pytest.warns(PipesWarning, match="headwater_pipes does not capture them"),
        PipesDefaultMessageWriter().open(params),
    ):
        pass


CRASH_SCRIPT = """
import os, sys
from headwater_pipes import open_pipes, PipesDbfsMessageWriter
writer = PipesDbfsMessageWriter(interval=3600)
writer.mount_root = sys.argv[1]
context = open_pipes(message_writer=writer)
for i in range(500):
    context.log.info(f"line {i}")
context.close()
os._exit(9)  # a hard crash right after close: no interpreter shutdown, no atexit
"""


def test_a_crash_after_close_loses_nothing(tmp_path: Path) -> None:
    from headwater_pipes import encode_env_var

    env = dict(
        os.environ,
        DAGSTER_PIPES_CONTEXT=encode_env_var({"data": make_context_data()}),
        DAGSTER_PIPES_MESSAGES=encode_env_var({"path": "/out"}),
    )
    result = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, str(tmp_path)], env=env, check=False
    )
    assert result.returncode == 9
    messages = chunks_in(tmp_path / "out")
    assert len(messages) == 502
    assert (messages[0]["method"], messages[-1]["method"]) == ("opened", "closed")


def test_exc_thread_reports_its_exception_when_joined(capsys: pytest.CaptureFixture[str]) -> None:
    from headwater_pipes import ExcThread

    def boom() -> None:
        raise ValueError("in the thread")

    thread = ExcThread(target=boom)
    thread.start()
    thread.join()
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert "ValueError: in the thread" in err
    quiet = ExcThread(target=lambda: None)
    quiet.start()
    quiet.join()
    assert capsys.readouterr().err == ""
