"""``headwater instance info|migrate|vacuum`` and how every command finds the instance.

The instance lives in ``HEADWATER_HOME`` (or ``DAGSTER_HOME``, for ported projects). When
neither is set, the CLI uses ``~/.headwater`` so that a first ``headwater job execute`` on a
fresh clone records its run where ``headwater run list`` finds it; the library itself
(``Instance.get()``) still insists on an explicit home.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from headwater.cli.root import debug_option
from headwater.errors import RunNotFoundError

if TYPE_CHECKING:
    from headwater.storage import Instance, Run

__all__ = ["DEFAULT_HOME", "instance_group", "instance_home", "open_instance", "require_run"]

DEFAULT_HOME = Path("~/.headwater")
_HOME_VARS = ("HEADWATER_HOME", "DAGSTER_HOME")


def instance_home() -> tuple[Path, str]:
    """The instance's home folder and where that choice came from (a variable or default)."""
    for name in _HOME_VARS:
        value = os.environ.get(name, "").strip()
        if value:
            return Path(value).expanduser().absolute(), name
    return DEFAULT_HOME.expanduser().absolute(), "default; set HEADWATER_HOME to choose"


def open_instance() -> Instance:
    """The persistent instance every CLI command uses (see the module docstring).

    Raises:
        InstanceError: the home folder or its headwater.yaml is unusable.
        StorageError: the database is unreachable, corrupt, foreign or needs a migration.
    """
    # Deferred: the storage layer (SQLAlchemy) loads only for commands that touch runs.
    from headwater.storage import Instance

    home, source = instance_home()
    if source in _HOME_VARS:
        return Instance.from_config(home)
    return Instance.default_home(home)


def require_run(instance: Instance, run_id: str) -> Run:
    """The run with that id.

    Raises:
        RunNotFoundError: no such run; the message names the instance and how to list runs.
    """
    run = instance.get_run(run_id)
    if run is None:
        where = instance.home or instance.storage.location
        raise RunNotFoundError(
            f"no run with id {run_id!r} in the instance at {where}; "
            "'headwater run list' shows the recorded runs",
            invalid_run_id=run_id,
        )
    return run


@click.group("instance")
def instance_group() -> None:
    """Inspect and maintain the instance (where runs and events are stored)."""


@instance_group.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@debug_option
def info_command(as_json: bool) -> None:
    """Show where the instance keeps its data, its schema version and its size."""
    home, source = instance_home()
    with open_instance() as instance:
        info = instance.info()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "home": str(home),
                    "home_source": source,
                    "location": info.location,
                    "schema_version": info.schema_version,
                    "run_count": info.run_count,
                    "event_count": info.event_count,
                    "retention_days": info.retention_days,
                }
            )
        )
        return
    retention = (
        "keep everything" if info.retention_days is None else f"{info.retention_days:g} days"
    )
    click.echo(f"home:            {home}  ({source})")
    click.echo(f"storage:         {info.location}")
    click.echo(f"schema version:  {info.schema_version or '-'}")
    click.echo(f"runs:            {info.run_count}")
    click.echo(f"events:          {info.event_count}")
    click.echo(f"retention:       {retention}")


@instance_group.command("migrate")
@debug_option
def migrate_command() -> None:
    """Upgrade the instance's database to this headwater's schema version."""
    from headwater.storage import migrate_instance

    result = migrate_instance(instance_home()[0])
    if result.changed:
        before = result.from_revision or "empty"
        click.echo(f"migrated {result.location} from {before} to {result.to_revision}")
    else:
        click.echo(f"{result.location} is up to date (schema version {result.to_revision})")


@instance_group.command("vacuum")
@click.option(
    "--days",
    type=click.FloatRange(min=0, min_open=True),
    help="Retention period to apply (default: retention.days of headwater.yaml).",
)
@debug_option
def vacuum_command(days: float | None) -> None:
    """Drop verbose events of finished runs older than the retention period.

    Run records, step results, materializations and warnings or errors are kept.
    """
    with open_instance() as instance:
        if days is None and instance.info().retention_days is None:
            click.echo(
                "no retention configured: set retention.days in headwater.yaml or pass --days"
            )
            return
        result = instance.vacuum(days=days)
    click.echo(
        f"deleted {result.events_deleted} verbose event(s) from "
        f"{result.runs_considered} old finished run(s)"
    )
