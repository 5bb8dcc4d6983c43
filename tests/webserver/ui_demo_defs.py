"""Definitions the UI's browser test serves: a job whose config the Launchpad must fix, a
job that fails (for re-execution), assets with a partitioned one, a resource whose value
comes from the environment, and a schedule and a sensor.
"""

from __future__ import annotations

import headwater as dg


class Warehouse(dg.ConfigurableResource):
    """Where the tables live."""

    url: str
    password: str
    timeout: int = 30


@dg.op(
    config_schema={
        "path": dg.Field(str, description="The file to load."),
        "retries": dg.Field(int, default_value=3, description="Attempts before giving up."),
        "mode": dg.Field(
            dg.Enum("LoadMode", [dg.EnumValue("fast"), dg.EnumValue("safe")]), default_value="fast"
        ),
    }
)
def load(context: dg.OpExecutionContext) -> str:
    context.log.info(f"loading {context.op_config['path']}")
    return str(context.op_config["path"])


@dg.op
def count_rows(context: dg.OpExecutionContext, path: str) -> int:
    context.log.info(f"counting rows of {path}")
    return len(path)


@dg.job(tags={"team": "data"})
def load_file() -> None:
    """Load one file and count its rows."""
    count_rows(load())


@dg.op
def flaky(context: dg.OpExecutionContext) -> None:
    raise RuntimeError("the upstream service is down")


@dg.job
def always_fails() -> None:
    flaky()


days = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-15")


@dg.asset(group_name="sales")
def orders(warehouse: Warehouse) -> list[int]:
    """Raw orders from the warehouse."""
    return [1, 2, 3]


@dg.asset(group_name="sales")
def revenue(orders: list[int]) -> int:
    """Total revenue."""
    return sum(orders)


@dg.asset(group_name="sales", partitions_def=days)
def daily_orders() -> int:
    """Orders of one day."""
    return 1


every_hour = dg.ScheduleDefinition(
    job=load_file,
    cron_schedule="0 * * * *",
    run_config={"ops": {"load": {"config": {"path": "hourly.csv"}}}},
)


@dg.sensor(job=always_fails, minimum_interval_seconds=60)
def watch_inbox() -> dg.SkipReason:
    return dg.SkipReason("the inbox is empty")


defs = dg.Definitions(
    assets=[orders, revenue, daily_orders],
    jobs=[load_file, always_fails],
    schedules=[every_hour],
    sensors=[watch_inbox],
    resources={
        "warehouse": Warehouse(
            url="postgresql://db/sales", password=dg.EnvVar("WAREHOUSE_PASSWORD")
        )
    },
)
