"""Assets and checks gathered from Python modules: ``load_assets_from_modules`` and kin."""

from __future__ import annotations

import copy
import importlib
import inspect
import pkgutil
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import ModuleType
from typing import Any

from headwater._warnings import preview_warning
from headwater.asset_key import AssetKey
from headwater.assets import AssetChecksDefinition, AssetsDefinition, AssetSpec, SourceAsset
from headwater.assets.job import UnresolvedAssetJobDefinition
from headwater.assets.rekey import rekeyed, rekeyed_spec
from headwater.assets.spec import check_hidden_kwargs
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


# Deprecated names the reference still takes in ``**kwargs``.
_HIDDEN_LOAD_KWARGS = ("legacy_freshness_policy", "auto_materialize_policy")


def module_values(modules: Iterable[ModuleType]) -> Iterator[Any]:
    """Each module-level value once, even when several modules import it."""
    seen: set[int] = set()
    for module in modules:
        for value in list(vars(module).values()):
            if id(value) not in seen:
                seen.add(id(value))
                yield value


def _prefixer(prefix: str | Sequence[str] | None) -> Callable[[AssetKey], AssetKey]:
    parts = [prefix] if isinstance(prefix, str) else list(prefix or [])
    return lambda key: key.with_prefix(parts) if parts else key


def _loaded(
    modules: Iterable[ModuleType], include_specs: bool
) -> tuple[list[AssetsDefinition], list[SourceAsset], list[AssetSpec]]:
    """The definitions, source assets and (``include_specs``) plain specs, each once."""
    assets: list[AssetsDefinition] = []
    sources: list[SourceAsset] = []
    specs: list[AssetSpec] = []
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
            assets.append(value)
        elif isinstance(value, SourceAsset):  # always loaded, as in the reference
            sources.append(value)
        elif include_specs and isinstance(value, AssetSpec):
            specs.append(value)
    return assets, sources, specs


def load_assets_from_modules(
    modules: Iterable[ModuleType],
    group_name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    *,
    automation_condition: Any = None,
    backfill_policy: Any = None,
    source_key_prefix: str | Sequence[str] | None = None,
    include_specs: bool = False,
    **kwargs: Any,
) -> list[Any]:
    """Every asset defined at module level in ``modules``, each once.

    Args:
        modules: the modules to read.
        group_name: a group for every asset found.
        key_prefix: a prefix put before every loaded asset's key, and before the keys
            their dependencies name among the loaded assets.
        automation_condition: the automation condition of every asset found (replacing
            their own).
        backfill_policy: the backfill policy of every asset found (replacing their own).
        source_key_prefix: a prefix put before the keys of source assets (``SourceAsset``,
            and ``AssetSpec`` with ``include_specs``) and of the dependencies on them.
        include_specs: also return the ``AssetSpec``s (external assets) found;
            ``SourceAsset``s are always returned.
        kwargs: the reference's deprecated ``legacy_freshness_policy`` and
            ``auto_materialize_policy`` (ignored).

    Returns:
        The ``AssetsDefinition``s and ``SourceAsset``s (and, with ``include_specs``, the
        specs).

    Raises:
        InvalidDefinitionError: two different definitions produce the same key.
        TypeError: an unknown keyword argument.
    """
    check_hidden_kwargs("load_assets_from_modules", kwargs, _HIDDEN_LOAD_KWARGS)
    assets, sources, specs = _loaded(modules, include_specs)
    own = {key for d in assets for key in d.keys} | {s.key for s in specs}
    external = {s.key for s in sources}
    prefix, source_prefix = _prefixer(key_prefix), _prefixer(source_key_prefix)

    def rename(key: AssetKey) -> AssetKey:
        if key in own:
            return prefix(key)
        return source_prefix(key) if key in external else key

    found: list[Any] = []
    for loaded in assets:
        definition = rekeyed(loaded, rename) if key_prefix or source_key_prefix else loaded
        found.append(_adjusted(definition, group_name, automation_condition, backfill_policy))
    for source in sources:
        found.append(rekeyed_spec(source, source_prefix) if source_key_prefix else source)
    for spec in specs:
        found.append(rekeyed_spec(spec, source_prefix) if source_key_prefix else spec)
    return found


def _adjusted(
    definition: AssetsDefinition, group_name: str | None, condition: Any, backfill_policy: Any
) -> AssetsDefinition:
    changes: dict[str, Any] = {}
    if group_name is not None:
        changes["group_name"] = group_name
    if condition is not None:
        changes["automation_condition"] = condition
    if changes:
        definition = definition._with_specs(
            {n: s.replace_attributes(**changes) for n, s in definition.specs_by_output.items()}
        )
    if backfill_policy is not None:
        definition = copy.copy(definition)
        definition.backfill_policy = backfill_policy
    return definition


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
    *,
    automation_condition: Any = None,
    backfill_policy: Any = None,
    source_key_prefix: str | Sequence[str] | None = None,
    include_specs: bool = False,
    **kwargs: Any,
) -> list[Any]:
    """Every asset defined at module level in the calling module (the parameters are
    :func:`load_assets_from_modules`')."""
    return load_assets_from_modules(
        [_caller_module()],
        group_name,
        key_prefix,
        automation_condition=automation_condition,
        backfill_policy=backfill_policy,
        source_key_prefix=source_key_prefix,
        include_specs=include_specs,
        **kwargs,
    )


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
    *,
    automation_condition: Any = None,
    backfill_policy: Any = None,
    source_key_prefix: str | Sequence[str] | None = None,
    include_specs: bool = False,
    **kwargs: Any,
) -> list[Any]:
    """Every asset defined in ``package_module`` and its submodules, each once (the
    parameters are :func:`load_assets_from_modules`')."""
    return load_assets_from_modules(
        _package_modules(package_module),
        group_name,
        key_prefix,
        automation_condition=automation_condition,
        backfill_policy=backfill_policy,
        source_key_prefix=source_key_prefix,
        include_specs=include_specs,
        **kwargs,
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
    *,
    backfill_policy: Any = None,
    source_key_prefix: str | Sequence[str] | None = None,
    include_specs: bool = False,
    **kwargs: Any,
) -> list[Any]:
    """Every asset defined in the package named ``package_name`` and its submodules (the
    parameters are :func:`load_assets_from_modules`')."""
    return load_assets_from_package_module(
        importlib.import_module(package_name),
        group_name,
        key_prefix,
        backfill_policy=backfill_policy,
        source_key_prefix=source_key_prefix,
        include_specs=include_specs,
        **kwargs,
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
