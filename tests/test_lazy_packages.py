"""The packages whose names load on first use serve exactly the names they declare."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "headwater"
LAZY = ["assets", "metadata", "partitions", "execution", "location"]


def _type_checking_names(package: str) -> set[str]:
    """The names a package's ``if TYPE_CHECKING:`` block imports (what type checkers see)."""
    tree = ast.parse((SRC / package / "__init__.py").read_text())
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for stmt in node.body:
                if isinstance(stmt, ast.ImportFrom):
                    names |= {a.asname or a.name for a in stmt.names}
    return names


@pytest.mark.parametrize("package", LAZY)
def test_exports_all_and_type_checking_imports_agree(package: str) -> None:
    module = importlib.import_module(f"headwater.{package}")
    exports = set(module._EXPORTS)
    assert set(module.__all__) <= exports | set(vars(module)), package
    assert exports <= _type_checking_names(package), sorted(exports - _type_checking_names(package))
    for name in sorted(exports):
        assert getattr(module, name) is getattr(
            importlib.import_module(module._EXPORTS[name]), name
        )
    assert set(dir(module)) >= exports


@pytest.mark.parametrize("package", LAZY)
def test_importing_a_package_loads_none_of_its_modules(package: str) -> None:
    code = (
        "import sys, importlib; importlib.import_module('headwater.' + sys.argv[1]); "
        "print(sorted(m for m in sys.modules if m.startswith('headwater.' + sys.argv[1] + '.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, package], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_an_unknown_name_is_an_attribute_error_naming_the_package() -> None:
    import headwater.metadata

    with pytest.raises(AttributeError, match=r"'headwater\.metadata' has no attribute 'nope'"):
        _ = headwater.metadata.nope


def test_the_root_package_registers_the_ephemeral_instance_maker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from headwater import _lazy
    from headwater.storage import Instance

    made = _lazy.ephemeral_instance()
    assert isinstance(made, Instance) and made.is_ephemeral
    assert _lazy.ephemeral_instance() is not made  # a new one each time

    monkeypatch.setattr(_lazy, "_instance_makers", [])
    with pytest.raises(RuntimeError, match="no ephemeral instance maker is registered"):
        _lazy.ephemeral_instance()
