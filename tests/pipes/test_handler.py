"""PipesMessageHandler fed lines directly: what it records, ignores and warns about."""

from __future__ import annotations

import json
import logging

from headwater.events import RunEvent
from headwater.execution.context import RunLog
from headwater.pipes.handler import PipesMessageHandler
from headwater.pipes.readers import PipesTempFileMessageReader
from headwater.storage import Instance


class _Context:
    step_key = "step"
    instance: Instance | None = None
    retry_number = 0
    run_id = "run"
    job_name = "job"
    has_partition_key = False
    partition_key = ""

    def __init__(self) -> None:
        self.events: list[RunEvent] = []
        self.log = RunLog(self.events.append, run_id="run", job_name="job", step_key="step")


def _log_line(message: str) -> bytes:
    params = {"message": message, "level": "WARNING"}
    return json.dumps(
        {"__dagster_pipes_version": "0.1", "method": "log", "params": params}
    ).encode()


def test_lines_are_decoded_as_utf8_and_blank_ones_ignored() -> None:
    context = _Context()
    handler = PipesMessageHandler(context, PipesTempFileMessageReader())
    for line in (b"", b"  \t", "   ", _log_line("caf\u00e9"), _log_line("str line").decode()):
        handler.handle_line(line)
    assert [(e.level, e.message) for e in context.events] == [
        (logging.WARNING, "caf\u00e9"),
        (logging.WARNING, "str line"),
    ]
    assert handler.message_count == 2 and handler.malformed_count == 0


def test_a_line_that_is_not_utf8_is_reported_as_malformed() -> None:
    context = _Context()
    handler = PipesMessageHandler(context, PipesTempFileMessageReader())
    handler.handle_line(b'{"x": "\xff"}')
    (event,) = context.events
    assert event.level == logging.WARNING
    message = event.message or ""
    assert message.startswith("[pipes] malformed message ignored: not JSON (")
    assert message.endswith("""'{"x": "\ufffd"}'""")
    assert handler.malformed_count == 1 and handler.message_count == 0
