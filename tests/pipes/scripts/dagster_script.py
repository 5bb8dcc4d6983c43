"""An unmodified Dagster Pipes script: it uses the dagster-pipes package from PyPI."""

from dagster_pipes import open_dagster_pipes

with open_dagster_pipes() as pipes:
    pipes.log.info("hello from dagster-pipes")
    pipes.log.warning(f"extras: {sorted(pipes.extras)}")
    pipes.report_asset_materialization(
        metadata={"rows": 42, "path": {"raw_value": "/data/orders.csv", "type": "path"}},
        data_version="dv1",
    )
    pipes.report_asset_check(check_name="non_empty", passed=True, metadata={"rows": 42})
