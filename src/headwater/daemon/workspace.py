"""Workspace files: several code locations for one daemon (``headwater daemon run -w``).

The format::

    load_from:
      - python_file: pipelines/sales.py          # a file, relative to the workspace file
      - python_file:
          relative_path: pipelines/finance.py
          attribute: defs                        # optional: the one attribute to load
          working_directory: pipelines           # optional: put first on sys.path
          location_name: finance                 # optional: default the file's stem
      - python_module: my_company.marketing      # an importable module
      - python_module:
          module_name: my_company.ops
          attribute: defs
          working_directory: .
          location_name: ops

Each entry is a code location: it is imported on its own, its runs are launched from a
warm template of its own, and its schedules and sensors are evaluated by the daemon.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from headwater._dataclass import dataclass
from headwater.daemon.code import LoadedAutomation, load_automation
from headwater.errors import HeadwaterError
from headwater.location.code import CodePointer

__all__ = ["CodeLocation", "EachLocation", "WorkspaceError", "load_workspace", "read_workspace"]

_FILE_KEYS = ("relative_path", "attribute", "working_directory", "location_name")
_MODULE_KEYS = ("module_name", "attribute", "working_directory", "location_name")


class WorkspaceError(HeadwaterError):
    """A workspace file that cannot be read: the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class CodeLocation:
    """One entry of a workspace file.

    Attributes:
        name: the location's name (unique in the workspace).
        pointer: where its code is.
    """

    name: str
    pointer: CodePointer


def read_workspace(path: str | Path) -> list[CodeLocation]:
    """The code locations a workspace file lists, in order.

    Raises:
        WorkspaceError: the file is missing, is not YAML, or an entry is malformed; the
            message says which entry and how to fix it.
    """
    import yaml

    file = Path(path).absolute()
    try:
        raw = yaml.safe_load(file.read_text())
    except OSError as exc:
        raise WorkspaceError(f"cannot read workspace file {file}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise WorkspaceError(f"workspace file {file} is not valid YAML: {exc}") from None
    entries = raw.get("load_from") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not entries:
        raise WorkspaceError(
            f"{file}: expected 'load_from:' with a list of entries, e.g. "
            "'load_from: [{python_file: defs.py}]'"
        )
    locations: list[CodeLocation] = []
    for index, entry in enumerate(entries):
        location = _entry(file, index, entry)
        if any(known.name == location.name for known in locations):
            raise WorkspaceError(
                f"{file}: load_from[{index}]: location name {location.name!r} is used twice; "
                "give one of them 'location_name:'"
            )
        locations.append(location)
    return locations


def _entry(file: Path, index: int, entry: Any) -> CodeLocation:
    where = f"{file}: load_from[{index}]"
    if not isinstance(entry, dict) or len(entry) != 1:
        raise WorkspaceError(f"{where}: expected one of 'python_file: ...' or 'python_module: ...'")
    [(kind, value)] = entry.items()
    base = file.parent
    if kind == "python_file":
        options = _options(where, kind, value, "relative_path", _FILE_KEYS)
        workdir = _path(base, options.get("working_directory"))
        target = Path(options["relative_path"])
        target = target if target.is_absolute() else base / target
        pointer = CodePointer(
            python_file=str(target), attribute=options.get("attribute"), working_directory=workdir
        )
        return CodeLocation(options.get("location_name") or target.stem, pointer)
    if kind == "python_module":
        options = _options(where, kind, value, "module_name", _MODULE_KEYS)
        workdir = _path(base, options.get("working_directory")) or str(base)
        pointer = CodePointer(
            module_name=options["module_name"],
            attribute=options.get("attribute"),
            working_directory=workdir,
        )
        return CodeLocation(options.get("location_name") or options["module_name"], pointer)
    raise WorkspaceError(f"{where}: unknown entry {kind!r}; use 'python_file' or 'python_module'")


def _options(
    where: str, kind: str, value: Any, main: str, allowed: Sequence[str]
) -> dict[str, str]:
    if isinstance(value, str):
        return {main: value}
    if not isinstance(value, dict):
        raise WorkspaceError(f"{where}.{kind}: expected a string or a mapping with {main!r}")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise WorkspaceError(
            f"{where}.{kind}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}"
        )
    if not isinstance(value.get(main), str):
        raise WorkspaceError(f"{where}.{kind}: {main!r} is required")
    return {k: str(v) for k, v in value.items() if v is not None}


def _path(base: Path, value: str | None) -> str | None:
    if value is None:
        return None
    path = Path(value)
    return str(path if path.is_absolute() else base / path)


def load_workspace(path: str | Path) -> list[LoadedAutomation]:
    """Import every code location of a workspace file and collect its schedules and sensors.

    Two locations may each have a schedule or sensor of one name: their state is kept per
    location.

    Raises:
        WorkspaceError: the file is malformed.
        CodeLoadError: a location's code does not load.
    """
    return [load_automation(loc.pointer, location=loc.name) for loc in read_workspace(path)]


class EachLocation:
    """One duty made of the same duty for each code location, run one after the other."""

    def __init__(self, name: str, interval: float, duties: Sequence[Any]) -> None:
        self.name = name
        self.interval = interval
        self._duties = list(duties)

    def run_once(self, now: float) -> list[str]:
        """One pass of each location's duty; their errors together."""
        errors: list[str] = []
        for duty in self._duties:
            errors.extend(duty.run_once(now))
        return errors
