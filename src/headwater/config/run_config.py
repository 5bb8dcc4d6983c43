"""``RunConfig``: run config written with ``Config`` and ``ConfigurableResource`` objects."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.config.pythonic import _ConfigBase, to_config_value

__all__ = ["RunConfig", "coerce_run_config"]


def _config_of(model: _ConfigBase) -> dict[str, Any]:
    # Every field, defaults included: the run records the config the code really saw.
    values = {name: to_config_value(getattr(model, name)) for name in type(model).model_fields}
    values.update({k: to_config_value(v) for k, v in (model.__pydantic_extra__ or {}).items()})
    return values


def _convert(configs: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: {"config": _config_of(value)}
        if isinstance(value, _ConfigBase)
        else _convert(value)
        if isinstance(value, Mapping)
        else value
        for key, value in configs.items()
    }


class RunConfig:
    """The run config of a run, with ``Config`` objects where dicts would go.

    Args:
        ops: op (or asset) name → its config: a ``Config`` object, or the usual dict.
        resources: resource key → a ``ConfigurableResource`` object or ``{"config": ...}``.
        loggers: logger name → ``{"config": ...}``.
        execution: the executor's config.

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
        """The run config as plain dicts, ``Config`` objects turned into their values."""
        return {
            "loggers": dict(self.loggers),
            "resources": _convert(self.resources),
            "ops": _convert(self.ops),
            "execution": dict(self.execution),
        }

    def __repr__(self) -> str:
        return f"RunConfig({self.to_config_dict()!r})"


def coerce_run_config(run_config: Any) -> Any:
    """``run_config`` as a dict when it is a ``RunConfig``; anything else unchanged."""
    return run_config.to_config_dict() if isinstance(run_config, RunConfig) else run_config
