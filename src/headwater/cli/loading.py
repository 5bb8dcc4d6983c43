"""Finding user code: import a file or module and collect the jobs and pipelines it defines.

Plain functions, no click: the CLI calls them, and so can tests (and, later, the web server).
Every failure is a :class:`CodeLoadError` whose message names what was asked for, where it
was looked for and what was found instead.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from headwater.errors import CodeLoadError, HeadwaterError
from headwater.jobs.job import JobDefinition
from headwater.jobs.legacy import PipelineDefinition

if TYPE_CHECKING:
    from headwater.location.definitions import Definitions

__all__ = [
    "CodeTarget",
    "LoadedCode",
    "get_definitions",
    "get_job",
    "get_pipeline_job",
    "import_code",
    "is_definitions",
    "load_code",
]


@dataclass(frozen=True, slots=True)
class CodeTarget:
    """Where to find user code, as given on the command line.

    Attributes:
        python_file: a ``.py`` file (``-f``).
        module_name: an importable module (``-m``).
        attribute: the one module attribute to use (``-a``): a job, a pipeline, a
            ``Definitions`` object, or a function without arguments returning one of them.
        working_directory: put first on ``sys.path`` before importing (``-d``); default:
            the current directory.
    """

    python_file: str | None = None
    module_name: str | None = None
    attribute: str | None = None
    working_directory: str | None = None

    def describe(self) -> str:
        """How to name the code in messages: the file as given, or ``module x``."""
        where = self.python_file if self.python_file else f"module {self.module_name}"
        return f"{where} (attribute {self.attribute!r})" if self.attribute else where

    def origin(self) -> str:
        """The options that load this code again (``-f jobs.py -a defs``)."""
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
    """

    target: CodeTarget
    jobs: dict[str, JobDefinition] = field(default_factory=dict)
    pipelines: dict[str, PipelineDefinition] = field(default_factory=dict)
    definitions: Any = None
    assets: list[Any] = field(default_factory=list)


def load_code(target: CodeTarget) -> LoadedCode:
    """Import the code ``target`` names and collect its jobs and pipelines.

    With an attribute, only that object is used. Without one, a module-level
    ``Definitions``-like object wins (its jobs, with its resources bound); otherwise every
    module-level job and pipeline is collected.

    Raises:
        CodeLoadError: the file or module does not exist, importing it raised, the attribute
            is missing or of the wrong kind, or two different jobs share a name.
    """
    module, value = import_code(target)
    loaded = LoadedCode(target)
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
        if isinstance(value, (JobDefinition, PipelineDefinition)):
            _collect(loaded, name, value)
        elif _is_asset_like(value):
            loaded.assets.append(value)
    return loaded


