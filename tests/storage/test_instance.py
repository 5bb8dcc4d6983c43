"""The Instance API against every storage: in memory, SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from headwater.errors import InvariantViolationError, RunNotFoundError
from headwater.events import EventType, RunEvent
from headwater.storage import Instance, RunStatus


def ev(run_id: str, kind: EventType, t: float = 1.0, **kw: object) -> RunEvent:
    return RunEvent(kind, run_id, "job", t, **kw)  # type: ignore[arg-type]


def test_run_round_trips_every_field(any_instance: Instance) -> None:
    run = any_instance.create_run(
        job_name="job",
        run_config={"ops": {"a": {"config": {"n": 1}}}},
        tags={"team": "data"},
        parent_run_id="p",
        root_run_id="r",
        code_origin="-f defs.py",
    )
    assert any_instance.get_run(run.run_id) == run
    assert any_instance.get_run("nope") is None
    assert any_instance.has_run(run.run_id)


def test_duplicate_run_id_is_refused(any_instance: Instance) -> None:
    any_instance.create_run(job_name="job", run_id="r1")
    with pytest.raises(InvariantViolationError, match="run r1 already exists in this instance"):
        any_instance.create_run(job_name="job", run_id="r1")


def test_lifecycle_events_move_status_and_times(any_instance: Instance) -> None:
    run = any_instance.create_run(job_name="job")
    any_instance.store_events([ev(run.run_id, EventType.RUN_START, 10.0)])
    started = any_instance.get_run(run.run_id)
    assert started is not None
    assert (started.status, started.start_time) == (RunStatus.STARTED, 10.0)
    any_instance.store_events([ev(run.run_id, EventType.RUN_SUCCESS, 12.5)])
    done = any_instance.get_run(run.run_id)
    assert done is not None
    assert (done.status, done.end_time, done.is_success) == (RunStatus.SUCCESS, 12.5, True)


def test_events_keep_order_payload_and_cursor(any_instance: Instance) -> None:
    run = any_instance.create_run(job_name="job")
    events = [
        ev(run.run_id, EventType.STEP_START, step_key="a", message="go"),
        ev(run.run_id, EventType.STEP_FAILURE, level=logging.ERROR, data={"x": [1, 2]}),
    ]
    any_instance.store_events(events)
    records = any_instance.get_event_records(run.run_id)
    assert [r.event for r in records] == events
    assert records[0].storage_id < records[1].storage_id
    tail = any_instance.get_event_records(run.run_id, after=records[0].storage_id)
    assert [r.event for r in tail] == events[1:]
    assert any_instance.run_events(run.run_id) == events


def test_last_events_newest_first_and_filters(any_instance: Instance) -> None:
    run = any_instance.create_run(job_name="job")
    any_instance.store_events(
        [ev(run.run_id, EventType.LOG_MESSAGE, message=str(i)) for i in range(10)]
        + [ev(run.run_id, EventType.STEP_SUCCESS)]
    )
    last = any_instance.get_event_records(run.run_id, limit=3, ascending=False)
    assert [r.event.message for r in last] == ["", "9", "8"]
    only = any_instance.get_event_records(run.run_id, event_types=[EventType.STEP_SUCCESS])
    assert [r.event.event_type for r in only] == [EventType.STEP_SUCCESS]
    before = any_instance.get_event_records(run.run_id, before=last[-1].storage_id, limit=2)
    assert [r.event.message for r in before] == ["0", "1"]


def test_runs_filter_by_status_job_tags_and_page(any_instance: Instance) -> None:
    ids = [
        any_instance.create_run(job_name=f"job{i % 2}", tags={"i": str(i), "k": "v"}).run_id
        for i in range(5)
    ]
    any_instance.store_events([ev(ids[4], EventType.RUN_START)])
    assert [r.run_id for r in any_instance.get_runs()] == ids[::-1]
    assert [r.run_id for r in any_instance.get_runs(job_name="job0")] == [ids[4], ids[2], ids[0]]
    assert [r.run_id for r in any_instance.get_runs(statuses=[RunStatus.STARTED])] == [ids[4]]
    assert [r.run_id for r in any_instance.get_runs(tags={"i": "3", "k": "v"})] == [ids[3]]
    assert any_instance.get_runs(tags={"i": "3", "k": "other"}) == []
    page1 = any_instance.get_runs(limit=2)
    page2 = any_instance.get_runs(limit=2, cursor=page1[-1].run_id)
    assert [r.run_id for r in page1 + page2] == ids[::-1][:4]


def test_unknown_cursor_is_run_not_found(any_instance: Instance) -> None:
    with pytest.raises(
        RunNotFoundError,
        match=re.escape("no run with id 'zzz' in this instance (used as the paging cursor)"),
    ):
        any_instance.get_runs(cursor="zzz")


def test_delete_run_removes_events_and_unknown_id_fails(any_instance: Instance) -> None:
    keep = any_instance.create_run(job_name="job")
    gone = any_instance.create_run(job_name="job", tags={"a": "b"})
    any_instance.store_events(
        [ev(gone.run_id, EventType.RUN_START), ev(keep.run_id, EventType.RUN_START)]
    )
    any_instance.delete_run(gone.run_id)
    assert any_instance.get_run(gone.run_id) is None
    assert any_instance.get_event_records(gone.run_id) == []
    assert any_instance.get_runs(tags={"a": "b"}) == []
    assert len(any_instance.get_event_records(keep.run_id)) == 1
    with pytest.raises(
        RunNotFoundError, match=re.escape(f"no run with id '{gone.run_id}' in this instance")
    ):
        any_instance.delete_run(gone.run_id)


def test_wipe_empties_runs_and_events_but_keeps_kv(any_instance: Instance) -> None:
    run = any_instance.create_run(job_name="job")
    any_instance.store_events([ev(run.run_id, EventType.RUN_START)])
    any_instance.kv_set({"sensor:cursor": "42"})
    any_instance.wipe()
    info = any_instance.info()
    assert (info.run_count, info.event_count) == (0, 0)
    assert any_instance.kv_get(["sensor:cursor"]) == {"sensor:cursor": "42"}


def test_report_run_failed_writes_failure_event(any_instance: Instance) -> None:
    run = any_instance.create_run(job_name="job")
    any_instance.store_events([ev(run.run_id, EventType.RUN_START)])
    failed = any_instance.report_run_failed(run.run_id, "process 123 was killed")
    assert failed.status is RunStatus.FAILURE
    last = any_instance.get_event_records(run.run_id, limit=1, ascending=False)[0].event
    assert (last.event_type, last.message, last.level) == (
        EventType.RUN_FAILURE,
        "process 123 was killed",
        logging.ERROR,
    )
    with pytest.raises(
        InvariantViolationError,
        match=f"run {run.run_id} already finished with status FAILURE; only unfinished runs",
    ):
        any_instance.report_run_failed(run.run_id, "again")
    with pytest.raises(RunNotFoundError):
        any_instance.report_run_failed("nope", "x")


def test_latest_materialization_per_asset_key(any_instance: Instance) -> None:
    r1 = any_instance.create_run(job_name="job").run_id
    r2 = any_instance.create_run(job_name="job").run_id
    mat = EventType.ASSET_MATERIALIZATION
    any_instance.store_events(
        [
            ev(r1, mat, data={"asset_key": ["raw", "orders"], "n": 1}),
            ev(r1, mat, data={"asset_key": "users", "n": 1}),
            ev(r1, EventType.ASSET_OBSERVATION, data={"asset_key": "users", "n": 9}),
        ]
    )
    any_instance.store_events([ev(r2, mat, data={"asset_key": ["raw", "orders"], "n": 2})])
    latest = any_instance.get_latest_materialization_records()
    assert {k: r.event.data["n"] for k, r in latest.items()} == {"raw/orders": 2, "users": 1}
    only = any_instance.get_latest_materialization_records(["users", "missing"])
    assert list(only) == ["users"]
    event = any_instance.get_latest_materialization_event("raw/orders")
    assert event is not None and event.run_id == r2
    assert any_instance.get_latest_materialization_event("missing") is None


def test_kv_set_replaces_and_get_skips_missing(any_instance: Instance) -> None:
    any_instance.kv_set({"a": "1", "b": "2"})
    any_instance.kv_set({"a": "3"})
    assert any_instance.kv_get(["a", "b", "c"]) == {"a": "3", "b": "2"}
    assert any_instance.kv_get([]) == {}


def test_add_runs_records_only_the_runs_whose_claims_are_new(any_instance: Instance) -> None:
    from headwater.storage import Run, RunStatus

    def run(run_id: str) -> Run:
        return Run(run_id=run_id, job_name="j", status=RunStatus.QUEUED, create_time=1.0)

    first = any_instance.add_runs([run("r1"), run("r2")], claims={"key/a": "r1"})
    assert first == {"r1", "r2"}
    again = any_instance.add_runs([run("r3"), run("r4")], claims={"key/a": "r3", "key/b": "r4"})
    assert again == {"r4"}  # key/a made its run already
    assert {r.run_id for r in any_instance.get_runs()} == {"r1", "r2", "r4"}
    assert any_instance.get_run("r1").status is RunStatus.QUEUED  # type: ignore[union-attr]
    assert any_instance.kv_get(["key/a", "key/b"]) == {"key/a": "r1", "key/b": "r4"}


def test_kv_insert_new_claims_only_absent_keys_in_one_batch(any_instance: Instance) -> None:
    assert any_instance.kv_insert_new({"k/a": "run-1", "k/b": "run-2"}) == {"k/a", "k/b"}
    assert any_instance.kv_insert_new({"k/a": "run-3", "k/c": "run-4"}) == {"k/c"}
    assert any_instance.kv_get(["k/a", "k/c"]) == {"k/a": "run-1", "k/c": "run-4"}
    assert any_instance.kv_insert_new({}) == set()


def test_kv_compare_and_set_sets_only_over_the_expected_value(any_instance: Instance) -> None:
    assert any_instance.kv_compare_and_set("slot", None, "run-a")  # absent: created
    assert not any_instance.kv_compare_and_set("slot", None, "run-b")  # now present
    assert not any_instance.kv_compare_and_set("slot", "", "run-b")  # not empty
    assert any_instance.kv_compare_and_set("slot", "run-a", "")  # released by its holder
    assert any_instance.kv_compare_and_set("slot", "", "run-b")
    assert any_instance.kv_get(["slot"]) == {"slot": "run-b"}


def test_one_of_many_concurrent_claims_wins(any_instance: Instance) -> None:
    start = threading.Barrier(8)

    def claim(name: str) -> bool:
        start.wait()
        return any_instance.kv_compare_and_set("contested", None, name)

    with ThreadPoolExecutor(8) as pool:
        won = list(pool.map(claim, [f"w{i}" for i in range(8)]))
    assert won.count(True) == 1
    assert any_instance.kv_get(["contested"]) == {"contested": f"w{won.index(True)}"}


def test_concurrent_dynamic_partition_adds_lose_no_key(any_instance: Instance) -> None:
    start = threading.Barrier(6)

    def add(i: int) -> None:
        start.wait()
        for j in range(5):
            any_instance.add_dynamic_partitions("regions", [f"r{i}-{j}"])

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(add, range(6)))
    assert sorted(any_instance.get_dynamic_partitions("regions")) == sorted(
        f"r{i}-{j}" for i in range(6) for j in range(5)
    )


def test_vacuum_drops_only_verbose_events_of_old_finished_runs(any_instance: Instance) -> None:
    day = 86_400.0
    old = any_instance.create_run(job_name="job").run_id
    live = any_instance.create_run(job_name="job").run_id
    recent = any_instance.create_run(job_name="job").run_id
    noise = [
        ev(old, EventType.LOG_MESSAGE, level=logging.INFO),
        ev(old, EventType.ENGINE_EVENT),
        ev(old, EventType.STEP_OUTPUT),
    ]
    kept = [
        ev(old, EventType.RUN_START, 1.0),
        ev(old, EventType.STEP_SUCCESS),
        ev(old, EventType.LOG_MESSAGE, level=logging.WARNING, message="careful"),
        ev(old, EventType.ASSET_MATERIALIZATION, data={"asset_key": "a"}),
        ev(old, EventType.ASSET_CHECK_EVALUATION),
    ]
    any_instance.store_events(kept[:1] + noise + kept[1:] + [ev(old, EventType.RUN_SUCCESS, 2.0)])
    any_instance.store_events([ev(live, EventType.RUN_START, 1.0), ev(live, EventType.LOG_MESSAGE)])
    any_instance.store_events(
        [ev(recent, EventType.LOG_MESSAGE), ev(recent, EventType.RUN_FAILURE, 40 * day)]
    )
    assert any_instance.vacuum() == type(any_instance.vacuum())(0, 0)  # no retention set
    result = any_instance.vacuum(days=30, now=2.0 + 31 * day)
    assert (result.runs_considered, result.events_deleted) == (1, 3)
    assert [e.event_type for e in any_instance.run_events(old)] == [
        e.event_type for e in [*kept, ev(old, EventType.RUN_SUCCESS)]
    ]
    assert len(any_instance.run_events(live)) == 2
    assert len(any_instance.run_events(recent)) == 2


def test_empty_batch_is_a_no_op(any_instance: Instance) -> None:
    any_instance.store_events([])
    assert any_instance.info().event_count == 0
