"""headwater_pipes is standard library only, never imports headwater, and is Python 3.9 code."""

from __future__ import annotations

import ast
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import headwater_pipes
from headwater_pipes.protocol import encode_env_var

PACKAGE = Path(headwater_pipes.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_every_module_imports_only_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"headwater_pipes"}
    # Imported only inside a function, guarded by `except ImportError`: the host's pyspark
    # on Databricks, read when present (PipesDbfsMessageWriter), never a dependency.
    optional = {"blobstore.py": {"pyspark"}}
    found = {
        str(p.relative_to(PACKAGE)): imported_roots(p)
        - allowed
        - optional.get(str(p.relative_to(PACKAGE)), set())
        for p in MODULES
    }
    assert {name: sorted(bad) for name, bad in found.items() if bad} == {}
    assert len(MODULES) >= 9


def test_no_module_imports_headwater() -> None:
    assert [str(p) for p in MODULES if "headwater" in imported_roots(p)] == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_parses_as_python_39(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path), feature_version=(3, 9))
    compile(tree, str(path), "exec")


def test_runtime_aliases_avoid_pipe_unions() -> None:
    # `X | None` is fine in postponed annotations but fails when evaluated on 3.9.
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Subscript):
                assert not any(
                    isinstance(n, ast.BinOp) and isinstance(n.op, ast.BitOr)
                    for n in ast.walk(node.value)
                ), f"{path.name}:{node.lineno}"


