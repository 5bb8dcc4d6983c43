"""Who may use the web server: users and their tokens, roles, the role check on mutations,
and the HTTP layer that finds a request's user (Bearer token or cookie session) and guards
cookie sessions against cross-site requests. docs/webserver.md ("Security") tells the story.
"""

from __future__ import annotations

from headwater.webserver.auth.roles import Role, User
from headwater.webserver.auth.users import InstanceUsers, TokenFile, Users

__all__ = ["InstanceUsers", "Role", "TokenFile", "User", "Users"]
