"""docs/internals.md draws the layers that pyproject.toml's import-linter contract checks.

The drawing, the contract and the packages on disk must agree, so that the page stays the
true picture of the code: a new package fails here until it has its line in both.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import headwater

if sys.version_info >= (3, 11):
    import tomllib
else:  # import-linter, which reads the same file, brings tomli on 3.10
    import tomli as tomllib  # type: ignore[import-not-found, no-redef, unused-ignore]

ROOT = Path(__file__).resolve().parents[1]
DRAWING = re.compile(r"## Layers\n.*?```\n(.*?)```", re.S)


def _module(entry: str) -> str:
    """``cli/`` → ``headwater.cli``; ``events.py`` → ``headwater.events``."""
    if entry == "headwater_pipes":
        return entry
    return "headwater." + entry.removesuffix("/").removesuffix(".py")


def drawn_layers(text: str) -> list[list[str]]:
    match = DRAWING.search(text)
    assert match, "docs/internals.md has no ## Layers drawing"
    layers = []
    for line in match.group(1).splitlines():
        names = re.split(r"\s{2,}", line.strip())[0]
        layers.append(sorted(_module(n.strip()) for n in names.split("|")))
    return layers


def contract_layers() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    return [sorted(n.strip() for n in layer.split("|")) for layer in layers]


def test_the_drawing_is_the_contract() -> None:
    assert drawn_layers((ROOT / "docs" / "internals.md").read_text()) == contract_layers()


def test_every_package_and_module_has_a_layer() -> None:
    package = Path(headwater.__file__).parent
    on_disk = {
        f"headwater.{p.name.removesuffix('.py')}"
        for p in package.iterdir()
        if (p.is_dir() and (p / "__init__.py").exists())
        or (p.suffix == ".py" and p.name != "__init__.py")
    }
    layered = {name for layer in contract_layers() for name in layer}
    assert on_disk | {"headwater_pipes"} == layered


def test_a_drawing_line_names_siblings_and_says_what_they_are() -> None:
    text = "## Layers\n\n```\ncli/                 commands\nio/ | storage.py    two\n```\n"
    assert drawn_layers(text) == [["headwater.cli"], ["headwater.io", "headwater.storage"]]


def test_the_root_package_and_the_cli_start_without_the_web_server() -> None:
    # The server's libraries (Starlette, uvicorn, graphql-core) load only when it starts.
    import subprocess

    code = (
        "import sys, headwater, headwater.cli; "
        "from headwater.cli import cli; cli.list_commands(None); "
        "heavy = [m for m in ('headwater.webserver', 'starlette', 'uvicorn', 'graphql') "
        "if m in sys.modules]; print(heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
