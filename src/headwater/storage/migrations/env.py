"""Alembic's entry point, run by ``headwater.storage.migrations.upgrade``.

Headwater always hands Alembic an open connection inside a transaction (the caller holds
the migration lock), so there is no offline mode and no ``alembic.ini``.
"""

from __future__ import annotations

from alembic import context

from headwater.storage.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
