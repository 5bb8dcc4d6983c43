"""User code: where it is (``CodePointer``) and the one loader that imports it.

Every part of headwater that runs user code finds it here: the CLI (``-f/-m/-a/-d``),
``reconstructable`` and the step processes that follow its pointer, and, next, the daemon
and the web server (which also reload it). One set of rules:

- A file inside packages (folders with ``__init__.py``) is imported as part of them, so its
  relative imports work; the folder above the outermost package goes first on ``sys.path``.
- The working directory (default: the current one) goes first on ``sys.path`` before that,
  and a relative file path is read from it.
- A file already imported in this process (by that name, or as the main script) is reused,
  not run a second time; a cached module of the same name from another file is dropped.
- The attribute holds a job, a pipeline, a ``Definitions`` (anything with ``get_job_def``) or
  a function without arguments returning one of them, which is called.
- Every failure is a :class:`CodeLoadError` naming what was asked for, where it was looked
  for and what was found instead; an exception raised by user code points at the user's
  file and line (its ``__cause__`` is the original exception).

This module imports only the job values: loading code that defines plain jobs does not
load storage or the asset packages (CLI start-up is timed).
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import field, fields, replace
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from headwater._dataclass import dataclass
from headwater.errors import CodeLoadError, HeadwaterError
from headwater.jobs.job import JobDefinition

if TYPE_CHECKING:
    import traceback

    from headwater.jobs.legacy import PipelineDefinition
    from headwater.location.definitions import Definitions

__all__ = [
    "CodePointer",
    "LoadedCode",
    "find_job",
    "forget_code",
    "get_definitions",
    "get_job",
    "get_pipeline_job",
    "get_pipeline_preset",
    "import_code",
    "is_definitions",
    "load_code",
    "module_name_for_file",
    "reload_code",
]

_MAIN_NAMES = ("__main__", "__mp_main__")


@dataclass(frozen=True, slots=True)
class CodePointer:
    """Where user code is: a value that can be stored, compared and sent to other processes.

    Exactly one of ``python_file`` and ``module_name`` is set.

    Attributes:
        python_file: a ``.py`` file (relative paths are read from ``working_directory``).
        module_name: an importable module or package.
        attribute: the one module attribute to use: a job, a pipeline, a ``Definitions``
            object, or a function without arguments returning one of them; ``None``: the
            whole module is searched.
        working_directory: put first on ``sys.path`` before importing; default: the current
            directory of the process that loads the code.
        factory_arguments: when ``attribute`` is a function, the arguments it is called
            with, as JSON ``{"args": [...], "kwargs": {...}}`` (``build_reconstructable_job``);
            kept as text so that the pointer stays hashable and travels as JSON.
    """

    python_file: str | None = None
    module_name: str | None = None
    attribute: str | None = None
    working_directory: str | None = None
    factory_arguments: str | None = None

    @classmethod
    def for_file(
        cls, python_file: str, attribute: str | None = None, working_directory: str | None = None
    ) -> CodePointer:
        """A pointer to ``python_file`` (made absolute, so that any process can follow it)."""
        return cls(
            python_file=str(Path(python_file).absolute()),
            attribute=attribute,
            working_directory=working_directory,
        )

    @classmethod
    def for_module(
        cls, module_name: str, attribute: str | None = None, working_directory: str | None = None
    ) -> CodePointer:
        """A pointer to the importable module ``module_name``."""
        return cls(
            module_name=module_name, attribute=attribute, working_directory=working_directory
        )

    def absolute(self) -> CodePointer:
        """The same code, with paths that do not depend on the current directory."""
        workdir = Path(self.working_directory or os.getcwd()).absolute()
        python_file = self.python_file
        if python_file is not None and not Path(python_file).is_absolute():
            python_file = str(workdir / python_file)
        return replace(self, python_file=python_file, working_directory=str(workdir))

    def with_attribute(self, attribute: str | None) -> CodePointer:
        """The same module, another attribute."""
        return replace(self, attribute=attribute)

    def to_dict(self) -> dict[str, str]:
        """The set fields, for JSON (``CodePointer.from_dict`` reads it back)."""
        return {f.name: v for f in fields(self) if (v := getattr(self, f.name)) is not None}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CodePointer:
        """The pointer ``to_dict`` wrote.

        Raises:
            CodeLoadError: ``data`` has keys a pointer does not know.
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise CodeLoadError(
                f"not a code pointer: unknown keys {unknown}; expected some of {sorted(known)}"
            )
        return cls(**{k: str(v) for k, v in data.items() if v is not None})

    def describe(self) -> str:
        """How messages name the code: the file as given, or ``module x``."""
        where = self.python_file if self.python_file else f"module {self.module_name}"
        return f"{where} (attribute {self.attribute!r})" if self.attribute else where

    def origin(self) -> str:
        """The CLI options that load this code again (``-f jobs.py -a defs``)."""
        parts = [f"-f {self.python_file}" if self.python_file else f"-m {self.module_name}"]
        if self.attribute:
            parts.append(f"-a {self.attribute}")
        return " ".join(parts)


