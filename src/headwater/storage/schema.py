"""The SQL schema shared by SQLite and PostgreSQL: runs, run tags, the event log, key-values.

The migrations in ``storage/migrations/versions`` build exactly these tables; a test compares
a migrated database with this metadata, so the two cannot drift apart silently.
"""

from __future__ import annotations

import sqlalchemy as sa

from headwater.storage.migrations import SCHEMA_HEAD

__all__ = [
    "SCHEMA_HEAD",
    "event_logs",
    "kvs",
    "metadata",
    "run_tags",
    "runs",
]


def _partial_index(name: str, *columns: str, where: str) -> sa.Index:
    """An index over the rows matching ``where``, SQL both backends read alike.

    The predicate is kept in ``info["where"]`` rather than given as ``sqlite_where=`` and
    ``postgresql_where=``: naming a dialect's option makes SQLAlchemy import that dialect,
    and PostgreSQL's costs every SQLite start about 25 ms. The migrations create the indexes
    (passing the predicate to both dialects); ``tests/storage/test_migrations.py`` checks
    that a migrated database holds these predicates.
    """
    return sa.Index(name, *columns, info={"where": where})


metadata = sa.MetaData()

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(255), nullable=False, unique=True),
    sa.Column("job_name", sa.Text, nullable=False),
    sa.Column("status", sa.String(63), nullable=False),
    sa.Column("run_config", sa.Text, nullable=False),  # JSON
    sa.Column("tags", sa.Text, nullable=False),  # JSON; run_tags serves the queries
    sa.Column("parent_run_id", sa.String(255)),
    sa.Column("root_run_id", sa.String(255)),
    sa.Column("code_origin", sa.Text),
    sa.Column("create_timestamp", sa.Float, nullable=False),
    sa.Column("start_timestamp", sa.Float),
    sa.Column("end_timestamp", sa.Float),
    sa.Column("update_timestamp", sa.Float, nullable=False),
    sa.Index("ix_runs_status_id", "status", "id"),
    sa.Index("ix_runs_job_name_id", "job_name", "id"),
)

run_tags = sa.Table(
    "run_tags",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(255), nullable=False),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Index("ix_run_tags_key_value", "key", "value", "run_id"),
    sa.Index("ix_run_tags_run_id", "run_id"),
)

event_logs = sa.Table(
    "event_logs",
    metadata,
    # The id is the cursor readers tail with: it grows in commit order within a run.
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(255), nullable=False),
    sa.Column("step_key", sa.Text),
    sa.Column("event_type", sa.String(63), nullable=False),
    sa.Column("asset_key", sa.Text),
    sa.Column("timestamp", sa.Float, nullable=False),
    sa.Column("level", sa.Integer, nullable=False),
    # JSON of what no column holds (before revision 0003: the whole event); event_rows.py.
    sa.Column("body", sa.Text, nullable=False),
    sa.Index("ix_event_logs_run_id_id", "run_id", "id"),
    # Partial: events without an asset (the bulk of a log) are not indexed by asset, which
    # keeps inserts fast. Queries by event type always name the run (the index above).
    _partial_index(
        "ix_event_logs_asset_key_type_id",
        "asset_key",
        "event_type",
        "id",
        where="asset_key IS NOT NULL",
    ),
)

kvs = sa.Table(
    "kvs",
    metadata,
    sa.Column("key", sa.String(512), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("update_timestamp", sa.Float, nullable=False),
)
