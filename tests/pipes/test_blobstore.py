"""A blob-store reader: chunks read in order, log readers started once the process opens."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from headwater_pipes import PipesParams

import headwater as dg
from headwater.pipes import PipesBlobStoreMessageReader, PipesLogReader, PipesSubprocessClient

from .conftest import script


class FolderReader(PipesBlobStoreMessageReader):
    def __init__(self, root: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.root = root

    @contextmanager
    def get_params(self) -> Iterator[PipesParams]:
        yield {"path": str(self.root)}

    def messages_are_readable(self, params: PipesParams) -> bool:
        return Path(params["path"]).is_dir()

    def download_messages_chunk(self, index: int, params: PipesParams) -> str | None:
        chunk = Path(params["path"]) / f"{index}.json"
        return chunk.read_text() if chunk.exists() else None


class RecordingLogReader(PipesLogReader):
    def __init__(self) -> None:
        self.calls: list[str] = []
        self.running = False

    def start(self, params: PipesParams, is_session_closed: threading.Event) -> None:
        self.calls.append(f"start {sorted(params)}")
        self.running = True

    def stop(self) -> None:
        self.calls.append("stop")
        self.running = False

    def is_running(self) -> bool:
        return self.running

    def target_is_readable(self, params: PipesParams) -> bool:
        return True


def test_chunks_are_read_in_order_and_log_readers_run_for_the_session(tmp_path: Path) -> None:
    root = tmp_path / "chunks"
    root.mkdir()
    logs = RecordingLogReader()
    reader = FolderReader(root, interval=0.01, log_readers=[logs])
    # Chunks the process would upload, written before the session: read 1, 2, then stop.
    (root / "1.json").write_text(
        '{"__dagster_pipes_version": "0.1", "method": "opened", "params": {"extras": {}}}\n'
    )
    (root / "2.json").write_text(
        '{"__dagster_pipes_version": "0.1", "method": "report_custom_message", '
        '"params": {"payload": 1}}\n'
        '{"__dagster_pipes_version": "0.1", "method": "closed", "params": {"extras": {}}}\n'
    )

    @dg.asset
    def a(context: dg.AssetExecutionContext) -> Any:
        client = PipesSubprocessClient(message_reader=reader)
        invocation = client.run(command=script("silent.py"), context=context)
        assert invocation.get_custom_messages() == (1,)
        return invocation.get_results()

    assert dg.materialize([a]).success
    assert reader.counter == 3
    assert logs.calls == ["start ['path']", "stop"]
