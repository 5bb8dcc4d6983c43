"""The root surface: exactly what ``headwater.__all__`` lists, every name resolving."""

from __future__ import annotations
import __future__

import ast
import importlib
import inspect
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import headwater
from headwater import _EXPORTS

INIT = Path(headwater.__file__)


def test_root_exports_only_what_all_lists() -> None:
    loaded = {
        n
        for n, v in vars(headwater).items()
        if not n.startswith("_")
        and not isinstance(v, ModuleType)
        # `from __future__ import annotations` binds a compiler directive, not API.
        and not isinstance(v, __future__._Feature)
    }
    assert loaded <= set(headwater.__all__)


@pytest.mark.parametrize("name", sorted(_EXPORTS))
def test_every_exported_name_resolves_from_its_module(name: str) -> None:
    value = getattr(headwater, name)
    assert value is not None
    assert value is getattr(importlib.import_module(_EXPORTS[name]), name)


def test_all_is_the_export_table_and_the_version() -> None:
    # `resources` is the package itself, callable as the reference's function.
    assert set(headwater.__all__) == {"__version__", "resources", *_EXPORTS}
    assert dir(headwater) == sorted(headwater.__all__)


def test_resources_is_the_package_and_callable_like_the_reference() -> None:
    import headwater.resources as package

    assert headwater.resources is package
    assert package() is None  # type: ignore[operator]  # the package's class is callable
    assert not inspect.signature(package).parameters  # type: ignore[arg-type]  # as above
    from headwater.resources import resource

    assert resource is package.resource


def test_unknown_root_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'headwater' has no attribute 'nope'"):
        headwater.nope


def _type_checking_imports() -> dict[str, str]:
    tree = ast.parse(INIT.read_text())
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom)
                for alias in stmt.names:
                    assert alias.asname == alias.name  # `X as X`: an explicit re-export
                    names[alias.name] = stmt.module or ""
    return names


def test_type_checking_block_lists_exactly_the_exports() -> None:
    assert _type_checking_imports() == _EXPORTS


def test_config_any_is_not_shadowed_by_typing_any() -> None:
    from headwater.config import Any as ConfigAny

    assert headwater.Any is ConfigAny


@pytest.mark.parametrize(
    ("dagster_name", "native"),
    [
        ("DagsterError", "HeadwaterError"),
        ("DagsterInvalidConfigError", "InvalidConfigError"),
        ("DagsterInvalidConfigDefinitionError", "InvalidConfigDefinitionError"),
        ("DagsterInvalidDefinitionError", "InvalidDefinitionError"),
        ("DagsterInvariantViolationError", "InvariantViolationError"),
        ("DagsterResourceFunctionError", "ResourceFunctionError"),
        ("DagsterUnknownResourceError", "UnknownResourceError"),
        ("DagsterInvalidInvocationError", "InvalidInvocationError"),
        ("DagsterExecutionStepExecutionError", "StepExecutionError"),
        ("DagsterUserCodeExecutionError", "UserCodeExecutionError"),
        ("DagsterRunNotFoundError", "RunNotFoundError"),
        ("DagsterEventType", "EventType"),
        ("DagsterEvent", "RunEvent"),
        ("DagsterInstance", "Instance"),
        ("DagsterRun", "Run"),
        ("DagsterRunStatus", "RunStatus"),
    ],
)
def test_dagster_spellings_are_the_native_names(dagster_name: str, native: str) -> None:
    assert getattr(headwater, dagster_name) is getattr(headwater, native)


def test_every_error_derives_from_the_root_error() -> None:
    errors = [
        v
        for v in (getattr(headwater, n) for n in _EXPORTS)
        # Warning classes (BetaWarning ...) are warnings, not errors headwater raises.
        if isinstance(v, type) and issubclass(v, Exception) and not issubclass(v, Warning)
    ]
    assert len(errors) >= 10
    assert all(issubclass(e, headwater.HeadwaterError) for e in errors)


def test_import_and_error_spellings_load_no_heavy_package() -> None:
    # `except dg.DagsterInvalidConfigError` is written at the top of user modules: it must
    # cost the error classes, not the instance's storage, the partitions or pydantic.
    code = (
        "import sys, headwater as dg; "
        "dg.InvalidConfigError, dg.DagsterInvalidConfigError, dg.DagsterEventType; "
        "heavy = ('pydantic', 'headwater.storage', 'headwater.partitions'); "
        "loaded = [m for m in heavy if m in sys.modules]; "
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
