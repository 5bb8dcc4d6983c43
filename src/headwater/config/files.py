"""Run config read from YAML: files, strings and package resources, deep-merged in order."""

from __future__ import annotations

import glob
import importlib.resources
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from headwater.config.merge import deep_merge
from headwater.errors import InvariantViolationError

__all__ = ["config_from_files", "config_from_pkg_resources", "config_from_yaml_strings"]


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvariantViolationError(f"{source} is not valid YAML: {exc}") from exc
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvariantViolationError(
            f"{source} must hold a mapping at the top, got {type(value).__name__}"
        )
    return value


def _merged(parts: Sequence[tuple[str, str]]) -> Mapping[str, Any]:
    merged: dict[str, Any] = {}
    for text, source in parts:
        merged = deep_merge(merged, _parse(text, source))
    return merged


def config_from_files(config_files: Sequence[str]) -> Mapping[str, Any]:
    """Run config from YAML files (or glob patterns), later files overriding earlier ones.

    Args:
        config_files: paths or glob patterns, in merge order.

    Returns:
        The merged run config.

    Raises:
        InvariantViolationError: a path or pattern matches no file, or a file is not YAML.
    """
    parts: list[tuple[str, str]] = []
    for pattern in config_files:
        paths = sorted(glob.glob(pattern))
        if not paths:
            raise InvariantViolationError(
                f'config file "{pattern}" does not exist (no file matches it)'
            )
        for path in paths:
            with open(path, encoding="utf-8") as f:
                parts.append((f.read(), f'config file "{path}"'))
    return _merged(parts)


def config_from_yaml_strings(yaml_strings: Sequence[str]) -> Mapping[str, Any]:
    """Run config from YAML strings, later strings overriding earlier ones.

    Args:
        yaml_strings: YAML documents, in merge order.

    Returns:
        The merged run config.

    Raises:
        InvariantViolationError: a string is not valid YAML.
    """
    return _merged([(text, f"YAML string {i}") for i, text in enumerate(yaml_strings)])


def config_from_pkg_resources(pkg_resource_defs: Sequence[tuple[str, str]]) -> Mapping[str, Any]:
    """Run config from YAML files shipped inside Python packages, merged in order.

    Args:
        pkg_resource_defs: ``(package, file name)`` pairs.

    Returns:
        The merged run config.

    Raises:
        InvariantViolationError: a resource cannot be read, or is not valid YAML.
    """
    parts: list[tuple[str, str]] = []
    for package, name in pkg_resource_defs:
        try:
            text = importlib.resources.files(package).joinpath(name).read_text(encoding="utf-8")
        except (OSError, ModuleNotFoundError) as exc:
            raise InvariantViolationError(
                f'cannot read config "{name}" from package "{package}": {exc}'
            ) from exc
        parts.append((text, f'config "{name}" of package "{package}"'))
    return _merged(parts)
