"""PipesContext.log: what the orchestrator receives, with and without the record-free path.

The logger sends plain records without building a LogRecord (issue 10); whatever a user
attaches (a handler, a filter) or asks for (exc_info, extra) goes through logging, and
the orchestrator receives the same message either way.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from hwp_helpers import make_context_data, open_file_session, read_messages


def logged(path: Path) -> list[tuple[str, str]]:
    return [
        (m["params"]["message"], m["params"]["level"])
        for m in read_messages(path)
        if m["method"] == "log" and m["params"] is not None
    ]


SENT = [
    ("n=3 %", "INFO"),
    ("user 7", "DEBUG"),
    ("{'k': 1}", "WARNING"),
    ("50%", "ERROR"),
    ("x", "CRITICAL"),
    ("custom", "Level 25"),
]


def send_each_kind(log: logging.Logger) -> None:
    log.setLevel(logging.DEBUG)
    log.info("n=%d %%", 3)
    log.debug("user %(id)s", {"id": 7})
    log.warning({"k": 1})
    log.error("50%")  # no args: not formatted, as logging does
    log.critical("x")
    log.log(25, "custom")


def test_plain_records_reach_the_orchestrator_formatted_as_logging_would(tmp_path: Path) -> None:
    context, path = open_file_session(tmp_path, make_context_data())
    with context:
        send_each_kind(context.log)
    assert logged(path) == SENT


def test_a_users_handler_sees_real_records_and_the_orchestrator_the_same_messages(
    tmp_path: Path,
) -> None:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    context, path = open_file_session(tmp_path, make_context_data())
    with context:
        context.log.addHandler(Keep())
        send_each_kind(context.log)
    assert logged(path) == SENT
    assert [r.getMessage() for r in records] == [m for m, _ in SENT]
    assert {r.funcName for r in records} == {"send_each_kind"}  # the caller, not our logger


def test_filters_levels_and_disabling_are_honoured(tmp_path: Path) -> None:
    context, path = open_file_session(tmp_path, make_context_data())
    with context:
        log = context.log
        log.setLevel(logging.INFO)
        log.debug("below the level: dropped")
        log.addFilter(lambda record: "secret" not in record.getMessage())
        log.info("public")
        log.info("secret")
        log.filters.clear()
        log.disabled = True
        log.warning("disabled: dropped")
        log.disabled = False
        log.info("back")
    assert logged(path) == [("public", "INFO"), ("back", "INFO")]


def test_exc_info_and_a_bad_format_take_loggings_path(tmp_path: Path) -> None:
    context, path = open_file_session(tmp_path, make_context_data())
    with context:
        try:
            raise ValueError("boom")
        except ValueError:
            context.log.exception("failed %s", "here")
        # Our handler does not swallow errors (a log after close raises too).
        with pytest.raises(TypeError, match="format: a real number is required"):
            context.log.error("%d apples", "three")
    assert logged(path) == [("failed here", "ERROR")]


def test_a_level_name_added_at_any_time_is_the_one_sent(tmp_path: Path) -> None:
    context, path = open_file_session(tmp_path, make_context_data())
    try:
        with context:
            context.log.log(13, "before")
            logging.addLevelName(13, "CHATTY")
            context.log.log(13, "after")
    finally:
        del logging._levelToName[13], logging._nameToLevel["CHATTY"]
    assert logged(path) == [("before", "Level 13"), ("after", "CHATTY")]
