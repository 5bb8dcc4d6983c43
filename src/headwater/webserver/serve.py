"""Running the application with uvicorn."""

from __future__ import annotations

from headwater.storage import Instance
from headwater.webserver.app import create_app
from headwater.webserver.auth.hosts import AllowedHosts
from headwater.webserver.auth.users import Users
from headwater.webserver.context import ServerContext
from headwater.webserver.limits import QueryLimits
from headwater.webserver.workspace import Workspace

__all__ = ["serve"]


def serve(
    instance: Instance,
    workspace: Workspace,
    *,
    host: str = "127.0.0.1",
    port: int = 3000,
    read_only: bool = False,
    path_prefix: str = "",
    log_level: str = "warning",
    users: Users | None = None,
    limits: QueryLimits | None = None,
    allowed_hosts: tuple[str, ...] = (),
) -> None:
    """Serve until interrupted; ``users`` (a token file, the instance's users) turn auth on.

    Without auth the server answers the loopback names, ``host``, IP addresses and
    ``allowed_hosts`` in ``Host`` (see ``headwater.webserver.auth.hosts``)."""
    import uvicorn

    context = ServerContext(
        instance=instance,
        workspace=workspace,
        read_only=read_only,
        limits=limits or QueryLimits(),
    )
    app = create_app(
        context,
        path_prefix=path_prefix,
        users=users,
        allowed_hosts=AllowedHosts(allowed_hosts, bind_host=host),
    )
    # One process serving one app (no ``workers=``): the browser sessions kept in the auth
    # middleware's memory (auth/store.py) are seen by every request. Several workers would
    # each hold their own and need a shared store instead.
    uvicorn.run(app, host=host, port=port, log_level=log_level, ws="websockets-sansio")
