"""The code location: a ``Definitions`` object, and the code pointer and loader that find it.

Names load on first use: importing ``headwater.location.code`` (the CLI and step processes
do, to load user code) must not import ``Definitions`` and the asset packages behind it.
The ``@definitions`` decorator is ``headwater.location.decorator.definitions`` (here,
``definitions`` is the module that defines ``Definitions``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater._lazy import lazy_names

if TYPE_CHECKING:
    from headwater.location.code import CodePointer as CodePointer
    from headwater.location.collect import (
        load_asset_checks_from_current_module as load_asset_checks_from_current_module,
        load_asset_checks_from_modules as load_asset_checks_from_modules,
        load_asset_checks_from_package_module as load_asset_checks_from_package_module,
        load_assets_from_current_module as load_assets_from_current_module,
        load_assets_from_modules as load_assets_from_modules,
        load_assets_from_package_module as load_assets_from_package_module,
    )
    from headwater.location.definitions import Definitions as Definitions
    from headwater.location.modules import (
        load_defs as load_defs,
        load_from_defs_folder as load_from_defs_folder,
        repository as repository,
    )
    from headwater.location.repo import RepositoryDefinition as RepositoryDefinition
    from headwater.location.repo_data import (
        BindResourcesToJobs as BindResourcesToJobs,
        RepositoryData as RepositoryData,
        create_repository_using_definitions_args as create_repository_using_definitions_args,
    )

_EXPORTS = {
    "CodePointer": "headwater.location.code",
    "Definitions": "headwater.location.definitions",
    "RepositoryDefinition": "headwater.location.repo",
    **dict.fromkeys(
        ("BindResourcesToJobs", "RepositoryData", "create_repository_using_definitions_args"),
        "headwater.location.repo_data",
    ),
    **dict.fromkeys(
        (
            "load_asset_checks_from_current_module",
            "load_asset_checks_from_modules",
            "load_asset_checks_from_package_module",
            "load_assets_from_current_module",
            "load_assets_from_modules",
            "load_assets_from_package_module",
        ),
        "headwater.location.collect",
    ),
    **dict.fromkeys(
        ("load_defs", "load_from_defs_folder", "repository"), "headwater.location.modules"
    ),
}

__all__ = [
    "BindResourcesToJobs",
    "CodePointer",
    "Definitions",
    "RepositoryData",
    "RepositoryDefinition",
    "create_repository_using_definitions_args",
    "load_asset_checks_from_current_module",
    "load_asset_checks_from_modules",
    "load_asset_checks_from_package_module",
    "load_assets_from_current_module",
    "load_assets_from_modules",
    "load_assets_from_package_module",
    "load_defs",
    "load_from_defs_folder",
    "repository",
]


__getattr__, __dir__ = lazy_names(__name__, _EXPORTS)
