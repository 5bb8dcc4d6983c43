"""Root types, scalars and the errors every part answers with."""

from __future__ import annotations

import traceback
from typing import Any

from headwater.webserver.schema.registry import sdl, typed

__all__ = ["may_run", "python_error"]

sdl("""
schema { query: Query mutation: Mutation subscription: Subscription }

type Query { version: String! }
type Mutation
type Subscription

"Any JSON value: run config, metadata."
scalar RunConfigData
scalar GenericScalar

interface Error { message: String! }

type PythonError implements Error {
  message: String!
  className: String
  stack: [String!]!
  cause: PythonError
  causes: [PythonError!]!
}

"A mutation refused: the server is read-only, or the caller may not do it."
type UnauthorizedError implements Error { message: String! }

type PipelineTag { key: String! value: String! }
input ExecutionTag { key: String! value: String! }
input AssetKeyInput { path: [String!]! }
type AssetKey { path: [String!]! }

input RepositorySelector { repositoryName: String! repositoryLocationName: String! }
""")


def python_error(exc: BaseException) -> dict[str, Any]:
    """An unexpected failure, as a ``PythonError`` (the message first, then the trace)."""
    return typed(
        "PythonError",
        message=f"{type(exc).__name__}: {exc}",
        className=type(exc).__name__,
        stack=traceback.format_tb(exc.__traceback__),
        cause=None,
        causes=[],
    )


def may_run(context: Any, mutation: str) -> bool:
    """Whether this request's caller may run ``mutation`` (for ``has*Permission`` fields)."""
    from headwater.webserver.auth.roles import required_role

    user = context.user
    return not context.read_only and (user is None or user.role >= required_role(mutation))
