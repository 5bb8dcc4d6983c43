"""The ``headwater`` command: run jobs, inspect runs and the instance, check and start code.

Each command group lives in its own module; this one names them, and a group's module is
imported when the command line uses it (``headwater job execute`` loads ``cli/job.py``, not
the ten others). Importing it loads click and nothing heavy: storage, rich and YAML load
inside the commands that need them.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

import headwater
from headwater.cli.root import HeadwaterGroup, debug_option

__all__ = ["cli", "main"]

# Command name -> "module:attribute" of its click group.
_GROUPS = {
    "job": "headwater.cli.job:job_group",
    "pipeline": "headwater.cli.job:pipeline_group",
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


class _RootGroup(HeadwaterGroup):
    """The root command: imports a command group's module the first time it is asked for.

    ``commands`` (used by tools that walk the tree, and by click's "no such command"
    suggestions) loads every group.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._lazy = dict(_GROUPS)
        super().__init__(*args, **kwargs)

    @property  # type: ignore[override]
    def commands(self) -> dict[str, click.Command]:
        for name in list(self._lazy):
            self._load(name)
        return self._commands

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._commands = value

    def _load(self, name: str) -> click.Command | None:
        spec = self._lazy.pop(name, None)
        if spec is not None:
            module, _, attribute = spec.partition(":")
            command = getattr(importlib.import_module(module), attribute)
            assert command.name == name, f"{spec} is named {command.name!r}, not {name!r}"
            self._commands[name] = command
        return self._commands.get(name)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self._commands, *self._lazy})


@click.group(cls=_RootGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(headwater.__version__, prog_name="headwater")
@debug_option
def cli() -> None:
    """headwater: run data jobs and look at what they did.

    Runs are recorded in the instance in HEADWATER_HOME (or DAGSTER_HOME; ~/.headwater
    when neither is set).
    """


def main() -> None:
    """Entry point of the ``headwater`` script."""
    cli(prog_name="headwater")
