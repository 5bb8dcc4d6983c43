"""A small automated project: a schedule that builds a report, and a sensor that loads each
file dropped in an inbox folder (``INBOX``, default ``./inbox``).

Run it with the daemon::

    export HEADWATER_HOME=~/pipelines/home
    headwater daemon run -f examples/automation/definitions.py
    headwater run list
"""

from __future__ import annotations

import os
from pathlib import Path

import headwater as dg

INBOX = Path(os.environ.get("INBOX", "inbox"))


@dg.op(config_schema={"path": str})
def load_file(context: dg.OpExecutionContext) -> int:
    path = Path(context.op_config["path"])
    rows = len(path.read_text().splitlines())
    context.log.info(f"loaded {rows} rows from {path.name}")
    return rows


@dg.job
def load_inbox_file() -> None:
    load_file()


@dg.op
def build_report(context: dg.OpExecutionContext) -> None:
    when = context.run.tags.get("dagster/scheduled_execution_time")
    context.log.info(f"report for the tick of {when}")


@dg.job
def minutely_report() -> None:
    build_report()


# Every minute; after downtime the missed ticks all run, oldest first.
report_schedule = dg.ScheduleDefinition(
    job=minutely_report,
    cron_schedule="* * * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    tags={"headwater/catch_up": "true"},
)


@dg.sensor(
    job=load_inbox_file, minimum_interval_seconds=1, default_status=dg.DefaultSensorStatus.RUNNING
)
def inbox_files(context: dg.SensorEvaluationContext) -> list[dg.RunRequest]:
    """One run per file; the file's name is the run key, so each file is loaded once."""
    if not INBOX.is_dir():
        return []
    return [
        dg.RunRequest(
            run_key=path.name,
            run_config={"ops": {"load_file": {"config": {"path": str(path.resolve())}}}},
        )
        for path in sorted(INBOX.glob("*.csv"))
    ]


defs = dg.Definitions(
    jobs=[load_inbox_file, minutely_report],
    schedules=[report_schedule],
    sensors=[inbox_files],
)
