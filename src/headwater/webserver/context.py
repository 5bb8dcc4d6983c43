"""What every request's resolvers reach: the instance, the workspace, the server's options."""

from __future__ import annotations

import dataclasses
from dataclasses import field
from typing import Any

from headwater._dataclass import dataclass
from headwater.storage import Instance
from headwater.webserver.auth.middleware import USER_KEY
from headwater.webserver.auth.roles import User
from headwater.webserver.limits import QueryLimits
from headwater.webserver.workspace import Workspace

__all__ = ["ServerContext", "request_context"]


@dataclass(slots=True)
class ServerContext:
    """The server's state, shared by all requests.

    Attributes:
        instance: where runs, events and automation state are kept.
        workspace: the code locations served.
        read_only: every mutation answers ``UnauthorizedError``.
        user: the caller of this request (each request gets its own copy of the context);
            ``None`` when auth is off, and then every caller may do everything.
        limits: the depth and complexity limits on queries.
    """

    instance: Instance
    workspace: Workspace
    read_only: bool = False
    user: User | None = None
    limits: QueryLimits = field(default_factory=QueryLimits)


def request_context(context: ServerContext, scope: Any) -> ServerContext:
    """The context one request's resolvers see: the server's, with the request's user."""
    user = scope.get(USER_KEY)
    return context if user is None else dataclasses.replace(context, user=user)
