"""``headwater.components``: the part of the reference's ``dagster.components`` that fits
headwater's concepts, loading a defs folder of plain Python modules.

The YAML component system (``Component``, ``ComponentLoadContext``, ``defs.yaml``, ...)
is not part of headwater: those names import, and using one raises an error saying so.
"""

from __future__ import annotations

import sys
from typing import Any

from headwater.errors import InvalidDefinitionError
from headwater.location.modules import load_defs, load_from_defs_folder

__all__ = ["components", "load_defs", "load_from_defs_folder"]

# ``dg.components.load_defs`` works after ``import headwater as dg``: the root resolves
# ``components`` lazily from this module, which names itself.
components = sys.modules[__name__]

_UNSUPPORTED = frozenset(
    {
        "Component",
        "ComponentLoadContext",
        "DefinitionsComponent",
        "DefsFolderComponent",
        "FunctionComponent",
        "Model",
        "PythonScriptComponent",
        "Resolvable",
        "ResolutionContext",
        "Resolver",
        "SqlComponent",
        "TemplatedSqlComponent",
        "UvRunComponent",
        "build_component_defs",
        "build_defs_for_component",
        "component_instance",
        "scaffold_component",
    }
)


class _Unsupported:
    """Stands for a YAML-component name: importable, failing clearly on use."""

    def __init__(self, name: str) -> None:
        self._name = name

    def _fail(self, *_args: Any, **_kwargs: Any) -> Any:
        raise InvalidDefinitionError(
            f"dagster.components.{self._name} belongs to the YAML component system, which "
            "headwater does not support; define assets, jobs and Definitions in Python "
            "modules and load the folder with load_from_defs_folder(...)"
        )

    __call__ = _fail

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):  # protocol probes (copy, inspect) get the usual answer
            raise AttributeError(attr)
        return self._fail()

    def __repr__(self) -> str:
        return f"<unsupported dagster.components.{self._name}>"


def __getattr__(name: str) -> Any:
    if name in _UNSUPPORTED:
        return _Unsupported(name)
    raise AttributeError(f"module 'headwater.components' has no attribute {name!r}")
