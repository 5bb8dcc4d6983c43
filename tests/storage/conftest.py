"""Fixtures that run the storage suite against every backend.

``backend`` is ``"sqlite"`` (a temporary folder) or ``"postgres"``; the PostgreSQL half runs
when ``HEADWATER_TEST_POSTGRES_URL`` names a server and works in a schema of its own, created
for each test and dropped after it, so runs sharing the server never see each other's data.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from headwater.storage import Instance
from headwater.storage.postgres import open_postgres_storage, postgres_url

PG_URL_VAR = "HEADWATER_TEST_POSTGRES_URL"


def pg_base_url() -> str:
    url = os.environ.get(PG_URL_VAR, "").strip()
    if not url:
        pytest.skip(
            f"PostgreSQL half skipped: set {PG_URL_VAR} (e.g. postgresql://postgres@127.0.0.1:5432/test)"
        )
    return url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL on a fresh, empty schema of the test server; the schema is dropped afterwards."""
    base = postgres_url(pg_base_url())
    schema = f"hw_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        scoped = base.update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def storage_target(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Where the backend under test keeps data: a folder (SQLite) or a URL (PostgreSQL)."""
    if backend == "postgres":
        return str(request.getfixturevalue("pg_url"))
    return str(tmp_path / "home")


def open_instance(backend: str, target: str) -> Instance:
    """An instance on ``target``, opened the way a separate process would open it."""
    if backend == "postgres":
        return Instance(open_postgres_storage(target))
    return Instance.from_config(target)


@pytest.fixture
def instance(backend: str, storage_target: str) -> Iterator[Instance]:
    with open_instance(backend, storage_target) as opened:
        yield opened


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def any_instance(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Instance]:
    """Every implementation of the Storage interface, in-memory included."""
    if request.param == "memory":
        yield Instance.ephemeral()
        return
    target = (
        str(request.getfixturevalue("pg_url"))
        if request.param == "postgres"
        else str(tmp_path / "home")
    )
    with open_instance(str(request.param), target) as opened:
        yield opened
