"""The migration scripts build exactly the schema the code speaks, on both backends."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from headwater.storage import Instance, migrations
from headwater.storage.schema import SCHEMA_HEAD, metadata
from headwater.storage.sql import SqlStorage


def test_schema_head_matches_the_scripts() -> None:
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    script = ScriptDirectory.from_config(config)
    assert script.get_current_head() == SCHEMA_HEAD == migrations.KNOWN_REVISIONS[-1]
    chain = [rev.revision for rev in script.walk_revisions()][::-1]
    assert tuple(chain) == migrations.KNOWN_REVISIONS


def test_migrated_database_matches_metadata(instance: Instance) -> None:
    storage = instance.storage
    assert isinstance(storage, SqlStorage)
    with storage.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


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
