"""The hooks the pydantic-based resource classes register when their module is imported.

``headwater.resources.pythonic`` imports pydantic, which costs about 100 ms; code that
never defines a ``ConfigurableResource`` never imports it. No such object can exist before
that module is imported, so until it registers its hooks here, every question below answers
"not a pydantic resource" without loading pydantic.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from headwater._dataclass import dataclass
from headwater.resources.definition import ResourceDefinition

__all__ = ["PydanticResourceHooks", "register", "registered"]


@dataclass(frozen=True)
class PydanticResourceHooks:
    """What ``headwater.resources.pythonic`` answers for the rest of the package."""

    definition_of: Callable[[object], ResourceDefinition | None]
    """The definition a ``ConfigurableResource`` object stands for, else ``None``."""
    bind_resources: Callable[[Mapping[str, object]], dict[str, ResourceDefinition]]
    """Coerce key → resource, binding nested resources to the keys they are bound under."""
    rebind: Callable[[Mapping[str, ResourceDefinition]], Mapping[str, ResourceDefinition]]
    """Definitions with nested resource attributes bound to top-level keys."""
    is_resource_class: Callable[[type], bool]
    """Whether an annotation is a ``ConfigurableResource`` class."""


_registered: list[PydanticResourceHooks] = []


def register(hooks: PydanticResourceHooks) -> None:
    """Called once, by ``headwater.resources.pythonic`` as it is imported."""
    _registered[:] = [hooks]


def registered() -> PydanticResourceHooks | None:
    """The registered hooks, or ``None`` while no pydantic resource class can exist."""
    return _registered[0] if _registered else None
