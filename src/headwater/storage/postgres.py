"""PostgreSQL storage through psycopg 3, for instances shared by several machines.

Tables live in the connection's current schema, so one server can hold several instances
(``?options=-csearch_path%3Dmy_schema`` in the URL selects one).
"""

from __future__ import annotations

import sqlalchemy as sa

from headwater.errors import InstanceError, StorageError
from headwater.storage import migrations
from headwater.storage.sql import SqlStorage

__all__ = ["CONNECT_TIMEOUT_S", "display_url", "open_postgres_storage", "postgres_url"]

# Short, so that a server that does not answer fails the CLI in seconds, not minutes.
CONNECT_TIMEOUT_S = 5
_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg"}


def postgres_url(url: str) -> sa.URL:
    """Parse a PostgreSQL URL and point it at psycopg 3 (``postgresql://`` works as is).

    Raises:
        InstanceError: the text is not a PostgreSQL URL.
    """
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise InstanceError(
            f"{_redact(url)!r} is not a PostgreSQL URL; "
            "expected postgresql://user:password@host:5432/database"
        ) from None
    if parsed.drivername not in _SCHEMES:
        raise InstanceError(
            f"{parsed.render_as_string(hide_password=True)} is not a PostgreSQL URL "
            f"(scheme {parsed.drivername!r}); "
            "expected postgresql://user:password@host:5432/database"
        )
    return parsed.set(drivername="postgresql+psycopg")


def display_url(url: sa.URL) -> str:
    """The URL as shown in messages: driver-less, password hidden."""
    return url.set(drivername="postgresql").render_as_string(hide_password=True)


def _redact(text: str) -> str:
    # Unparseable input may still hold a password after "user:"; show only the scheme.
    return text.split("://", 1)[0] + "://..." if "://" in text else "<url>"


def open_postgres_storage(url: str, *, allow_behind: bool = False) -> SqlStorage:
    """Connect to the database at ``url``, creating headwater's tables if it has none.

    Args:
        url: ``postgresql://`` or ``postgresql+psycopg://`` URL.
        allow_behind: open a database whose schema is older than this code (for migrating).

    Raises:
        InstanceError: the URL is malformed.
        StorageError: the server does not answer or refuses the login, or the database holds
            another application's tables or another schema version.
    """
    parsed = postgres_url(url)
    location = display_url(parsed)
    engine = sa.create_engine(
        parsed,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
        pool_pre_ping=True,  # servers restart and drop idle connections; reconnect quietly
    )
    try:
        with engine.connect() as conn:
            names, revision = migrations.inspect_database(conn)
        state = migrations.check_schema(
            names, revision, location=location, allow_behind=allow_behind
        )
        # A migrating caller (allow_behind) upgrades itself, and reports from which revision.
        if state == "empty" or (state == "upgrade-on-open" and not allow_behind):
            migrations.upgrade(engine, location=location)
    except sa.exc.OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
        raise StorageError(
            f"cannot connect to PostgreSQL at {where} (database {parsed.database!r}): "
            f"{reason}; check storage.postgres in headwater.yaml or HEADWATER_POSTGRES_URL"
        ) from None
    except StorageError:
        engine.dispose()
        raise
    return SqlStorage(engine, location=location)
