"""PipesMessageHandler fed lines directly: what it records, ignores and warns about."""

from __future__ import annotations

import json
import logging

import pytest

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


def _handler(context: _Context | None = None) -> tuple[_Context, PipesMessageHandler]:
    context = _Context() if context is None else context
    return context, PipesMessageHandler(context, PipesTempFileMessageReader())


def _message_line(method: str, params: object, **dumps: object) -> str:
    message = {"__dagster_pipes_version": "0.1", "method": method, "params": params}
    return json.dumps(message, **dumps)  # type: ignore[arg-type]


def test_lines_are_decoded_as_utf8_and_blank_ones_ignored() -> None:
    context, handler = _handler()
    cafe = _message_line("log", {"message": "caf\u00e9", "level": "WARNING"}).encode()
    for line in (
        b"",
        b"  \t",
        "   ",
        cafe,
        _message_line("log", {"message": "str line", "level": "WARNING"}),
    ):
        handler.handle_line(line)
    assert [(e.level, e.message) for e in context.events] == [
        (logging.WARNING, "caf\u00e9"),
        (logging.WARNING, "str line"),
    ]
    assert handler.message_count == 2 and handler.malformed_count == 0


def test_a_line_that_is_not_utf8_is_reported_as_malformed() -> None:
    context, handler = _handler()
    handler.handle_line(b'{"x": "\xff"}')
    (event,) = context.events
    assert event.level == logging.WARNING
    message = event.message or ""
    assert message.startswith("[pipes] malformed message ignored: not JSON (")
    assert message.endswith("""'{"x": "\ufffd"}'""")
    assert handler.malformed_count == 1 and handler.message_count == 0


def test_log_lines_in_any_form_are_recorded_in_order_with_their_levels() -> None:
    context, handler = _handler()
    lines = [
        _message_line("log", {"message": "canonical", "level": "DEBUG"}),
        _message_line("log", {"message": "compact", "level": "ERROR"}, separators=(",", ":")),
        _message_line("log", {"level": "CRITICAL", "message": "reordered"}),
        _message_line("log", {"message": "lower case", "level": "warning"}),
        _message_line("log", {"message": "unknown level", "level": "LOUD"}),
        _message_line("log", {"message": 'esc\\aped "\u2603"\n', "level": "INFO"}) + "\r\n",
    ]
    for line in lines:
        handler.handle_line(line.encode())
    assert [(e.level, e.message) for e in context.events] == [
        (logging.DEBUG, "canonical"),
        (logging.ERROR, "compact"),
        (logging.CRITICAL, "reordered"),
        (logging.WARNING, "lower case"),
        (logging.INFO, "unknown level"),
        (logging.INFO, 'esc\\aped "\u2603"\n'),
    ]
    assert handler.message_count == 6 and handler.malformed_count == 0


def test_a_log_line_in_json_dumps_form_is_read_without_decoding_the_rest() -> None:
    # Nearly every line of a process that logs (issue 10): its two strings make it a valid
    # 'log' message, so neither the JSON decoder nor the schemas see it.
    context, handler = _handler()
    seen: list[object] = []
    checked = handler._validator.problem

    def spying(message: object) -> str | None:
        seen.append(message)
        return checked(message)

    handler._validator.problem = spying  # type: ignore[method-assign]
    handler.handle_line(_message_line("log", {"message": "m", "level": "INFO"}).encode())
    handler.handle_line(_message_line("report_custom_message", {"payload": 1}).encode())
    assert [(e.level, e.message) for e in context.events] == [(logging.INFO, "m")]
    assert [m["method"] for m in seen] == ["report_custom_message"]  # type: ignore[index]
    assert handler.message_count == 2


def test_a_log_line_with_a_bad_string_is_reported_as_json_reports_it() -> None:
    context, handler = _handler()
    line = _message_line("log", {"message": "bad \\x", "level": "INFO"}).replace("\\\\x", "\\x")
    with pytest.raises(ValueError) as caught:
        json.loads(line)
    handler.handle_line(line)
    (event,) = context.events
    assert (
        event.message == f"[pipes] malformed message ignored: not JSON ({caught.value}): {line!r}"
    )
    assert handler.malformed_count == 1 and handler.message_count == 0


def test_a_log_message_after_the_last_close_is_counted_and_warned_about() -> None:
    context, handler = _handler()
    handler.handle_line(_message_line("closed", {}))
    handler.handle_line(_message_line("log", {"message": "late", "level": "INFO"}))
    assert [e.message for e in context.events] == [
        "[pipes] message 'log' received after the external process closed the channel; "
        "it is handled anyway",
        "late",
    ]
    assert handler.message_count == 2


def test_a_failure_recording_a_log_line_is_not_taken_for_bad_json() -> None:
    class Failing(RunLog):
        __slots__ = ()

        def log(self, level: int, msg: object, *args: object, **kwargs: object) -> None:
            raise ValueError("the event log is full")

    context = _Context()
    context.log = Failing(context.events.append, run_id="run", job_name="job")
    context, handler = _handler(context)
    for line in (
        _message_line("log", {"message": "m", "level": "INFO"}),
        _message_line("log", {"level": "INFO", "message": "m"}),
    ):
        with pytest.raises(ValueError, match="the event log is full"):
            handler.handle_line(line)
    assert handler.malformed_count == 0