def import_code(
    target: CodeTarget, *, keep: tuple[type, ...] = ()
) -> tuple[ModuleType, object | None]:
    """Import the module ``target`` names; with ``-a``, also the object that attribute holds.

    The one place ``-f/-m/-a/-d`` are interpreted, for jobs here and for schedules and
    sensors in ``cli/automation.py``.

    Args:
        target: the code options.
        keep: callable types the attribute may hold that are used as they are (schedules,
            sensors); any other function is a factory, called without arguments.

    Returns:
        The module, and the attribute's object (``None`` without ``-a``).

    Raises:
        CodeLoadError: neither or both of ``-f``/``-m``; importing (or the factory) raised;
            the module has no such attribute (the message lists those it could load).
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


def is_definitions(value: object) -> bool:
    """Duck-typed ``Definitions``: anything that hands out jobs by name."""
    if isinstance(value, type) or not callable(getattr(value, "get_job_def", None)):
        return False
    return callable(getattr(value, "get_all_job_defs", None)) or hasattr(value, "jobs")


def _is_asset_like(value: object) -> bool:
    """An asset, asset check or asset spec (external asset) defined at module level."""
    # Code that defines assets has imported headwater.assets; code that defines only jobs
    # has not, and loading it need not pay for the asset packages (CLI start-up is timed).
    assets = sys.modules.get("headwater.assets")
    if assets is None:
        return False
    kinds = (assets.AssetsDefinition, assets.AssetChecksDefinition, assets.AssetSpec)
    return isinstance(value, kinds)


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


def _import_target(target: CodeTarget) -> ModuleType:
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
        package_root, module_name = _module_name_for_file(path.resolve())
        _prepend_path(package_root)
        _forget_other_module(module_name, path.resolve())
        return _import(module_name, target)
    assert target.module_name is not None  # load_code checked that one of the two is set
    return _import(target.module_name, target)


def _module_name_for_file(path: Path) -> tuple[Path, str]:
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


def _forget_other_module(module_name: str, path: Path) -> None:
    """Drop a cached module of that name that came from another file (``jobs.py`` of
    another project loaded earlier in the same process)."""
    cached = sys.modules.get(module_name)
    cached_file = getattr(cached, "__file__", None)
    if cached is not None and (cached_file is None or Path(cached_file).resolve() != path):
        del sys.modules[module_name]


def _prepend_path(folder: Path) -> None:
    entry = str(folder)
    if entry in sys.path:
        sys.path.remove(entry)
    sys.path.insert(0, entry)


def _import(module_name: str, target: CodeTarget) -> ModuleType:
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        # The module asked for is missing (not something user code imports): say so plainly.
        if exc.name is not None and (module_name + ".").startswith(exc.name + "."):
            raise CodeLoadError(
                f"no module named {module_name!r} (given with -m); is its package installed, "
                "or does -d point at the folder that contains it?"
            ) from exc
        raise _user_import_error(target, exc) from exc
    except Exception as exc:  # anything user code raises on import is reported, not hidden
        raise _user_import_error(target, exc) from exc


def _user_import_error(target: CodeTarget, exc: Exception) -> CodeLoadError:
    where = ""
    if isinstance(exc, SyntaxError) and exc.filename:
        where = f" ({_short(exc.filename)}, line {exc.lineno})"
        detail = f"SyntaxError: {exc.msg}"
    else:
        frames = [
            f for f in traceback.extract_tb(exc.__traceback__) if "importlib" not in f.filename
        ]
        if frames:
            where = f" ({_short(frames[-1].filename)}, line {frames[-1].lineno})"
        detail = f"{type(exc).__name__}: {exc}".splitlines()[0]
    return CodeLoadError(
        f"error while loading {target.describe()}: {detail}{where}; "
        "rerun with --debug for the full traceback"
    )


def _short(filename: str) -> str:
    try:
        relative = os.path.relpath(filename)
    except ValueError:  # another drive on Windows
        return filename
    return filename if relative.startswith("..") else relative


# collecting -----------------------------------------------------------------------------


def _definitions_jobs(defs: Any) -> Iterator[JobDefinition]:
    if callable(getattr(defs, "get_all_job_defs", None)):
        yield from defs.get_all_job_defs()
        return
    for job in defs.jobs or ():
        # Definitions binds its resources to the jobs it hands out: ask it for each one.
        yield defs.get_job_def(job.name)


def _collect(loaded: LoadedCode, attr: str, value: object) -> None:
    if isinstance(value, JobDefinition):
        _add_job(loaded, attr, value)
    elif isinstance(value, PipelineDefinition):
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


def _call_if_factory(target: CodeTarget, value: object) -> object:
    if isinstance(value, (JobDefinition, PipelineDefinition)) or is_definitions(value):
        return value
    if callable(value) and not isinstance(value, type):
        try:
            return value()
        except Exception as exc:  # user code: reported with its own message
            raise _user_import_error(target, exc) from exc
    return value


def _loadable_names(module: ModuleType, keep: tuple[type, ...]) -> list[str]:
    kinds = (JobDefinition, PipelineDefinition, *keep)
    return [
        name
        for name, value in vars(module).items()
        if isinstance(value, kinds) or is_definitions(value)
    ]


def _pipelines_hint(code: LoadedCode) -> str:
    if not code.pipelines:
        return ""
    return f" (legacy pipelines: {', '.join(code.pipelines)}; run them with 'headwater pipeline')"
