"""Write docs/cli-reference.md from the ``headwater`` command itself.

Every command, its usage line, its help and its options come from the click objects, so
the reference lists every command there is. ``tests/cli/test_reference_docs.py`` fails
when the file is stale; rerun ``.venv/bin/python scripts/gen_cli_reference.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click

from headwater.cli import cli

OUT = Path(__file__).resolve().parents[1] / "docs" / "cli-reference.md"

HEADER = """\
# `headwater` command reference

Generated from the commands by `scripts/gen_cli_reference.py`; do not edit by hand. The
guide to using them, with examples, is [cli.md](cli.md).

"""


def _walk(
    command: click.Command, path: list[str], parent: click.Context | None = None
) -> Iterator[tuple[list[str], click.Command, click.Context]]:
    # Each context has its parent, as in a real invocation: settings such as the root's
    # help option names (-h) are inherited, and click caches the help option per command.
    ctx = click.Context(
        command, info_name=" ".join(path), parent=parent, **command.context_settings
    )
    yield path, command, ctx
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from _walk(command.commands[name], [*path, name], ctx)


def _options(command: click.Command, ctx: click.Context) -> list[str]:
    rows = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:
            continue
        names, text = record
        escaped = text.replace("|", "\\|")
        rows.append(f"| `{names}` | {escaped} |")
    return rows


def render() -> str:
    """The reference, as Markdown."""
    parts = [HEADER]
    listing = []
    sections = []
    for path, command, ctx in _walk(cli, ["headwater"]):
        name = " ".join(path)
        summary = command.get_short_help_str(limit=80)
        # A group that also runs by itself (`headwater webserver`) gets a section too.
        runs_alone = isinstance(command, click.Group) and command.invoke_without_command
        if isinstance(command, click.Group) and not runs_alone:
            if len(path) > 1:
                listing.append(f"- `{name}`: {summary}")
            continue
        listing.append(f"  - [`{name}`](#{name.replace(' ', '-')}): {summary}")
        usage = " ".join(command.collect_usage_pieces(ctx))
        body = [f"## {name}", "", "```", f"{name} {usage}", "```", ""]
        body += [line.rstrip() for line in (command.help or "").strip().splitlines()]
        rows = _options(command, ctx)
        if rows:
            body += ["", "| option | meaning |", "| --- | --- |", *rows]
        sections.append("\n".join(body) + "\n")
    parts.append("\n".join(listing) + "\n\n")
    parts.append("\n".join(sections))
    return "".join(parts)


def main() -> int:
    OUT.write_text(render())
    print(f"wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
