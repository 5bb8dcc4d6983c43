"""Loaders: how a type's value is built from run config for an input nothing is connected
to (``ops.<op>.inputs.<input>``)."""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable, Set as AbstractSet
from typing import Any

from headwater.config.types import ConfigType
from headwater.errors import InvalidDefinitionError

__all__ = ["DataTypeLoader", "data_type_loader"]

_CONTEXT_NAMES = frozenset({"context", "_context", "context_", "_"})
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


class DataTypeLoader(ABC):
    """Builds a value of a type from run config, for an input nothing is connected to
    (``ops.<op>.inputs.<input>``). Write one with `data_type_loader`; subclass this to
    build one by hand.
    """

    @property
    @abstractmethod
    def schema_type(self) -> Any:
        """The config schema of the input's value in run config."""

    def construct_from_config_value(self, context: Any, config_value: Any) -> Any:
        """The value built from ``config_value`` (already validated); by default the config
        value itself."""
        return config_value

    def required_resource_keys(self) -> frozenset[str]:
        """The resources the loader reads from its context."""
        return frozenset()


class _FunctionTypeLoader(DataTypeLoader):
    """The loader `data_type_loader` builds from a function."""

    def __init__(
        self,
        fn: Callable[[Any, Any], Any],
        config_type: ConfigType,
        required_resource_keys: AbstractSet[str] | None,
    ) -> None:
        self._fn = fn
        self._config_type = config_type
        self._required_resource_keys = frozenset(required_resource_keys or ())

    @property
    def schema_type(self) -> ConfigType:
        return self._config_type

    def construct_from_config_value(self, context: Any, config_value: Any) -> Any:
        return self._fn(context, config_value)

    def required_resource_keys(self) -> frozenset[str]:
        return self._required_resource_keys


def data_type_loader(
    config_schema: object, required_resource_keys: AbstractSet[str] | None = None
) -> Callable[[Callable[[Any, Any], Any]], DataTypeLoader]:
    """Turn ``fn(context, config_value)`` into a loader of a type's values from run config.

    The loader's schema is what run config takes for an unconnected input of the type; the
    function gets a `DagsterTypeLoaderContext` (``.resources``, ``.log``, ``.run_id``) and
    the validated config value, and returns the input's value.

    Args:
        config_schema: the schema of the config value (any schema form).
        required_resource_keys: resources the loader reads.

    Returns:
        A decorator producing a ``DataTypeLoader``.

    Raises:
        InvalidConfigDefinitionError: the schema is malformed.
        InvalidDefinitionError: the function's first parameter is not ``context``.
    """
    from headwater.config.normalize import normalize_schema  # deferred: config is heavier

    config_type = normalize_schema(config_schema, where="dagster_type_loader config_schema")

    def build(fn: Callable[[Any, Any], Any]) -> DataTypeLoader:
        name = getattr(fn, "__name__", repr(fn))
        try:
            params = list(inspect.signature(fn).parameters.values())
        except (TypeError, ValueError):
            params = []
        # The names the reference accepts for the context (`_`-marked when it is unused),
        # taken positionally, then a parameter of any name for the config value.
        missing = None
        if not params or params[0].name not in _CONTEXT_NAMES or params[0].kind not in _POSITIONAL:
            missing = "context"
        elif len(params) < 2:
            missing = "config_value"
        if missing is not None:
            raise InvalidDefinitionError(
                f"@dagster_type_loader '{name}' decorated function does not have required "
                f"positional parameter '{missing}'; write it as fn(context, config_value) "
                "(the context may be named _, _context or context_ when unused)"
            )
        return _FunctionTypeLoader(fn, config_type, required_resource_keys)

    return build