@dataclass(slots=True)
class LoadedCode:
    """The jobs and pipelines found in user code.

    Attributes:
        target: where they came from.
        jobs: job name → job (resources bound, ready to run).
        pipelines: pipeline name → legacy pipeline.
        definitions: the ``Definitions`` found, if any.
        assets: module-level assets, specs and checks (when there is no ``Definitions``).
        module: the imported module.
    """

    target: CodePointer
    jobs: dict[str, JobDefinition] = field(default_factory=dict)
    pipelines: dict[str, PipelineDefinition] = field(default_factory=dict)
    definitions: Any = None
    assets: list[Any] = field(default_factory=list)
    module: ModuleType | None = None


# loading --------------------------------------------------------------------------------


def load_code(target: CodePointer) -> LoadedCode:
    """Import the code ``target`` names and collect its jobs and pipelines.

    With an attribute, only that object is used. Without one, a module-level
    ``Definitions``-like object wins (its jobs, with its resources bound); otherwise every
    module-level job and pipeline is collected.

    Raises:
        CodeLoadError: the file or module does not exist, importing it raised, the attribute
            is missing or of the wrong kind, or two different jobs share a name.
    """
    module, value = import_code(target)
    loaded = LoadedCode(target, module=module)
    if target.attribute:
        _collect(loaded, target.attribute, value)
        if not loaded.jobs and not loaded.pipelines:
            raise CodeLoadError(
                f"{target.describe()}: expected a job, a pipeline, a Definitions object or a "
                f"function returning one, got {type(getattr(module, target.attribute)).__name__}"
            )
        return loaded
    definitions = [(name, value) for name, value in vars(module).items() if is_definitions(value)]
    if len(definitions) > 1:
        names = ", ".join(name for name, _ in definitions)
        raise CodeLoadError(
            f"{target.describe()} has several Definitions objects ({names}); choose one with -a"
        )
    if definitions:
        _collect(loaded, *definitions[0])
        return loaded
    for name, value in vars(module).items():
        if isinstance(value, (JobDefinition, _pipeline_type())):
            _collect(loaded, name, value)
        elif _is_asset_like(value):
            loaded.assets.append(value)
    return loaded


def reload_code(target: CodePointer) -> LoadedCode:
    """Import the code ``target`` names again, from the files as they are now.

    Every module imported from the code's folders (the working directory and the folder
    its file or package lives in) is dropped first, so that a changed helper module is read
    again too; headwater itself and installed packages are kept.

    Raises:
        CodeLoadError: as ``load_code``; the modules dropped stay dropped.
    """
    forget_code(target)
    return load_code(target)


def forget_code(target: CodePointer) -> list[str]:
    """Drop the modules imported from ``target``'s folders; return their names.

    The next import reads them from disk again (a bytecode cache older than its source is
    removed: Python would trust one written in the same second with the same size).
    """
    roots = _code_roots(target)
    keep = _kept_roots()
    dropped = []
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if not file or name in _MAIN_NAMES:
            continue
        path = os.path.realpath(file)
        if not any(_inside(path, root) for root in roots) or any(_inside(path, k) for k in keep):
            continue
        del sys.modules[name]
        dropped.append(name)
        _remove_stale_bytecode(path, getattr(module, "__cached__", None))
    importlib.invalidate_caches()
    return dropped


