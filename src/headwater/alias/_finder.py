"""The meta path finder behind the Dagster alias: ``import dagster`` → headwater.

Every module it makes is a fresh module object whose names resolve on first use from the
sources ``_table.PATHS`` gives for its path, then (where the entry says so) from
headwater's root. Nothing is copied: ``dagster._core.errors.DagsterError is
headwater.DagsterError``.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import types
from collections.abc import Mapping, Sequence
from typing import Any

import headwater
from headwater.alias._table import PathEntry

__all__ = ["DAGSTER_VERSION", "AliasFinder", "AliasModule"]

# What ``dagster.__version__`` says under the alias: the Dagster release whose API
# headwater is checked against (tests/parity records it), so that version checks in
# library code (``Version(dagster.__version__) >= Version("1.8")``) pass.
DAGSTER_VERSION = "1.13.29"

_DOCS = "docs/alias.md"


class AliasModule(types.ModuleType):
    """A Dagster module path whose names come from headwater."""

    def __init__(self, name: str, entry: PathEntry) -> None:
        super().__init__(name, f"headwater's stand-in for Dagster's {name!r}")
        self.__path__: list[str] = []  # a package: its listed children import below it
        self._headwater_entry = entry

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # probes such as __wrapped__ or __file__
            raise AttributeError(name)
        value = _resolve(self._headwater_entry, name)
        if value is _MISSING:
            raise AttributeError(
                f"module {self.__name__!r} has no attribute {name!r}: headwater does not "
                f"provide it under the Dagster alias (see {_DOCS})"
            )
        setattr(self, name, value)  # later lookups skip this method
        return value

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(_public_names(self._headwater_entry)))


_MISSING = object()


def _source(name: str) -> types.ModuleType | None:
    """The headwater module ``name``, or None where this build does not have it."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:  # the module exists but an import inside it failed
            raise
        return None


def _resolve(entry: PathEntry, name: str) -> Any:
    for source in entry.sources:
        module = _source(source)
        if module is not None and hasattr(module, name):
            return getattr(module, name)
    if entry.root and not name.startswith("_") and name in headwater.__all__:
        return getattr(headwater, name)
    return _MISSING


def _public_names(entry: PathEntry) -> list[str]:
    names: list[str] = []
    for source in entry.sources:
        module = _source(source)
        if module is None:
            continue
        names.extend(getattr(module, "__all__", [n for n in vars(module) if n[0] != "_"]))
    if entry.root:
        names.extend(n for n in headwater.__all__ if n != "__version__")
    return names


class AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds the paths of ``table`` (and their parents) and makes their modules.

    A path below one of ``tops`` that the table does not list raises ModuleNotFoundError
    naming it, so that code reaching into a Dagster internal fails where it imports it.
    """

    def __init__(self, table: Mapping[str, PathEntry], tops: Sequence[str]) -> None:
        self._tops = frozenset(tops)
        self._table = {path: entry for path, entry in table.items() if _top(path) in self._tops}
        for path in list(self._table):
            parts = path.split(".")
            for end in range(1, len(parts)):
                self._table.setdefault(".".join(parts[:end]), PathEntry(root=False))

    @property
    def tops(self) -> frozenset[str]:
        """The top-level names this finder answers for."""
        return self._tops

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if _top(fullname) not in self._tops:
            return None
        if fullname not in self._table:
            raise ModuleNotFoundError(
                f"{fullname!r} is a Dagster internal that headwater does not provide; "
                f"the Dagster alias maps only the public API and the private paths listed in "
                f"{_DOCS}. Import the public name from 'dagster' instead.",
                name=fullname,
            )
        # The origin shows in the module's repr: <module 'dagster' (headwater's Dagster alias)>
        return importlib.machinery.ModuleSpec(
            fullname, self, origin="headwater's Dagster alias", is_package=True
        )

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = AliasModule(spec.name, self._table[spec.name])
        if spec.name in ("dagster", "dagster.version"):
            module.__version__ = DAGSTER_VERSION  # type: ignore[attr-defined]  # set on a module
        if spec.name == "dagster":
            module.__all__ = [n for n in headwater.__all__ if n != "__version__"]  # type: ignore[attr-defined]  # set on a module
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run: every name resolves on first use."""


def _top(path: str) -> str:
    return path.partition(".")[0]
