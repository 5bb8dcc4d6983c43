"""The daemon's state of one schedule or sensor, as ``headwater schedule|sensor
start|stop|ticks|cursor`` reach it: found by code location and name.

Two code locations of a workspace may each define a sensor ``orders``; the state of each is
kept under its location. The commands find the location from the code they are given
(``-f``/``-m``: that location; ``-w``: the one location defining NAME), and ``--location``
names it when several do (or, for ``ticks`` and ``cursor``, instead of loading any code).
A ``--location`` that is not one of the given code's locations is an error, naming those:
state written under it would be read by nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from headwater.cli.root import target_from
from headwater.errors import CodeLoadError, InvalidInvocationError

__all__ = ["location_options", "resolve_location"]

_F = TypeVar("_F", bound=Callable[..., Any])


def location_options(f: _F) -> _F:
    """``-w/--workspace`` and ``--location``."""
    f = click.option(
        "--location",
        "location",
        metavar="NAME",
        help="The code location of NAME, when several in the workspace (-w) define one of "
        "that name (default: the one that defines it). With -f/-m it must be that code's "
        "location, the file's or module's name.",
    )(f)
    return click.option(
        "-w",
        "--workspace",
        "workspace",
        metavar="FILE",
        help="A workspace file listing several code locations (instead of -f/-m).",
    )(f)


def _items(found: Any, kind: str) -> dict[str, Any]:
    return dict(found.schedules if kind == "schedule" else found.sensors)


def resolve_location(
    kind: str,
    name: str,
    code: dict[str, Any],
    workspace: str | None,
    location: str | None,
    *,
    needs_code: bool,
) -> str:
    """The code location whose ``kind`` ``name`` a command changes or reads.

    Raises:
        CodeLoadError: no location given defines it.
        InvalidInvocationError: several locations define it and ``--location`` does not
            say which, or no code and no location was given.
    """
    from headwater.daemon.code import load_automation

    target = target_from(code)
    has_code = bool(target.python_file or target.module_name)
    if workspace is not None:
        if has_code:
            raise click.UsageError("give either -w/--workspace or -f/-m, not both")
        return _in_workspace(kind, name, workspace, location)
    if has_code:
        found = load_automation(target)
        items = _items(found, kind)
        if name not in items:
            raise CodeLoadError(
                f"no {kind} named {name!r} in {target.describe()}; {kind}s found: "
                f"{', '.join(sorted(items)) or 'none'}"
            )
        if location is not None and location != found.location:
            # State written under a name no loaded code has is read by nothing.
            raise InvalidInvocationError(
                f"--location {location!r} is not the code location of {target.describe()}, "
                f"which is named {found.location!r}; a daemon started with -w names its "
                "locations as its workspace file does (a file's stem by default): give "
                "-w WORKSPACE instead of -f/-m to reach one of them"
            )
        return found.location
    if location is not None and not needs_code:
        return location
    given = "-f FILE, -m MODULE or -w WORKSPACE" if needs_code else "-f, -m, -w or --location"
    raise InvalidInvocationError(
        f"{kind} state is kept per code location: give the code that defines {name!r} ({given})"
    )


def _in_workspace(kind: str, name: str, workspace: str, location: str | None) -> str:
    from headwater.daemon.workspace import load_workspace

    loaded = load_workspace(workspace)
    owners = [c.location for c in loaded if name in _items(c, kind)]
    if location is not None:
        if location in owners:
            return location
        known = ", ".join(repr(c.location) for c in loaded)
        where = (
            f"code location {location!r} has no {kind} named {name!r}"
            if any(c.location == location for c in loaded)
            else f"workspace {workspace} has no code location named {location!r}"
        )
        raise CodeLoadError(f"{where}; its locations: {known}")
    if not owners:
        found = sorted(f"{n} ({c.location})" for c in loaded for n in _items(c, kind))
        raise CodeLoadError(
            f"no {kind} named {name!r} in workspace {workspace}; {kind}s found: "
            f"{', '.join(found) or 'none'}"
        )
    if len(owners) > 1:
        raise InvalidInvocationError(
            f"{kind} {name!r} is defined by several code locations of workspace {workspace}: "
            f"{', '.join(repr(o) for o in owners)}; say which with --location NAME"
        )
    return owners[0]
