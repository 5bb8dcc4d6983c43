"""Schema nodes without children: scalars, ``Any``, env-aware sources and enums.

Every node is an immutable `ConfigType`. The scalars and sources are singletons
(``Int``, ``StringSource`` ...), used as values: ``Field(Int)``, ``Array(StringSource)``.
The nodes that hold other nodes (``Shape``, ``Array`` ...) live in `headwater.config.schema`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any as _Any, NoReturn

from headwater.config.validate import ProcessContext, describe_value, quoted
from headwater.errors import InvalidConfigDefinitionError

__all__ = [
    "ConfigType",
    "ScalarType",
    "AnyType",
    "SourceType",
    "Enum",
    "EnumValue",
    "Int",
    "String",
    "Float",
    "Bool",
    "Any",
    "StringSource",
    "IntSource",
    "BoolSource",
    "is_config_class",
    "register_config_base",
]


class ConfigType:
    """Base of every schema node. Nodes are immutable once built.

    Attributes:
        description: shown in editors and error messages; may be ``None``.
    """

    __slots__ = ("description",)
    description: str | None

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable; build a new one instead")

    def _init(self, **attrs: object) -> None:
        for name, value in attrs.items():
            object.__setattr__(self, name, value)

    @property
    def type_name(self) -> str:
        """A short human name for messages: ``int``, ``list[str]``, ``{host: str}``."""
        raise NotImplementedError

    @property
    def config_type(self) -> ConfigType:
        """This node: code written for Dagster reads ``definition.config_schema.config_type``."""
        return self

    def __repr__(self) -> str:
        return f"<config {self.type_name}>"

    def _process(self, value: object, path: str, ctx: ProcessContext) -> _Any:
        """Validate and process `value`, recording problems in `ctx` (see `process_config`)."""
        raise NotImplementedError

    def _omitted(self, path: str, ctx: ProcessContext) -> tuple[bool, _Any]:
        """What an omitted, optional field of this type becomes: ``(present, value)``."""
        return False, None

    def _implied_default(self, ctx: ProcessContext) -> tuple[bool, _Any]:
        """The default a field of this type has when it may be omitted: the value omitting
        it gives, in this type's own terms (a mapped type answers with its outer value)."""
        return self._omitted("", ctx)

    @property
    def is_optional_by_default(self) -> bool:
        """Whether a field of this type may be omitted without a default."""
        return False


class ScalarType(ConfigType):
    """One of the four scalars: ``Int``, ``String``, ``Float``, ``Bool``."""

    __slots__ = ("_accept", "_name")
    _name: str
    _accept: tuple[type, ...]

    def __init__(self, name: str, accept: tuple[type, ...]) -> None:
        self._init(_name=name, _accept=accept, description=None)

    @property
    def type_name(self) -> str:
        """The Python name of the scalar (``int``)."""
        return self._name

    def _process(self, value: object, path: str, ctx: ProcessContext) -> _Any:
        kind = type(value)
        if kind in self._accept:
            # int is a valid float; hand user code a real float as Dagster does
            return float(value) if self._name == "float" and kind is int else value  # type: ignore[arg-type]  # kind is int here
        if isinstance(value, bool) or not isinstance(value, self._accept):
            ctx.wrong_type(path, self._name, value)
            return value
        return value  # a subclass of the accepted type (not bool): accept it


class AnyType(ConfigType):
    """Accepts any value unchanged."""

    __slots__ = ()

    def __init__(self) -> None:
        self._init(description=None)

    @property
    def type_name(self) -> str:
        """``any``."""
        return "any"

    def _process(self, value: object, path: str, ctx: ProcessContext) -> _Any:
        return value


class SourceType(ConfigType):
    """A scalar given directly or read from an environment variable: ``{"env": "VAR"}``.

    The variable is read when config is processed (at run time, in the process that needs
    the value), from the ``environ`` given to `process_config` or ``os.environ``.
    """

    __slots__ = ("scalar",)
    scalar: ScalarType

    def __init__(self, scalar: ScalarType) -> None:
        self._init(scalar=scalar, description=None)

    @property
    def type_name(self) -> str:
        """The scalar's name: messages read the same as for the plain scalar."""
        return self.scalar.type_name

    def _process(self, value: object, path: str, ctx: ProcessContext) -> _Any:
        if not isinstance(value, Mapping):
            return self.scalar._process(value, path, ctx)
        if len(value) != 1 or "env" not in value:
            ctx.wrong_type(path, f'{self.type_name} or {{"env": "VAR"}}', value)
            return value
        name = value["env"]
        if not isinstance(name, str):
            ctx.wrong_type(f"{path}.env" if path else "env", "str", name)
            return value
        if not ctx.resolve_env:
            return value
        raw = ctx.environ.get(name)
        if raw is None:
            ctx.add(
                path,
                f'environment variable "{name}" is not set; export it or give the value directly',
                "env_unset",
            )
            return value
        return self._parse(name, raw, path, ctx)

    def _parse(self, name: str, raw: str, path: str, ctx: ProcessContext) -> _Any:
        kind = self.scalar.type_name
        if kind == "str":
            return raw
        if kind == "int":
            try:
                return int(raw.strip())
            except ValueError:
                # the value itself stays out of the message: env vars often hold secrets
                ctx.add(path, f'environment variable "{name}" is not an int', "invalid_value")
                return raw
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        ctx.add(
            path,
            f'environment variable "{name}" is not a bool; use true/false, 1/0 or yes/no',
            "invalid_value",
        )
        return raw


