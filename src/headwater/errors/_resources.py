"""Errors of resources: a key that is not bound, and initialization code that raised."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from headwater.errors._base import HeadwaterError
from headwater.errors._user_code import UserCodeExecutionError

__all__ = [
    "ResourceFunctionError",
    "UnknownResourceError",
]


class UnknownResourceError(HeadwaterError, AttributeError):
    """Code asked for a resource key that is not available where it runs.

    Derives from ``AttributeError`` so that ``hasattr(context.resources, "x")`` works.

    Args:
        resource_name: the key that was asked for.
        *args: further exception arguments, after the message (as for any exception).

    Attributes:
        resource_name: the key that was asked for.
        available: the keys that were available, when known (`among`); ``None`` otherwise.
    """

    reference_name = "DagsterUnknownResourceError"

    def __init__(self, resource_name: str, *args: object) -> None:
        if not isinstance(resource_name, str):
            raise TypeError(
                "UnknownResourceError(resource_name, *args): resource_name must be the "
                f"resource key, a str; got {type(resource_name).__name__} {resource_name!r}"
            )
        self.resource_name = resource_name
        self.available: tuple[str, ...] | None = None
        super().__init__(self._message(), *args)

    @classmethod
    def among(cls, resource_name: str, available: Iterable[str]) -> UnknownResourceError:
        """The error for reading `resource_name` where only `available` are bound; the
        message lists them."""
        error = cls(resource_name)
        error.available = tuple(available)
        error.args = (error._message(),)
        return error

    def _message(self) -> str:
        key = self.resource_name
        listed = ""
        if self.available is not None:
            listed = "; available resources: " + (
                ", ".join(f"'{k}'" for k in self.available) or "none"
            )
        return (
            f"unknown resource '{key}'{listed}. Declare '{key}' in required_resource_keys "
            "(or as a resource parameter) and bind it in the job's resource_defs"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from the key (the reference's pickles take the message for the key).
        state = {"available": self.available, "args": self.args}
        return (type(self), (self.resource_name, *self.args[1:]), state)


class ResourceFunctionError(UserCodeExecutionError):
    """A resource's initialization (or teardown) code raised."""

    reference_name = "DagsterResourceFunctionError"