def test_package_imports_and_validates_under_real_python_39(python39: Path) -> None:
    code = (
        "import headwater_pipes, typing; "
        "from headwater_pipes.protocol import PipesContextData; "
        "typing.get_type_hints(PipesContextData); "
        "print(len(headwater_pipes.__all__), headwater_pipes.load_schema('message')['title'])"
    )
    env = dict(os.environ, PYTHONPATH=str(PACKAGE.parent))
    out = subprocess.run(
        [str(python39), "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == [str(len(headwater_pipes.__all__)), "Pipes", "message"]


def test_root_exports_only_what_all_lists() -> None:
    loaded = {
        n
        for n, v in vars(headwater_pipes).items()
        if not n.startswith("_")
        and not isinstance(v, ModuleType)
        and n not in {"annotations", "TYPE_CHECKING"}
    }
    assert loaded <= set(headwater_pipes.__all__)  # names load lazily, on first use
    for name in headwater_pipes.__all__:
        assert getattr(headwater_pipes, name) is not None


def test_unimplemented_dagster_pipes_names_import_and_raise_when_used() -> None:
    module = importlib.import_module("headwater_pipes")  # names resolved at run time
    unsupported = module.PipesUnsupportedError
    assert "PipesGCSMessageWriter" not in module.__all__
    with pytest.raises(unsupported, match="`PipesGCSMessageWriter` is part of"):
        module.PipesGCSMessageWriter()
    with pytest.raises(unsupported, match="PipesLogWriter"):
        type("Mine", (module.PipesLogWriter,), {})
    with pytest.raises(AttributeError, match="no attribute 'NotAName'"):
        module.NotAName


# Modules an external process that opens Pipes and reports does not need, and once paid for
# (issue 10): typing was a fifth of its start-up; json (with the re and enum it loads) a
# third (headwater_pipes drives the C module _json itself); collections.abc and contextlib
# were imported for annotations and one context manager; importlib and warnings for a lazy
# import and a warning it never gives. logging is one too: `context.log` is a
# logging.Logger, built (and logging imported) when first used, not when taken.
NOT_IMPORTED_BY_OPENING = (
    "typing",
    "base64",
    "json",
    "json.decoder",
    "json.encoder",
    "json.scanner",
    "re",
    "enum",
    "collections",
    "collections.abc",
    "contextlib",
    "functools",
    "importlib",
    "warnings",
    "logging",
)


def _pipes_files(tmp_path: Path, context: dict[str, Any]) -> tuple[Path, dict[str, str]]:
    """The messages file, and the environment of a process that opens Pipes on ``context``
    (written to a file) and writes its messages there."""
    messages = tmp_path / "messages"
    context_file = tmp_path / "context"
    context_file.write_text(json.dumps(context))
    env = dict(
        os.environ,
        PYTHONPATH=str(PACKAGE.parent),
        DAGSTER_PIPES_CONTEXT=encode_env_var({"path": str(context_file)}),
        DAGSTER_PIPES_MESSAGES=encode_env_var({"path": str(messages)}),
    )
    return messages, env


def test_opening_pipes_and_reporting_imports_only_what_it_needs(tmp_path: Path) -> None:
    messages, env = _pipes_files(
        tmp_path, {"asset_keys": ["a"], "run_id": "r", "retry_number": 0, "extras": {}}
    )
    code = (
        "import sys\n"
        # what the interpreter loaded before us (site, .pth files) is not ours to pin
        "before = set(sys.modules)\n"
        "from headwater_pipes import open_dagster_pipes\n"
        "with open_dagster_pipes() as pipes:\n"
        "    pipes.report_asset_materialization(\n"
        "        metadata={'n': 1, 'typed': {'raw_value': 'x', 'type': 'text'}, 'l': [1]}\n"
        "    )\n"
        "    pipes.report_asset_check('c', True, metadata={'n': 2})\n"
        "    pipes.report_custom_message({'any': ['json', 1.5, None]})\n"
        "    pipes.log_external_stream('stderr', 'text')\n"
        f"names = {NOT_IMPORTED_BY_OPENING!r}\n"
        "print(sorted(m for m in names if m in sys.modules and m not in before))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
    sent = [json.loads(line)["method"] for line in messages.read_text().splitlines()]
    assert sent == [
        "opened",
        "report_asset_materialization",
        "report_asset_check",
        "report_custom_message",
        "log_external_stream",
        "closed",
    ]


def test_taking_the_log_loads_no_logging_and_it_is_a_logging_logger(tmp_path: Path) -> None:
    # The benchmark's script (issue 10): `log = context.log`, never logged through, must not
    # import logging; used later, the same object is a logging.Logger whose records arrive.
    messages, env = _pipes_files(tmp_path, {"asset_keys": ["a"], "run_id": "r", "extras": {}})
    code = (
        "import sys\n"
        "from headwater_pipes import open_dagster_pipes\n"
        "with open_dagster_pipes() as pipes:\n"
        "    log = pipes.log\n"
        "    print('logging' in sys.modules, log is pipes.log)\n"
        "    import logging\n"
        "    print(isinstance(log, logging.Logger))\n"
        "    log.warning('%s apples', 3)\n"
        "    print(log is pipes.log, [type(h).__name__ for h in log.handlers])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.splitlines() == ["False True", "True", "True ['PipesLogHandler']"]
    logged = [json.loads(line) for line in messages.read_text().splitlines()]
    assert [m["params"] for m in logged if m["method"] == "log"] == [
        {"message": "3 apples", "level": "WARNING"}
    ]


def test_wire_types_and_type_variables_resolve_on_first_use() -> None:
    import typing

    from headwater_pipes import protocol, writers

    assert typing.get_type_hints(protocol.PipesContextData)["run_id"] is str
    assert isinstance(writers.T_Channel, typing.TypeVar)
    assert headwater_pipes.T_MessageChannel is writers.T_Channel
    # A writer names its channel type by subscription, as the class statement of a subclass.
    from headwater_pipes import PipesMessageWriter, PipesMessageWriterChannel

    class Mine(PipesMessageWriter[PipesMessageWriterChannel]):
        def open(self, params: Any) -> Any:
            return None

    assert issubclass(Mine, headwater_pipes.PipesMessageWriter)
    with pytest.raises(AttributeError, match="no attribute 'NotAType'"):
        protocol.NotAType
