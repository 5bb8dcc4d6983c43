"""Write the reference's top-level names to ``tests/compat/reference_names.json``.

Run under the reference interpreter (it needs ``dagster`` and ``dagster_pipes``, never
headwater):

    /work/main/.ref/dagster-1.13/bin/python scripts/snapshot_reference_names.py

For every public root name of ``dagster`` and ``dagster_pipes`` it records the kind of
object (class, function, decorator, instance, constant, type, module), the module that
defines it and, for callables, the parameters of ``inspect.signature`` as
``[name, kind, default]`` (default as ``repr`` when simple, ``"<object>"`` otherwise, or
``null`` when there is none). ``tests/test_compat_table.py`` reads this file, so the
compat table is checked without the reference installed.

Some reference classes show an opaque ``(*args, **kwargs)`` to ``inspect.signature``: records
built by ``dagster_shared.record`` (their ``__new__`` is generated on first call), classes
wrapped by a decorator, and errors whose ``__init__`` pops keyword arguments from
``**kwargs``. For those the entry also holds ``accepts``: the parameters the class really
takes (the record's fields and defaults, a hand-written ``__new__``, or the keywords each
``__init__`` up the class chain reads; ``tests/parity/_accepts.py`` holds the rules, shared
with the parity harness), and ``accepts_from`` says which rule found them.
"""

from __future__ import annotations

import ast
import enum
import importlib
import inspect
import json
import sys
import types
import typing
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "compat" / "reference_names.json"
sys.path.insert(0, str(ROOT / "tests" / "parity"))  # the rules that read opaque signatures

from _accepts import accepted_parameters  # type: ignore[import-not-found]  # noqa: E402

SIMPLE = (type(None), bool, int, float, str)


def exported_names(module: types.ModuleType) -> list[str]:
    """The names a module's ``__init__`` makes public: ``X as X`` imports and own definitions."""
    tree = ast.parse(Path(module.__file__ or "").read_text())
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names += [
                a.asname for a in node.names if a.asname and a.asname == a.name.split(".")[-1]
            ]
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [t.id for t in targets if isinstance(t, ast.Name)]
    return sorted({n for n in names if not n.startswith("_") and hasattr(module, n)})


def default_repr(value: Any) -> str | None:
    if value is inspect.Parameter.empty:
        return None
    if isinstance(value, SIMPLE):
        return repr(value)
    if isinstance(value, (tuple, list, frozenset, set, dict)) and not value:
        return repr(value)
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    return "<object>"


def signature_of(value: Any) -> list[list[str | None]] | None:
    try:
        sig = inspect.signature(value)
    except (TypeError, ValueError):
        return None
    return [[p.name, p.kind.name, default_repr(p.default)] for p in sig.parameters.values()]


def accepts_of(value: Any) -> dict[str, Any]:
    """For an opaque signature, the parameters the class really takes (see the docstring)."""
    found = accepted_parameters(value)
    if found is None:
        return {}
    params, rule = found
    return {
        "accepts": [[name, kind, default_repr(default)] for name, kind, default in params],
        "accepts_from": rule,
    }


def kind_of(name: str, value: Any) -> str:  # noqa: PLR0911 - one answer per kind
    if isinstance(value, types.ModuleType):
        return "module"
    if isinstance(value, type):
        if issubclass(value, Warning):
            return "warning"
        if issubclass(value, BaseException):
            return "error"
        if issubclass(value, enum.Enum):
            return "enum"
        return "class"
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType)):
        return "function"
    if isinstance(value, typing.TypeVar) or type(value).__module__ == "typing":
        return "type"
    if isinstance(value, types.GenericAlias | types.UnionType):
        return "type"
    if isinstance(value, SIMPLE):
        return "constant"
    return "instance"  # a definition object (an executor, an IO manager, a logger)


def describe(module: types.ModuleType) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name in exported_names(module):
        value = getattr(module, name)
        kind = kind_of(name, value)
        entry: dict[str, Any] = {
            "kind": kind,
            "module": getattr(value, "__module__", None) if kind != "module" else value.__name__,
        }
        if kind in {"class", "function", "error", "warning"} and callable(value):
            entry["signature"] = signature_of(value)
            entry.update(accepts_of(value))
        out[name] = entry
    return out


def main() -> None:
    snapshot = {
        "reference": {
            mod: importlib.metadata.version(mod.replace("_", "-"))
            for mod in ("dagster", "dagster_pipes")
        },
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
        "namespaces": {
            mod: describe(importlib.import_module(mod)) for mod in ("dagster", "dagster_pipes")
        },
    }
    OUT.write_text(json.dumps(snapshot, indent=1, sort_keys=True) + "\n")
    counts = {k: len(v) for k, v in snapshot["namespaces"].items()}
    print(f"wrote {OUT} ({counts})")


if __name__ == "__main__":
    import importlib.metadata

    main()