_TRUE = frozenset({"true", "1", "yes", "y", "on"})
_FALSE = frozenset({"false", "0", "no", "n", "off"})


class EnumValue:
    """One allowed value of an `Enum`.

    Args:
        config_value: the string written in config.
        python_value: what user code receives; the config string itself when omitted.
        description: shown in editors.
    """

    __slots__ = ("config_value", "description", "python_value")
    config_value: str
    python_value: object
    description: str | None

    def __init__(
        self, config_value: str, python_value: object = None, description: str | None = None
    ) -> None:
        if not isinstance(config_value, str):
            raise InvalidConfigDefinitionError.in_schema_of(
                "EnumValue",
                config_value,
                config_value,
                reason=f"config_value must be a str, got {describe_value(config_value)}",
            )
        object.__setattr__(self, "config_value", config_value)
        object.__setattr__(
            self, "python_value", config_value if python_value is None else python_value
        )
        object.__setattr__(self, "description", description)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("EnumValue is immutable")

    def __repr__(self) -> str:
        return f"EnumValue({self.config_value!r})"


class Enum(ConfigType):
    """A string chosen from a fixed list; user code receives the matching python value.

    Args:
        name: the enum's name, used in messages.
        enum_values: the allowed values.

    Example:
        ``Enum("Color", [EnumValue("RED"), EnumValue("GREEN")])``
    """

    __slots__ = ("_by_config", "enum_values", "name")
    name: str
    enum_values: tuple[EnumValue, ...]
    _by_config: Mapping[str, object]

    def __init__(self, name: str, enum_values: Iterable[EnumValue]) -> None:
        values = tuple(enum_values)
        if not values or not all(isinstance(v, EnumValue) for v in values):
            raise InvalidConfigDefinitionError.in_schema_of(
                f"Enum {name!r}",
                values,
                values,
                reason="enum_values must be a non-empty list of EnumValue",
            )
        by_config = {v.config_value: v.python_value for v in values}
        self._init(name=name, enum_values=values, _by_config=by_config, description=None)

    @classmethod
    def from_python_enum(cls, enum_type: type[enum.Enum], description: str | None = None) -> Enum:
        """Build an `Enum` whose config strings are the member names of `enum_type`.

        Args:
            enum_type: a Python ``enum.Enum`` subclass; user code receives its members.
            description: shown in editors; the enum's docstring is not used.

        Returns:
            The config enum.
        """
        values = [EnumValue(member.name, member) for member in enum_type]
        made = cls(enum_type.__name__, values)
        made._init(description=description)
        return made

    @property
    def type_name(self) -> str:
        """The enum's name."""
        return self.name

    @property
    def config_values(self) -> list[str]:
        """The strings allowed in config, in declaration order."""
        return list(self._by_config)

    def _process(self, value: object, path: str, ctx: ProcessContext) -> _Any:
        if isinstance(value, str) and value in self._by_config:
            return self._by_config[value]
        if isinstance(value, enum.Enum) and value.name in self._by_config:
            return self._by_config[value.name]  # a member given in Python config
        allowed = quoted(self.config_values)
        if isinstance(value, str):
            ctx.add(
                path,
                f'"{value}" is not a valid {self.name}; expected one of {allowed}',
                "invalid_value",
            )
        else:
            ctx.wrong_type(path, f"{self.name} (one of {allowed})", value)
        return value


Int = ScalarType("int", (int,))
String = ScalarType("str", (str,))
Float = ScalarType("float", (float, int))
Bool = ScalarType("bool", (bool,))
Any = AnyType()
StringSource = SourceType(String)
IntSource = SourceType(Int)
BoolSource = SourceType(Bool)


def is_config_class(obj: object) -> bool:
    """Whether `obj` is a subclass of the pydantic ``Config`` base (cheap; imports nothing).

    Args:
        obj: anything.

    Returns:
        ``True`` for ``Config`` subclasses (and ``ConfigurableResource`` ones).
    """
    return isinstance(obj, type) and any(issubclass(obj, base) for base in _config_bases)


# The pydantic ``Config`` base registers itself here when headwater.config.pythonic is
# imported. No Config class can exist before that, so an empty list answers "no" without
# importing pydantic (about 100 ms that code without Config classes never pays).
_config_bases: list[type] = []


def register_config_base(base: type) -> None:
    """Called once, by ``headwater.config.pythonic`` as it is imported."""
    _config_bases.append(base)
