"""The code locations a web server serves: one per ``-f``/``-m``, or those of a workspace file.

Each location is loaded through the one code loader (``headwater.location.code``) for its
jobs and through ``headwater.daemon.load_automation`` for its schedules and sensors. A
location that fails to load is kept with its error, so the server still starts and the API
reports the error where the location is asked for.
"""

from __future__ import annotations

import threading
from dataclasses import field
from pathlib import Path
from typing import Any

from headwater._dataclass import dataclass
from headwater.daemon import LoadedAutomation, load_automation
from headwater.errors import CodeLoadError, HeadwaterError
from headwater.location.code import CodePointer, LoadedCode, forget_code, load_code

__all__ = ["CodeLocation", "Workspace", "location_name", "read_workspace_file"]

REPOSITORY_NAME = "__repository__"  # the one repository a code location holds


def location_name(pointer: CodePointer) -> str:
    """A location's default name: the file's name, or the module's (as the daemon's)."""
    from headwater.daemon.code import default_location_name

    return default_location_name(pointer)


@dataclass(slots=True)
class CodeLocation:
    """One code location: where its code is, and what loading it found (or why it failed)."""

    name: str
    pointer: CodePointer
    code: LoadedCode | None = None
    automation: LoadedAutomation | None = None
    error: str | None = None
    shut_down: bool = False
    load_time: float = 0.0

    def load(self, *, again: bool = False) -> None:
        """Import the location's code (again, from the files as they are now, if ``again``)."""
        import time

        if again:
            forget_code(self.pointer)
        try:
            self.code = load_code(self.pointer)
            self.automation = load_automation(self.pointer, location=self.name)
            self.error = None
        except (CodeLoadError, HeadwaterError) as exc:
            self.code, self.automation, self.error = None, None, str(exc)
        self.shut_down = False
        self.load_time = time.time()

    @property
    def jobs(self) -> dict[str, Any]:
        """Job name → job (pipelines included as their default-mode job)."""
        if self.code is None:
            return {}
        jobs: dict[str, Any] = dict(self.code.jobs)
        for name, pipeline in self.code.pipelines.items():
            jobs.setdefault(name, pipeline)
        return jobs

    def definitions(self) -> Any:
        """The location's ``Definitions`` (one is made for module-level jobs and assets)."""
        from headwater.location.code import get_definitions

        if self.code is None:
            return None
        try:
            return get_definitions(self.code)
        except HeadwaterError:
            return None


@dataclass(slots=True)
class Workspace:
    """The server's code locations, by name; reloads are serialised by a lock."""

    locations: dict[str, CodeLocation] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    @classmethod
    def of(cls, pointers: list[tuple[str, CodePointer]]) -> Workspace:
        """A workspace of these named pointers, each loaded now."""
        workspace = cls()
        for name, pointer in pointers:
            if name in workspace.locations:
                raise CodeLoadError(
                    f"two code locations are named {name!r}; give each a distinct "
                    "location_name in the workspace file"
                )
            location = CodeLocation(name, pointer)
            location.load()
            workspace.locations[name] = location
        return workspace

    def get(self, name: str) -> CodeLocation | None:
        return self.locations.get(name)

    def reload(self, name: str) -> CodeLocation | None:
        with self.lock:
            location = self.locations.get(name)
            if location is not None:
                location.load(again=True)
            return location

    def reload_all(self) -> None:
        with self.lock:
            for location in self.locations.values():
                location.load(again=True)

    def find_job(self, job_name: str, location: str | None = None) -> tuple[CodeLocation, Any]:
        """The location and job named; raises ``KeyError`` with a message when absent."""
        for loc in self.locations.values():
            if location not in (None, loc.name):
                continue
            job = loc.jobs.get(job_name)
            if job is not None:
                return loc, job
        where = f" in code location {location!r}" if location else ""
        raise KeyError(f"Could not find Pipeline {job_name}{where}")


def read_workspace_file(path: str | Path) -> list[tuple[str, CodePointer]]:
    """The named code pointers of a workspace file, read as the daemon reads it
    (``headwater.daemon.workspace``: ``load_from`` entries of ``python_file`` or
    ``python_module``; relative paths are read from the file's folder).

    Raises:
        WorkspaceError: the file is missing or not of that shape.
    """
    from headwater.daemon.workspace import read_workspace

    return [(location.name, location.pointer) for location in read_workspace(path)]
