"""Drop the two event-log indexes no query reads, which every stored event paid for; new
event bodies leave out what the columns hold.

- ``(run_id, step_key)``: no query selects events by step; step keys in a run sort apart
  from their order of execution, so each step's events landed on different leaves.
- ``(event_type, id)``, partial on ``event_type NOT IN (...)``: queries by event type always
  name the run (``ix_event_logs_run_id_id`` serves them), and SQLite cannot use the index
  for ``event_type = ?`` anyway (it does not prove that such a term implies the ``NOT IN``
  predicate). The predicate was evaluated for every inserted row.

On SQLite these two were half of the pages each step's commit wrote.

From this revision on, an event's body leaves out what the row's columns hold (its run,
step, type, timestamp and level; see ``storage/event_rows.py``); rows written before keep
the whole event in the body and are read as they are. No row is rewritten, so opening a
database at 0002 applies this revision (see ``migrations.UPGRADED_ON_OPEN``), and a headwater
that knows only 0002 refuses the database from then on, rather than misreading new rows.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_UNINDEXED_TYPES = sa.text(
    "event_type NOT IN ('LOG_MESSAGE', 'ENGINE_EVENT', 'STEP_INPUT', 'STEP_OUTPUT', "
    "'HANDLED_OUTPUT', 'LOADED_INPUT')"
)


def upgrade() -> None:
    """Drop the indexes."""
    op.drop_index("ix_event_logs_run_id_step_key", table_name="event_logs")
    op.drop_index("ix_event_logs_event_type_id", table_name="event_logs")


def downgrade() -> None:
    """Build them again."""
    op.create_index("ix_event_logs_run_id_step_key", "event_logs", ["run_id", "step_key"])
    op.create_index(
        "ix_event_logs_event_type_id",
        "event_logs",
        ["event_type", "id"],
        sqlite_where=_UNINDEXED_TYPES,
        postgresql_where=_UNINDEXED_TYPES,
    )
