"""Turning whatever is given where a resource is expected into ``ResourceDefinition``s."""

from __future__ import annotations

from collections.abc import Mapping

from headwater.resources import _pydantic_hooks
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
    pydantic = _pydantic_hooks.registered()
    if pydantic is not None:
        definition = pydantic.definition_of(obj)
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
    pydantic = _pydantic_hooks.registered()
    if pydantic is not None:
        return pydantic.bind_resources(resources)
    return {key: coerce_resource(value) for key, value in resources.items()}


def bind_nested(defs: Mapping[str, ResourceDefinition]) -> Mapping[str, ResourceDefinition]:
    """``defs`` with nested ``ConfigurableResource`` attributes bound to top-level keys.

    Cheap when there is nothing to bind: the same mapping comes back.
    """
    pydantic = _pydantic_hooks.registered()
    return defs if pydantic is None else pydantic.rebind(defs)
