"""Definitions the Launchpad's browser tests serve: a legacy pipeline with two modes and a
preset (the mode picker), and a job with a partitioned config (the partition picker)."""

from __future__ import annotations

from typing import Any

import headwater as dg


@dg.resource(config_schema={"prefix": dg.Field(str, description="What to say.")})
def greeter(context: Any) -> str:
    return str(context.resource_config["prefix"])


@dg.resource
def loud(_context: Any) -> str:
    return "LOUD"


@dg.solid(required_resource_keys={"greeter"})
def hello(context: Any) -> str:
    context.log.info("said " + context.resources.greeter)
    return str(context.resources.greeter)


@dg.pipeline(
    mode_defs=[
        dg.ModeDefinition("dev", resource_defs={"greeter": greeter}, description="local"),
        dg.ModeDefinition("prod", resource_defs={"greeter": loud}, description="no config"),
    ],
    preset_defs=[
        dg.PresetDefinition(
            "dev_hi",
            run_config={"resources": {"greeter": {"config": {"prefix": "hi"}}}},
            mode="dev",
            tags={"preset": "dev_hi"},
        )
    ],
)
def greet() -> None:
    hello()


@dg.op(config_schema={"day": str})
def report(context: dg.OpExecutionContext) -> str:
    context.log.info(f"report of {context.op_config['day']}")
    return str(context.op_config["day"])


@dg.static_partitioned_config(
    partition_keys=["2024-01-01", "2024-01-02", "2024-01-03"],
    tags_for_partition_fn=lambda key: {"report_day": key},
)
def by_day(key: str) -> dict[str, Any]:
    return {"ops": {"report": {"config": {"day": key}}}}


@dg.job(config=by_day)
def daily_report() -> None:
    report()
