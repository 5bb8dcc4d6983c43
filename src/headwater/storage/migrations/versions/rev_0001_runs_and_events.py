"""Runs, run tags and the event log.

Revision ID: 0001
Revises: none
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the first tables."""
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(255), nullable=False, unique=True),
        sa.Column("job_name", sa.Text, nullable=False),
        sa.Column("status", sa.String(63), nullable=False),
        sa.Column("run_config", sa.Text, nullable=False),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("parent_run_id", sa.String(255)),
        sa.Column("root_run_id", sa.String(255)),
        sa.Column("code_origin", sa.Text),
        sa.Column("create_timestamp", sa.Float, nullable=False),
        sa.Column("start_timestamp", sa.Float),
        sa.Column("end_timestamp", sa.Float),
        sa.Column("update_timestamp", sa.Float, nullable=False),
    )
    op.create_index("ix_runs_status_id", "runs", ["status", "id"])
    op.create_index("ix_runs_job_name_id", "runs", ["job_name", "id"])
    op.create_table(
        "run_tags",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(255), nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_index("ix_run_tags_key_value", "run_tags", ["key", "value", "run_id"])
    op.create_index("ix_run_tags_run_id", "run_tags", ["run_id"])
    op.create_table(
        "event_logs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(255), nullable=False),
        sa.Column("step_key", sa.Text),
        sa.Column("event_type", sa.String(63), nullable=False),
        sa.Column("asset_key", sa.Text),
        sa.Column("timestamp", sa.Float, nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_index("ix_event_logs_run_id_id", "event_logs", ["run_id", "id"])
    op.create_index("ix_event_logs_run_id_step_key", "event_logs", ["run_id", "step_key"])
    # Partial: verbose kinds and asset-less events stay out of these two indexes.
    unindexed = sa.text(
        "event_type NOT IN ('LOG_MESSAGE', 'ENGINE_EVENT', 'STEP_INPUT', 'STEP_OUTPUT', "
        "'HANDLED_OUTPUT', 'LOADED_INPUT')"
    )
    op.create_index(
        "ix_event_logs_event_type_id",
        "event_logs",
        ["event_type", "id"],
        sqlite_where=unindexed,
        postgresql_where=unindexed,
    )
    has_asset = sa.text("asset_key IS NOT NULL")
    op.create_index(
        "ix_event_logs_asset_key_type_id",
        "event_logs",
        ["asset_key", "event_type", "id"],
        sqlite_where=has_asset,
        postgresql_where=has_asset,
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("event_logs")
    op.drop_table("run_tags")
    op.drop_table("runs")
