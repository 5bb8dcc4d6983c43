"""docs/cli-reference.md is generated from the commands and lists every one of them."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import click

from headwater.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "gen_cli_reference", ROOT / "scripts" / "gen_cli_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _leaf_commands(group: click.Group, prefix: str) -> set[str]:
    """Every command that runs: the leaves, and groups that also run by themselves."""
    names = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            names |= _leaf_commands(command, f"{prefix} {name}")
            if command.invoke_without_command:
                names.add(f"{prefix} {name}")
        else:
            names.add(f"{prefix} {name}")
    return names


def test_reference_is_up_to_date() -> None:
    text = (ROOT / "docs" / "cli-reference.md").read_text()
    assert text == _generator().render(), (
        "docs/cli-reference.md is stale; run .venv/bin/python scripts/gen_cli_reference.py"
    )


def test_reference_has_a_section_for_every_command() -> None:
    text = (ROOT / "docs" / "cli-reference.md").read_text()
    sections = {line[3:] for line in text.splitlines() if line.startswith("## ")}
    assert sections == _leaf_commands(cli, "headwater")
