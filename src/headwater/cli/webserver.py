"""``headwater webserver``: the GraphQL API and the UI over this instance and some code."""

from __future__ import annotations

from typing import Any

import click

from headwater.cli.root import HeadwaterGroup, code_options, debug_option, target_from

__all__ = ["webserver_command"]

_AUTH_HELP = (
    "A YAML file of users and their tokens' hashes (make one with 'headwater webserver user "
    "add NAME --role ROLE --auth FILE'): turns auth on. Auth is also on when the instance "
    "holds users ('headwater webserver user add' without --auth)."
)


@click.group("webserver", cls=HeadwaterGroup, invoke_without_command=True, no_args_is_help=False)
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
@click.option("--auth", "auth_file", metavar="FILE", help=_AUTH_HELP)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="Without auth, answer requests whose Host is NAME too (repeatable; '*' for any). "
    "The loopback names, --host and IP addresses are always answered; other names are "
    "refused, against DNS rebinding. Give a proxy's public name here.",
)
@click.option(
    "--max-query-depth",
    default=30,
    show_default=True,
    type=click.IntRange(min=1),
    help="Refuse GraphQL queries nested deeper than this many fields.",
)
@click.option(
    "--max-query-complexity",
    default=2500,
    show_default=True,
    type=click.IntRange(min=1),
    help="Refuse GraphQL queries selecting more fields than this (fragments counted each "
    "time they are used).",
)
@click.option(
    "--max-query-tokens",
    default=10_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Refuse GraphQL documents of more lexical tokens than this, while parsing them.",
)
@debug_option
@click.pass_context
def webserver_command(
    ctx: click.Context,
    /,
    workspace_file: str | None,
    host: str,
    port: int,
    read_only: bool,
    path_prefix: str,
    auth_file: str | None,
    allowed_hosts: tuple[str, ...],
    max_query_depth: int,
    max_query_complexity: int,
    max_query_tokens: int,
    **code: Any,
) -> None:
    """Serve the GraphQL API (at /graphql) and the UI for the code given.

    Runs launched here go to the daemon's queue: run `headwater daemon run` beside it.
    `headwater webserver user ...` manages the users who may use it.
    """
    if ctx.invoked_subcommand is not None:
        return
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
    from headwater.webserver.limits import QueryLimits
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
    with open_instance() as instance:
        users = _users(instance, auth_file)
        if users.enabled:
            click.echo("Auth is on: every request needs a user's token", err=True)
        else:
            from headwater.webserver.auth.middleware import is_local_host

            if not is_local_host(host):
                click.echo(
                    f"WARNING: serving on {host}, reachable from other machines, WITHOUT "
                    "auth: anyone who can reach it may launch, terminate and delete runs. "
                    "Add users ('headwater webserver user add NAME --role ROLE') or give "
                    "--auth FILE, or bind --host 127.0.0.1.",
                    err=True,
                )
        click.echo(
            f"Serving headwater on {url} (GraphQL: {url}/graphql); Ctrl-C stops it", err=True
        )
        serve(
            instance,
            workspace,
            host=host,
            port=port,
            read_only=read_only,
            path_prefix=path_prefix,
            users=users,
            allowed_hosts=allowed_hosts,
            limits=QueryLimits(
                max_depth=max_query_depth,
                max_complexity=max_query_complexity,
                max_tokens=max_query_tokens,
            ),
        )


def _users(instance: Any, auth_file: str | None) -> Any:
    from headwater.errors import HeadwaterError
    from headwater.webserver.auth import InstanceUsers, TokenFile, Users

    try:
        return Users(TokenFile(auth_file) if auth_file else None, InstanceUsers(instance))
    except ValueError as exc:
        raise HeadwaterError(str(exc)) from None


@webserver_command.group("user", cls=HeadwaterGroup)
def user_group() -> None:
    """Users of the web server and their tokens (in the instance, or in an --auth file)."""


_FILE_OPTION = click.option(
    "--auth",
    "auth_file",
    metavar="FILE",
    help="Keep the users in this YAML file (the one given to 'headwater webserver --auth') "
    "instead of the instance.",
)


def _store(auth_file: str | None, instance: Any) -> Any:
    from headwater.webserver.auth import InstanceUsers, TokenFile

    if auth_file is None:
        return InstanceUsers(instance)
    from pathlib import Path

    if not Path(auth_file).exists():
        Path(auth_file).write_text("users: {}\n", encoding="utf-8")
        Path(auth_file).chmod(0o600)
    return TokenFile(auth_file)


@user_group.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["viewer", "launcher", "admin"]),
    required=True,
    help="viewer reads; launcher also launches, re-executes and terminates runs; admin also "
    "edits schedules and sensors, deletes runs and reloads code.",
)
@_FILE_OPTION
def user_add(name: str, role: str, auth_file: str | None) -> None:
    """Add user NAME (or give it a new token) and print its token, once.

    Only the token's hash is kept: note the token now. Clients send it as
    'Authorization: Bearer TOKEN'; a browser logs in with it at /login.
    """
    from headwater.cli.instance import open_instance
    from headwater.webserver.auth import Role
    from headwater.webserver.auth.users import new_token

    token = new_token()
    with open_instance() as instance:
        _store(auth_file, instance).add(name, Role.parse(role), token)
    where = auth_file or "the instance"
    click.echo(f"user {name} ({role}) saved in {where}; its token (shown only now):", err=True)
    click.echo(token)


@user_group.command("remove")
@click.argument("name")
@_FILE_OPTION
def user_remove(name: str, auth_file: str | None) -> None:
    """Remove user NAME: its token stops working within seconds."""
    from headwater.cli.instance import open_instance
    from headwater.errors import HeadwaterError

    with open_instance() as instance:
        if not _store(auth_file, instance).remove(name):
            raise HeadwaterError(f"no user {name!r} in {auth_file or 'the instance'}")
    click.echo(f"user {name} removed", err=True)


@user_group.command("list")
@_FILE_OPTION
def user_list(auth_file: str | None) -> None:
    """List users and their roles (tokens are never shown again)."""
    from headwater.cli.instance import open_instance

    with open_instance() as instance:
        users = _store(auth_file, instance).users()
    for name, (role, _digest) in sorted(users.items()):
        click.echo(f"{name}\t{role.label}")
