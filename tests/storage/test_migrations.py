"""The migration scripts build exactly the schema the code speaks, on both backends."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from headwater.events import ErrorInfo, EventType, RunEvent
from headwater.storage import Instance, migrate_instance, migrations
from headwater.storage.event_rows import ROW_COLUMNS, dumps, event_row
from headwater.storage.schema import SCHEMA_HEAD, event_logs, metadata
from headwater.storage.sql import SqlStorage
from headwater.storage.sqlite import SqliteStorage

from .conftest import open_instance


def test_schema_head_matches_the_scripts() -> None:
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    script = ScriptDirectory.from_config(config)
    assert script.get_current_head() == SCHEMA_HEAD == migrations.KNOWN_REVISIONS[-1]
    chain = [rev.revision for rev in script.walk_revisions()][::-1]
    assert tuple(chain) == migrations.KNOWN_REVISIONS


def test_migrated_database_matches_metadata(instance: Instance) -> None:
    storage = instance.storage
    assert isinstance(storage, (SqlStorage, SqliteStorage))
    with storage.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def _index_predicates(conn: sa.Connection, names: Iterable[str]) -> dict[str, str]:
    """The ``WHERE`` of each named index on ``event_logs``, as the database reports it."""
    option = f"{conn.dialect.name}_where"
    wanted = set(names)
    return {
        str(index["name"]): str(index.get("dialect_options", {}).get(option))
        for index in sa.inspect(conn).get_indexes("event_logs")
        if index["name"] in wanted
    }


def test_migrated_partial_indexes_have_the_schema_predicates(instance: Instance) -> None:
    # compare_metadata ignores index predicates, and schema.py keeps them in Index.info (see
    # _partial_index): build each index again from schema.py's predicate, in a transaction
    # that is rolled back, so that the database spells both the same way.
    storage = instance.storage
    assert isinstance(storage, (SqlStorage, SqliteStorage))
    partial = [ix for ix in event_logs.indexes if "where" in ix.info]
    assert {ix.name for ix in partial} == {"ix_event_logs_asset_key_type_id"}
    with storage.engine.connect() as conn, conn.begin() as transaction:
        migrated = _index_predicates(conn, [str(ix.name) for ix in partial])
        for ix in partial:
            columns = ", ".join(c.name for c in ix.columns)
            conn.execute(
                sa.text(
                    f"CREATE INDEX expected_{ix.name} ON event_logs ({columns}) "
                    f"WHERE {ix.info['where']}"
                )
            )
        expected = _index_predicates(conn, [f"expected_{ix.name}" for ix in partial])
        transaction.rollback()
    assert migrated == {name.removeprefix("expected_"): where for name, where in expected.items()}
    assert all(where != "None" for where in migrated.values())


def test_import_and_ephemeral_load_no_sqlalchemy() -> None:
    code = (
        "import sys, headwater\n"
        "from headwater.storage import Instance\n"
        "Instance.ephemeral()\n"
        "heavy = ('sqlalchemy', 'alembic', 'psycopg', 'yaml')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_opening_a_current_sqlite_instance_loads_no_sqlalchemy(tmp_path: Path) -> None:
    # Creating the database runs the migrations (SQLAlchemy and Alembic); reopening it at the
    # current schema version, writing and reading runs need only the sqlite3 module.
    Instance.from_config(tmp_path).dispose()
    code = (
        "import sys\n"
        "from headwater.storage import Instance, Run\n"
        f"with Instance.from_config({str(tmp_path)!r}) as instance:\n"
        "    instance.storage.add_run(Run(run_id='r1', job_name='j'))\n"
        "    assert [r.run_id for r in instance.get_runs()] == ['r1']\n"
        "heavy = ('sqlalchemy', 'alembic', 'psycopg', 'yaml')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


_DROPPED_IN_0003 = {"ix_event_logs_run_id_step_key", "ix_event_logs_event_type_id"}


def _back_to_0002(storage: SqlStorage | SqliteStorage) -> None:
    """Put the database back as headwater at revision 0002 left it: with two more indexes."""
    with storage.write_engine.begin() as conn:
        conn.execute(
            sa.text("CREATE INDEX ix_event_logs_run_id_step_key ON event_logs (run_id, step_key)")
        )
        conn.execute(
            sa.text(
                "CREATE INDEX ix_event_logs_event_type_id ON event_logs (event_type, id) "
                "WHERE event_type NOT IN ('LOG_MESSAGE', 'ENGINE_EVENT', 'STEP_INPUT', "
                "'STEP_OUTPUT', 'HANDLED_OUTPUT', 'LOADED_INPUT')"
            )
        )
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0002'"))


def _index_names(storage: SqlStorage | SqliteStorage) -> set[str]:
    with storage.engine.connect() as conn:
        return {str(ix["name"]) for ix in sa.inspect(conn).get_indexes("event_logs")}


def _revision(storage: SqlStorage | SqliteStorage) -> str | None:
    with storage.engine.connect() as conn:
        return migrations.inspect_database(conn)[1]


def _store_as_0002_did(storage: SqlStorage | SqliteStorage, event: RunEvent) -> None:
    """Append ``event`` as revision 0002 wrote events: the whole event in the body."""
    row = dict(zip(ROW_COLUMNS, event_row(event), strict=True))
    row["body"] = dumps(event.to_dict())
    with storage.write_engine.begin() as conn:
        conn.execute(event_logs.insert(), row)


def test_a_database_at_0002_is_upgraded_when_opened_and_its_events_read(
    backend: str, storage_target: str
) -> None:
    with open_instance(backend, storage_target) as instance:
        run = instance.create_run(job_name="job")
        error = ErrorInfo("KeyError", "'k'", ("  File x, line 1\n",))
        events = [
            RunEvent(EventType.STEP_START, run.run_id, "job", 1.5, "go", step_key="s"),
            RunEvent(EventType.LOG_MESSAGE, run.run_id, "job", 2.25, "hi", data={"n": [1]}),
            RunEvent(EventType.STEP_FAILURE, run.run_id, "job", 3.0, "no", "s", 40, {}, error),
        ]
        storage = instance.storage
        assert isinstance(storage, (SqlStorage, SqliteStorage))
        _back_to_0002(storage)
        for event in events:
            _store_as_0002_did(storage, event)
        assert _index_names(storage) >= _DROPPED_IN_0003
    assert (
        migrations.read_schema_state(["runs", "event_logs", "run_tags", "alembic_version"], "0002")
        == "upgrade-on-open"
    )
    with open_instance(backend, storage_target) as instance:
        storage = instance.storage
        assert isinstance(storage, (SqlStorage, SqliteStorage))
        assert _revision(storage) == SCHEMA_HEAD == "0003"
        assert not _DROPPED_IN_0003 & _index_names(storage)
        # Rows written before the upgrade read back, and writing goes on beside them.
        assert [r.event for r in instance.get_event_records(run.run_id)] == events
        instance.store_events(events)
        assert [r.event for r in instance.get_event_records(run.run_id)] == events + events


def test_migrate_reports_the_index_upgrade_it_does(tmp_path: Path) -> None:
    with Instance.from_config(tmp_path) as instance:
        storage = instance.storage
        assert isinstance(storage, SqliteStorage)
        _back_to_0002(storage)
    result = migrate_instance(tmp_path)
    assert (result.from_revision, result.to_revision) == ("0002", "0003")
