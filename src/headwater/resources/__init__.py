"""Resources: the external systems a run uses, built once and torn down after.

Light on purpose: ``import headwater.resources`` does not import pydantic. The pydantic
``ConfigurableResource`` lives in ``headwater.resources.pythonic``.
"""

from __future__ import annotations

from headwater.resources.annotations import ResourceParam, is_resource_annotation
from headwater.resources.binding import coerce_resource, coerce_resources
from headwater.resources.context import InitResourceContext, Resources
from headwater.resources.decorator import resource
from headwater.resources.definition import ResourceDefinition
from headwater.resources.lifecycle import ResourceListener, open_resources, resource_init_order
from headwater.resources.testing import build_init_resource_context, build_resources

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
