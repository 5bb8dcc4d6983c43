"""Marking op parameters as resources: ``ResourceParam[T]`` and ``is_resource_annotation``."""

from __future__ import annotations

from typing import Annotated, TypeVar, get_origin

from headwater.resources import _pydantic_hooks
from headwater.resources.definition import ResourceDefinition

__all__ = ["ResourceParam", "TreatAsResourceParam", "is_resource_annotation"]

T = TypeVar("T")

# The same marker string Dagster uses, so ``Annotated[T, "resource_param"]`` written by hand
# is recognized too.
RESOURCE_PARAM_MARKER = "resource_param"

ResourceParam = Annotated[T, RESOURCE_PARAM_MARKER]
"""Annotate an op parameter as a function-style resource of type ``T``.

The parameter's name is the resource key; the op receives the initialized resource.

Example:
    ``@op
    def get_client(client: ResourceParam[Client]) -> None: ...``
"""


class TreatAsResourceParam:
    """Base of plain (non-pydantic) classes whose annotated parameters are resources.

    ``def step(client: PipesSubprocessClient)`` then takes the resource bound under
    ``"client"``, as a ``ConfigurableResource`` annotation would.
    """


def is_resource_annotation(annotation: object) -> bool:
    """Whether a parameter annotation marks a resource parameter.

    True for ``ResourceParam[T]``, a ``ConfigurableResource`` (or factory) subclass and a
    ``ResourceDefinition`` subclass. Cheap, and never imports pydantic: when the pythonic
    module is not loaded no ``ConfigurableResource`` class can exist.

    Args:
        annotation: an evaluated annotation (resolve string annotations first).
    """
    if get_origin(annotation) is Annotated:
        return RESOURCE_PARAM_MARKER in getattr(annotation, "__metadata__", ())
    if not isinstance(annotation, type):
        return False
    if issubclass(annotation, ResourceDefinition | TreatAsResourceParam):
        return True
    pydantic = _pydantic_hooks.registered()
    return pydantic is not None and pydantic.is_resource_class(annotation)
