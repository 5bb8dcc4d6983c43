"""From an instance's settings to an open store, and schema upgrades for the CLI.

Only the configured backend loads: SQLite's needs the ``sqlite3`` module alone (SQLAlchemy
and Alembic load only to create or migrate its database), PostgreSQL's loads SQLAlchemy.
Only ``Instance.get()`` and friends load this module, never ``import headwater``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.storage import migrations
from headwater.storage.config import InstanceConfig, SqliteConfig

if TYPE_CHECKING:
    from headwater.storage.sql import SqlStorage
    from headwater.storage.sqlite import SqliteStorage

__all__ = ["migrate_storage", "open_storage"]


def open_storage(
    config: InstanceConfig, *, allow_behind: bool = False
) -> SqliteStorage | SqlStorage:
    """Open the store ``config`` names, creating an empty database's tables.

    Raises:
        InstanceError: the home or storage folder is unusable, or the URL is malformed.
        StorageError: the database is unreachable, foreign, corrupt, or at another version.
    """
    if isinstance(config.storage, SqliteConfig):
        from headwater.storage.sqlite import open_sqlite_storage

        return open_sqlite_storage(config.storage.base_dir, allow_behind=allow_behind)
    from headwater.storage.postgres import open_postgres_storage

    return open_postgres_storage(config.storage.url, allow_behind=allow_behind)


def migrate_storage(config: InstanceConfig) -> migrations.MigrationResult:
    """Upgrade the store ``config`` names to this headwater's schema version.

    Raises:
        InstanceError: as :func:`open_storage`.
        StorageError: as :func:`open_storage`, except for an older schema version.
    """
    storage = open_storage(config, allow_behind=True)
    try:
        return migrations.upgrade(storage.write_engine, location=storage.location)
    finally:
        storage.close()
