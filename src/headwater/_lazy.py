"""Package names that load on first use (PEP 562), shared by the packages that defer them.

A package lists ``name -> module`` in ``_EXPORTS`` and binds what ``lazy_names`` returns:

    __getattr__, __dir__ = lazy_names(__name__, _EXPORTS)

Importing the package then loads none of its modules; the first lookup of a name imports
its module and stores the value in the package, so later lookups never come back here.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module ``__getattr__`` and ``__dir__`` of ``package``, serving ``exports``."""
    namespace = sys.modules[package].__dict__

    def get_attr(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value  # later lookups skip this function
        return value

    def list_names() -> list[str]:
        return sorted({*namespace, *exports})

    return get_attr, list_names


# The ephemeral instance of contexts built outside a run (``build_init_resource_context``,
# ``build_resources``, a resource called directly) comes from storage/, a layer above the
# resources/ that builds them. The root package, which sits above every layer, registers the
# maker here when it is imported (before any of its subpackages), and resources/ calls it
# only when such a context's instance is first read: storage loads then, never before.
_instance_makers: list[Callable[[], Any]] = []


def register_ephemeral_instance(maker: Callable[[], Any]) -> None:
    """Called once, by ``headwater/__init__.py`` as it is imported."""
    _instance_makers[:] = [maker]


def ephemeral_instance() -> Any:
    """A new in-memory instance, from the maker the root package registered.

    Raises:
        RuntimeError: nothing registered it (``headwater`` itself was not imported, which
            importing any of its subpackages does first).
    """
    if not _instance_makers:
        raise RuntimeError(
            "no ephemeral instance maker is registered: import headwater (the root package "
            "registers it) before building a resource context without instance="
        )
    return _instance_makers[0]()
