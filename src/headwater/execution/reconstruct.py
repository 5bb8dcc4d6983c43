"""Pointers to jobs that another process can follow: ``reconstructable(job)``.

A job is a value built by importing user code; it cannot travel to another process as is
(its functions are closures, its resources may hold sockets). A ``ReconstructableJob``
names where the job is defined instead (a module or file and an attribute), and the step
process imports that code again and picks the job out of it.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from headwater.alias import install_alias_from_env
from headwater.errors import InvalidDefinitionError
from headwater.jobs.job import JobDefinition

__all__ = ["ReconstructableJob", "reconstructable"]

# Jobs loaded in this process, by pointer: a warm worker imports user code once.
_LOADED: dict[ReconstructableJob, JobDefinition] = {}


@dataclass(frozen=True, slots=True)
class ReconstructableJob:
    """Where to find a job again in another process.

    Attributes:
        job_name: the job's name.
        module_name: an importable module that defines it (tried first).
        python_file: the file that defines it (used when the module cannot be imported).
        attribute: the module attribute holding the job, a ``Definitions`` or a function
            returning one of them; ``None``: the module is searched for the job by name.
        sys_path: folders put on ``sys.path`` before importing (where the module lives).
    """

    job_name: str
    module_name: str | None = None
    python_file: str | None = None
    attribute: str | None = None
    sys_path: tuple[str, ...] = field(default=())

    @classmethod
    def for_file(
        cls, python_file: str, attribute: str | None = None, *, job_name: str | None = None
    ) -> ReconstructableJob:
        """A pointer to ``attribute`` of ``python_file`` (``job_name`` picks the job out of a
        ``Definitions``; it defaults to ``attribute``)."""
        path = str(Path(python_file).absolute())
        name = job_name or attribute
        if name is None:
            raise InvalidDefinitionError(
                "ReconstructableJob.for_file needs the attribute holding the job or a job_name"
            )
        return cls(name, python_file=path, attribute=attribute, sys_path=(str(Path(path).parent),))

    @classmethod
    def for_module(
        cls, module_name: str, attribute: str | None = None, *, job_name: str | None = None
    ) -> ReconstructableJob:
        """A pointer to ``attribute`` of the importable module ``module_name``."""
        name = job_name or attribute
        if name is None:
            raise InvalidDefinitionError(
                "ReconstructableJob.for_module needs the attribute holding the job or a job_name"
            )
        return cls(name, module_name=module_name, attribute=attribute)

    def describe(self) -> str:
        """How messages name the pointer: ``job 'x' from module m (attribute a)``."""
        where = f"module {self.module_name}" if self.module_name else f"file {self.python_file}"
        attr = f", attribute {self.attribute!r}" if self.attribute else ""
        return f"job '{self.job_name}' from {where}{attr}"

    def get_definition(self) -> JobDefinition:
        """Import the code (once per process) and return the job.

        Raises:
            InvalidDefinitionError: the code does not import, or holds no such job.
        """
        loaded = _LOADED.get(self)
        if loaded is None:
            loaded = _LOADED[self] = _find_job(self, _import(self))
        return loaded

    def preload_modules(self) -> list[str]:
        """Modules a warm worker can import ahead of its first step."""
        return [self.module_name] if self.module_name else []


def reconstructable(target: JobDefinition | Callable[[], JobDefinition]) -> ReconstructableJob:
    """A pointer to the job ``target`` that step processes follow to load it again.

    The job must be defined at module level (``@job`` on a top-level function, or assigned
    to a module attribute), or be made by a module-level function taking no arguments
    (``def nightly(): return defs.get_job_def("nightly")``), as in the reference.

    Raises:
        InvalidDefinitionError: no imported module holds ``target`` at its top level.

    Example:
        ``execute_job(reconstructable(my_job), instance=Instance.get())``
    """
    job = target
    if isinstance(job, ReconstructableJob):
        return job
    if not isinstance(job, JobDefinition):
        if not callable(job):
            raise InvalidDefinitionError(
                f"reconstructable() takes a job or a function returning one, got {job!r}"
            )
        job = job()  # the factory is named in the pointer; step processes call it again
        if not isinstance(job, JobDefinition):
            raise InvalidDefinitionError(
                f"reconstructable() was given a function returning {job!r}, not a job"
            )
    found = _module_holding(target)
    if found is None:
        raise InvalidDefinitionError(
            f"reconstructable() cannot find job '{job.name}' at the top level of any imported "
            "module, so another process could not load it again; define it at module level "
            "(not inside a function), or point at it with ReconstructableJob.for_file(path, "
            "attribute) or ReconstructableJob.for_module(module, attribute)"
        )
    module, attribute = found
    file = getattr(module, "__file__", None)
    path = str(Path(file).absolute()) if file else None
    name = module.__name__
    if name in ("__main__", "__mp_main__"):
        # A script's own jobs: the step process imports the script file by its path.
        return ReconstructableJob(
            job.name,
            python_file=path,
            attribute=attribute,
            sys_path=(str(Path(path).parent),) if path else (),
        )
    return ReconstructableJob(
        job.name,
        module_name=name,
        python_file=path,
        attribute=attribute,
        sys_path=_package_root(name, path),
    )


def _module_holding(job: object) -> tuple[ModuleType, str] | None:
    main_hit: tuple[ModuleType, str] | None = None
    for module in list(sys.modules.values()):
        namespace = getattr(module, "__dict__", None)
        if not isinstance(namespace, dict):
            continue
        for attribute, value in namespace.items():
            if value is job:
                if module.__name__ in ("__main__", "__mp_main__"):
                    main_hit = (module, attribute)
                    break
                return module, attribute
    return main_hit


def _package_root(module_name: str, path: str | None) -> tuple[str, ...]:
    """The folder that makes ``module_name`` importable (``/x`` for ``/x/a/b.py`` as a.b)."""
    if path is None:
        return ()
    root = Path(path).parent
    if Path(path).name == "__init__.py":
        root = root.parent
    for _ in range(module_name.count(".")):
        root = root.parent
    return (str(root),)


def _import(pointer: ReconstructableJob) -> ModuleType:
    # A run started under the Dagster alias imports code that says `import dagster`: this
    # process must alias it too (the launcher set HEADWATER_DAGSTER_ALIAS for its children).
    install_alias_from_env()
    for folder in reversed(pointer.sys_path):
        if folder not in sys.path:
            sys.path.insert(0, folder)
    if pointer.module_name:
        try:
            return importlib.import_module(pointer.module_name)
        except ImportError:
            if pointer.python_file is None:
                raise
    assert pointer.python_file is not None  # a pointer names a module or a file
    for module in list(sys.modules.values()):
        # The launching script may already be loaded here (as __mp_main__ in a spawned
        # child): reuse it rather than running its top level a second time.
        file = getattr(module, "__file__", None)
        if file and os.path.abspath(file) == pointer.python_file:
            return module
    name = f"headwater_user_{Path(pointer.python_file).stem}"
    spec = importlib.util.spec_from_file_location(name, pointer.python_file)
    if spec is None or spec.loader is None:
        raise InvalidDefinitionError(f"cannot import {pointer.describe()}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _find_job(pointer: ReconstructableJob, module: ModuleType) -> JobDefinition:
    candidates: list[Any]
    if pointer.attribute is not None:
        if not hasattr(module, pointer.attribute):
            raise InvalidDefinitionError(
                f"cannot load {pointer.describe()}: the module has no attribute "
                f"{pointer.attribute!r}"
            )
        candidates = [getattr(module, pointer.attribute)]
    else:
        # Definitions first: they bind resources a bare module-level job may lack.
        candidates = sorted(
            vars(module).values(), key=lambda v: not callable(getattr(v, "get_job_def", None))
        )
    for value in candidates:
        job = _job_in(value, pointer.job_name, called=pointer.attribute is not None)
        if job is not None:
            return job
    raise InvalidDefinitionError(
        f"cannot load {pointer.describe()}: no job of that name there; the code must define "
        "the same jobs in every process that loads it"
    )


def _job_in(value: Any, name: str, *, called: bool) -> JobDefinition | None:
    if isinstance(value, JobDefinition):
        return value if value.name == name else None
    get_job_def = getattr(value, "get_job_def", None)
    if callable(get_job_def) and callable(getattr(value, "has_job", None)):
        job: JobDefinition | None = get_job_def(name) if value.has_job(name) else None
        return job
    if called and callable(value) and not isinstance(value, type):
        # A factory (or @definitions function) named explicitly: call it for its value.
        return _job_in(value(), name, called=False)
    return None
