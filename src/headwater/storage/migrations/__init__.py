"""Schema versions: telling a headwater database from a foreign one, and upgrading it.

The scripts in ``versions/`` are Alembic revisions, run through Alembic's Python API with a
connection headwater opened (no ``alembic.ini``). New revisions are written by hand: copy the
newest one, bump ``revision``/``down_revision``, update ``schema.py`` and ``KNOWN_REVISIONS``
(and ``UPGRADED_ON_OPEN``, for a revision that rewrites no data).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from headwater._dataclass import dataclass
from headwater.errors import StorageError

if TYPE_CHECKING:
    import sqlalchemy as sa

__all__ = [
    "KNOWN_REVISIONS",
    "SCHEMA_HEAD",
    "UPGRADED_ON_OPEN",
    "MigrationResult",
    "check_schema",
    "read_schema_state",
    "upgrade",
]

# SQLAlchemy and Alembic load only to inspect or upgrade a database through an engine: opening
# an instance whose schema is current checks the version with the sqlite3 module alone.

# Oldest first; the last one is SCHEMA_HEAD (a test checks this against the scripts).
KNOWN_REVISIONS = ("0001", "0002", "0003")
# The revision this code reads and writes. Kept as a constant (checked against the migration
# scripts by a test) so that opening an instance does not parse the scripts.
SCHEMA_HEAD = KNOWN_REVISIONS[-1]
# Revisions that rewrite no data (they change indexes, or how new rows are written, with
# older rows still read): opening a database just before them applies them there and then,
# in a moment, instead of refusing it until someone runs `headwater instance migrate`.
UPGRADED_ON_OPEN = frozenset({"0003"})
_HEADWATER_TABLES = frozenset({"runs", "event_logs", "run_tags"})
_VERSION_TABLE = "alembic_version"
# Any constant works: it only has to be the same in every process migrating one database.
_PG_MIGRATION_LOCK = 7_202_401


@dataclass(frozen=True, slots=True)
class MigrationResult:
    """What :func:`upgrade` did.

    Attributes:
        location: the database, as shown to people (no password).
        from_revision: the schema version before (``None``: the database was empty).
        to_revision: the schema version after.
    """

    location: str
    from_revision: str | None
    to_revision: str

    @property
    def changed(self) -> bool:
        """Whether the upgrade changed anything."""
        return self.from_revision != self.to_revision


def read_schema_state(table_names: Collection[str], revision: str | None) -> str:
    """Classify a database: ``"empty"``, ``"current"``, ``"upgrade-on-open"`` (behind by
    revisions in :data:`UPGRADED_ON_OPEN` only), ``"behind"``, ``"ahead"`` or ``"foreign"``.

    Args:
        table_names: the tables it holds.
        revision: the value in ``alembic_version``, if that table exists and has a row.
    """
    tables = set(table_names)
    if not tables:
        return "empty"
    if _VERSION_TABLE not in tables or not _HEADWATER_TABLES.issubset(tables) or revision is None:
        return "foreign"
    if revision == SCHEMA_HEAD:
        return "current"
    if revision not in KNOWN_REVISIONS:
        return "ahead"
    pending = KNOWN_REVISIONS[KNOWN_REVISIONS.index(revision) + 1 :]
    return "upgrade-on-open" if UPGRADED_ON_OPEN.issuperset(pending) else "behind"


def check_schema(
    table_names: Collection[str], revision: str | None, *, location: str, allow_behind: bool
) -> str:
    """Raise unless headwater can use the database as it is (or after upgrading it on open,
    state ``"upgrade-on-open"``, which the caller does); return its state.

    Raises:
        StorageError: the database is foreign, needs a migration, or is newer than this code.
    """
    state = read_schema_state(table_names, revision)
    if state == "foreign":
        shown = ", ".join(sorted(table_names)[:5])
        raise StorageError(
            f"the database at {location} is not a headwater instance database "
            f"(it holds other tables: {shown}); point headwater at an empty location"
        )
    if state == "behind" and not allow_behind:
        raise StorageError(
            f"the instance's database at {location} is at schema version {revision}, "
            f"this headwater needs {SCHEMA_HEAD}; run `headwater instance migrate`"
        )
    if state == "ahead":
        raise StorageError(
            f"the instance's database at {location} is at schema version {revision}, "
            f"newer than this headwater knows (up to {SCHEMA_HEAD}); upgrade headwater"
        )
    return state


def inspect_database(conn: sa.Connection) -> tuple[list[str], str | None]:
    """The table names of the connected database (current schema) and its schema revision."""
    import sqlalchemy as sa

    names = sa.inspect(conn).get_table_names()
    revision = None
    if _VERSION_TABLE in names:
        revision = conn.execute(sa.text(f"SELECT version_num FROM {_VERSION_TABLE}")).scalar()
    return names, revision


def upgrade(engine: sa.Engine, *, location: str, revision: str = "head") -> MigrationResult:
    """Bring the database to ``revision`` (default: the newest) in one transaction.

    Safe to call from several processes at once: they queue on a lock and the later ones find
    nothing left to do.

    Raises:
        StorageError: the database is foreign or newer than this headwater.
    """
    # Alembic is imported only here: opening an up-to-date instance never needs it.
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        names, before = inspect_database(conn)
        check_schema(names, before, location=location, allow_behind=True)
        config = Config()
        config.set_main_option("script_location", str(Path(__file__).parent))
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        after = inspect_database(conn)[1]
    assert after is not None  # Alembic just wrote it
    return MigrationResult(location=location, from_revision=before, to_revision=after)