def import_code(
    target: CodePointer, *, keep: tuple[type, ...] = ()
) -> tuple[ModuleType, object | None]:
    """Import the module ``target`` names; with an attribute, also the object it holds.

    The one place a pointer is interpreted: for jobs here, for schedules and sensors in
    ``cli/automation.py``, and for the job of a step process (``find_job``).

    Args:
        target: the code.
        keep: callable types the attribute may hold that are used as they are (schedules,
            sensors); any other function is a factory, called without arguments.

    Returns:
        The module, and the attribute's object (``None`` without an attribute).

    Raises:
        CodeLoadError: neither or both of file and module; importing (or the factory)
            raised; the module has no such attribute (the message lists those it could load).
    """
    if bool(target.python_file) == bool(target.module_name):
        raise CodeLoadError(
            "no code to load: pass a Python file with -f path/to/file.py "
            "or a module with -m package.module (one of them)"
        )
    module = _import_target(target)
    if not target.attribute:
        return module, None
    if not hasattr(module, target.attribute):
        found = ", ".join(sorted(_loadable_names(module, keep))) or "none"
        raise CodeLoadError(
            f"{target.describe()}: the module has no attribute {target.attribute!r}; "
            f"attributes headwater can load: {found}"
        )
    value = getattr(module, target.attribute)
    return module, value if isinstance(value, keep) else _call_if_factory(target, value)


def find_job(target: CodePointer, name: str, *, mode: str | None = None) -> JobDefinition:
    """The job called ``name`` in the code ``target`` names, resolving only that job.

    Without an attribute, a module-level ``Definitions`` is asked first (it binds resources
    that a module-level job of the same name lacks), then module-level jobs, then legacy
    pipelines: a pipeline answers the job of its ``mode`` (its only mode when ``None``).

    Raises:
        CodeLoadError: the code does not load, or defines no job of that name (the message
            lists the jobs it does define), or the pipeline has no such mode.
    """
    module, value = import_code(target)
    if target.attribute:
        candidates = [value]
    else:  # Definitions first
        candidates = sorted(vars(module).values(), key=lambda v: not is_definitions(v))
    for candidate in candidates:
        job = _job_in(candidate, name)
        if job is not None:
            return job
    for candidate in candidates:
        if isinstance(candidate, _pipeline_type()) and candidate.name == name:
            try:
                return candidate.get_job(mode)
            except HeadwaterError as exc:  # an unknown mode, or several and none chosen
                raise CodeLoadError(str(exc)) from exc
    found = ", ".join(sorted({n for c in candidates for n in _job_names(c)})) or "none"
    raise CodeLoadError(
        f"no job named {name!r} in {target.describe()}; found jobs: {found}; the code must "
        "define the same jobs in every process that loads it"
    )


def is_definitions(value: object) -> bool:
    """Duck-typed ``Definitions``: anything (not a class or module) that hands out jobs by
    name. A module is skipped before it is asked: ``import headwater as dg`` would answer
    ``dg.get_job_def`` with a placeholder for a Dagster name headwater does not have."""
    if isinstance(value, (type, ModuleType)) or not callable(getattr(value, "get_job_def", None)):
        return False
    return callable(getattr(value, "get_all_job_defs", None)) or hasattr(value, "jobs")


def _is_asset_like(value: object) -> bool:
    """An asset, asset check or asset spec (external asset) defined at module level."""
    # Only a value whose class headwater.assets defines can be one, and then that package is
    # already imported: code that defines only jobs never pays for loading it (CLI start-up
    # is timed).
    if not type(value).__module__.startswith("headwater.assets."):
        return False
    from headwater import assets

    kinds = (assets.AssetsDefinition, assets.AssetChecksDefinition, assets.AssetSpec)
    return isinstance(value, kinds)


# what was loaded ------------------------------------------------------------------------


def get_definitions(code: LoadedCode) -> Definitions:
    """The code's ``Definitions``, or one made of its module-level assets and checks.

    Raises:
        CodeLoadError: the code has no assets at all.
    """
    from headwater.assets import AssetChecksDefinition, AssetsDefinition, AssetSpec
    from headwater.location.definitions import Definitions

    if isinstance(code.definitions, Definitions):
        return code.definitions
    if not code.assets:
        raise CodeLoadError(
            f"{code.target.describe()} has no assets: define @asset functions at module level "
            "or a Definitions(assets=[...]) object"
        )
    assets: list[Any] = [a for a in code.assets if isinstance(a, AssetsDefinition)]
    checks = [a for a in code.assets if isinstance(a, AssetChecksDefinition)]
    # A module-level spec is an external asset, unless it is the spec of an asset defined
    # here (a @multi_asset(specs=[...]) written with named specs).
    computed = {key for definition in assets for key in definition.keys}
    assets += [a for a in code.assets if isinstance(a, AssetSpec) and a.key not in computed]
    return Definitions(assets=assets, asset_checks=checks)


