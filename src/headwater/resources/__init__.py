"""Resources: the external systems a run uses, built once and torn down after.

Light on purpose: ``import headwater.resources`` does not import pydantic. The pydantic
``ConfigurableResource`` lives in ``headwater.resources.pythonic``.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import TYPE_CHECKING

from headwater._lazy import lazy_names
from headwater.resources.annotations import ResourceParam, is_resource_annotation
from headwater.resources.binding import coerce_resource, coerce_resources
from headwater.resources.context import InitResourceContext, Resources
from headwater.resources.decorator import resource
from headwater.resources.definition import ResourceDefinition
from headwater.resources.lifecycle import ResourceListener, open_resources, resource_init_order

if TYPE_CHECKING:
    from headwater.resources.testing import build_init_resource_context, build_resources

# For tests and code outside runs; a run opens its resources with open_resources.
_EXPORTS = {
    "build_init_resource_context": "headwater.resources.testing",
    "build_resources": "headwater.resources.testing",
}

__all__ = [
    "ResourceDefinition",
    "resource",
    "InitResourceContext",
    "Resources",
    "build_init_resource_context",
    "build_resources",
    "ResourceParam",
    "is_resource_annotation",
    "coerce_resource",
    "coerce_resources",
    "resource_init_order",
    "open_resources",
    "ResourceListener",
]


class _ResourcesPackage(ModuleType):
    """This package, also callable as the reference's top-level ``resources``.

    There, ``dagster.resources`` is a function taking nothing and returning ``None``: a
    marker that project scaffolding points at to write a file of resource definitions. The
    same name here is this package (``import headwater.resources`` must keep working, and
    Python sets the package as the attribute ``headwater.resources`` when it is imported),
    so the package's own class makes it callable with that function's signature and result.
    """

    def __call__(self) -> None:
        """A marker for scaffolding a file of resources; does nothing and returns ``None``."""
        return None


__getattr__, __dir__ = lazy_names(__name__, _EXPORTS)
sys.modules[__name__].__class__ = _ResourcesPackage
