"""Resources of the cereal project: where cereals come from and where they go.

Two sets bind the same keys: ``prod_resources`` fetch the published CSV and write to a
SQLite file; ``test_resources`` serve a few rows from memory and use an in-memory database.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import urllib.request
from pathlib import Path
from typing import Any

from pydantic import Field, PrivateAttr

import headwater as dg

CEREAL_CSV = Path(__file__).parent / "data" / "cereal.csv"


class ExternalCerealFetcher:
    """Fetches the cereal table from a URL (``file://`` or ``https://``)."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url
        self.timeout = timeout

    def fetch_cereals(self) -> list[dict[str, Any]]:
        with urllib.request.urlopen(self.url, timeout=self.timeout) as response:
            text = response.read().decode("utf-8")
        return list(csv.DictReader(io.StringIO(text)))


class InMemoryCerealFetcher:
    """A stand-in fetcher for tests: a few known rows, no I/O."""

    ROWS = (
        {"name": "Test Oats", "mfr": "Q", "sugars": "2", "protein": "5", "rating": "80.5"},
        {"name": "Sugar Bombs", "mfr": "K", "sugars": "15", "protein": "1", "rating": "21.0"},
        {"name": "Plain Flakes", "mfr": "G", "sugars": "4", "protein": "3", "rating": "60.2"},
    )

    def fetch_cereals(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self.ROWS]


@dg.resource(
    config_schema={
        "url": dg.Field(
            dg.StringSource,
            default_value=CEREAL_CSV.as_uri(),
            description="Where the cereal CSV is published.",
        )
    },
    description="Fetches the published cereal table.",
)
def cereal_fetcher(init_context: dg.InitResourceContext) -> ExternalCerealFetcher:
    return ExternalCerealFetcher(init_context.resource_config["url"])


class SqliteDatabase(dg.ConfigurableResource):
    """A SQLite database; the connection is opened for the run and closed after it."""

    path: str = Field(default=":memory:", description="Database file, or :memory:")

    def connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path)


class Warehouse(dg.ConfigurableResource):
    """Loads rows into tables and queries them, over one connection per run."""

    database: SqliteDatabase

    _conn: Any = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._conn = self.database.connect()

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._conn is not None:
            self._conn.close()

    def replace_table(self, table: str, rows: list[dict[str, Any]]) -> int:
        if not rows:
            return 0
        columns = list(rows[0])
        self._conn.execute(f'DROP TABLE IF EXISTS "{table}"')
        self._conn.execute(f'CREATE TABLE "{table}" ({", ".join(columns)})')
        marks = ", ".join("?" for _ in columns)
        self._conn.executemany(
            f'INSERT INTO "{table}" VALUES ({marks})', [tuple(r[c] for c in columns) for r in rows]
        )
        self._conn.commit()
        return len(rows)

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        return list(self._conn.execute(sql))


def prod_resources(db_path: str) -> dict[str, object]:
    """The production set: the published CSV and a SQLite file at ``db_path``."""
    warehouse = Warehouse(database=SqliteDatabase(path=db_path))
    return {"cereals": cereal_fetcher, "warehouse": warehouse}


def test_resources() -> dict[str, object]:
    """The test set: in-memory rows and an in-memory database."""
    return {
        "cereals": dg.ResourceDefinition.hardcoded_resource(InMemoryCerealFetcher()),
        "warehouse": Warehouse(database=SqliteDatabase()),
    }
