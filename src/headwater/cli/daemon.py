"""``headwater daemon run|health``: the process that runs schedules, sensors and the queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from headwater.cli.root import HeadwaterGroup, code_options, debug_option, target_from

__all__ = ["daemon_group"]


@click.group("daemon", cls=HeadwaterGroup)
def daemon_group() -> None:
    """Run the daemon and check its health."""


@daemon_group.command("run")
@code_options()
@click.option(
    "-w",
    "--workspace",
    "workspace",
    metavar="FILE",
    help="A workspace file listing several code locations (see docs/deployment.md).",
)
@click.option(
    "--sensor-timeout",
    default=60.0,
    show_default=True,
    help="Seconds one sensor evaluation may take before its tick fails.",
)
@click.option(
    "--cancel-grace",
    default=10.0,
    show_default=True,
    help="Seconds a terminated run may take to stop before its processes are signalled.",
)
@debug_option
def daemon_run_command(
    workspace: str | None, sensor_timeout: float, cancel_grace: float, **code: Any
) -> None:
    """Run the daemon until interrupted: schedules, sensors, the run queue, run monitoring.

    The code is one location (-f/-m) or every location of a workspace file (-w). Without
    either, only the run queue and the run monitor run. Two daemons on one instance do not
    both act: the second waits and takes over when the first stops.
    """
    import logging
    import signal
    import threading

    from headwater.cli.instance import open_instance
    from headwater.daemon import Daemon, load_automation
    from headwater.daemon.code import LoadedAutomation
    from headwater.daemon.workspace import load_workspace

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    target = target_from(code)
    loaded: list[LoadedAutomation] = []
    described = ""
    if workspace is not None:
        if target.python_file or target.module_name:
            raise click.UsageError("give either -w/--workspace or -f/-m, not both")
        loaded = load_workspace(workspace)
        described = f"workspace {workspace} ({len(loaded)} code locations)"
    elif target.python_file or target.module_name:
        loaded = [load_automation(target)]
        described = target.describe()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with open_instance() as instance:
        daemon = Daemon(
            instance, loaded or None, sensor_timeout=sensor_timeout, cancel_grace=cancel_grace
        )
        what = (
            f"{sum(len(c.schedules) for c in loaded)} schedule(s), "
            f"{sum(len(c.sensors) for c in loaded)} sensor(s) from {described}"
            if loaded
            else "no code (run queue and monitor only)"
        )
        click.echo(f"daemon {daemon.daemon_id} started: {what}", err=True)
        daemon.run(stop)
    click.echo("daemon stopped", err=True)


@daemon_group.command("health")
@click.option(
    "--stale-after",
    default=30.0,
    show_default=True,
    help="Seconds without a heartbeat after which a duty counts as down.",
)
@debug_option
def daemon_health_command(stale_after: float) -> None:
    """Print each duty's last heartbeat; exit 1 when one is missing or stale."""
    from headwater.cli.instance import open_instance
    from headwater.daemon import daemon_health

    with open_instance() as instance:
        health = daemon_health(instance, stale_after=stale_after)
    for duty in health:
        if duty.heartbeat is None:
            click.echo(f"{duty.duty:<12} DOWN     never beat")
            continue
        when = datetime.fromtimestamp(duty.heartbeat.timestamp).isoformat(timespec="seconds")
        state = "HEALTHY" if duty.healthy else ("STOPPED" if duty.heartbeat.stopped else "STALE")
        errors = f"  errors: {'; '.join(duty.heartbeat.errors)}" if duty.heartbeat.errors else ""
        click.echo(
            f"{duty.duty:<12} {state:<8} {when} ({duty.age:.0f}s ago) by "
            f"{duty.heartbeat.daemon_id}{errors}"
        )
    if not all(d.healthy for d in health):
        raise click.exceptions.Exit(1)
