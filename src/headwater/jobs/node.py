"""What ops and graphs share: a named node with inputs and outputs that graphs compose."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from headwater.errors import InvalidDefinitionError
from headwater.jobs.composition import (
    PendingNodeInvocation,
    current_composition,
    record_invocation,
)

if TYPE_CHECKING:
    from collections.abc import Set as AbstractSet

    from headwater.jobs.hooks import HookDefinition
    from headwater.jobs.io import In, Out
    from headwater.jobs.retry import RetryPolicy

__all__ = ["NodeDefinition", "check_valid_name"]

_NAME = re.compile(r"^[A-Za-z0-9_]+$")


def check_valid_name(name: str, *, kind: str) -> str:
    """Return ``name`` if it can name a node, job or resource; raise otherwise."""
    if not _NAME.match(name):
        raise InvalidDefinitionError(
            f"{kind} name {name!r} is not valid: use letters, digits and underscores only"
        )
    return name


class NodeDefinition:
    """Base of ``OpDefinition`` and ``GraphDefinition``: a name, inputs and outputs."""

    def __init__(
        self,
        *,
        name: str,
        input_defs: Mapping[str, In],
        output_defs: Mapping[str, Out],
        description: str | None,
        tags: Mapping[str, str] | None,
    ) -> None:
        self.name = check_valid_name(name, kind="node")
        self.input_defs: dict[str, In] = dict(input_defs)
        self.output_defs: dict[str, Out] = dict(output_defs)
        self.description = description
        self.tags: dict[str, str] = dict(tags or {})

    @property
    def input_names(self) -> list[str]:
        """Input names in declaration order."""
        return list(self.input_defs)

    @property
    def output_names(self) -> list[str]:
        """Output names in declaration order."""
        return list(self.output_defs)

    def alias(self, name: str) -> PendingNodeInvocation:
        """Invoke this node under another name inside a graph body."""
        return PendingNodeInvocation(self, check_valid_name(name, kind="node"), None, None, None)

    def tag(self, tags: Mapping[str, str]) -> PendingNodeInvocation:
        """Invoke this node with extra tags inside a graph body."""
        return PendingNodeInvocation(self, None, tags, None, None)

    def with_retry_policy(self, retry_policy: RetryPolicy) -> PendingNodeInvocation:
        """Invoke this node with a retry policy inside a graph body."""
        return PendingNodeInvocation(self, None, None, None, retry_policy)

    def with_hooks(self, hook_defs: AbstractSet[HookDefinition]) -> PendingNodeInvocation:
        """Invoke this node with hooks attached, inside a graph body."""
        return PendingNodeInvocation(self, None, None, frozenset(hook_defs), None)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if current_composition() is not None:
            return record_invocation(self, args, kwargs)
        return self.invoke_directly(*args, **kwargs)

    def invoke_directly(self, *args: Any, **kwargs: Any) -> Any:
        """Run the node outside any graph (a test calling an op as a function)."""
        raise InvalidDefinitionError(
            f"'{self.name}' can only be called inside a @graph or @job body"
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"
