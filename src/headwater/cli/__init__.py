"""The ``headwater`` command: run jobs, inspect runs and the instance, check and start code.

Each command group lives in its own module; this one names them, and a group's module is
imported when the command line uses it (``headwater job execute`` loads ``cli/job.py``, not
the ten others). Importing it loads click and nothing heavy: storage, rich and YAML load
inside the commands that need them.
"""

from __future__ import annotations

import gc

import click

import headwater
from headwater.cli.root import HeadwaterGroup, LazyGroup, debug_option

__all__ = ["cli", "main"]

# Command name -> "module:attribute" of its click group.
_GROUPS = {
    "job": "headwater.cli.job:job_group",
    "pipeline": "headwater.cli.pipeline:pipeline_group",
    "asset": "headwater.cli.asset:asset_group",
    "run": "headwater.cli.run:run_group",
    "config": "headwater.cli.config:config_group",
    "definitions": "headwater.cli.definitions:definitions_group",
    "instance": "headwater.cli.instance:instance_group",
    "scaffold": "headwater.cli.scaffold:scaffold_group",
    "schedule": "headwater.cli.automation:schedule_group",
    "sensor": "headwater.cli.automation:sensor_group",
    "pipes": "headwater.cli.pipes:pipes_group",
    "daemon": "headwater.cli.daemon:daemon_group",
    "backfill": "headwater.cli.backfill:backfill_group",
    "dev": "headwater.cli.dev:dev_command",
    "webserver": "headwater.cli.webserver:webserver_command",
}


class _RootGroup(LazyGroup, HeadwaterGroup):
    """The root command: its command groups load when used; errors become one line."""


@click.group(cls=_RootGroup, lazy=_GROUPS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(headwater.__version__, prog_name="headwater")
@debug_option
def cli() -> None:
    """headwater: run data jobs and look at what they did.

    Runs are recorded in the instance in HEADWATER_HOME (or DAGSTER_HOME; ~/.headwater
    when neither is set).
    """


def main() -> None:
    """Entry point of the ``headwater`` script."""
    # What is alive now (headwater, click, the standard library: a few hundred thousand
    # objects) lives until the process ends. Frozen, the collector stops walking it on each
    # full collection during the command and at exit: 18 M of the ~380 M instructions of
    # `headwater job execute` (issue 10). Code loaded later (user modules, which a web
    # server reload replaces) stays collectable.
    gc.freeze()
    cli(prog_name="headwater")
