"""The ``headwater`` command: run jobs, inspect runs and the instance, check and start code.

Each command group lives in its own module; this one assembles them. Importing it loads
click and nothing heavy: storage, rich and YAML load inside the commands that need them.
"""

from __future__ import annotations

import click

import headwater
from headwater.cli.asset import asset_group
from headwater.cli.automation import schedule_group, sensor_group
from headwater.cli.config import config_group
from headwater.cli.definitions import definitions_group
from headwater.cli.instance import instance_group
from headwater.cli.job import job_group, pipeline_group
from headwater.cli.pipes import pipes_group
from headwater.cli.root import HeadwaterGroup, debug_option
from headwater.cli.run import run_group
from headwater.cli.scaffold import scaffold_group

__all__ = ["cli", "main"]


@click.group(cls=HeadwaterGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(headwater.__version__, prog_name="headwater")
@debug_option
def cli() -> None:
    """headwater: run data jobs and look at what they did.

    Runs are recorded in the instance in HEADWATER_HOME (or DAGSTER_HOME; ~/.headwater
    when neither is set).
    """


for _group in (
    job_group,
    pipeline_group,
    asset_group,
    run_group,
    config_group,
    definitions_group,
    instance_group,
    scaffold_group,
    schedule_group,
    sensor_group,
    pipes_group,
):
    cli.add_command(_group)


def main() -> None:
    """Entry point of the ``headwater`` script."""
    cli(prog_name="headwater")
