"""Event messages as Dagster exposes them: None for observations, hook errors and enqueued
runs, while the stored line, the log entry, the console and the CLI keep a text."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

import headwater as dg
from headwater.cli.output import EventPrinter
from headwater.event_log import EventLogEntry
from headwater.events import EventType, RunEvent
from headwater.storage.event_rows import event_body, read_event


def _observation(message: str = "", step_key: str | None = "observes") -> RunEvent:
    return RunEvent(EventType.ASSET_OBSERVATION, "run-1", "j", 1.0, message, step_key)


def test_an_observation_has_no_message_but_a_default_log_line() -> None:
    event = _observation()
    assert event.message is None
    assert event.log_message == "DagsterEventType.ASSET_OBSERVATION for step observes"
    assert _observation(step_key=None).log_message == ""  # run-less: no line, as reported


def test_the_kinds_with_a_message_keep_it() -> None:
    event = RunEvent(EventType.STEP_START, "run-1", "j", 1.0, "Started.", "s")
    assert event.message == event.log_message == "Started."


def test_a_hook_error_keeps_its_line_out_of_its_message() -> None:
    event = RunEvent(EventType.HOOK_ERRORED, "run-1", "j", 1.0, "hook broke", "s")
    assert event.message is None
    assert event.log_message == "hook broke"


def test_the_stored_row_and_the_dict_keep_the_text_and_read_back_equal() -> None:
    event = _observation()
    row = read_event(event_body(event), event.run_id, event.step_key, "ASSET_OBSERVATION", 1.0, 10)
    assert row == event and row.message is None
    assert event.to_dict()["message"] == ""
    assert RunEvent.from_dict(event.to_dict()) == event


def test_the_log_entry_of_an_observation_shows_the_default_line() -> None:
    entry = EventLogEntry.from_event(_observation())
    assert entry.user_message == entry.message
    assert entry.message == "DagsterEventType.ASSET_OBSERVATION for step observes"
    assert entry.get_dagster_event().message is None


def test_planned_events_have_a_message_but_no_log_line() -> None:
    planned = RunEvent(EventType.ASSET_MATERIALIZATION_PLANNED, "r", "j", 1.0, "j intends", None)
    entry = EventLogEntry.from_event(planned)
    assert entry.user_message == ""
    assert entry.message == "j intends"


def test_the_cli_prints_the_line_of_an_observation(capsys: pytest.CaptureFixture[str]) -> None:
    EventPrinter().print_events([_observation()])
    assert "DagsterEventType.ASSET_OBSERVATION for step observes" in capsys.readouterr().out


def test_a_run_on_an_instance_stores_and_returns_the_observation(tmp_path: Path) -> None:
    @dg.op
    def observes(context: dg.OpExecutionContext) -> None:
        context.log_event(dg.AssetObservation("o", description="seen"))

    @dg.job
    def j() -> None:
        observes()

    instance = dg.DagsterInstance.local_temp(str(tmp_path))
    result = j.execute_in_process(instance=instance)
    [event] = [e for e in result.all_events if e.event_type is EventType.ASSET_OBSERVATION]
    assert event.message is None
    [entry] = [
        e
        for e in instance.all_logs(result.run_id)
        if e.dagster_event_type is EventType.ASSET_OBSERVATION
    ]
    assert entry.dagster_event is not None and entry.dagster_event.message is None
    assert entry.user_message == "DagsterEventType.ASSET_OBSERVATION for step observes"


def test_the_console_logs_the_default_line(monkeypatch: pytest.MonkeyPatch) -> None:
    @dg.op
    def observes(context: dg.OpExecutionContext) -> None:
        context.log_event(dg.AssetObservation("o"))

    @dg.job
    def j() -> None:
        observes()

    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)  # where the console logger of a run writes
    j.execute_in_process(run_config={"loggers": {"console": {"config": {"log_level": "DEBUG"}}}})
    line = "observes - ASSET_OBSERVATION - DagsterEventType.ASSET_OBSERVATION for step observes"
    assert line in err.getvalue()