def get_job(code: LoadedCode, name: str | None) -> JobDefinition:
    """The job called ``name``; the only job when ``name`` is ``None``.

    Raises:
        CodeLoadError: no such job (the message lists the jobs found), or no name was given
            while there are several.
    """
    where = code.target.describe()
    if name is None:
        if len(code.jobs) == 1:
            return next(iter(code.jobs.values()))
        if not code.jobs:
            raise CodeLoadError(f"no jobs found in {where}{_pipelines_hint(code)}")
        raise CodeLoadError(
            f"{where} has several jobs ({', '.join(code.jobs)}); choose one with -j NAME"
        )
    job = code.jobs.get(name)
    if job is None:
        found = ", ".join(code.jobs) or "none"
        raise CodeLoadError(
            f"no job named {name!r} in {where}; found jobs: {found}{_pipelines_hint(code)}"
        )
    return job


def get_pipeline_job(code: LoadedCode, name: str | None, mode: str | None) -> JobDefinition:
    """The job that runs pipeline ``name`` (the only one when ``None``) in ``mode``.

    Raises:
        CodeLoadError: no such pipeline (the message lists those found) or no such mode
            (the message lists the pipeline's modes).
    """
    pipeline = _get_pipeline(code, name)
    if mode is not None and mode not in pipeline.mode_names:
        raise CodeLoadError(
            f"pipeline {pipeline.name!r} has no mode {mode!r}; its modes: "
            f"{', '.join(pipeline.mode_names)}"
        )
    try:
        return pipeline.get_job(mode)
    except HeadwaterError as exc:  # several modes and none chosen
        raise CodeLoadError(str(exc)) from exc


def get_pipeline_preset(
    code: LoadedCode, name: str | None, preset: str
) -> tuple[JobDefinition, dict[str, Any], dict[str, str]]:
    """The job, run config and tags that preset ``preset`` of pipeline ``name`` gives.

    Raises:
        CodeLoadError: no such pipeline or preset (the message lists the presets), or the
            preset selects solids (not supported from the command line).
    """
    pipeline = _get_pipeline(code, name)
    found = [p for p in pipeline.preset_defs if p.name == preset]
    if not found:
        names = ", ".join(p.name for p in pipeline.preset_defs) or "none"
        raise CodeLoadError(
            f"pipeline {pipeline.name!r} has no preset {preset!r}; its presets: {names}"
        )
    chosen = found[0]
    if chosen.solid_selection:
        raise CodeLoadError(
            f"preset {preset!r} selects solids, which `headwater pipeline execute` does not "
            "support; run it with execute_pipeline(..., preset=...)"
        )
    job = get_pipeline_job(code, name, chosen.mode)
    return job, dict(chosen.run_config or {}), {k: str(v) for k, v in chosen.tags.items()}


def _get_pipeline(code: LoadedCode, name: str | None) -> PipelineDefinition:
    where = code.target.describe()
    if name is None and len(code.pipelines) == 1:
        pipeline = next(iter(code.pipelines.values()))
    elif name is None:
        found = ", ".join(code.pipelines) or "none"
        raise CodeLoadError(f"choose a pipeline with -p NAME; pipelines in {where}: {found}")
    elif name in code.pipelines:
        pipeline = code.pipelines[name]
    else:
        found = ", ".join(code.pipelines) or "none"
        raise CodeLoadError(f"no pipeline named {name!r} in {where}; found pipelines: {found}")
    return pipeline


# importing ------------------------------------------------------------------------------


def _import_target(target: CodePointer) -> ModuleType:
    workdir = Path(target.working_directory or os.getcwd())
    if not workdir.is_dir():
        raise CodeLoadError(f"working directory {str(workdir)!r} (given with -d) does not exist")
    _prepend_path(workdir.resolve())
    if target.python_file:
        path = Path(target.python_file)
        if not path.is_absolute():
            path = workdir / path
        if not path.is_file():
            raise CodeLoadError(f"no such file: {target.python_file!r} (given with -f)")
        path = path.resolve()
        package_root, module_name = module_name_for_file(path)
        _prepend_path(package_root)
        loaded = _already_loaded(module_name, path)
        return loaded if loaded is not None else _import(module_name, target)
    assert target.module_name is not None  # import_code checked that one of the two is set
    return _import(target.module_name, target)


