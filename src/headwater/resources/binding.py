"""Turning whatever is given where a resource is expected into ``ResourceDefinition``s."""

from __future__ import annotations

import sys
from collections.abc import Mapping

from headwater.resources.definition import ResourceDefinition, _HardcodedResource

__all__ = ["bind_nested", "coerce_resource", "coerce_resources"]


def coerce_resource(obj: object) -> ResourceDefinition:
    """The definition for anything given where a resource is expected.

    A ``ResourceDefinition`` is returned as is; a ``ConfigurableResource`` gives its
    definition (fields are the schema, set values the defaults); any other object becomes a
    hard-coded resource.

    Args:
        obj: a definition, a ``ConfigurableResource`` or a plain value.
    """
    if isinstance(obj, ResourceDefinition):
        return obj
    # The pythonic module (pydantic) is loaded whenever a ConfigurableResource exists, so
    # when it is absent ``obj`` cannot be one and pydantic stays unimported.
    pythonic = sys.modules.get("headwater.resources.pythonic")
    if pythonic is not None:
        definition: ResourceDefinition | None = pythonic.definition_of(obj)
        if definition is not None:
            return definition
    return _HardcodedResource(obj, None)


def coerce_resources(resources: Mapping[str, object]) -> dict[str, ResourceDefinition]:
    """Coerce every value of a key → resource mapping, binding nested resources to keys.

    A ``ConfigurableResource`` attribute that is the very object bound at the top level
    under some key becomes a dependency on that key instead of a private copy.

    Args:
        resources: key → definition, ``ConfigurableResource`` or plain value.
    """
    pythonic = sys.modules.get("headwater.resources.pythonic")
    if pythonic is not None:
        bound: dict[str, ResourceDefinition] = pythonic.bind_resources(resources)
        return bound
    return {key: coerce_resource(value) for key, value in resources.items()}


def bind_nested(defs: Mapping[str, ResourceDefinition]) -> Mapping[str, ResourceDefinition]:
    """``defs`` with nested ``ConfigurableResource`` attributes bound to top-level keys.

    Cheap when there is nothing to bind: the same mapping comes back.
    """
    pythonic = sys.modules.get("headwater.resources.pythonic")
    if pythonic is None:
        return defs
    bound: Mapping[str, ResourceDefinition] = pythonic.rebind(defs)
    return bound
