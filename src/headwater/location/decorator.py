"""``@definitions``: a function that builds the ``Definitions`` of a module, on demand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from headwater.errors import InvalidDefinitionError
from headwater.location.definitions import Definitions

__all__ = ["LazyDefinitions", "definitions"]


class LazyDefinitions:
    """A function returning ``Definitions``, called once when code is loaded.

    Calling it returns the (cached) ``Definitions``.
    """

    def __init__(self, fn: Callable[..., Definitions]) -> None:
        self.fn = fn
        self.__name__ = getattr(fn, "__name__", "definitions")
        self.__doc__ = fn.__doc__
        self._built: Definitions | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> Definitions:
        if self._built is None:
            built = self.fn(*args, **kwargs)
            if not isinstance(built, Definitions):
                raise InvalidDefinitionError(
                    f"@definitions function '{self.__name__}' returned {built!r}; it must "
                    "return a Definitions object"
                )
            self._built = built
        return self._built


def definitions(fn: Callable[..., Definitions]) -> LazyDefinitions:
    """Mark a function that returns the module's ``Definitions``; loaders call it lazily.

    Example:
        ``@definitions``
        ``def defs(): return Definitions(assets=[...], resources={...})``
    """
    return LazyDefinitions(fn)