def module_name_for_file(path: Path) -> tuple[Path, str]:
    """The folder to put on ``sys.path`` and the dotted name to import ``path`` by.

    A file inside packages (folders with ``__init__.py``) is imported as part of them, so
    that its relative imports work, as pytest's ``prepend`` import mode does.
    """
    parts = [] if path.stem == "__init__" else [path.stem]
    folder = path.parent
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        parts.insert(0, folder.name)
        folder = folder.parent
    return folder, ".".join(parts)


def _already_loaded(module_name: str, path: Path) -> ModuleType | None:
    """The module imported from ``path`` in this process, if any, by whatever name.

    The launching script counts (``__main__``, or ``__mp_main__`` in a spawned child): its
    top level is not run a second time. A cached module of the same name that came from
    another file (``jobs.py`` of another project loaded earlier) is dropped.
    """
    wanted = str(path)
    for module in (sys.modules.get(module_name), *map(sys.modules.get, _MAIN_NAMES)):
        file = getattr(module, "__file__", None)
        if file is not None and os.path.realpath(file) == wanted:
            return module
    sys.modules.pop(module_name, None)
    for module in list(sys.modules.values()):  # loaded by another name (spec_from_file_location)
        file = getattr(module, "__file__", None)
        if file is not None and file.endswith(path.name) and os.path.realpath(file) == wanted:
            return module
    return None


def _prepend_path(folder: Path) -> None:
    entry = str(folder)
    if sys.path and sys.path[0] == entry:
        return
    if entry in sys.path:
        sys.path.remove(entry)
    sys.path.insert(0, entry)


def _import(module_name: str, target: CodePointer) -> ModuleType:
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        # The module asked for is missing (not something user code imports): say so plainly.
        if exc.name is not None and (module_name + ".").startswith(exc.name + "."):
            raise CodeLoadError(
                f"no module named {module_name!r} (given with -m); is its package installed, "
                "or does -d point at the folder that contains it?"
            ) from exc
        raise _user_code_error(target, exc) from exc
    except Exception as exc:  # anything user code raises on import is reported, not hidden
        raise _user_code_error(target, exc) from exc


def _user_code_error(target: CodePointer, exc: Exception) -> CodeLoadError:
    """The error for an exception raised by user code, at the user's file and line."""
    where = ""
    if isinstance(exc, SyntaxError) and exc.filename:
        where = f" ({_short(exc.filename)}, line {exc.lineno})"
        detail = f"SyntaxError: {exc.msg}"
    else:
        frame = _user_frame(exc)
        if frame is not None:
            where = f" ({_short(frame.filename)}, line {frame.lineno})"
        detail = f"{type(exc).__name__}: {exc}".splitlines()[0]
    return CodeLoadError(
        f"error while loading {target.describe()}: {detail}{where}; "
        "rerun with --debug for the full traceback"
    )


def _user_frame(exc: BaseException) -> traceback.FrameSummary | None:
    """The innermost frame of user code: not headwater's (a definition it refused), not the
    import machinery's, not an installed package's (the user's line that called it)."""
    import traceback  # deferred: only code that fails to load has one

    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if "importlib" not in f.filename and not f.filename.startswith("<frozen")
    ]
    kept = _kept_roots()
    for roots in (kept, kept[:1]):  # then code installed as a package, if that is all
        for frame in reversed(frames):
            if not any(_inside(os.path.realpath(frame.filename), root) for root in roots):
                return frame
    return frames[-1] if frames else None


def _short(filename: str) -> str:
    try:
        relative = os.path.relpath(filename)
    except ValueError:  # another drive on Windows
        return filename
    return filename if relative.startswith("..") else relative


# reloading ------------------------------------------------------------------------------


def _code_roots(target: CodePointer) -> list[str]:
    """The folders the code of ``target`` is imported from."""
    workdir = Path(target.working_directory or os.getcwd()).resolve()
    roots = [str(workdir)]
    if target.python_file:
        path = Path(target.python_file)
        path = (path if path.is_absolute() else workdir / path).resolve()
        roots.append(str(module_name_for_file(path)[0]))
    elif target.module_name:
        file = getattr(sys.modules.get(target.module_name), "__file__", None)
        if file:
            roots.append(str(module_name_for_file(Path(file).resolve())[0]))
    return roots


