"""A log view's reads: counts and pages of one run's events through a filter, by cursor or by
position, alike on every store (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

import logging

from headwater.events import EventType, RunEvent
from headwater.storage import Instance, Run, RunStatus
from headwater.storage.log_view import LogFilter, count_log, read_log_page


def _fill(instance: Instance) -> list[RunEvent]:
    instance.add_runs([Run(run_id="r", job_name="j", status=RunStatus.STARTED)])
    instance.add_runs([Run(run_id="other", job_name="j", status=RunStatus.STARTED)])
    events = []
    for i in range(60):
        step = f"s{i // 20}"
        if i % 20 == 0:
            events.append(RunEvent(EventType.STEP_START, "r", "j", float(i), f"start {step}", step))
        elif i % 10 == 5:
            message = f'row {i} had a "bad" value: 100% é'
            events.append(
                RunEvent(EventType.LOG_MESSAGE, "r", "j", float(i), message, step, logging.ERROR)
            )
        else:
            message = f"row_{i} loaded"
            events.append(
                RunEvent(EventType.LOG_MESSAGE, "r", "j", float(i), message, step, logging.INFO)
            )
    run_level = RunEvent(EventType.RUN_START, "r", "j", 60.0, "run started", None, logging.DEBUG)
    events.append(run_level)
    instance.store_events(events[:30])
    # Another run's events between: cursors are storage ids, not positions.
    instance.store_events([RunEvent(EventType.ENGINE_EVENT, "other", "j", 0.0, "row 5 other")])
    instance.store_events(events[30:])
    return events


def _messages(records: list) -> list[str]:
    return [r.event.message for r in records]


def test_counts_and_filters_match_on_every_store(any_instance: Instance) -> None:
    events = _fill(any_instance)
    storage = any_instance.storage
    assert count_log(storage, "r") == len(events) == 61
    assert count_log(storage, "r", LogFilter(levels=("ERROR",))) == 6
    assert count_log(storage, "r", LogFilter(levels=("ERROR", "DEBUG"))) == 6 + 3 + 1
    assert count_log(storage, "r", LogFilter(step_keys=("s1",))) == 20
    assert count_log(storage, "r", LogFilter(step_keys=("",))) == 1  # the run-level event
    assert count_log(storage, "r", LogFilter(event_types=("STEP_START",))) == 3
    # Text ignores case and finds quotes, percent signs and non-ASCII as written.
    assert count_log(storage, "r", LogFilter(text='"BAD" VALUE: 100% é')) == 6
    # An underscore is a plain character, not LIKE's wildcard.
    # row_1 and row_10..row_19 but for row 15 (an error, spelled with a space)
    assert count_log(storage, "r", LogFilter(text="row_1")) == 10
    # Text finds an event's step and kind as well as its message and job...
    assert count_log(storage, "r", LogFilter(text="S1")) == 20
    assert count_log(storage, "r", LogFilter(text="step_start")) == 3
    # ...and never how the store happens to spell a record (its field names).
    assert count_log(storage, "r", LogFilter(text="job_name")) == 0
    assert count_log(storage, "r", LogFilter(text="_NAME")) == 0
    both = LogFilter(step_keys=("s0",), levels=("ERROR",), text="row 15")
    assert _messages(read_log_page(storage, "r", log_filter=both)) == [
        'row 15 had a "bad" value: 100% é'
    ]


def test_pages_by_position_from_either_end_and_by_cursor(any_instance: Instance) -> None:
    events = _fill(any_instance)
    storage = any_instance.storage
    messages = [e.message for e in events]
    head = read_log_page(storage, "r", offset=10, limit=5)
    assert _messages(head) == messages[10:15]
    tail = read_log_page(storage, "r", offset=3, limit=5, from_end=True)
    assert _messages(tail) == messages[-8:-3]  # still oldest first
    # From a page held, the next and the previous pages are seeks by cursor.
    after = read_log_page(storage, "r", after=head[-1].storage_id, limit=20)
    assert _messages(after) == messages[15:35]
    before = read_log_page(storage, "r", before=head[0].storage_id, limit=4, from_end=True)
    assert _messages(before) == messages[6:10]
    errors = LogFilter(levels=("ERROR",))
    last_two = read_log_page(storage, "r", log_filter=errors, limit=2, from_end=True)
    assert _messages(last_two) == [messages[45], messages[55]]
    assert read_log_page(storage, "r", offset=100, limit=5) == []
