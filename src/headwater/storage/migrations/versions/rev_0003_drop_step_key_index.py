"""Drop the event log's (run_id, step_key) index: no query reads it, and every event paid for
it (one more index page written per transaction, a quarter of a step's insert cost on SQLite).

An index change only: code at this revision reads and writes a database at 0002 alike, so
opening such a database applies it (see ``migrations.UPGRADED_ON_OPEN``).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Drop the index."""
    op.drop_index("ix_event_logs_run_id_step_key", table_name="event_logs")


def downgrade() -> None:
    """Build it again."""
    op.create_index("ix_event_logs_run_id_step_key", "event_logs", ["run_id", "step_key"])
