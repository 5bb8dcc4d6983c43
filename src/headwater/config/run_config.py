"""`RunConfig`: run config written with ``Config`` and resource objects instead of dicts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.config.types import is_config_class

__all__ = ["RunConfig", "run_config_dict"]


class RunConfig:
    """The config of one run, with ``Config`` objects where the dicts would go.

    Args:
        ops: op (or asset) name → a ``Config`` object, or its run config dict
            (``{"config": ...}``); graphs nest as in dict run config.
        resources: resource key → a ``ConfigurableResource`` object, or its run config dict.
        loggers: the ``loggers`` section, as a dict.
        execution: the ``execution`` section, as a dict.

    Example:
        ``materialize([my_asset], run_config=RunConfig(ops={"my_asset": MyConfig(n=3)}))``
    """

    def __init__(
        self,
        ops: dict[str, Any] | None = None,
        resources: dict[str, Any] | None = None,
        loggers: dict[str, Any] | None = None,
        execution: dict[str, Any] | None = None,
    ) -> None:
        self.ops = dict(ops or {})
        self.resources = dict(resources or {})
        self.loggers = dict(loggers or {})
        self.execution = dict(execution or {})

    def to_config_dict(self) -> dict[str, Any]:
        """The same run config as plain dicts: each object becomes ``{"config": values}``."""
        return {
            "loggers": self.loggers,
            "resources": _sections(self.resources),
            "ops": _sections(self.ops),
            "execution": self.execution,
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RunConfig) and self.to_config_dict() == other.to_config_dict()

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        return f"RunConfig({self.to_config_dict()!r})"


def _sections(configs: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: {"config": _values(value)}
        if is_config_class(type(value))
        else (_sections(value) if isinstance(value, dict) else value)
        for key, value in configs.items()
    }


def _values(obj: Any) -> Any:
    # pydantic is loaded only once a Config object exists, so this import costs nothing
    # then, and keeps `import headwater.jobs` (which reads RunConfig values) light.
    from headwater.config.pythonic import config_values_of

    return config_values_of(obj)


def run_config_dict(run_config: Any) -> Any:
    """``run_config`` as a dict when it is a `RunConfig`; anything else unchanged."""
    return run_config.to_config_dict() if isinstance(run_config, RunConfig) else run_config
