"""Fields, the schema nodes that hold other nodes, and `normalize_schema`.

Every schema form a user may write (``int``, ``[str]``, ``{"a": int}``, ``Field(...)``,
``Shape(...)``, a ``Config`` subclass ...) becomes a tree of immutable nodes here, once, when
a definition is built. Problems in the schema itself raise `InvalidConfigDefinitionError`
naming where the schema came from; problems in *values* are `process_config`'s business.
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any as _Any, NamedTuple

from headwater.config import validate
from headwater.config.types import (
    Any,
    Bool,
    ConfigType,
    Float,
    Int,
    String,
    is_config_class,
)
from headwater.config.validate import ProcessContext
from headwater.errors import InvalidConfigDefinitionError, InvariantViolationError

__all__ = [
    "ConfigSchema",
    "Field",
    "Shape",
    "Permissive",
    "Selector",
    "Array",
]


class Place(NamedTuple):
    """Where a schema is being resolved: what it belongs to, the schema as given, and the
    field names from there down; what `InvalidConfigDefinitionError` reports."""

    where: str
    root: object
    stack: tuple[str, ...] = ()

    def down(self, name: str) -> Place:
        """The place of field `name` below this one."""
        return self._replace(stack=(*self.stack, name))

    def error(self, current: object, reason: str | None = None) -> InvalidConfigDefinitionError:
        """The error for `current`, found here, that cannot be used (``None``: not a schema)."""
        return InvalidConfigDefinitionError.in_schema_of(
            self.where, self.root, current, list(self.stack), reason
        )


class _NoDefault:
    """Marks a `Field` without a default (``None`` is a valid default)."""

    def __repr__(self) -> str:
        return "<no default>"


NO_DEFAULT: _Any = _NoDefault()


class Field:
    """A schema node with field options: a default, whether it is required, a description.

    Args:
        config: any schema form (``int``, ``{"a": str}``, ``Shape(...)`` ...).
        default_value: used when the field is omitted; checked against `config` when the
            schema is normalized.
        is_required: whether omitting the field is a problem; by default a field is required
            unless it has a default or its type may be omitted (``Noneable``, a shape whose
            fields are all optional).
        description: shown in editors and the Launchpad.

    Raises:
        InvalidConfigDefinitionError: `config` is not a schema, or a required field is given
            a default.

    Example:
        ``Field(int, default_value=5432, description="port the database listens on")``
    """

    __slots__ = (
        "_checked",
        "_default",
        "config_type",
        "default_provided",
        "description",
        "is_required",
        "is_secret",
    )
    config_type: ConfigType
    default_provided: bool
    is_required: bool
    description: str | None
    is_secret: bool  # shown masked by tools; headwater never prints config values anyway
    _default: object
    _checked: bool

    def __init__(
        self,
        config: object,
        default_value: object = NO_DEFAULT,
        is_required: bool | None = None,
        description: str | None = None,
        is_secret: bool = False,
    ) -> None:
        config_type = _to_type(config, "Field")
        has_default = default_value is not NO_DEFAULT
        if is_required and has_default:
            raise Place("Field", config).error(
                default_value, "a required field cannot have a default_value; drop one of them"
            )
        if is_required is None:
            is_required = not has_default and not config_type.is_optional_by_default
        if not has_default and not is_required and config_type.is_optional_by_default:
            # As in Dagster, a field that may be omitted because of its type has the value
            # omitting it gives as its default ({} filled with the fields' defaults, None).
            ctx = ProcessContext({}, resolve_env=False)
            has_default, default_value = config_type._implied_default(ctx)
        for name, value in (
            ("config_type", config_type),
            ("default_provided", has_default),
            ("is_required", is_required),
            ("description", description),
            ("is_secret", is_secret),
            ("_default", default_value),
            ("_checked", False),
        ):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> typing.NoReturn:
        raise AttributeError("Field is immutable; build a new one instead")

    @property
    def default_value(self) -> _Any:
        """The default; raises `InvariantViolationError` when the field has none."""
        if not self.default_provided:
            raise InvariantViolationError("this Field has no default_value; check default_provided")
        return self._default

    def __repr__(self) -> str:
        default = f", default_value={self._default!r}" if self.default_provided else ""
        return f"Field({self.config_type.type_name}{default}, is_required={self.is_required})"

    def _check_default(self, place: Place) -> None:
        if self._checked or not self.default_provided:
            return
        ctx = ProcessContext({}, resolve_env=False)
        self.config_type._process(self._default, "", ctx)
        if ctx.problems:
            details = "; ".join(str(p) if p.path else p.message for p in ctx.problems)
            raise place.error(
                self._default, f"default_value does not match the field's type: {details}"
            )
        object.__setattr__(self, "_checked", True)


class Shape(ConfigType):
    """A dict with known fields; unknown fields are problems.

    Args:
        fields: field name → any schema form or `Field`.
        description: shown in editors.
        field_aliases: accepted for signature compatibility with Dagster; not supported.

    Example:
        ``Shape({"host": str, "port": Field(int, default_value=5432)})``
    """

    __slots__ = ("_empty_is_empty", "_empty_to_empty", "_optional", "fields", "permissive")
    fields: Mapping[str, Field]
    permissive: bool
    _optional: bool
    _empty_is_empty: bool
    _empty_to_empty: frozenset[str]

    def __init__(
        self,
        fields: Mapping[str, object],
        description: str | None = None,
        field_aliases: Mapping[str, str] | None = None,
    ) -> None:
        if field_aliases:
            raise Place("Shape", fields).error(
                field_aliases, "field_aliases is not supported; rename the fields instead"
            )
        self._build(fields, description, permissive=False, where="Shape")

    def _build(
        self,
        fields: Mapping[str, object] | None,
        description: str | None,
        *,
        permissive: bool,
        where: str,
    ) -> None:
        if fields is None:
            fields = {}
        if not isinstance(fields, Mapping):
            raise Place(where, fields).error(fields, "fields must be a dict of name → schema")
        built = _to_fields(fields, Place(where, fields))
        optional = all(not f.is_required for f in built.values())
        # `{}` processes to `{}` when omitting any field adds neither a value nor a problem
        # (optional, no default, and a type that leaves it out): a run's config holds such
        # a shape per op, most of them given nothing.
        empty_is_empty = all(
            not f.is_required
            and not f.default_provided
            and type(f.config_type)._omitted is ConfigType._omitted
            for f in built.values()
        )
        # The fields of such shapes, given `{}`: the `ops` of a run's config, whose ops are
        # mostly given nothing (their `{}` default).
        empty_to_empty = frozenset(
            name
            for name, f in built.items()
            if isinstance(f.config_type, Shape) and f.config_type._empty_is_empty
        )
        self._init(
            fields=built,
            permissive=permissive,
            _optional=optional,
            _empty_is_empty=empty_is_empty,
            _empty_to_empty=empty_to_empty,
            description=description,
        )

    @property
    def type_name(self) -> str:
        """``{host: str, port?: int}``, shortened when long."""
        parts = [
            f"{n}{'' if f.is_required else '?'}: {f.config_type.type_name}"
            for n, f in self.fields.items()
        ]
        if self.permissive:
            parts.append("...")
        text = "{" + ", ".join(parts) + "}"
        return text if len(text) <= 60 else text[:56] + "...}"

    @property
    def is_optional_by_default(self) -> bool:
        """True when every field may be omitted."""
        return self._optional

    def _process(self, value: object, path: str, ctx: ProcessContext) -> _Any:
        return validate.process_shape(self, value, path, ctx)

    def _omitted(self, path: str, ctx: ProcessContext) -> tuple[bool, _Any]:
        if not self._optional:
            return False, None
        return True, validate.process_shape(self, {}, path, ctx)

    def _implied_default(self, ctx: ProcessContext) -> tuple[bool, _Any]:
        present, value = self._omitted("", ctx)
        if not present or not isinstance(value, dict):
            return present, value
        # Fields whose processed value is not what run config gives (a mapped graph's
        # config) keep their run-config default, so that the default checks against us.
        for name, field in self.fields.items():
            if name in value and field.default_provided:
                kind = field.config_type
                if kind._implied_default(ctx) != kind._omitted("", ctx):
                    value[name] = field._default
        return True, value


class Permissive(Shape):
    """A dict whose known fields are checked and whose other fields pass through unchanged.

    Args:
        fields: the known fields; none when omitted.
        description: shown in editors.
    """

    __slots__ = ()

    def __init__(
        self, fields: Mapping[str, object] | None = None, description: str | None = None
    ) -> None:
        self._build(fields, description, permissive=True, where="Permissive")


class Selector(ConfigType):
    """A dict with exactly one key, chosen from `fields`.

    Args:
        fields: choice name → schema form or `Field`.
        description: shown in editors.

    Example:
        ``Selector({"csv": {"path": str}, "parquet": {"path": str}})``
    """

    __slots__ = ("fields",)
    fields: Mapping[str, Field]

    def __init__(self, fields: Mapping[str, object], description: str | None = None) -> None:
        if not fields:
            raise Place("Selector", fields).error(fields, "fields must be a non-empty dict")
        self._init(fields=_to_fields(fields, Place("Selector", fields)), description=description)

    @property
    def type_name(self) -> str:
        """``one of {csv, parquet}``."""
        return "one of {" + ", ".join(self.fields) + "}"

    @property
    def is_optional_by_default(self) -> bool:
        """True for a one-choice selector whose choice may be omitted."""
        return len(self.fields) == 1 and not next(iter(self.fields.values())).is_required

    def _process(self, value: object, path: str, ctx: ProcessContext) -> _Any:
        return validate.process_selector(self, value, path, ctx)

    def _omitted(self, path: str, ctx: ProcessContext) -> tuple[bool, _Any]:
        if not self.is_optional_by_default:
            return False, None
        return True, validate.process_selector(self, {}, path, ctx)


class Array(ConfigType):
    """A list whose items all have one type.

    Args:
        inner_type: the items' schema form.
    """

    __slots__ = ("inner_type",)
    inner_type: ConfigType

    def __init__(self, inner_type: object) -> None:
        self._init(inner_type=_to_type(inner_type, "Array"), description=None)

    @property
    def type_name(self) -> str:
        """``list[int]``."""
        return f"list[{self.inner_type.type_name}]"

    def _process(self, value: object, path: str, ctx: ProcessContext) -> _Any:
        return validate.process_array(self, value, path, ctx)


def _to_type(schema: object, where: str) -> ConfigType:
    """The node for `schema`, which belongs to `where` (for messages)."""
    return _resolve(schema, Place(where, schema))


def _resolve(schema: object, place: Place) -> ConfigType:
    if isinstance(schema, ConfigType):
        return schema
    if isinstance(schema, Field):
        raise place.error(
            schema, "a Field cannot be nested directly in a type; put it in a dict of fields"
        )
    if isinstance(schema, dict):
        return Shape(_to_fields(schema, place))
    if isinstance(schema, list):
        if len(schema) != 1:
            raise place.error(schema, "a list schema holds exactly one type, like [str]")
        return Array(_resolve(schema[0], place))
    if isinstance(schema, type) or schema is typing.Any:
        found = _PYTHON_TYPES.get(schema)
        if found is not None:
            return found
    if is_config_class(schema):
        # pydantic is imported only when a Config class exists (it is then loaded already).
        from headwater.config.pythonic import config_type_from_model

        model_type: ConfigType = config_type_from_model(
            typing.cast(_Any, schema), where=place.where
        )
        return model_type
    if isinstance(schema, type) and issubclass(schema, enum.Enum):
        raise place.error(
            schema,
            f"a Python enum is not a config schema; use Enum.from_python_enum({schema.__name__})",
        )
    raise place.error(schema)


def _to_field(schema: object, place: Place) -> Field:
    if isinstance(schema, Field):
        schema._check_default(place)
        return schema
    return Field(_resolve(schema, place))


def _to_fields(fields: Mapping[_Any, object], place: Place) -> Mapping[str, Field]:
    built: dict[str, Field] = {}
    for name, schema in fields.items():
        if not isinstance(name, str):
            raise place.error(name, "field names must be str")
        built[name] = _to_field(schema, place.down(name))
    return MappingProxyType(built)


_PYTHON_TYPES: dict[object, ConfigType] = {
    int: Int,
    str: String,
    float: Float,
    bool: Bool,
    typing.Any: Any,
    list: Array(Any),
    dict: Permissive(),  # Dagster reads a bare `dict` as "any dict", not as an empty shape
}


class ConfigSchema:
    """Names, in documentation, what ``config_schema=`` accepts; never instantiated.

    Any of: a scalar type (``int``, ``float``, ``bool``, ``str``), ``list`` or ``dict``, a
    schema node (``Shape``, ``Array``, ``Permissive``, ``Selector``, ``Noneable``, ``Map``,
    ``Enum``, ``ScalarUnion``, ``Any`` ...), a dict of fields (a ``Shape``), a one-element
    list (an ``Array``), a `Field`, or a ``Config`` subclass.
    """

    def __init__(self) -> None:
        raise NotImplementedError(
            "ConfigSchema only names what config_schema= accepts and cannot be instantiated; "
            "pass a type, a dict of fields, [type], a Field or a schema node instead"
        )
