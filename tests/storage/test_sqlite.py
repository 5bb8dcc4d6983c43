"""SQLite storage: connection settings, bad files left untouched, schema versions."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
from pathlib import Path

import pytest

from headwater.errors import InstanceError, StorageError
from headwater.events import EventType, RunEvent, make_event
from headwater.storage import Instance, Run, RunStatus, migrate_instance
from headwater.storage.sqlite import SqliteStorage


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


PRAGMAS = ("journal_mode", "busy_timeout", "synchronous")


def test_connections_use_wal_busy_timeout_and_normal_sync(tmp_path: Path) -> None:
    with Instance.from_config(tmp_path) as instance:
        storage = instance.storage
        assert isinstance(storage, SqliteStorage)
        conn = storage._connection()
        own = [conn.execute(f"PRAGMA {p}").fetchone()[0] for p in PRAGMAS]
        with storage.engine.connect() as engine_conn:  # the engine tools and migrations use
            tools = [engine_conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in PRAGMAS]
    assert own == tools == ["wal", 60_000, 1]  # 1 = NORMAL


def test_each_thread_has_its_own_connection_and_a_closed_store_reopens(tmp_path: Path) -> None:
    with Instance.from_config(tmp_path) as instance:
        storage = instance.storage
        assert isinstance(storage, SqliteStorage)
        seen: list[object] = []
        worker = threading.Thread(target=lambda: seen.append(storage._connection()))
        worker.start()
        worker.join()
        assert seen[0] is not storage._connection()
        storage.add_run(Run(run_id="r1", job_name="j"))
        storage.close()
        assert [r.run_id for r in storage.get_runs()] == ["r1"]


def test_text_file_at_db_path_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "storage" / "headwater.db"
    db.parent.mkdir()
    db.write_text("my notes, not a database\n" * 100)
    before = digest(db)
    with pytest.raises(StorageError) as caught:
        Instance.from_config(tmp_path)
    assert str(caught.value) == (
        f"the file at {db} is not a headwater instance database (file is not a database); "
        "move it away or point HEADWATER_HOME elsewhere"
    )
    assert digest(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["headwater.db"]


def test_another_apps_sqlite_db_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "storage" / "headwater.db"
    db.parent.mkdir()
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER, total REAL)")
        conn.execute("INSERT INTO invoices VALUES (1, 9.5)")
    conn.close()
    before = digest(db)
    with pytest.raises(StorageError) as caught:
        Instance.from_config(tmp_path)
    assert str(caught.value) == (
        f"the database at {db} is not a headwater instance database "
        "(it holds other tables: invoices); point headwater at an empty location"
    )
    assert digest(db) == before


def test_home_that_cannot_be_created_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InstanceError) as caught:
        Instance.from_config(blocker / "home")
    assert str(caught.value) == (
        f"cannot create the instance's storage folder {blocker / 'home' / 'storage'}: Not a "
        "directory; set HEADWATER_HOME (or storage.sqlite.base_dir) to a writable folder"
    )


def _set_revision(db: Path, revision: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.close()


def test_older_schema_asks_for_migrate_and_migrate_upgrades(tmp_path: Path) -> None:
    with Instance.from_config(tmp_path) as instance:
        run = instance.create_run(job_name="job")
    db = tmp_path / "storage" / "headwater.db"
    with sqlite3.connect(db) as conn:  # back to revision 0001, as an older headwater left it
        conn.execute("DROP TABLE kvs")
        conn.execute("CREATE INDEX ix_event_logs_run_id_step_key ON event_logs (run_id, step_key)")
        conn.execute("CREATE INDEX ix_event_logs_event_type_id ON event_logs (event_type, id)")
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    conn.close()
    with pytest.raises(StorageError) as caught:
        Instance.from_config(tmp_path)
    assert str(caught.value) == (
        f"the instance's database at {db} is at schema version 0001, this headwater needs "
        "0003; run `headwater instance migrate`"
    )
    result = migrate_instance(tmp_path)
    assert (result.from_revision, result.to_revision, result.changed) == ("0001", "0003", True)
    assert migrate_instance(tmp_path).changed is False
    with Instance.from_config(tmp_path) as instance:
        assert instance.has_run(run.run_id)
        instance.kv_set({"a": "b"})


def test_newer_schema_asks_to_upgrade_headwater(tmp_path: Path) -> None:
    Instance.from_config(tmp_path).dispose()
    db = tmp_path / "storage" / "headwater.db"
    _set_revision(db, "0099")
    with pytest.raises(
        StorageError,
        match=re.escape(
            f"the instance's database at {db} is at schema version 0099, newer than this "
            "headwater knows (up to 0003); upgrade headwater"
        ),
    ):
        Instance.from_config(tmp_path)


def test_failed_batch_leaves_nothing_visible(tmp_path: Path) -> None:
    from headwater.events import EventType, RunEvent

    with Instance.from_config(tmp_path) as instance:
        run = instance.create_run(job_name="job")
        good = RunEvent(EventType.LOG_MESSAGE, run.run_id, "job", 1.0)
        bad = RunEvent(EventType.LOG_MESSAGE, run.run_id, "job", None)  # type: ignore[arg-type]
        with pytest.raises(
            sqlite3.IntegrityError, match=r"NOT NULL constraint failed: event_logs\.timestamp"
        ):
            instance.store_events([good, good, bad])
        assert instance.get_event_records(run.run_id) == []


def test_a_connection_is_closed_once_its_thread_has_ended(tmp_path: Path) -> None:
    # The daemon evaluates each sensor tick in a thread of its own: one connection per
    # thread, kept after the thread ended, grew its memory without end.
    with Instance.from_config(tmp_path / "home") as instance:
        for _ in range(30):
            thread = threading.Thread(target=lambda: instance.kv_get(["x"]))
            thread.start()
            thread.join()
        instance.kv_get(["x"])
        opened = instance.storage._connections  # type: ignore[attr-defined]
        assert len(opened) <= 2  # this thread's, and at most the last thread's


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_opens_its_own_connection(tmp_path: Path) -> None:
    with Instance.from_config(tmp_path) as instance:
        storage = instance.storage
        assert isinstance(storage, SqliteStorage)
        parents = storage._connection()
        pid = os.fork()
        if pid == 0:  # the child: exit at once, whatever happens, with a code saying what
            try:
                own = storage._connection()
                storage.add_run(Run(run_id="from_child", job_name="j"))
                os._exit(0 if own is not parents else 3)
            except BaseException:
                os._exit(4)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert storage._connection() is parents  # the parent's is untouched
        assert instance.has_run("from_child")


def _step_events(run_id: str, n: int, **data: object) -> list[RunEvent]:
    return [
        make_event(EventType.STEP_OUTPUT, run_id, "job", float(i), f"o{i}", "s", 10, data, None)
        for i in range(n)
    ]


def test_a_step_batch_is_one_insert_statement(tmp_path: Path) -> None:
    # A lone INSERT is a write transaction of its own, taking the lock at its start as
    # BEGIN IMMEDIATE does: the BEGIN and COMMIT statements cost as much again.
    with Instance.from_config(tmp_path) as instance:
        run = instance.create_run(job_name="job")
        storage = instance.storage
        assert isinstance(storage, SqliteStorage)
        statements: list[str] = []
        storage._connection().set_trace_callback(statements.append)
        instance.store_events(_step_events(run.run_id, 6))
        assert [s.split()[0] for s in statements] == ["INSERT"]
        statements.clear()
        # An event that moves the run's status is written with that UPDATE, in one
        # transaction.
        start = make_event(EventType.RUN_START, run.run_id, "job", 9.0, "", None, 10, {}, None)
        instance.store_events([*_step_events(run.run_id, 2), start])
        assert [s.split()[0] for s in statements] == ["BEGIN", "INSERT", "UPDATE", "COMMIT"]
        assert instance.get_run(run.run_id).status is RunStatus.STARTED  # type: ignore[union-attr]


def test_batches_of_several_runs_assets_and_chunks_read_back(tmp_path: Path) -> None:
    # The statement leaves out the columns a batch does not need (the asset key when no
    # event names one, the run id but once when every event is of one run).
    with Instance.from_config(tmp_path) as instance:
        a, b = (instance.create_run(job_name="job").run_id for _ in range(2))
        batches = [
            _step_events(a, 3),
            _step_events(a, 2, asset_key=["x", "y"]),
            [*_step_events(a, 2), *_step_events(b, 2, asset_key="z")],
            [*_step_events(b, 150), *_step_events(a, 60)],  # over one statement's rows
        ]
        for batch in batches:
            instance.store_events(batch)
        stored = [e for batch in batches for e in batch]
        for run_id in (a, b):
            records = instance.get_event_records(run_id)
            assert [r.event for r in records] == [e for e in stored if e.run_id == run_id]
            ids = [r.storage_id for r in records]
            assert ids == sorted(ids)
        rows = instance.storage._read(  # type: ignore[attr-defined]
            "SELECT asset_key, count(*) FROM event_logs GROUP BY asset_key ORDER BY asset_key"
        )
        assert rows == [(None, 215), ("x/y", 2), ("z", 2)]
