"""``LazyGroup``: a command group whose commands are imported when first asked for."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from headwater.cli.root import LazyGroup

# A spec whose import fails: any attempt to load it shows in the test.
_MISSING = "headwater_no_such_module:command"


def _group(**lazy: str) -> click.Group:
    @click.group("g", cls=LazyGroup, lazy=lazy)
    def group() -> None:
        """A group."""

    return group


def test_defining_commands_on_the_group_loads_no_lazy_one() -> None:
    group = _group(later=_MISSING)

    @group.command("now")
    def now() -> None:
        click.echo("ran now")

    assert group.list_commands(click.Context(group)) == ["later", "now"]
    result = CliRunner().invoke(group, ["now"])
    assert result.exit_code == 0, result.output
    assert result.output == "ran now\n"


def test_help_lists_a_lazy_command_and_asking_for_it_imports_it() -> None:
    group = _group(reexecute="headwater.cli.control:reexecute_command")
    shown = CliRunner().invoke(group, ["--help"])
    assert shown.exit_code == 0, shown.output
    assert "reexecute" in shown.output
    command = group.get_command(click.Context(group), "reexecute")
    assert command is not None and command.name == "reexecute"


def test_an_added_command_replaces_a_lazy_one_of_its_name() -> None:
    group = _group(same=_MISSING)
    added = click.Command("same", callback=lambda: None)
    group.add_command(added)
    assert group.get_command(click.Context(group), "same") is added
    assert group.list_commands(click.Context(group)) == ["same"]


def test_commands_loads_every_lazy_command() -> None:
    # Tools that walk the tree read `commands`: it must hold every command, not the loaded.
    group = _group(later=_MISSING)
    with pytest.raises(ModuleNotFoundError, match="headwater_no_such_module"):
        _ = group.commands
