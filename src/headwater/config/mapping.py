"""Config mappings: a simpler outer schema whose processed value a function turns into the
config of what it wraps (``configured``, ``ConfigMapping`` on graphs)."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Any as _Any, TypeVar

from headwater.config.normalize import normalize_schema
from headwater.config.types import Any, ConfigType, is_config_class
from headwater.config.validate import ProcessContext
from headwater.errors import ConfigMappingFunctionError

__all__ = ["ConfigMapping", "Mapped", "config_mapping", "configured"]

T = TypeVar("T")


class Mapped(ConfigType):
    """Validates against `outer_type`, maps with `fn`, then validates against `inner_type`.

    What user code receives is the processed *inner* config, so a configured op or resource
    runs exactly as if the mapped config had been given to it.
    """

    __slots__ = ("fn", "inner_type", "label", "outer_type")
    outer_type: ConfigType
    inner_type: ConfigType
    fn: Callable[[_Any], _Any]
    label: str

    def __init__(
        self, outer_type: ConfigType, fn: Callable[[_Any], _Any], inner_type: ConfigType, label: str
    ) -> None:
        self._init(
            outer_type=outer_type,
            fn=fn,
            inner_type=inner_type,
            label=label,
            description=outer_type.description,
        )

    @property
    def type_name(self) -> str:
        """The outer type's name: that is what run config gives."""
        return self.outer_type.type_name

    @property
    def is_optional_by_default(self) -> bool:
        """Whether run config may leave it out: a fixed config (outer ``Any``) needs none."""
        return self.outer_type is Any or self.outer_type.is_optional_by_default

    def _map(self, outer: object, path: str, ctx: ProcessContext) -> _Any:
        try:
            mapped = self.fn(outer)
        except Exception as exc:
            raise ConfigMappingFunctionError(
                f"the config mapping function of {self.label} raised {type(exc).__name__}: {exc}",
                user_exception=exc,
                original_exc_info=(type(exc), exc, exc.__traceback__),
            ) from exc
        return self.inner_type._process(mapped, path, ctx)

    def _process(self, value: object, path: str, ctx: ProcessContext) -> _Any:
        before = len(ctx.problems)
        outer = self.outer_type._process(value, path, ctx)
        if len(ctx.problems) > before:
            return outer
        return self._map(outer, path, ctx)

    def _omitted(self, path: str, ctx: ProcessContext) -> tuple[bool, _Any]:
        _, outer = self.outer_type._omitted(path, ctx)
        return True, self._map(outer, path, ctx)

    def _implied_default(self, ctx: ProcessContext) -> tuple[bool, _Any]:
        # A field's default is given in run config's terms, which are the outer type's.
        return self.outer_type._implied_default(ctx)


class ConfigMapping:
    """A graph's own config schema and how it becomes the config of the ops inside.

    Args:
        config_fn: takes the graph's processed config, returns the run config of its ops
            (``{"op_name": {"config": ...}}``).
        config_schema: the graph's config schema (any schema form).
        receive_processed_config_values: accepted for Dagster compatibility; the function
            always receives processed values (defaults filled in, env vars read).

    Example:
        ``@graph(config=ConfigMapping(config_fn=lambda c: {"load": {"config": {"n": c["n"]}}},
        config_schema={"n": int}))``
    """

    def __init__(
        self,
        config_fn: Callable[[_Any], _Any],
        config_schema: _Any | None = None,
        receive_processed_config_values: bool | None = None,
    ) -> None:
        self.config_fn = config_fn
        self.config_schema = normalize_schema(config_schema, where="ConfigMapping")
        self.receive_processed_config_values = receive_processed_config_values


@typing.overload
def config_mapping(config_fn: Callable[..., _Any]) -> ConfigMapping: ...


@typing.overload
def config_mapping(
    config_fn: None = None,
    *,
    config_schema: _Any = None,
    receive_processed_config_values: bool | None = None,
) -> Callable[[Callable[..., _Any]], ConfigMapping]: ...


def config_mapping(
    config_fn: Callable[..., _Any] | None = None,
    *,
    config_schema: _Any = None,
    receive_processed_config_values: bool | None = None,
) -> ConfigMapping | Callable[[Callable[..., _Any]], ConfigMapping]:
    """Decorator form of :class:`ConfigMapping`: the function maps the graph's config.

    With no ``config_schema``, a function whose parameter is annotated with a ``Config``
    class takes that class's schema (and receives an instance of it).

    Example:
        ``@config_mapping(config_schema={"n": int})`` over ``def cfg(c): return {...}``,
        then ``@job(config=cfg)``.
    """

    def wrap(fn: Callable[..., _Any]) -> ConfigMapping:
        mapped_fn, schema = _pythonic(fn, config_schema)
        return ConfigMapping(
            config_fn=typing.cast("Callable[[_Any], _Any]", mapped_fn),
            config_schema=schema,
            receive_processed_config_values=receive_processed_config_values,
        )

    if config_fn is not None:
        return wrap(config_fn)
    return wrap


def configured(
    configurable: T, config_schema: _Any = None, **kwargs: _Any
) -> Callable[[object], T]:
    """Fix (or derive) the config of an op or resource; returns a function taking the config.

    Args:
        configurable: an op, resource or IO manager definition.
        config_schema: the new definition's schema when the config is a function.
        kwargs: passed on to the definition's ``configured`` (e.g. ``name=`` for ops).

    Returns:
        A function that takes a config value or a config function (it can be used as a
        decorator) and returns the configured copy.

    Example:
        ``local_db = configured(db_resource)({"url": "sqlite://"})``
    """

    if isinstance(configurable, type) and hasattr(configurable, "configure_at_launch"):
        # A ConfigurableResource class: configure its launch-time definition.
        inner = configurable.configure_at_launch().get_resource_definition()
        return configured(inner, config_schema, **kwargs)

    def apply(config_or_config_fn: object) -> T:
        method = getattr(configurable, "configured", None)
        if method is None:
            raise TypeError(f"{configurable!r} cannot be configured: it has no config")
        options = dict(kwargs)
        fn, schema = _pythonic(config_or_config_fn, config_schema)
        if options.get("name") is None and hasattr(configurable, "compute_fn"):
            options["name"] = getattr(config_or_config_fn, "__name__", None)
        result: T = method(fn, config_schema=schema, **options)
        return result

    return apply


def _pythonic(config_or_fn: object, config_schema: _Any) -> tuple[object, _Any]:
    """A config function taking and returning ``Config`` objects, as one on dicts."""
    if not callable(config_or_fn) or config_schema is not None:
        return config_or_fn, config_schema
    params = list(inspect.signature(config_or_fn).parameters.values())
    hints = typing.get_type_hints(config_or_fn) if params else {}
    model = hints.get(params[0].name) if params else None
    if model is None or not is_config_class(model):
        return config_or_fn, config_schema
    # pydantic is loaded: a Config class exists.
    from headwater.config.pythonic import config_values_of, model_from_config

    def on_dicts(config: _Any) -> _Any:
        result = config_or_fn(model_from_config(model, config or {}))
        return config_values_of(result) if is_config_class(type(result)) else result

    return on_dicts, model
