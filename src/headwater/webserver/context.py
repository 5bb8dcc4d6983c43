"""What every request's resolvers reach: the instance, the workspace, the server's options."""

from __future__ import annotations

from dataclasses import dataclass

from headwater.storage import Instance
from headwater.webserver.workspace import Workspace

__all__ = ["ServerContext"]


@dataclass(slots=True)
class ServerContext:
    """The server's state, shared by all requests.

    Attributes:
        instance: where runs, events and automation state are kept.
        workspace: the code locations served.
        read_only: every mutation answers ``UnauthorizedError``.
    """

    instance: Instance
    workspace: Workspace
    read_only: bool = False
