"""Running the application with uvicorn."""

from __future__ import annotations

from headwater.storage import Instance
from headwater.webserver.app import create_app
from headwater.webserver.context import ServerContext
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
) -> None:
    """Serve until interrupted."""
    import uvicorn

    context = ServerContext(instance=instance, workspace=workspace, read_only=read_only)
    app = create_app(context, path_prefix=path_prefix)
    uvicorn.run(app, host=host, port=port, log_level=log_level, ws="websockets-sansio")
