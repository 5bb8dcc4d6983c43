"""The code location: a ``Definitions`` object and what loads values and code from it."""

from __future__ import annotations

from headwater.location.collect import (
    load_asset_checks_from_current_module,
    load_asset_checks_from_modules,
    load_asset_checks_from_package_module,
    load_assets_from_current_module,
    load_assets_from_modules,
    load_assets_from_package_module,
)
from headwater.location.decorator import definitions
from headwater.location.definitions import Definitions
from headwater.location.modules import load_defs, load_from_defs_folder, repository
from headwater.location.repo import RepositoryDefinition

__all__ = [
    "Definitions",
    "RepositoryDefinition",
    "definitions",
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
