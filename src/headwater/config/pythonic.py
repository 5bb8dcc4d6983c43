"""Pythonic config: pydantic ``Config`` classes as the second front door to the validator.

A ``Config`` class converts to the same schema nodes as a dict schema
(`config_type_from_model`), so run config for it is validated by `process_config` with the
same messages; user code then receives an instance built from the processed values
(`model_from_config`). This is the only module of `headwater.config` that imports pydantic.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, TypeVar, cast

from pydantic import BaseModel, ConfigDict
from pydantic.fields import FieldInfo

from headwater.config.env import env_var_to_config, is_env_var
from headwater.config.schema import Array, Field, Permissive, Place, Selector, Shape
from headwater.config.types import (
    Any as AnyType,
    BoolSource,
    ConfigType,
    Enum,
    EnumValue,
    Float,
    IntSource,
    String,
    StringSource,
    register_config_base,
)
from headwater.config.wrappers import Map, Noneable
from headwater.errors import InvalidConfigDefinitionError, InvalidInvocationError

__all__ = [
    "Config",
    "PermissiveConfig",
    "FieldFilter",
    "config_type_from_model",
    "config_dict_from_model",
    "config_values_of",
    "model_from_config",
    "to_config_value",
]

ModelT = TypeVar("ModelT", bound="_ConfigBase")
FieldFilter = Callable[[str, FieldInfo], bool]
"""Decides whether a model field is config (``True``) or something else, e.g. a resource."""

_SCALARS: dict[object, ConfigType] = {
    str: StringSource,
    int: IntSource,
    bool: BoolSource,
    float: Float,
    Any: AnyType,
    object: AnyType,
}
_NONE_TYPES = (type(None), None)


class _ConfigBase(BaseModel):
    """What ``Config`` and ``ConfigurableResource`` share: frozen values, ``EnvVar`` fields.

    Subclass this (not ``Config``) for model kinds that are config-like but not config, so
    that `is_config_class` and `config_type_from_model` accept them.
    """

    # frozen like Dagster's Config; arbitrary types let resources hold clients in PrivateAttr
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    def __init__(self, **data: Any) -> None:
        refs = {name: value for name, value in data.items() if _holds_env_var(value)}
        super().__init__(**data)
        # pydantic turns an EnvVar into a plain str (and an IntEnvVar into 0), also inside
        # lists and dicts; keep the references themselves: they are resolved when a run
        # processes its config, not now.
        for name, value in refs.items():
            if name in type(self).model_fields:
                self.__dict__[name] = value

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        # Dagster makes `x: Optional[int]` (no default) optional with default None; pydantic
        # alone would make it required.
        changed = False
        for info in cls.model_fields.values():
            if info.is_required() and _split_optional(info.annotation)[1]:
                info.default = None
                changed = True
        if changed:
            cls.model_rebuild(force=True)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):  # PrivateAttr state stays assignable
            super().__setattr__(name, value)
            return
        raise InvalidInvocationError(
            f"'{type(self).__name__}' is frozen: its config cannot change after it is built; "
            "use .model_copy(update={...}) for a changed copy"
        )


def _holds_env_var(value: Any) -> bool:
    """Whether ``value`` is an ``EnvVar`` or a list/dict with one somewhere inside."""
    if is_env_var(value):
        return True
    if isinstance(value, (list, tuple)):
        return any(_holds_env_var(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_env_var(v) for v in value.values())
    return False


class Config(_ConfigBase):
    """Base for config classes: typed fields are the schema, defaults are defaults.

    Fields typed ``str``/``int``/``bool`` also accept ``{"env": "VAR"}`` in run config and
    ``EnvVar("VAR")`` / ``EnvVar.int("VAR")`` in Python; ``Optional[X]`` fields default to
    ``None``; ``Field(description=...)`` shows up in editors. Instances are frozen.

    Example:
        ```python
        class LoadConfig(Config):
            path: str
            limit: int = Field(default=100, description="rows to read")

        @op
        def load(config: LoadConfig) -> None: ...
        ```
    """


class PermissiveConfig(Config):
    """A ``Config`` that also accepts fields it does not declare, passed through unchecked.

    Example:
        ``class Extra(PermissiveConfig): name: str`` accepts ``{"name": "a", "other": 1}``.
    """

    model_config = ConfigDict(extra="allow")

    def __init__(self, **config_dict: Any) -> None:
        # Named as in Dagster: pydantic shows the name in the class's signature.
        super().__init__(**config_dict)


_SCHEMAS: dict[type, Shape] = {}


def config_type_from_model(
    model_cls: type[_ConfigBase], *, where: str, field_filter: FieldFilter | None = None
) -> Shape:
    """The schema a ``Config`` (or ``ConfigurableResource``) class stands for.

    Args:
        model_cls: the class.
        where: what the class configures, for messages (``"op 'load'"``).
        field_filter: called as ``field_filter(name, field_info)``; fields for which it
            returns ``False`` are left out (nested resources, for instance).

    Returns:
        A `Shape` (a `Permissive` for ``PermissiveConfig``) with one field per model field.

    Raises:
        InvalidConfigDefinitionError: a field's annotation has no config equivalent.
    """
    if field_filter is None and model_cls in _SCHEMAS:
        return _SCHEMAS[model_cls]
    fields: dict[str, Field] = {}
    for name, info in model_cls.model_fields.items():
        if field_filter is None or field_filter(name, info):
            fields[_key(name, info)] = _field_from_info(model_cls, name, info, where)
    doc = model_cls.__doc__ if model_cls.__doc__ not in (Config.__doc__, None) else None
    shape = (
        Permissive(fields, description=doc)
        if model_cls.model_config.get("extra") == "allow"
        else Shape(fields, description=doc)
    )
    if field_filter is None:
        _SCHEMAS[model_cls] = shape
    return shape


def config_dict_from_model(
    instance: _ConfigBase, *, field_filter: FieldFilter | None = None
) -> dict[str, Any]:
    """The values explicitly set on `instance`, as run config.

    Args:
        instance: a ``Config`` (or ``ConfigurableResource``) instance.
        field_filter: as for `config_type_from_model`.

    Returns:
        A dict in run-config form: ``EnvVar`` → ``{"env": NAME}``, nested models → dicts,
        enum members → their names.
    """
    explicit = instance.model_fields_set
    out: dict[str, Any] = {}
    # declaration order, not the set's: the dict is shown to users and compared in tests
    for name, info in type(instance).model_fields.items():
        if name in explicit and (field_filter is None or field_filter(name, info)):
            out[_key(name, info)] = _field_config_value(info, instance.__dict__[name])
    for name, value in (instance.__pydantic_extra__ or {}).items():
        out[name] = to_config_value(value)
    return out


def config_values_of(instance: _ConfigBase) -> dict[str, Any]:
    """Every config value of `instance` (set or default), as run config.

    Fields holding other resources (a ``ConfigurableResource``'s nested resources) are
    left out: they are not config.
    """
    layout = getattr(type(instance), "_hw_layout", None)
    nested = layout().nested if layout is not None else frozenset()
    out = {
        _key(name, info): _field_config_value(info, instance.__dict__[name])
        for name, info in type(instance).model_fields.items()
        if name not in nested
    }
    for name, value in (instance.__pydantic_extra__ or {}).items():
        out[name] = to_config_value(value)
    return out


def _field_config_value(info: FieldInfo, value: Any) -> Any:
    key = info.discriminator
    if isinstance(key, str) and isinstance(value, _ConfigBase):
        values = config_dict_from_model(value)
        values.pop(key, None)
        return {str(getattr(value, key)): values}
    return to_config_value(value)


def _undiscriminated(model_cls: type[BaseModel], processed: Mapping[str, Any]) -> dict[str, Any]:
    """``processed`` with ``{"cat": {...}}`` selector values turned back into variant dicts."""
    out = dict(processed)
    for name, info in model_cls.model_fields.items():
        value = out.get(_key(name, info))
        key = info.discriminator
        if isinstance(key, str) and isinstance(value, Mapping) and len(value) == 1:
            [(choice, fields)] = value.items()
            out[_key(name, info)] = {**(fields or {}), key: choice}
    return out


def model_from_config(
    model_cls: type[ModelT], processed: Mapping[str, Any], extra: Mapping[str, Any] | None = None
) -> ModelT:
    """Build the object user code receives from config already processed for `model_cls`.

    Args:
        model_cls: the ``Config`` class.
        processed: the value `process_config` returned for `config_type_from_model(model_cls)`.
        extra: field values that are not config (a resource's nested resources), set as
            given.

    Returns:
        An instance with nested models and enum members in place. Classes with their own
        pydantic validators are validated again (they may transform values); others are
        built directly, since `process_config` has already checked every value.
    """
    processed = _undiscriminated(model_cls, processed)
    if _has_validators(model_cls):
        return model_cls.model_validate({**processed, **extra} if extra else processed)
    by_key = {_key(name, info): (name, info) for name, info in model_cls.model_fields.items()}
    values: dict[str, Any] = {}
    for key, value in processed.items():
        name, info = by_key.get(key, (key, None))
        values[name] = _from_config_value(info, value) if info is not None else value
    if extra:
        values.update(extra)
    return cast(ModelT, model_cls.model_construct(_fields_set=set(values), **values))


def _key(name: str, info: FieldInfo) -> str:
    """The field's key in run config: its alias when it has one, as in the reference."""
    return info.alias or name


def _has_validators(model_cls: type[BaseModel]) -> bool:
    decorators = model_cls.__pydantic_decorators__
    return bool(
        decorators.field_validators
        or decorators.model_validators
        or decorators.validators
        or decorators.root_validators
    )


def _discriminated(info: FieldInfo) -> dict[str, type[_ConfigBase]] | None:
    """Discriminator value → class, for a ``Union[A, B] = Field(discriminator="kind")``."""
    key = info.discriminator
    if not isinstance(key, str):
        return None
    choices: dict[str, type[_ConfigBase]] = {}
    for cls in typing.get_args(_split_optional(info.annotation)[0]):
        if isinstance(cls, type) and issubclass(cls, _ConfigBase) and key in cls.model_fields:
            for value in typing.get_args(cls.model_fields[key].annotation):
                choices[str(value)] = cls
    return choices


def _selector_for(choices: Mapping[str, type[_ConfigBase]], key: str, where: str) -> ConfigType:
    # As in Dagster, run config names the variant by its discriminator value:
    # {"pet": {"cat": {"meows": 3}}}; the discriminator itself is not a config field.
    return Selector(
        {
            value: config_type_from_model(cls, where=where, field_filter=lambda n, _: n != key)
            for value, cls in choices.items()
        }
    )


def _field_from_info(model_cls: type, name: str, info: FieldInfo, where: str) -> Field:
    place = Place(where, model_cls, (name,))
    choices = _discriminated(info)
    if choices:
        config_type = _selector_for(choices, str(info.discriminator), where)
    else:
        config_type = _type_from_annotation(info.annotation, place)
    description = info.description
    if info.is_required():
        return Field(config_type, description=description)
    default = info.get_default(call_default_factory=True)
    if default is None and not isinstance(config_type, (Noneable, AnyType.__class__)):
        config_type = Noneable(config_type)  # `x: int = None`: None is allowed, as in pydantic
    return Field(
        config_type, default_value=_field_config_value(info, default), description=description
    )


def _type_from_annotation(annotation: Any, place: Place) -> ConfigType:
    inner, optional = _split_optional(annotation)
    if optional:
        return Noneable(_type_from_annotation(inner, place))
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_from_annotation(args[0], place)
    found = _SCALARS.get(annotation) if _is_hashable(annotation) else None
    if found is not None:
        return found
    if isinstance(annotation, type) and issubclass(annotation, _ConfigBase):
        return config_type_from_model(annotation, where=place.where)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return Enum.from_python_enum(annotation)
    return _generic_type(annotation, place)


def _generic_type(annotation: Any, place: Place) -> ConfigType:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Literal and all(isinstance(a, str) for a in args):
        return Enum("literal", [EnumValue(a) for a in args])
    if annotation is list or origin in (list, tuple, Sequence):
        item = args[0] if args else Any
        return Array(_type_from_annotation(item, place))
    if annotation is dict or origin in (dict, Mapping):
        if not args:
            return Permissive()
        if args[0] is not str:
            raise _unsupported(annotation, place, "dict keys must be str")
        return Map(String, _type_from_annotation(args[1], place))
    raise _unsupported(annotation, place, "use a scalar, a Config, an Enum, list or dict")


def _unsupported(annotation: Any, place: Place, hint: str) -> InvalidConfigDefinitionError:
    shown = getattr(annotation, "__name__", None) or str(annotation)
    return place.error(annotation, f"type {shown} has no config equivalent; {hint}")


def _is_hashable(annotation: Any) -> bool:
    try:
        hash(annotation)
    except TypeError:
        return False
    return True


def _split_optional(annotation: Any) -> tuple[Any, bool]:
    """``(X, True)`` for ``Optional[X]`` / ``X | None``; ``(annotation, False)`` otherwise."""
    origin = typing.get_origin(annotation)
    if origin is not typing.Union and origin is not types.UnionType:
        return annotation, False
    args = [a for a in typing.get_args(annotation) if a not in _NONE_TYPES]
    if len(args) == len(typing.get_args(annotation)):
        return annotation, False
    return (args[0] if len(args) == 1 else typing.Union[tuple(args)]), True  # noqa: UP007


def to_config_value(value: Any) -> Any:
    """A Python config value in run-config form, however deeply it is nested.

    Args:
        value: a value set on a model, or given to ``configure_at_launch``.

    Returns:
        ``EnvVar`` → ``{"env": NAME}``, models → dicts of their explicit values, enum
        members → their names, lists and dicts converted item by item; others unchanged.
    """
    if is_env_var(value):
        return env_var_to_config(value)
    if isinstance(value, _ConfigBase):
        return config_dict_from_model(value)
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, (list, tuple)):
        return [to_config_value(v) for v in value]
    if isinstance(value, dict):
        return {k: to_config_value(v) for k, v in value.items()}
    return value


def _from_config_value(info: FieldInfo, value: Any) -> Any:
    choices = _discriminated(info)
    if choices and isinstance(value, Mapping):
        chosen = choices.get(str(value.get(str(info.discriminator))))
        if chosen is not None:
            return model_from_config(chosen, value)
    return _from_annotation(info.annotation, value)


def _from_annotation(annotation: Any, value: Any) -> Any:
    inner, _ = _split_optional(annotation)
    origin = typing.get_origin(inner)
    args = typing.get_args(inner)
    if origin is typing.Annotated:
        return _from_annotation(args[0], value)
    if isinstance(inner, type) and issubclass(inner, _ConfigBase) and isinstance(value, Mapping):
        return model_from_config(inner, value)
    if origin in (list, tuple, Sequence) and args and isinstance(value, list):
        items = [_from_annotation(args[0], v) for v in value]
        return tuple(items) if origin is tuple else items
    if origin in (dict, Mapping) and len(args) == 2 and isinstance(value, Mapping):
        return {k: _from_annotation(args[1], v) for k, v in value.items()}
    return value


register_config_base(_ConfigBase)
