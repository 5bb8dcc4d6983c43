"""``headwater scaffold defs headwater.resources PATH``: start a resources module."""

from __future__ import annotations

import keyword
import re
from pathlib import Path

import click

from headwater.cli.root import debug_option
from headwater.errors import InvalidInvocationError, InvariantViolationError

__all__ = ["SCAFFOLD_KINDS", "scaffold_defs", "scaffold_group"]

# The reference spells the kind with its package name; both spellings are accepted.
SCAFFOLD_KINDS = ("headwater.resources", "dagster.resources")

_TEMPLATE = '''"""Resources for this project: the external systems its ops talk to.

Written by `headwater scaffold defs headwater.resources`. Rename, add fields and methods,
then bind the resources to your jobs (see the end of this file).
"""

from __future__ import annotations

from pydantic import Field, PrivateAttr

import headwater as dg


class {cls}(dg.ConfigurableResource):
    """A client for <the system this talks to>. Its fields are its config."""

    base_url: str = Field(
        default="https://example.com/api", description="Where the service answers."
    )
    api_token: str = Field(description="Secret token; pass dg.EnvVar(...) to keep it out of code.")
    timeout_s: float = Field(default=10.0, description="Seconds to wait for an answer.")

    _session: dict[str, str] | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # Runs once per run, before the first op that uses this resource: open connections.
        self._session = {{"Authorization": f"Bearer {{self.api_token}}"}}

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        # Runs when the run is done, even if it failed: close what setup opened.
        self._session = None

    def describe(self) -> str:
        """An example method; ops call methods like this one."""
        return f"{{self.base_url}} (timeout {{self.timeout_s}}s)"


resources = {{
    "{key}": {cls}(api_token=dg.EnvVar("{env}")),
}}
"""Resource key -> resource. An op receives one through a parameter annotated with its
class, named by its key: `def my_op({key}: {cls}) -> None: ...`."""

{hookup}'''

_HOOKUP_DEFINITIONS = '''defs = dg.Definitions(resources=resources)
"""Add your jobs: `dg.Definitions(jobs=[my_job], resources=resources)`."""
'''

_HOOKUP_JOBS = """# Hook-up: bind the resources where your jobs are defined, with
#     @dg.job(resource_defs=resources)   or   my_job.with_resources(resources)
# and, once your project has a Definitions object,
#     dg.Definitions(jobs=[...], resources=resources)
"""


def scaffold_defs(kind: str, path: Path) -> Path:
    """Write a ready-to-edit module of ``kind`` at ``path`` and return the path written.

    Raises:
        InvalidInvocationError: ``kind`` is not one that can be scaffolded, or ``path`` is
            not a valid Python module name.
        InvariantViolationError: ``path`` already exists (nothing is overwritten).
    """
    if kind not in SCAFFOLD_KINDS:
        raise InvalidInvocationError(
            f"cannot scaffold {kind!r}; available: {', '.join(SCAFFOLD_KINDS[:1])}"
        )
    if path.suffix != ".py" or not path.stem.isidentifier() or keyword.iskeyword(path.stem):
        raise InvalidInvocationError(
            f"{str(path)!r} is not a Python module path; give a file such as defs/resources.py"
        )
    if path.exists():
        raise InvariantViolationError(
            f"{path} already exists; not overwriting it (choose another path or move it)"
        )
    cls, key = _names_for(path.stem)
    text = _TEMPLATE.format(cls=cls, key=key, env=f"{key.upper()}_API_TOKEN", hookup=_hookup())
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # "x": never replace a file made meanwhile
        out.write(text)
    return path


def _names_for(stem: str) -> tuple[str, str]:
    """Class name and resource key for a module name: ``warehouse`` → ``WarehouseResource``,
    ``warehouse``; the generic ``resources`` → ``MyResource``, ``my_resource``."""
    base = re.sub(r"_?resources?$", "", stem) or "my"
    camel = "".join(part.capitalize() for part in base.split("_") if part)
    return f"{camel}Resource", base


def _hookup() -> str:
    import headwater

    return _HOOKUP_DEFINITIONS if "Definitions" in headwater.__all__ else _HOOKUP_JOBS


@click.group("scaffold")
def scaffold_group() -> None:
    """Write starting points for new code."""


@scaffold_group.command("defs")
@click.argument("kind", metavar="KIND")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@debug_option
def defs_command(kind: str, path: Path) -> None:
    """Write a module of KIND at PATH; KIND is headwater.resources.

    Refuses to overwrite an existing file.
    """
    written = scaffold_defs(kind, path)
    click.echo(f"wrote {written}; edit it, then bind its resources to your jobs")
