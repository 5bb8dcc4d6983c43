"""Definitions gathered from a project's defs folder (``load_from_defs_folder``,
``components.load_defs``), and ``@repository``.

A defs folder here is a package of plain Python modules: every asset, check, job,
schedule, sensor and ``Definitions`` object found at module level is collected. YAML
components, a concept of the reference that headwater does not have, are not read.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from headwater.assets import AssetChecksDefinition, AssetsDefinition, AssetSpec
from headwater.assets.job import UnresolvedAssetJobDefinition
from headwater.errors import CodeLoadError, InvalidDefinitionError
from headwater.jobs import JobDefinition
from headwater.location.collect import module_values
from headwater.location.decorator import LazyDefinitions
from headwater.location.definitions import Definitions
from headwater.location.repo import RepositoryDefinition
from headwater.location.repo_data import DefinitionsData

__all__ = ["load_defs", "load_from_defs_folder", "repository"]


def _is_a(value: object, class_name: str) -> bool:
    # Schedules and sensors are recognised by class name: importing the automation package
    # here would load it for every code location, and it sits beside this one, not below.
    return any(klass.__name__ == class_name for klass in type(value).__mro__)


def _definitions_of(modules: Sequence[ModuleType]) -> Definitions:
    assets: list[Any] = []
    checks: list[Any] = []
    jobs: list[Any] = []
    schedules: list[Any] = []
    sensors: list[Any] = []
    nested: list[Definitions] = []
    for value in module_values(modules):
        if isinstance(value, (AssetsDefinition, AssetSpec)):
            assets.append(value)
        elif isinstance(value, AssetChecksDefinition):
            checks.append(value)
        elif isinstance(value, (JobDefinition, UnresolvedAssetJobDefinition)):
            jobs.append(value)
        elif _is_a(value, "ScheduleDefinition"):
            schedules.append(value)
        elif _is_a(value, "SensorDefinition"):
            sensors.append(value)
        elif isinstance(value, Definitions):
            nested.append(value)
        elif isinstance(value, LazyDefinitions):
            nested.append(value())
    own = Definitions(
        assets=assets, asset_checks=checks, jobs=jobs, schedules=schedules, sensors=sensors
    )
    return Definitions.merge(own, *nested) if nested else own


def load_defs(
    defs_root: ModuleType,
    project_root: Path | None = None,
    terminate_autoloading_on_keyword_files: bool = True,
) -> Definitions:
    """The ``Definitions`` of a defs package: everything its modules define, merged.

    Args:
        defs_root: the package holding the definitions (a project's ``defs`` module).
        project_root: the project's folder (unused: headwater reads no YAML components).
        terminate_autoloading_on_keyword_files: read only ``definitions.py`` in a folder
            that has one.

    Returns:
        One ``Definitions`` with everything found.
    """
    modules = [defs_root]
    for path in getattr(defs_root, "__path__", []):
        modules += _folder_modules(
            Path(path), defs_root.__name__, terminate_autoloading_on_keyword_files
        )
    return _definitions_of(modules)


def _folder_modules(folder: Path, package: str, stop_on_keyword: bool) -> list[ModuleType]:
    if stop_on_keyword and (folder / "definitions.py").exists():
        return [importlib.import_module(f"{package}.definitions")]
    modules: list[ModuleType] = []
    for info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda i: i.name):
        module = importlib.import_module(f"{package}.{info.name}")
        modules.append(module)
        if info.ispkg:
            modules += _folder_modules(folder / info.name, module.__name__, stop_on_keyword)
    return modules


def _config_file(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        for name in ("dg.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def load_from_defs_folder(
    *, path_within_project: Path | None = None, project_root: Path | None = None
) -> Definitions:
    """The ``Definitions`` of a project's defs folder, named in its ``pyproject.toml``
    (``[tool.dg.project] root_module`` / ``defs_module``) or ``dg.toml`` (``[project]``).

    Args:
        path_within_project: a path inside the project (its folder or a file in it).
        project_root: the project's folder (the older name of ``path_within_project``).

    Returns:
        One ``Definitions`` with everything the defs package's modules define.

    Raises:
        CodeLoadError: no project configuration is found, or it names no module.
    """
    start = path_within_project or project_root
    if start is None:
        raise CodeLoadError(
            "load_from_defs_folder needs path_within_project=; pass "
            "Path(__file__).parent from the project's definitions module"
        )
    start = Path(start).resolve()
    config_path = _config_file(start if start.is_dir() else start.parent)
    if config_path is None:
        raise CodeLoadError(
            f"Could not find config file (pyproject.toml/dg.toml) in {start} or any parent of."
        )
    config = _read_toml(config_path)
    if config_path.name == "dg.toml":
        project = config.get("project", {})
    else:
        project = config.get("tool", {}).get("dg", {}).get("project", {})
    defs_module = project.get("defs_module")
    root_module = project.get("root_module")
    if not defs_module and not root_module:
        raise CodeLoadError(
            f"Either defs_module or root_module must be set in the project config {config_path}"
        )
    name = defs_module or f"{root_module}.defs"
    if str(config_path.parent) not in sys.path and not _importable(name):
        sys.path.insert(0, str(config_path.parent))
    return load_defs(importlib.import_module(name), project_root=config_path.parent)


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name.split(".", maxsplit=1)[0]) is not None
    except (ImportError, ValueError):
        return False


def _definitions_from(items: Any, name: str) -> Definitions:
    if isinstance(items, Definitions):
        return items
    if isinstance(items, Mapping):  # {"jobs": {name: job}, "schedules": {...}, ...}
        items = [v for group in items.values() for v in dict(group).values()]
    assets: list[Any] = []
    checks: list[Any] = []
    jobs: list[Any] = []
    schedules: list[Any] = []
    sensors: list[Any] = []
    for item in items:
        if isinstance(item, (AssetsDefinition, AssetSpec)):
            assets.append(item)
        elif isinstance(item, AssetChecksDefinition):
            checks.append(item)
        elif _is_a(item, "ScheduleDefinition"):
            schedules.append(item)
        elif _is_a(item, "SensorDefinition"):
            sensors.append(item)
        elif hasattr(item, "execute_in_process") or hasattr(item, "resolve"):
            jobs.append(item.to_job() if hasattr(item, "to_job") else item)
        else:
            raise InvalidDefinitionError(
                f"repository '{name}' returned {item!r}, which is not an asset, check, job, "
                "graph, schedule or sensor"
            )
    return Definitions(
        assets=assets, asset_checks=checks, jobs=jobs, schedules=schedules, sensors=sensors
    )


def repository(
    definitions_fn: Callable[[], Any] | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    default_executor_def: Any = None,
    default_logger_defs: Mapping[str, Any] | None = None,
    **_kwargs: Any,
) -> Any:
    """Turn a function returning definitions into a ``RepositoryDefinition``.

    The function returns a list of assets, checks, jobs, graphs, schedules and sensors,
    or a dict ``{"jobs": {...}, "schedules": {...}, ...}``.

    Args:
        name: the repository's name (defaults to the function's).
        description: shown in tools.
        metadata: facts about the repository.
        default_executor_def: the executor of jobs that name none.
        default_logger_defs: loggers of every job.

    Returns:
        A ``RepositoryDefinition`` (or a decorator producing one).

    Example:
        ``@repository``
        ``def my_repo(): return [orders, daily_job, nightly_schedule]``
    """

    def build(fn: Callable[[], Any]) -> RepositoryDefinition:
        repo_name = name or fn.__name__
        defs = _definitions_from(fn(), repo_name)
        if default_executor_def is not None or default_logger_defs:
            defs = Definitions.merge(
                defs,
                Definitions(executor=default_executor_def, loggers=dict(default_logger_defs or {})),
            )
        return RepositoryDefinition(
            repo_name,
            repository_data=DefinitionsData(defs),
            description=description,
            metadata=metadata,
        )

    return build(definitions_fn) if definitions_fn is not None else build


def _read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's contents: the standard library reads TOML from Python 3.11 on.

    Raises:
        CodeLoadError: on Python 3.10 without the ``tomli`` package.
    """
    try:
        import tomllib as toml  # type: ignore[import-not-found, unused-ignore]  # 3.11+
    except ModuleNotFoundError:
        try:
            import tomli as toml  # type: ignore[import-not-found, no-redef, unused-ignore]
        except ModuleNotFoundError:
            raise CodeLoadError(
                f"reading {path} needs Python 3.11 or later, or the tomli package "
                "(pip install tomli)"
            ) from None
    data: dict[str, Any] = toml.loads(path.read_text())
    return data
