"""A log message's line, both ways: json.dumps's text exactly, or the general path.

The writer makes a log line from its two strings and the reader reads them back without
decoding the rest (issue 10); the line must be the one dagster_pipes writes, and a line the
reader does not recognise must be left to the general path, never misread.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from headwater_pipes import PipesFileMessageWriterChannel, open_pipes
from headwater_pipes._logline import encode_log_line, read_log_line
from headwater_pipes.protocol import PipesMessage, make_message
from headwater_pipes.writers import (
    PipesBufferedStreamMessageWriterChannel,
    PipesDefaultMessageWriter,
    PipesStreamMessageWriterChannel,
    line_writer,
)
from hwp_helpers import make_context_data, params_loader

TEXTS = [
    "",
    "message 7",
    'quotes " and \\ backslash',
    "tab\tnew\nline\r\x00\x1f\x7f",
    "caf\u00e9 \u2603 \U0001f600",
    "\ud800 lone surrogate",
    '", "level": "ERROR"}}',
    "%s %(x)d",
]


def dumped(text: Any, level: Any) -> str:
    return json.dumps(make_message("log", {"message": text, "level": level}))


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("level", ["INFO", "Level 5", 'we"ird'])
def test_the_line_is_json_dumps_and_reads_back(text: str, level: str) -> None:
    line = encode_log_line(text, level)
    assert line == dumped(text, level)
    assert read_log_line(line) == (text, level)
    assert read_log_line(line + " \r\n") == (text, level)  # json.loads skips it too


@pytest.mark.parametrize("text", [*TEXTS, "\u00a0 no-break", "\u2028 separator"])
@pytest.mark.parametrize("level", ["DEBUG", "CRITICAL", "Custom"])
def test_lines_json_may_write_otherwise_read_as_json_reads_them(text: str, level: str) -> None:
    # Unescaped non-ASCII (json.dumps(..., ensure_ascii=False)), as another writer may send.
    line = json.dumps(make_message("log", {"message": text, "level": level}), ensure_ascii=False)
    assert read_log_line(line) == (json.loads(line)["params"]["message"], level)


def test_a_level_name_that_is_no_string_is_encoded_as_json_does() -> None:
    # logging.addLevelName accepts any object as a name.
    assert encode_log_line("m", 5) == dumped("m", 5)  # type: ignore[arg-type]
    assert read_log_line(dumped("m", 5)) is None


@pytest.mark.parametrize(
    "line",
    [
        dumped("m", "INFO").replace(": ", ":"),  # other separators
        json.dumps(
            {
                "__dagster_pipes_version": "0.1",
                "method": "log",
                "params": {"level": "INFO", "message": "m"},
            }
        ),
        json.dumps(
            {
                "__dagster_pipes_version": "0.1",
                "method": "log",
                "params": {"message": "m", "level": "INFO", "extra": 1},
            }
        ),
        json.dumps(make_message("log", {"message": 5, "level": "INFO"})),
        dumped("m", "INFO").replace('"0.1"', '"0.2"'),
        dumped("m", "INFO") + "x",
        dumped("m", "INFO")[:-1],
        dumped("m", "INFO") + '", "level": "INFO"}}',  # the middle twice: extra data
        dumped("m", "INFO")[:-8],
        dumped("bad \\x escape", "INFO").replace("\\\\x", "\\x"),
        dumped("raw", "INFO").replace("raw", "r\x01w"),  # strict: a control character
        dumped("m", "INFO").replace('"message": "m"', '"message": "m\\"'),  # unterminated
        # The message's opening quote is also the first of `", "level": "`: the string
        # it opens runs into `level`, and json.loads refuses the line.
        '{"__dagster_pipes_version": "0.1", "method": "log", "params": {"message": '
        '", "level": "INFO"}}',
    ],
)
def test_any_other_line_is_left_to_the_general_path(line: str) -> None:
    assert read_log_line(line) is None


class _Seeing(PipesStreamMessageWriterChannel):
    """A user's channel that inspects every message before writing it."""

    def __init__(self) -> None:
        super().__init__(io.StringIO())
        self.seen: list[PipesMessage] = []

    def write_message(self, message: PipesMessage) -> None:
        self.seen.append(message)
        super().write_message(message)


def test_only_channels_that_just_write_the_line_take_ready_lines(tmp_path: Path) -> None:
    file = PipesFileMessageWriterChannel(str(tmp_path / "m"))
    stream = PipesStreamMessageWriterChannel(io.StringIO())
    buffered = PipesBufferedStreamMessageWriterChannel(io.StringIO())
    for channel in (file, stream, buffered):
        assert line_writer(channel) is not None
    assert line_writer(_Seeing()) is None


def test_a_channel_that_overrides_write_message_sees_log_messages() -> None:
    seeing = _Seeing()

    class Writer(PipesDefaultMessageWriter):
        def open(self, params: Any) -> Any:
            from contextlib import nullcontext

            return nullcontext(seeing)

    context = open_pipes(
        params_loader=params_loader(make_context_data(), {"stdio": "stderr"}),
        message_writer=Writer(),
    )
    context.log.info("hello %d", 1)
    context.close()
    assert make_message("log", {"message": "hello 1", "level": "INFO"}) in seeing.seen


def test_the_file_channel_writes_the_rest_of_a_short_write(tmp_path: Path) -> None:
    class Short:
        def __init__(self) -> None:
            self.data = b""

        def write(self, data: bytes) -> int:
            taken = data[:3]  # the OS took only three bytes
            self.data += taken
            return len(taken)

    channel = PipesFileMessageWriterChannel(str(tmp_path / "m"))
    short = Short()
    channel._file = short  # type: ignore[assignment]
    channel.write_message(make_message("log", {"message": "m", "level": "INFO"}))
    assert short.data.decode() == dumped("m", "INFO") + "\n"
