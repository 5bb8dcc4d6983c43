"""Turning the messages an external process sends into run events and step results.

One ``PipesMessageHandler`` per session. Readers hand it each line (or decoded message) as
it arrives, from a reader thread: nothing is kept but the results the step returns (one per
materialization or check) and the custom messages, so a process that logs a million lines
costs the orchestrator no more memory than one that logs ten.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from headwater_pipes._logline import read_log_line
from headwater_pipes.protocol import (
    METHOD_CLOSED,
    METHOD_LOG,
    METHOD_LOG_EXTERNAL_STREAM,
    METHOD_OPENED,
    METHOD_REPORT_ASSET_CHECK,
    METHOD_REPORT_ASSET_MATERIALIZATION,
    METHOD_REPORT_CUSTOM_MESSAGE,
)

from headwater.asset_key import AssetKey
from headwater.assets.results import (
    AssetCheckResult,
    AssetCheckSeverity,
    DataVersion,
    MaterializeResult,
)
from headwater.errors import HeadwaterError
from headwater.metadata import metadata_from_wire
from headwater.pipes.validation import MessageValidator

if TYPE_CHECKING:
    from headwater.pipes.context_data import PipesStepContext
    from headwater.pipes.readers import PipesMessageReader

__all__ = ["PipesExecutionResult", "PipesMessageHandler"]

PipesExecutionResult = MaterializeResult | AssetCheckResult

_LEVELS: Mapping[str, int] = {
    "DEBUG": logging.DEBUG,
    "INFO": logging.INFO,
    "WARN": logging.WARNING,
    "WARNING": logging.WARNING,
    "ERROR": logging.ERROR,
    "CRITICAL": logging.CRITICAL,
}

_decode = json.JSONDecoder().decode

# Past this many malformed messages, one summary replaces the rest: a process printing
# garbage in a loop must not flood the event log.
_MAX_MALFORMED_REPORTS = 20


def parse_asset_key(text: str) -> AssetKey:
    """An asset key from its Pipes string: parts joined by ``/``, ``\\/`` inside a part."""
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "/":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return AssetKey(parts)


def _format_exception(exc: Mapping[str, Any]) -> str:
    text = f"{exc.get('name') or 'Exception'}: {exc.get('message', '')}\n"
    text += "".join(exc.get("stack") or ())
    cause = exc.get("cause") or exc.get("context")
    if isinstance(cause, Mapping):
        text += "\nThe above was caused by:\n" + _format_exception(cause)
    return text


class PipesMessageHandler:
    """Receives an external process's messages for one step.

    Args:
        context: the step's context; logs and warnings go to ``context.log``.
        message_reader: the reader the messages come from (kept for reference).

    Each message is checked against the protocol's JSON Schemas before it is handled.
    """

    def __init__(self, context: PipesStepContext, message_reader: PipesMessageReader) -> None:
        self._context = context
        self.message_reader = message_reader
        self._validator = MessageValidator.default()
        self._lock = threading.Lock()
        self._results: list[PipesExecutionResult] = []
        self._custom: list[Any] = []
        self.opened_payload: Mapping[str, Any] | None = None
        self._expected_writers = message_reader.expected_writer_count
        self._opened_count = 0
        self._closed_count = 0
        self.malformed_count = 0
        self.message_count = 0

    @property
    def received_opened_message(self) -> bool:
        """Whether a writer has opened the session."""
        return self._opened_count >= 1

    @property
    def received_closed_message(self) -> bool:
        """Whether every expected writer has closed the session."""
        return self._closed_count >= self._expected_writers

    # -- input ----------------------------------------------------------------------------

    def handle_line(self, line: str | bytes) -> None:
        """Decode, validate and handle one line of the message stream.

        Blank lines are ignored; a line that is not a valid message is reported as a
        warning event naming the problem, and the stream goes on.
        """
        try:
            # Decoded here rather than by json.loads, which would sniff the encoding of
            # every line (UTF-8 is the protocol's) and re-check the type on the hot path.
            text = line.decode() if isinstance(line, bytes) else line
            if not text or text.isspace():
                return
            # A log record in json.dumps's form, nearly every line of a process that logs:
            # its two strings are read without decoding or validating the rest, which that
            # form makes a valid 'log' message (see headwater_pipes._logline; issue 10).
            record = read_log_line(text)
            message = _decode(text) if record is None else None
        except ValueError as exc:  # UnicodeDecodeError is one
            shown = line if isinstance(line, str) else line.decode("utf-8", "replace")
            self.report_malformed(f"not JSON ({exc}): {shown.strip()[:200]!r}")
            return
        if record is None:
            self.handle_message(message)
            return
        self._received(METHOD_LOG)
        self._log_record(*record)

    def handle_message(self, message: Any) -> None:
        """Validate and handle one decoded message."""
        problem = self._validator.problem(message)
        if problem is not None:
            self.report_malformed(problem)
            return
        method = message["method"]
        params = message.get("params") or {}
        self._received(method)
        dispatch = _DISPATCH.get(method)
        if dispatch is None:  # the schema admits only known methods; kept as a guard
            self.report_malformed(f"unknown method {method!r}")
            return
        try:
            dispatch(self, params)
        except HeadwaterError as exc:
            # e.g. metadata of a declared type whose raw value does not fit it
            self.report_malformed(f"'{method}' could not be used: {exc}")

    def _received(self, method: str) -> None:
        # Every valid message, however it was read, before it is handled.
        self.message_count += 1
        if self.received_closed_message:
            self._context.log.warning(
                f"[pipes] message '{method}' received after the external process closed "
                "the channel; it is handled anyway"
            )

    def report_malformed(self, problem: str) -> None:
        """Record one malformed message as a warning event (the first few, then a count)."""
        self.malformed_count += 1
        if self.malformed_count <= _MAX_MALFORMED_REPORTS:
            self._context.log.warning(f"[pipes] malformed message ignored: {problem}")
        elif self.malformed_count == _MAX_MALFORMED_REPORTS + 1:
            self._context.log.warning(
                f"[pipes] more than {_MAX_MALFORMED_REPORTS} malformed messages; further ones "
                "are counted, not shown"
            )

    def report_framework_error(self, origin: str, exc: BaseException) -> None:
        """Record a failure of the Pipes machinery itself (a reader that crashed)."""
        self._context.log.error(f"[pipes] {origin} failed: {type(exc).__name__}: {exc}")

    # -- results --------------------------------------------------------------------------

    def get_reported_results(self) -> tuple[PipesExecutionResult, ...]:
        """Materializations and check results reported so far, in order."""
        with self._lock:
            return tuple(self._results)

    def get_custom_messages(self) -> tuple[Any, ...]:
        """Payloads of ``report_custom_message`` so far, in order."""
        with self._lock:
            return tuple(self._custom)

    # -- one method each ------------------------------------------------------------------

    def _opened(self, params: Mapping[str, Any]) -> None:
        self.opened_payload = params
        self._opened_count += 1
        if self._opened_count == 1:  # once, however many writers a composite reader has
            self._context.log.debug("[pipes] the external process opened the Pipes channel")

    def _closed(self, params: Mapping[str, Any]) -> None:
        self._closed_count += 1
        exc = params.get("exception")
        if isinstance(exc, Mapping):
            self._context.log.error(
                "[pipes] the external process closed the channel with an exception:\n"
                + _format_exception(exc)
            )

    def _log(self, params: Mapping[str, Any]) -> None:
        self._log_record(params["message"], params.get("level", "INFO"))

    def _log_record(self, message: str, level: object) -> None:
        # The level's name as sent (nearly always), else any spelling of it; INFO if unknown.
        number = _LEVELS.get(level) if type(level) is str else None
        if number is None:
            number = _LEVELS.get(str(level).upper(), logging.INFO)
        self._context.log.log(number, message)

    def _materialization(self, params: Mapping[str, Any]) -> None:
        version = params.get("data_version")
        result = MaterializeResult(
            asset_key=parse_asset_key(params["asset_key"]),
            metadata=metadata_from_wire(params.get("metadata") or {}),
            data_version=DataVersion(version) if version is not None else None,
        )
        with self._lock:
            self._results.append(result)

    def _check(self, params: Mapping[str, Any]) -> None:
        result = AssetCheckResult(
            passed=params["passed"],
            asset_key=parse_asset_key(params["asset_key"]),
            check_name=params["check_name"],
            metadata=metadata_from_wire(params.get("metadata") or {}),
            severity=AssetCheckSeverity(params.get("severity") or "ERROR"),
        )
        with self._lock:
            self._results.append(result)

    def _custom_message(self, params: Mapping[str, Any]) -> None:
        with self._lock:
            self._custom.append(params.get("payload"))

    def _external_stream(self, params: Mapping[str, Any]) -> None:
        target = sys.stderr if params.get("stream") == "stderr" else sys.stdout
        target.write(str(params.get("text", "")))


_DISPATCH: Mapping[str, Any] = {
    METHOD_OPENED: PipesMessageHandler._opened,
    METHOD_CLOSED: PipesMessageHandler._closed,
    METHOD_LOG: PipesMessageHandler._log,
    METHOD_REPORT_ASSET_MATERIALIZATION: PipesMessageHandler._materialization,
    METHOD_REPORT_ASSET_CHECK: PipesMessageHandler._check,
    METHOD_REPORT_CUSTOM_MESSAGE: PipesMessageHandler._custom_message,
    METHOD_LOG_EXTERNAL_STREAM: PipesMessageHandler._external_stream,
}
