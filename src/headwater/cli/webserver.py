"""``headwater webserver``: the GraphQL API and the UI over this instance and some code."""

from __future__ import annotations

from typing import Any

import click

from headwater.cli.root import code_options, debug_option, target_from

__all__ = ["webserver_command"]


@click.command("webserver")
@code_options()
@click.option(
    "-w",
    "--workspace",
    "workspace_file",
    metavar="FILE",
    help="A workspace.yaml listing code locations (load_from: python_file / python_module).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("-p", "--port", default=3000, show_default=True, type=int, help="Port to bind.")
@click.option(
    "--read-only",
    is_flag=True,
    help="Turn every mutation off (launching, terminating, deleting, reloading, "
    "starting and stopping schedules and sensors).",
)
@click.option(
    "--path-prefix",
    default="",
    metavar="PREFIX",
    help="Serve everything under this path, e.g. /headwater (behind a proxy).",
)
@debug_option
def webserver_command(
    workspace_file: str | None,
    host: str,
    port: int,
    read_only: bool,
    path_prefix: str,
    **code: Any,
) -> None:
    """Serve the GraphQL API (at /graphql) and the UI for the code given.

    Runs launched here go to the daemon's queue: run `headwater daemon run` beside it.
    """
    from headwater.cli.instance import open_instance
    from headwater.errors import CodeLoadError

    target = target_from(code)
    given = bool(target.python_file or target.module_name)
    if given and workspace_file:
        raise CodeLoadError("give either -w/--workspace or -f/-m, not both")
    if not given and not workspace_file:
        raise CodeLoadError(
            "say which code to serve: -f defs.py, -m my_package, or -w workspace.yaml"
        )
    if path_prefix and not path_prefix.startswith("/"):
        raise click.BadParameter("must start with '/', e.g. /headwater", param_hint="--path-prefix")
    # Deferred: Starlette, uvicorn and graphql-core load only when the server starts.
    from headwater.webserver import Workspace, read_workspace_file, serve
    from headwater.webserver.workspace import location_name

    pointers = (
        read_workspace_file(workspace_file)
        if workspace_file
        else [(location_name(target), target.absolute())]
    )
    workspace = Workspace.of(pointers)
    for location in workspace.locations.values():
        if location.error is not None:
            click.echo(
                f"warning: code location {location.name} did not load: {location.error}", err=True
            )
    url = f"http://{host}:{port}{path_prefix.rstrip('/')}"
    click.echo(f"Serving headwater on {url} (GraphQL: {url}/graphql); Ctrl-C stops it", err=True)
    with open_instance() as instance:
        serve(
            instance,
            workspace,
            host=host,
            port=port,
            read_only=read_only,
            path_prefix=path_prefix,
        )
