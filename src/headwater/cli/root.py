"""The ``headwater`` command group, its error handling and the options commands share.

Only click is imported here: ``headwater --help`` must start fast. Each command imports the
heavy parts it needs (storage, rich, YAML) when it runs.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import click

from headwater.errors import HeadwaterError, InvalidConfigError

if TYPE_CHECKING:
    from headwater.cli.loading import CodeTarget

__all__ = [
    "DEBUG_KEY",
    "HeadwaterGroup",
    "LazyGroup",
    "code_options",
    "debug_option",
    "target_from",
]

F = TypeVar("F", bound=Callable[..., Any])

DEBUG_KEY = "headwater.debug"


class LazyGroup(click.Group):
    """A group whose commands named in ``lazy`` (name -> "module:attribute" of the command)
    are imported the first time they are asked for.

    ``commands`` (used by tools that walk the tree, and by click's "no such command"
    suggestions) loads every one.
    """

    def __init__(self, *args: Any, lazy: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        self._lazy = dict(lazy or {})
        self._adding = False
        super().__init__(*args, **kwargs)

    @property  # type: ignore[override]
    def commands(self) -> dict[str, click.Command]:
        if not self._adding:  # click's add_command only stores into the dict
            for name in list(self._lazy):
                self._load(name)
        return self._commands

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._commands = value

    def _load(self, name: str) -> click.Command | None:
        spec = self._lazy.pop(name, None)
        if spec is not None:
            module, _, attribute = spec.partition(":")
            command = getattr(importlib.import_module(module), attribute)
            assert command.name == name, f"{spec} is named {command.name!r}, not {name!r}"
            self._commands[name] = command
        return self._commands.get(name)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        # `@group.command()` adds each command as its module is imported: that must not
        # import the lazy ones.
        self._adding = True
        try:
            super().add_command(cmd, name)
        finally:
            self._adding = False
        self._lazy.pop(name or cmd.name or "", None)  # an added command replaces a lazy one

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self._commands, *self._lazy})


class HeadwaterGroup(click.Group):
    """A group that turns :class:`HeadwaterError` into a short message and exit code 1.

    The traceback is printed only with ``--debug`` (anywhere on the command line) or
    ``HEADWATER_DEBUG=1``; errors that are not ``HeadwaterError`` are bugs and keep theirs.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except HeadwaterError as exc:
            if ctx.meta.get(DEBUG_KEY):
                import traceback  # deferred: only --debug prints one

                traceback.print_exception(exc, file=sys.stderr)
            click.echo(f"Error: {_one_message(exc)}", err=True)
            ctx.exit(1)


def _one_message(exc: HeadwaterError) -> str:
    if isinstance(exc, InvalidConfigError):
        return str(exc)  # every problem, one per line, each with its path
    text = str(exc).strip() or type(exc).__name__
    return " ".join(text.split("\n"))


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta[DEBUG_KEY] = True
    return value


def debug_option(f: F) -> F:
    """``--debug``: print the full traceback of an error (accepted after any command)."""
    return click.option(
        "--debug",
        is_flag=True,
        envvar="HEADWATER_DEBUG",
        expose_value=False,
        is_eager=True,
        callback=_set_debug,
        help="On error, print the full traceback (also HEADWATER_DEBUG=1).",
    )(f)


def code_options(*, short_working_dir: bool = True) -> Callable[[F], F]:
    """``-f/-m/-a/-d``: where user code is (see :class:`headwater.cli.loading.CodeTarget`)."""
    workdir_flags = ("-d", "--working-directory") if short_working_dir else ("--working-directory",)

    def decorate(f: F) -> F:
        for option in reversed(
            (
                click.option(
                    "-f",
                    "--python-file",
                    metavar="FILE",
                    help="Python file that defines the jobs.",
                ),
                click.option(
                    "-m",
                    "--module-name",
                    metavar="MODULE",
                    help="Importable module that defines the jobs.",
                ),
                click.option(
                    "-a",
                    "--attribute",
                    metavar="NAME",
                    help="Use only this module attribute (job, pipeline, Definitions, or a "
                    "function returning one).",
                ),
                click.option(
                    *workdir_flags,
                    "working_directory",
                    metavar="DIR",
                    help="Folder put first on sys.path (default: the current folder).",
                ),
            )
        ):
            f = option(f)
        return f

    return decorate


def target_from(kwargs: dict[str, Any]) -> CodeTarget:
    """Pop the code options from a command's arguments into a ``CodeTarget``."""
    # Deferred: loading imports the definitions layer, which `--help` does not need.
    from headwater.cli.loading import CodeTarget

    return CodeTarget(
        python_file=kwargs.pop("python_file"),
        module_name=kwargs.pop("module_name"),
        attribute=kwargs.pop("attribute"),
        working_directory=kwargs.pop("working_directory"),
    )
