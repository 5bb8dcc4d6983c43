"""PostgreSQL storage: URLs, and a server that does not answer."""

from __future__ import annotations

import time

import pytest

from headwater.errors import InstanceError, StorageError
from headwater.storage.postgres import display_url, open_postgres_storage, postgres_url


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+psycopg"])
def test_plain_urls_are_pointed_at_psycopg(scheme: str) -> None:
    assert postgres_url(f"{scheme}://u:p@h:1/d").drivername == "postgresql+psycopg"


def test_display_hides_password() -> None:
    assert display_url(postgres_url("postgresql://u:secret@h:1/d")) == "postgresql://u:***@h:1/d"


def test_non_postgres_url_is_refused() -> None:
    with pytest.raises(
        InstanceError, match=r"^mysql://u:\*\*\*@h/d is not a PostgreSQL URL \(scheme 'mysql'\)"
    ):
        postgres_url("mysql://u:secret@h/d")


def test_server_that_does_not_answer_fails_fast_without_password() -> None:
    start = time.monotonic()
    with pytest.raises(StorageError) as caught:
        open_postgres_storage("postgresql://u:secret@127.0.0.1:1/hw")
    message = str(caught.value)
    assert message.startswith("cannot connect to PostgreSQL at 127.0.0.1:1 (database 'hw'): ")
    assert message.endswith("; check storage.postgres in headwater.yaml or HEADWATER_POSTGRES_URL")
    assert "secret" not in message and "\n" not in message
    assert time.monotonic() - start < 10


def test_foreign_tables_in_the_schema_are_refused_untouched(pg_url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(postgres_url(pg_url))
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE invoices (id int)"))
    with pytest.raises(
        StorageError,
        match=r"\(it holds other tables: invoices\); point headwater at an empty location$",
    ):
        open_postgres_storage(pg_url)
    with engine.connect() as conn:
        assert sa.inspect(conn).get_table_names() == ["invoices"]
    engine.dispose()