def _kept_roots() -> tuple[str, ...]:
    """Folders whose modules are never user code: headwater's own, the interpreter's."""
    headwater_dir = str(Path(__file__).resolve().parent.parent)
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    pipes = sys.modules.get("headwater_pipes")
    pipes_file = getattr(pipes, "__file__", None)
    extra = (str(Path(pipes_file).resolve().parent),) if pipes_file else ()
    return (headwater_dir, *extra, *(os.path.realpath(p) for p in prefixes))


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _remove_stale_bytecode(source: str, cached: str | None) -> None:
    if not cached:
        return
    try:
        if os.stat(source).st_mtime_ns > os.stat(cached).st_mtime_ns:
            os.remove(cached)
    except OSError:  # no cache file, or a read-only folder: nothing to do
        pass


# collecting -----------------------------------------------------------------------------


def _definitions_jobs(defs: Any) -> Iterator[JobDefinition]:
    if callable(getattr(defs, "get_all_job_defs", None)):
        yield from defs.get_all_job_defs()
        return
    for job in defs.jobs or ():
        # Definitions binds its resources to the jobs it hands out: ask it for each one.
        yield defs.get_job_def(job.name)


class _NoPipeline:
    """Matches nothing: no legacy pipeline exists until headwater.jobs.legacy is imported."""


def _pipeline_type() -> type[PipelineDefinition]:
    """``PipelineDefinition``, or a class nothing is an instance of while no code has
    imported the legacy API (``@pipeline`` imports it): loading code that defines only
    jobs does not load it."""
    legacy = sys.modules.get("headwater.jobs.legacy")
    if legacy is None:
        return cast("type[PipelineDefinition]", _NoPipeline)
    return cast("type[PipelineDefinition]", legacy.PipelineDefinition)


def _collect(loaded: LoadedCode, attr: str, value: object) -> None:
    if isinstance(value, JobDefinition):
        _add_job(loaded, attr, value)
    elif isinstance(value, _pipeline_type()):
        other = loaded.pipelines.setdefault(value.name, value)
        if other is not value:
            raise CodeLoadError(
                f"{loaded.target.describe()} defines two pipelines named {value.name!r}; rename one"
            )
    elif is_definitions(value):
        loaded.definitions = value
        for job in _definitions_jobs(value):
            _add_job(loaded, attr, job)


def _add_job(loaded: LoadedCode, attr: str, job: JobDefinition) -> None:
    other = loaded.jobs.setdefault(job.name, job)
    if other is not job:
        raise CodeLoadError(
            f"{loaded.target.describe()} defines two different jobs named {job.name!r} "
            f"(one at attribute {attr!r}); give them different names"
        )


def _job_in(value: Any, name: str) -> JobDefinition | None:
    """Job ``name`` of ``value`` (a job or a ``Definitions``), resolving no other job."""
    if isinstance(value, JobDefinition):
        return value if value.name == name else None
    if not is_definitions(value):
        return None
    has_job = getattr(value, "has_job", None)
    if callable(has_job):
        return value.get_job_def(name) if has_job(name) else None
    return value.get_job_def(name) if name in _job_names(value) else None


def _job_names(value: Any) -> list[str]:
    if isinstance(value, JobDefinition):
        return [value.name]
    if not is_definitions(value):
        return []
    if callable(getattr(value, "get_all_job_defs", None)):
        return [job.name for job in value.get_all_job_defs()]
    return [job.name for job in value.jobs or ()]


def _call_if_factory(target: CodePointer, value: object) -> object:
    if isinstance(value, (JobDefinition, _pipeline_type())) or is_definitions(value):
        return value
    if callable(value) and not isinstance(value, type):
        called = json.loads(target.factory_arguments or "{}")
        try:
            return value(*called.get("args", ()), **called.get("kwargs", {}))
        except Exception as exc:  # user code: reported with its own message
            raise _user_code_error(target, exc) from exc
    return value


def _loadable_names(module: ModuleType, keep: tuple[type, ...]) -> list[str]:
    kinds: tuple[type, ...] = (JobDefinition, _pipeline_type(), *keep)
    return [
        name
        for name, value in vars(module).items()
        if isinstance(value, kinds) or is_definitions(value)
    ]


def _pipelines_hint(code: LoadedCode) -> str:
    if not code.pipelines:
        return ""
    return f" (legacy pipelines: {', '.join(code.pipelines)}; run them with 'headwater pipeline')"
