"""The outcome of checking a value against a type (``TypeCheck``), and what builds one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from headwater.metadata import MetadataValue

__all__ = ["TypeCheck", "python_object_check", "normalized_metadata", "type_mismatch"]


def normalized_metadata(metadata: Mapping[str, Any] | None) -> dict[str, MetadataValue]:
    """``metadata`` as ``MetadataValue``s (of a type or of one check's outcome)."""
    if not metadata:  # the built-in types and most checks: no metadata package loaded
        return {}
    from headwater.metadata.normalize import normalize_metadata

    return normalize_metadata(metadata)


class TypeCheck(NamedTuple):
    """The outcome of checking one value against a type.

    Args:
        success: whether the value is of the type.
        description: why it is not (or any note).
        metadata: facts about the check, normalized to ``MetadataValue``s.
    """

    success: bool
    description: str | None = None
    # Plain values are accepted and normalized to ``MetadataValue``s (see ``__new__`` below).
    metadata: Mapping[str, Any] = {}


def _new_type_check(
    cls: type[TypeCheck],
    success: bool,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> TypeCheck:
    return tuple.__new__(cls, (bool(success), description, normalized_metadata(metadata)))


# Metadata given as plain values is normalized on construction, as for check results.
TypeCheck.__new__ = _new_type_check  # type: ignore[method-assign,assignment]  # see above


def type_mismatch(value: object, expected: str) -> TypeCheck:
    """The failed check of a value that is not of the Python type ``expected`` names."""
    kind = type(value).__name__
    return TypeCheck(
        success=False, description=f'Value "{value}" of python type "{kind}" must be a {expected}.'
    )


def python_object_check(
    python_type: type | tuple[type, ...], name: str, type_str: str
) -> Callable[[Any, object], TypeCheck]:
    """The check of a type whose values are instances of ``python_type``, failing in the
    reference's words: ``name`` is the type's, ``type_str`` the class's as the message shows it."""

    def check(_context: Any, value: object) -> TypeCheck:
        if isinstance(value, python_type):
            return TypeCheck(True)
        return TypeCheck(
            False,
            f"Value of type {type(value)} failed type check for Dagster type {name}, "
            f"expected value to be of Python type {type_str}.",
        )

    return check
