"""The cereal graph and its two jobs: one graph, a production and a test set of resources."""

from __future__ import annotations

from typing import Any

from pydantic import Field

import headwater as dg

from .resources import Warehouse, prod_resources, test_resources


class CleanConfig(dg.Config):
    """How strict the cleaning step is."""

    max_sugars: int = 10
    manufacturers: list[str] = Field(default_factory=list)


@dg.op(required_resource_keys={"cereals"})
def fetch_cereals(context: dg.OpExecutionContext) -> list[dict[str, Any]]:
    """Fetch every cereal from the publisher."""
    rows: list[dict[str, Any]] = context.resources.cereals.fetch_cereals()
    context.log.info("fetched %d cereals", len(rows))
    return rows


@dg.op
def clean_cereals(
    context: dg.OpExecutionContext, config: CleanConfig, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Keep cereals under the sugar limit (and from the chosen manufacturers), typed."""
    kept = []
    for row in rows:
        sugars = int(row["sugars"])
        if sugars > config.max_sugars:
            continue
        if config.manufacturers and row["mfr"] not in config.manufacturers:
            continue
        kept.append(
            {
                "name": row["name"],
                "mfr": row["mfr"],
                "sugars": sugars,
                "protein": int(row["protein"]),
                "rating": float(row["rating"]),
            }
        )
    context.log.info(
        "kept %d of %d cereals (sugars <= %d)", len(kept), len(rows), config.max_sugars
    )
    return kept


@dg.op
def load_cereals(warehouse: Warehouse, rows: list[dict[str, Any]]) -> int:
    """Replace the ``cereals`` table with the cleaned rows."""
    return warehouse.replace_table("cereals", rows)


@dg.op(ins={"loaded": dg.In(dg.Nothing)})
def top_cereals(warehouse: Warehouse) -> list[tuple[str, float]]:
    """The five best-rated cereals in the warehouse."""
    rows = warehouse.query("SELECT name, rating FROM cereals ORDER BY rating DESC LIMIT 5")
    return [(str(name), float(rating)) for name, rating in rows]


@dg.graph
def cereal_report() -> None:
    """Fetch, clean and load cereals, then report the best ones."""
    top_cereals(loaded=load_cereals(clean_cereals(fetch_cereals())))


def build_prod_job(db_path: str) -> dg.JobDefinition:
    """The production job, writing to the SQLite file at ``db_path``."""
    return cereal_report.to_job(name="cereal_prod", resource_defs=prod_resources(db_path))


cereal_test = cereal_report.to_job(name="cereal_test", resource_defs=test_resources())
