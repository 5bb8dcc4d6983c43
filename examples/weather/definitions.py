"""Daily weather readings from a station, checked, summarized per day and reported.

Run it through the CLI (a backfill of a week, then the freshness of every asset)::

    headwater asset materialize -f examples/weather/definitions.py \\
        --select "*weekly_report" --partition-range 2024-01-01...2024-01-07
    headwater asset list -f examples/weather/definitions.py
"""

from __future__ import annotations

import random
import statistics
from typing import Any

from pydantic import Field

import headwater as dg

# One week of days: the report reads every day, so a backfill of the week completes it.
daily = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-08")


class WeatherStation(dg.ConfigurableResource):
    """A station that reports hourly temperatures; seeded, so every day is reproducible."""

    name: str = Field(default="harbour", description="Which station to read.")
    seed: int = Field(default=7, description="Seed of the simulated sensor.")

    def hourly_temperatures(self, day: str) -> list[float]:
        rng = random.Random(f"{self.name}-{self.seed}-{day}")
        base = 4 + 6 * rng.random()
        return [round(base + 5 * rng.random() - 2.5, 1) for _ in range(24)]


@dg.asset(partitions_def=daily, group_name="weather", code_version="1")
def readings(context: dg.AssetExecutionContext, station: WeatherStation) -> list[float]:
    """Hourly temperatures of one day."""
    values = station.hourly_temperatures(context.partition_key)
    context.add_output_metadata({"hours": len(values), "station": station.name})
    return values


@dg.asset_check(asset=readings, blocking=True)
def readings_complete(readings: list[float]) -> dg.AssetCheckResult:
    """A day has 24 readings, all plausible: otherwise nothing downstream runs."""
    plausible = all(-50 <= t <= 60 for t in readings)
    return dg.AssetCheckResult(
        passed=len(readings) == 24 and plausible,
        metadata={"count": len(readings), "plausible": plausible},
    )


@dg.asset(partitions_def=daily, group_name="weather", code_version="1")
def daily_summary(readings: list[float]) -> dict[str, Any]:
    """Minimum, maximum and mean temperature of one day."""
    return {
        "min": min(readings),
        "max": max(readings),
        "mean": round(statistics.fmean(readings), 2),
    }


@dg.asset_check(asset=daily_summary)
def summary_is_ordered(daily_summary: dict[str, Any]) -> dg.AssetCheckResult:
    """min ≤ mean ≤ max, or the summary is wrong."""
    ok = daily_summary["min"] <= daily_summary["mean"] <= daily_summary["max"]
    return dg.AssetCheckResult(passed=ok, severity=dg.AssetCheckSeverity.WARN)


@dg.asset(group_name="reports")
def weekly_report(
    context: dg.AssetExecutionContext, daily_summary: dict[str, dict[str, Any]]
) -> dg.MaterializeResult:
    """The warmest and coldest day of the week, with a table of every day."""
    warmest = max(daily_summary, key=lambda day: daily_summary[day]["max"])
    coldest = min(daily_summary, key=lambda day: daily_summary[day]["min"])
    lines = [f"| {day} | {s['min']} | {s['max']} |" for day, s in sorted(daily_summary.items())]
    table = "\n".join(["| day | min | max |", "| --- | --- | --- |", *lines])
    context.log.info("warmest %s, coldest %s", warmest, coldest)
    return dg.MaterializeResult(
        metadata={
            "days": len(daily_summary),
            "warmest": warmest,
            "coldest": coldest,
            "report": dg.MetadataValue.md(table),
        }
    )


defs = dg.Definitions(
    assets=[readings, daily_summary, weekly_report],
    asset_checks=[readings_complete, summary_is_ordered],
    resources={"station": WeatherStation()},
    jobs=[dg.define_asset_job("daily_weather", selection="group:weather", partitions_def=daily)],
)
