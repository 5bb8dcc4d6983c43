"""``with_resources``: bind resources to assets before they reach a job or Definitions."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from headwater.assets.definition import AssetsDefinition
from headwater.resources import ResourceDefinition, coerce_resource

__all__ = ["with_resources"]

T = TypeVar("T")


def with_resources(
    definitions: Iterable[T],
    resource_defs: Mapping[str, object],
    resource_config_by_key: Mapping[str, Any] | None = None,
) -> Sequence[T]:
    """Copies of ``definitions`` carrying ``resource_defs`` (their own keys win).

    Args:
        definitions: assets definitions; anything else is returned unchanged.
        resource_defs: key → resource (definition, ``ConfigurableResource`` or value).
        resource_config_by_key: key → ``{"config": ...}``, fixed on that resource.

    Returns:
        The definitions, in order.

    Example:
        ``defs = Definitions(assets=with_resources([my_asset], {"db": db_resource}))``
    """
    bound = {
        key: _configured(key, value, resource_config_by_key) for key, value in resource_defs.items()
    }
    out: list[T] = []
    for definition in definitions:
        if isinstance(definition, AssetsDefinition):
            clone = copy.copy(definition)
            clone.resource_defs = {**bound, **definition.resource_defs}
            out.append(clone)
        else:
            out.append(definition)
    return out


def _configured(key: str, value: object, configs: Mapping[str, Any] | None) -> object:
    entry = (configs or {}).get(key)
    if entry is None:
        return value
    config = entry.get("config") if isinstance(entry, Mapping) and "config" in entry else entry
    definition: ResourceDefinition = coerce_resource(value)
    return definition.configured(config)
