"""``headwater pipes``: run external programs as recorded runs."""

from __future__ import annotations

import click

from headwater.cli.root import HeadwaterGroup, debug_option

__all__ = ["pipes_group"]


@click.group("pipes", cls=HeadwaterGroup)
def pipes_group() -> None:
    """Run programs outside Python and record what they report."""


@pipes_group.command(
    "run", context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False}
)
@click.option(
    "--rules",
    "rules_path",
    type=click.Path(exists=True, dir_okay=False),
    help="YAML rules turning output lines into logs, materializations and checks.",
)
@click.option(
    "--asset",
    "asset_keys",
    multiple=True,
    help="An asset key in scope for a program that reports through Pipes (repeatable).",
)
@click.option("--quiet", "-q", is_flag=True, help="Do not echo the program's output.")
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
@debug_option
def run_command_cli(
    rules_path: str | None, asset_keys: tuple[str, ...], quiet: bool, command: tuple[str, ...]
) -> None:
    """Run COMMAND (after --) as a one-step run recorded in the instance.

    The program runs in a Pipes session, so one using headwater_pipes or dagster_pipes
    reports as usual; its stdout/stderr lines become events by the --rules file (without
    one, each line is an INFO log). Read them with `headwater run logs RUN_ID`.
    """
    from headwater.cli.instance import open_instance
    from headwater.pipes.rules import load_rules
    from headwater.pipes.standalone import run_command

    rules = load_rules(rules_path) if rules_path else None
    with open_instance() as instance:
        outcome = run_command(
            list(command), instance=instance, rules=rules, echo=not quiet, asset_keys=asset_keys
        )
    status = "SUCCESS" if outcome.success else "FAILURE"
    click.echo(f"run {outcome.run_id} {status} (exit code {outcome.exit_code})", err=True)
    if not outcome.success:
        raise click.exceptions.Exit(outcome.exit_code or 1)
