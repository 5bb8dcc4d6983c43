"""Pointers to jobs that another process can follow: ``reconstructable(job)``.

A job is a value built by importing user code; it cannot travel to another process as is
(its functions are closures, its resources may hold sockets). A ``ReconstructableJob``
names where the job is defined instead (a ``CodePointer``: a module or file and an
attribute), and the step process loads that code again with the one loader
(``headwater.location.code``) and picks the job out of it.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from headwater._dataclass import dataclass
from headwater.errors import InvalidDefinitionError, InvariantViolationError
from headwater.jobs.job import JobDefinition

if TYPE_CHECKING:
    from headwater.location.code import CodePointer

__all__ = ["ReconstructableJob", "build_reconstructable_job", "reconstructable"]

# Jobs loaded in this process, by pointer: a warm worker imports user code once.
_LOADED: dict[ReconstructableJob, JobDefinition] = {}


@dataclass(frozen=True, slots=True)
class ReconstructableJob:
    """Where to find a job again in another process: a job name and a code pointer.

    The code is loaded by the one loader, ``headwater.location.code``, with its rules and
    its ``CodeLoadError``.

    Attributes:
        job_name: the job's name.
        code: the module or file that defines it, and the attribute holding the job, a
            ``Definitions`` or a function returning one of them (``None``: the module is
            searched for the job by name, a ``Definitions`` first).
        mode: for a legacy pipeline of several modes, the mode whose job runs.
    """

    job_name: str
    code: CodePointer
    mode: str | None = None

    @classmethod
    def for_file(
        cls, python_file: str, attribute: str | None = None, *, job_name: str | None = None
    ) -> ReconstructableJob:
        """A pointer to ``attribute`` of ``python_file`` (``job_name`` picks the job out of a
        ``Definitions``; it defaults to ``attribute``)."""
        from headwater.location.code import CodePointer

        return cls(
            _job_name(job_name, attribute, "for_file"), CodePointer.for_file(python_file, attribute)
        )

    @classmethod
    def for_module(
        cls, module_name: str, attribute: str | None = None, *, job_name: str | None = None
    ) -> ReconstructableJob:
        """A pointer to ``attribute`` of the importable module ``module_name``."""
        from headwater.location.code import CodePointer

        return cls(
            _job_name(job_name, attribute, "for_module"),
            CodePointer.for_module(module_name, attribute),
        )

    @property
    def module_name(self) -> str | None:
        """The module that defines the job, when the pointer names one."""
        return self.code.module_name

    @property
    def python_file(self) -> str | None:
        """The file that defines the job, when the pointer names one."""
        return self.code.python_file

    @property
    def attribute(self) -> str | None:
        """The module attribute the job is found through."""
        return self.code.attribute

    def describe(self) -> str:
        """How messages name the pointer: ``job 'x' from module m (attribute 'a')``."""
        where = self.code.describe()
        return f"job '{self.job_name}' from {'file ' if self.code.python_file else ''}{where}"

    def get_definition(self) -> JobDefinition:
        """Import the code (once per process) and return the job.

        Raises:
            CodeLoadError: the code does not import, or holds no such job.
        """
        loaded = _LOADED.get(self)
        if loaded is None:
            # Deferred: location/ is the layer above; defining a pointer does not load code.
            # The alias is deferred too: the CLI makes a pointer for every run it starts.
            from headwater.alias import install_alias_from_env
            from headwater.location.code import find_job

            # A run started under the Dagster alias imports code that says `import dagster`:
            # this process must alias it too (the launcher set HEADWATER_DAGSTER_ALIAS).
            install_alias_from_env()
            loaded = _LOADED[self] = find_job(self.code, self.job_name, mode=self.mode)
        return loaded

    def preload_modules(self) -> list[str]:
        """Modules a warm worker can import ahead of its first step."""
        return [self.code.module_name] if self.code.module_name else []


def _job_name(job_name: str | None, attribute: str | None, method: str) -> str:
    name = job_name or attribute
    if name is None:
        raise InvalidDefinitionError(
            f"ReconstructableJob.{method} needs the attribute holding the job or a job_name"
        )
    return name


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
    return ReconstructableJob(job.name, _pointer_to(module, attribute))


def build_reconstructable_job(
    reconstructor_module_name: str,
    reconstructor_function_name: str,
    reconstructable_args: tuple[object, ...] | None = None,
    reconstructable_kwargs: Mapping[str, object] | None = None,
    reconstructor_working_directory: str | None = None,
) -> ReconstructableJob:
    """A pointer to the job a module-level function builds from arguments, for jobs made
    by a factory (``make_job(n)``) that ``reconstructable`` cannot find at module level.

    The function is called now, to learn the job's name, and again with the same arguments
    in every process that loads the job.

    Args:
        reconstructor_module_name: the importable module defining the function.
        reconstructor_function_name: the function returning the job.
        reconstructable_args: its positional arguments (JSON-able values).
        reconstructable_kwargs: its keyword arguments (JSON-able values).
        reconstructor_working_directory: put first on ``sys.path`` to import the module;
            default: the current directory.

    Returns:
        The pointer, for ``execute_job``.

    Raises:
        InvalidDefinitionError: an argument is not JSON-able, or the function returned
            something other than a job.
        InvariantViolationError: the module has no such function.
        CodeLoadError: the module does not import, or the function raised.

    Example:
        ``execute_job(build_reconstructable_job("my_jobs", "make_job", (3,)), instance)``
    """
    from headwater.location.code import CodePointer, import_code

    arguments = {
        "args": list(reconstructable_args or ()),
        "kwargs": dict(reconstructable_kwargs or {}),
    }
    try:
        encoded = json.dumps(arguments, sort_keys=True)
    except TypeError as exc:
        raise InvalidDefinitionError(
            f"build_reconstructable_job: the arguments of {reconstructor_function_name}() "
            f"must be JSON values (other processes call it again with them): {exc}"
        ) from exc
    code = CodePointer(
        module_name=reconstructor_module_name,
        attribute=reconstructor_function_name,
        working_directory=reconstructor_working_directory or os.getcwd(),
        factory_arguments=encoded,
    )
    module, _ = import_code(replace(code, attribute=None))
    if not callable(getattr(module, reconstructor_function_name, None)):
        found = sorted(n for n, v in vars(module).items() if callable(v) and not n.startswith("_"))
        raise InvariantViolationError(
            f"build_reconstructable_job: {reconstructor_function_name} not found in module "
            f"{reconstructor_module_name} (or not a function); its functions are {found}"
        )
    _, job = import_code(code)
    if not isinstance(job, JobDefinition):
        raise InvalidDefinitionError(
            f"build_reconstructable_job: {reconstructor_module_name}."
            f"{reconstructor_function_name}() returned {job!r}, not a job"
        )
    pointer = ReconstructableJob(job.name, code)
    _LOADED[pointer] = job
    return pointer


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


def _pointer_to(module: ModuleType, attribute: str) -> CodePointer:
    """The pointer another process follows to ``attribute`` of the imported ``module``.

    A module whose name its file's path ends with is pointed at by name, with the folder
    that makes the name importable as working directory; a script's own jobs
    (``__main__``) and a module imported under another name, by file.
    """
    from headwater.location.code import CodePointer

    file = getattr(module, "__file__", None)
    if not file:
        return CodePointer(module_name=module.__name__, attribute=attribute)
    path = Path(file).absolute()
    parts = module.__name__.split(".")
    if path.name == "__init__.py":
        parts.append("__init__")
    if (
        module.__name__ not in ("__main__", "__mp_main__")
        and list(path.with_suffix("").parts[-len(parts) :]) == parts
    ):
        root = str(path.parents[len(parts) - 1])
        return CodePointer(module_name=module.__name__, attribute=attribute, working_directory=root)
    return CodePointer(
        python_file=str(path), attribute=attribute, working_directory=str(path.parent)
    )
