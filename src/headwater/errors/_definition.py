"""Errors in how headwater's API is used: definitions wired wrongly, and calls made with
arguments, at a moment or for a feature that headwater does not allow."""

from __future__ import annotations

from headwater.errors._base import HeadwaterError

__all__ = [
    "AliasConflictError",
    "InvalidDefinitionError",
    "InvalidInvocationError",
    "InvalidMetadataError",
    "InvalidSubsetError",
    "InvariantViolationError",
    "UnsupportedFeatureError",
]


class InvalidDefinitionError(HeadwaterError, ValueError):
    """An op, graph, job or resource is wired wrongly; raised when definitions are built."""

    reference_name = "DagsterInvalidDefinitionError"


class InvalidSubsetError(InvalidDefinitionError):
    """An op (or solid) selection names nothing the job has, or cannot be parsed."""


class InvariantViolationError(HeadwaterError, RuntimeError):
    """An API was used in a way or at a moment it does not allow."""

    reference_name = "DagsterInvariantViolationError"


class InvalidInvocationError(HeadwaterError, TypeError):
    """A definition (op, resource, ...) was invoked directly with arguments it cannot take."""

    reference_name = "DagsterInvalidInvocationError"


class InvalidMetadataError(HeadwaterError, TypeError):
    """A metadata value has a type that cannot be recorded; the message names its key."""

    reference_name = "DagsterInvalidMetadata"


class UnsupportedFeatureError(HeadwaterError, NotImplementedError):
    """A Dagster name outside headwater's concepts was used: it imports, but does nothing.

    Args:
        name: the name that was used (``Component``).
        feature: the Dagster feature it belongs to (``Dagster's YAML components system``).
        hint: what to do instead, if anything.
    """

    def __init__(self, name: str, feature: str, hint: str = "") -> None:
        self.name = name
        self.feature = feature
        detail = f"; {hint}" if hint else ""
        super().__init__(
            f"`{name}` is part of {feature}, which headwater does not support: the name "
            f"imports so that code loads, but it cannot be used{detail}"
        )


class AliasConflictError(HeadwaterError, ImportError):
    """The Dagster alias was asked for where the real ``dagster`` package is importable."""
