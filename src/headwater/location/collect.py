"""Assets and checks gathered from Python modules: ``load_assets_from_modules`` and kin."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import ModuleType
from typing import Any

from headwater._warnings import preview_warning
from headwater.assets import AssetChecksDefinition, AssetsDefinition, AssetSpec
from headwater.assets.job import UnresolvedAssetJobDefinition
from headwater.automation.schedule import ScheduleDefinition
from headwater.automation.sensor import SensorDefinition
from headwater.errors import InvalidDefinitionError
from headwater.jobs.job import JobDefinition
from headwater.location.definitions import Definitions

__all__ = [
    "load_asset_checks_from_current_module",
    "load_asset_checks_from_modules",
    "load_asset_checks_from_package_module",
    "load_asset_checks_from_package_name",
    "load_assets_from_current_module",
    "load_assets_from_modules",
    "load_assets_from_package_module",
    "load_assets_from_package_name",
    "load_definitions_from_current_module",
    "load_definitions_from_module",
    "load_definitions_from_modules",
    "load_definitions_from_package_module",
    "load_definitions_from_package_name",
    "module_values",
]


def module_values(modules: Iterable[ModuleType]) -> Iterator[Any]:
    """Each module-level value once, even when several modules import it."""
    seen: set[int] = set()
    for module in modules:
        for value in list(vars(module).values()):
            if id(value) not in seen:
                seen.add(id(value))
                yield value


def _prefixed(definition: AssetsDefinition, key_prefix: str | Sequence[str] | None) -> Any:
    if not key_prefix:
        return definition
    prefix = [key_prefix] if isinstance(key_prefix, str) else list(key_prefix)
    specs = {
        name: spec.replace_attributes(key=spec.key.with_prefix(prefix))
        for name, spec in definition.specs_by_output.items()
    }
    return _rebuilt(definition, specs)


def _grouped(definition: AssetsDefinition, group_name: str | None) -> Any:
    if group_name is None:
        return definition
    specs = {
        n: s.replace_attributes(group_name=group_name)
        for n, s in definition.specs_by_output.items()
    }
    return _rebuilt(definition, specs)


def _rebuilt(definition: AssetsDefinition, specs: dict[str, AssetSpec]) -> AssetsDefinition:
    return definition._with_specs(specs)


def load_assets_from_modules(
    modules: Iterable[ModuleType],
    group_name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    *,
    automation_condition: Any = None,
    backfill_policy: Any = None,
    source_key_prefix: str | Sequence[str] | None = None,
    include_specs: bool = False,
    **_kwargs: Any,
) -> list[Any]:
    """Every asset defined at module level in ``modules``, each once.

    Args:
        modules: the modules to read.
        group_name: a group for every asset found.
        key_prefix: a prefix put before every asset key found.
        include_specs: also return the ``AssetSpec``s (external assets) found.

    Returns:
        The ``AssetsDefinition``s (and, with ``include_specs``, the specs).

    Raises:
        InvalidDefinitionError: two different definitions produce the same key.
    """
    found: list[Any] = []
    by_key: dict[Any, Any] = {}
    for value in module_values(modules):
        if isinstance(value, AssetsDefinition):
            for key in value.keys:
                other = by_key.get(key)
                if other is not None and other is not value:
                    raise InvalidDefinitionError(
                        f"asset key '{key.to_user_string()}' is defined twice in the modules "
                        "given to load_assets_from_modules; asset keys must be unique"
                    )
                by_key[key] = value
            found.append(_grouped(_prefixed(value, key_prefix), group_name))
        elif include_specs and isinstance(value, AssetSpec):
            found.append(value)
    return found


def load_asset_checks_from_modules(
    modules: Iterable[ModuleType], asset_key_prefix: str | Sequence[str] | None = None
) -> list[AssetChecksDefinition]:
    """Every asset check defined at module level in ``modules``, each once."""
    return [v for v in module_values(modules) if isinstance(v, AssetChecksDefinition)]


def _caller_module() -> ModuleType:
    frame = inspect.stack()[2].frame
    name = frame.f_globals.get("__name__", "__main__")
    return sys.modules[name]


def load_assets_from_current_module(
    group_name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    **kwargs: Any,
) -> list[Any]:
    """Every asset defined at module level in the calling module."""
    return load_assets_from_modules([_caller_module()], group_name, key_prefix, **kwargs)


def load_asset_checks_from_current_module(
    asset_key_prefix: str | Sequence[str] | None = None,
) -> list[AssetChecksDefinition]:
    """Every asset check defined at module level in the calling module."""
    return load_asset_checks_from_modules([_caller_module()], asset_key_prefix)


def _package_modules(package: ModuleType) -> list[ModuleType]:
    modules = [package]
    for info in pkgutil.walk_packages(getattr(package, "__path__", []), package.__name__ + "."):
        modules.append(importlib.import_module(info.name))
    return modules


def load_assets_from_package_module(
    package_module: ModuleType,
    group_name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    **kwargs: Any,
) -> list[Any]:
    """Every asset defined in ``package_module`` and its submodules, each once."""
    return load_assets_from_modules(
        _package_modules(package_module), group_name, key_prefix, **kwargs
    )


def load_asset_checks_from_package_module(
    package_module: ModuleType, asset_key_prefix: str | Sequence[str] | None = None
) -> list[AssetChecksDefinition]:
    """Every asset check defined in ``package_module`` and its submodules, each once."""
    return load_asset_checks_from_modules(_package_modules(package_module), asset_key_prefix)


def load_assets_from_package_name(
    package_name: str,
    group_name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    **kwargs: Any,
) -> list[Any]:
    """Every asset defined in the package named ``package_name`` and its submodules."""
    return load_assets_from_package_module(
        importlib.import_module(package_name), group_name, key_prefix, **kwargs
    )


def load_asset_checks_from_package_name(
    package_name: str, asset_key_prefix: str | Sequence[str] | None = None
) -> list[AssetChecksDefinition]:
    """Every asset check defined in the package named ``package_name`` and its submodules."""
    return load_asset_checks_from_package_module(
        importlib.import_module(package_name), asset_key_prefix
    )


def _definitions_of(
    modules: Iterable[ModuleType],
    resources: Mapping[str, Any] | None,
    loggers: Mapping[str, Any] | None,
    executor: Any,
) -> Definitions:
    modules = list(modules)
    values = list(module_values(modules))
    return Definitions(
        assets=load_assets_from_modules(modules, include_specs=True),
        asset_checks=[v for v in values if isinstance(v, AssetChecksDefinition)],
        jobs=[v for v in values if isinstance(v, (JobDefinition, UnresolvedAssetJobDefinition))],
        schedules=[v for v in values if isinstance(v, ScheduleDefinition)],
        sensors=[v for v in values if isinstance(v, SensorDefinition)],
        resources=resources,
        loggers=loggers,
        executor=executor,
    )


def load_definitions_from_modules(
    modules: Iterable[ModuleType],
    resources: Mapping[str, Any] | None = None,
    loggers: Mapping[str, Any] | None = None,
    executor: Any = None,
) -> Definitions:
    """A ``Definitions`` of everything defined at module level in ``modules``: assets,
    specs, checks, jobs, schedules and sensors, each once.

    Raises:
        InvalidDefinitionError: two different definitions produce the same asset key.
    """
    preview_warning("Function `load_definitions_from_modules`")
    return _definitions_of(modules, resources, loggers, executor)


def load_definitions_from_module(
    module: ModuleType,
    resources: Mapping[str, Any] | None = None,
    loggers: Mapping[str, Any] | None = None,
    executor: Any = None,
) -> Definitions:
    """A ``Definitions`` of everything defined at module level in ``module``."""
    preview_warning("Function `load_definitions_from_module`")
    return _definitions_of([module], resources, loggers, executor)


def load_definitions_from_current_module(
    resources: Mapping[str, Any] | None = None,
    loggers: Mapping[str, Any] | None = None,
    executor: Any = None,
) -> Definitions:
    """A ``Definitions`` of everything defined at module level in the calling module."""
    preview_warning("Function `load_definitions_from_current_module`")
    return _definitions_of([_caller_module()], resources, loggers, executor)


def load_definitions_from_package_module(
    package_module: ModuleType,
    resources: Mapping[str, Any] | None = None,
    loggers: Mapping[str, Any] | None = None,
    executor: Any = None,
) -> Definitions:
    """A ``Definitions`` of everything defined in ``package_module`` and its submodules."""
    preview_warning("Function `load_definitions_from_package_module`")
    return _definitions_of(_package_modules(package_module), resources, loggers, executor)


def load_definitions_from_package_name(
    package_name: str,
    resources: Mapping[str, Any] | None = None,
    loggers: Mapping[str, Any] | None = None,
    executor: Any = None,
) -> Definitions:
    """A ``Definitions`` of everything defined in the package named ``package_name`` and
    its submodules."""
    preview_warning("Function `load_definitions_from_package_name`")
    package = importlib.import_module(package_name)
    return _definitions_of(_package_modules(package), resources, loggers, executor)
