"""The web server: a GraphQL API over the instance, the code locations and the daemon's
queue, and the UI's files. ``headwater webserver -f defs.py`` starts it (docs/webserver.md).

Importing this package loads Starlette and graphql-core, so nothing outside it imports it
except the ``headwater webserver`` command, when it runs.
"""

from __future__ import annotations

from headwater.webserver.app import create_app, run_operation
from headwater.webserver.context import ServerContext
from headwater.webserver.serve import serve
from headwater.webserver.workspace import CodeLocation, Workspace, read_workspace_file

__all__ = [
    "CodeLocation",
    "ServerContext",
    "Workspace",
    "create_app",
    "read_workspace_file",
    "run_operation",
    "serve",
]
