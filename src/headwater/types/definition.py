"""Runtime types of op inputs and outputs: ``DataType`` (Dagster's ``DagsterType``) and kin.

A type is a name plus a check function run on every value that flows through an input or
output that declares it. The built-in scalar types, ``Any``, ``Nothing`` and the container
types (list, optional, dict, set, tuple) live here; mapping Python annotations onto types
is ``types/resolve.py``.
"""

from __future__ import annotations

import enum
import inspect
import typing
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence, Set as AbstractSet
from typing import TYPE_CHECKING, Any, NamedTuple

from headwater.config.types import ConfigType
from headwater.errors import InvalidDefinitionError, InvariantViolationError

if TYPE_CHECKING:
    from headwater.metadata import MetadataValue

__all__ = [
    "AnyType",
    "BoolType",
    "DataType",
    "DataTypeKind",
    "DataTypeLoader",
    "FloatType",
    "IntType",
    "ListType",
    "NothingType",
    "OptionalType",
    "PythonObjectType",
    "StringType",
    "TypeCheck",
    "TypedDictType",
    "TypedSetType",
    "TypedTupleType",
    "data_type_loader",
]

_CONTEXT_NAMES = frozenset({"_", "context", "_context", "context_"})


def _normalized(metadata: Mapping[str, Any] | None) -> dict[str, MetadataValue]:
    if not metadata:  # the built-in types and most checks: no metadata package loaded
        return {}
    from headwater.metadata.normalize import normalize_metadata

    return normalize_metadata(metadata)


class TypeCheck(NamedTuple):
    """The outcome of checking one value against a type.

    Args:
        success: whether the value is of the type.
        description: why it is not (or any note).
        metadata: facts about the check, normalized to ``MetadataValue``s.
    """

    success: bool
    description: str | None = None
    # Plain values are accepted and normalized to ``MetadataValue``s (see ``__new__`` below).
    metadata: Mapping[str, Any] = {}

    @classmethod
    def of(
        cls,
        success: bool,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> TypeCheck:
        """A ``TypeCheck`` whose metadata is normalized (what user code should build)."""
        return cls(success, description, _normalized(metadata))


def _new_type_check(
    cls: type[TypeCheck],
    success: bool,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> TypeCheck:
    return tuple.__new__(cls, (bool(success), description, _normalized(metadata)))


# Metadata given as plain values is normalized on construction, as for check results.
TypeCheck.__new__ = _new_type_check  # type: ignore[method-assign,assignment]  # see above


class DataTypeKind(enum.Enum):
    """What sort of type a ``DataType`` is (Dagster's ``DagsterTypeKind``)."""

    ANY = "ANY"
    SCALAR = "SCALAR"
    LIST = "LIST"
    NOTHING = "NOTHING"
    NULLABLE = "NULLABLE"
    REGULAR = "REGULAR"


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
        # `context`, or a name starting with `_` for a context the function ignores.
        if not params or not (params[0].name == "context" or params[0].name.startswith("_")):
            raise InvalidDefinitionError(
                f"@dagster_type_loader '{name}' decorated function does not have required "
                "positional parameter 'context'; write it as fn(context, config_value)"
            )
        return _FunctionTypeLoader(fn, config_type, required_resource_keys)

    return build


def _check_parameters(
    type_check_fn: object,
    key: object,
    name: object,
    is_builtin: object,
    description: object,
    loader: object,
    required_resource_keys: object,
    kind: object,
) -> None:
    # What the reference refuses (with its internal CheckError), refused here with every
    # problem named: a value of the wrong sort would otherwise be kept and misread later.
    problems: list[str] = []
    if not callable(type_check_fn):
        problems.append(f"type_check_fn must be callable, got {type_check_fn!r}")
    for label, value in (("key", key), ("name", name), ("description", description)):
        if value is not None and not isinstance(value, str):
            problems.append(f"{label} must be a str, got {type(value).__name__} {value!r}")
        elif value == "" and label != "description":
            problems.append(f"{label} must not be empty")
    if not isinstance(is_builtin, bool):
        problems.append(f"is_builtin must be a bool, got {type(is_builtin).__name__}")
    if loader is not None and not isinstance(loader, DataTypeLoader):
        problems.append(
            f"loader must be a DagsterTypeLoader (write one with @dagster_type_loader), "
            f"got {type(loader).__name__}"
        )
    keys = required_resource_keys
    if keys is not None and not (
        isinstance(keys, AbstractSet) and all(isinstance(k, str) for k in keys)
    ):
        problems.append(
            f"required_resource_keys must be a set of resource keys like {{'db'}}, got {keys!r}"
        )
    if not isinstance(kind, DataTypeKind):
        problems.append(f"kind must be a DagsterTypeKind member, got {kind!r}")
    if problems:
        raise InvalidDefinitionError(f'DagsterType "{name or key}": ' + "; ".join(problems))


def _check_fn_arity(fn: Callable[..., Any], name: str | None) -> None:
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):  # a builtin without a signature: trust it
        return
    if len(params) != 2:
        raise InvalidDefinitionError(
            f'type_check_fn argument on type "{name}" must take 2 arguments, received '
            f"{len(params)}; write it as def check(context, value)"
        )


class DataType:
    """A type of op inputs and outputs, checked on every value that flows through them.

    Args:
        type_check_fn: ``fn(context, value)`` returning a bool or a ``TypeCheck``.
        key: a unique key (defaults to ``name``).
        name: the type's name; ``key`` or ``name`` is required.
        is_builtin: whether headwater defines it.
        description: shown in tools.
        loader: builds values from run config.
        required_resource_keys: resources the check function reads.
        kind: what sort of type it is.
        typing_type: the Python type of its values.
        metadata: facts about the type.

    Example:
        ``EvenInt = DagsterType(lambda _, v: isinstance(v, int) and v % 2 == 0, name="EvenInt")``
    """

    def __init__(
        self,
        type_check_fn: Callable[[Any, Any], TypeCheck | bool],
        key: str | None = None,
        name: str | None = None,
        is_builtin: bool = False,
        description: str | None = None,
        loader: DataTypeLoader | None = None,
        required_resource_keys: set[str] | None = None,
        kind: DataTypeKind = DataTypeKind.REGULAR,
        typing_type: Any = typing.Any,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        if name is None and key is None:
            raise InvalidDefinitionError("a DagsterType needs a name or a key; give name=")
        _check_parameters(
            type_check_fn, key, name, is_builtin, description, loader, required_resource_keys, kind
        )
        self.key: str = key if key is not None else typing.cast(str, name)
        self._name = name
        self._description = description
        self._loader = loader
        self._required_resource_keys = set(required_resource_keys or ())
        _check_fn_arity(type_check_fn, name)
        self._type_check_fn = type_check_fn
        self.is_builtin = is_builtin
        self.kind = kind
        self._typing_type = typing_type
        self._metadata = _normalized(metadata)
        # The class (or classes) whose instances pass without a call to the check function,
        # for types whose check is ``isinstance`` and nothing else: runs check every value
        # that flows through a step, and this spares them the call and its ``TypeCheck``.
        # ``None``: the check function decides every value.
        self.passing_class: type | tuple[type, ...] | None = None

    def _pass_instances_of(self, python_type: type | tuple[type, ...]) -> None:
        # Only while ``type_check`` is this class's: a subclass overriding it decides alone.
        if type(self).type_check is DataType.type_check:
            self.passing_class = python_type

    def type_check(self, context: Any, value: object) -> TypeCheck:
        """Check ``value`` against the type.

        Raises:
            InvariantViolationError: the check function returned neither a bool nor a
                ``TypeCheck``.
        """
        outcome = self._type_check_fn(context, value)
        if isinstance(outcome, TypeCheck):
            return outcome
        if isinstance(outcome, bool):
            return TypeCheck(success=outcome)
        raise InvariantViolationError(
            f"You have returned {outcome!r} of type {type(outcome)} from the type check "
            f'function of type "{self.key}". Return value must be instance of TypeCheck or a bool.'
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DataType) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"<DagsterType {self.display_name}>"

    @property
    def metadata(self) -> Mapping[str, MetadataValue]:
        """Facts about the type."""
        return self._metadata

    @property
    def required_resource_keys(self) -> set[str]:
        """Resources the check function reads."""
        return self._required_resource_keys

    @property
    def display_name(self) -> str:
        """The name, or the key when the type has no name."""
        return self._name or self.key

    @property
    def unique_name(self) -> str | None:
        """The type's name (container types have none)."""
        if self._name is None:
            raise InvariantViolationError(
                f"unique_name requested but is None for type {self.display_name}"
            )
        return self._name

    @property
    def has_unique_name(self) -> bool:
        """Whether the type has a name of its own."""
        return self._name is not None

    @property
    def typing_type(self) -> Any:
        """The Python type of the type's values."""
        return self._typing_type

    @property
    def loader(self) -> DataTypeLoader | None:
        """Builds values from run config, if the type has a loader."""
        return self._loader

    @property
    def description(self) -> str | None:
        """Shown in tools."""
        return self._description

    @property
    def inner_types(self) -> Sequence[DataType]:
        """The types this type is built from (list items, optional values, ...)."""
        return []

    @property
    def type_param_keys(self) -> Sequence[str]:
        """The keys of the type's parameters."""
        return []

    @property
    def is_nothing(self) -> bool:
        """Whether the type carries no value."""
        return self.kind is DataTypeKind.NOTHING

    @property
    def is_any(self) -> bool:
        """Whether every value passes."""
        return self.kind is DataTypeKind.ANY

    @property
    def supports_fan_in(self) -> bool:
        """Whether an input of this type may collect several outputs."""
        return False


def _mismatch(value: object, expected: str) -> TypeCheck:
    kind = type(value).__name__
    return TypeCheck(
        success=False, description=f'Value "{value}" of python type "{kind}" must be a {expected}.'
    )


def _isinstance_check(python_type: type, expected: str) -> Callable[[Any, Any], TypeCheck]:
    def check(_context: Any, value: object) -> TypeCheck:
        return TypeCheck(True) if isinstance(value, python_type) else _mismatch(value, expected)

    return check


class _Scalar(DataType):
    def __init__(self, name: str, python_type: type, expected: str) -> None:
        super().__init__(
            _isinstance_check(python_type, expected),
            key=name,
            name=name,
            is_builtin=True,
            kind=DataTypeKind.SCALAR,
            typing_type=python_type,
        )
        self._pass_instances_of(python_type)


IntType = _Scalar("Int", int, "int")
StringType = _Scalar("String", str, "string")
FloatType = _Scalar("Float", float, "float")
BoolType = _Scalar("Bool", bool, "bool")


class _AnyType(DataType):
    def __init__(self) -> None:
        super().__init__(
            lambda _c, _v: TypeCheck(True),
            key="Any",
            name="Any",
            is_builtin=True,
            kind=DataTypeKind.ANY,
        )

    @property
    def supports_fan_in(self) -> bool:
        return True


def _nothing_check(_context: Any, value: object) -> TypeCheck:
    if value is None:
        return TypeCheck(True)
    return TypeCheck(False, f"Value must be None or unset, got a {type(value)}")


class _NothingType(DataType):
    def __init__(self) -> None:
        super().__init__(
            _nothing_check,
            key="Nothing",
            name="Nothing",
            is_builtin=True,
            kind=DataTypeKind.NOTHING,
            typing_type=type(None),
        )

    @property
    def supports_fan_in(self) -> bool:
        return True


AnyType: DataType = _AnyType()
NothingType: DataType = _NothingType()


class PythonObjectType(DataType):
    """A type whose check is ``isinstance`` (Dagster's ``PythonObjectDagsterType``).

    Args:
        python_type: a class, or a tuple of classes (a union).
        key: the type's key (defaults to the name).
        name: the type's name (defaults to the class's name, ``Union[a, b]`` for a tuple).
        **kwargs: the other ``DagsterType`` arguments (description, loader, ...).
    """

    def __init__(
        self,
        python_type: type | tuple[type, ...],
        key: str | None = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        if isinstance(python_type, tuple):
            type_str = "Union[{}]".format(", ".join(t.__name__ for t in python_type))
            typing_type: Any = typing.Union[python_type]  # noqa: UP007 - built from a tuple
        else:
            type_str = python_type.__name__
            typing_type = python_type
        self.python_type = python_type
        self.type_str = type_str
        name = name or type_str

        def check(_context: Any, value: object) -> TypeCheck:
            if isinstance(value, python_type):
                return TypeCheck(True)
            return TypeCheck(
                False,
                f"Value of type {type(value)} failed type check for Dagster type {name}, "
                f"expected value to be of Python type {type_str}.",
            )

        super().__init__(check, key=key or name, name=name, typing_type=typing_type, **kwargs)
        self._pass_instances_of(python_type)


class OptionalType(DataType):
    """``Optional[T]``: ``None`` or a value of ``T``."""

    def __init__(self, inner_type: DataType) -> None:
        if inner_type.is_nothing:
            raise InvalidDefinitionError("Type Nothing can not be wrapped in List or Optional")
        self.inner_type = inner_type
        super().__init__(
            self._check,
            key=f"Optional.{inner_type.key}",
            kind=DataTypeKind.NULLABLE,
            typing_type=typing.Optional[inner_type.typing_type],  # noqa: UP045 - runtime value
        )

    def _check(self, context: Any, value: object) -> TypeCheck:
        return TypeCheck(True) if value is None else self.inner_type.type_check(context, value)

    @property
    def display_name(self) -> str:
        return f"{self.inner_type.display_name}?"

    @property
    def inner_types(self) -> Sequence[DataType]:
        return [self.inner_type, *self.inner_type.inner_types]

    @property
    def type_param_keys(self) -> Sequence[str]:
        return [self.inner_type.key]


def _check_items(context: Any, items: Any, item_type: DataType) -> TypeCheck:
    for item in items:
        outcome = item_type.type_check(context, item)
        if not outcome.success:
            return outcome
    return TypeCheck(True)


class ListType(DataType):
    """``List[T]``: a list whose items are of ``T``."""

    def __init__(self, inner_type: DataType) -> None:
        if inner_type.is_nothing:
            raise InvalidDefinitionError("Type Nothing can not be wrapped in List or Optional")
        self.inner_type = inner_type
        super().__init__(
            self._check,
            key=f"List.{inner_type.key}",
            kind=DataTypeKind.LIST,
            # The typing alias, so an IO manager reading ``typing_type`` sees ``List[T]``.
            typing_type=typing.List[inner_type.typing_type],  # type: ignore[name-defined]  # noqa: UP006
        )

    def _check(self, context: Any, value: object) -> TypeCheck:
        if not isinstance(value, list):
            return _mismatch(value, "list")
        return _check_items(context, value, self.inner_type)

    @property
    def display_name(self) -> str:
        return f"[{self.inner_type.display_name}]"

    @property
    def inner_types(self) -> Sequence[DataType]:
        return [self.inner_type, *self.inner_type.inner_types]

    @property
    def type_param_keys(self) -> Sequence[str]:
        return [self.inner_type.key]

    @property
    def supports_fan_in(self) -> bool:
        return True


class TypedDictType(DataType):
    """``Dict[K, V]``: a dict whose keys are of ``K`` and values of ``V``."""

    def __init__(self, key_type: DataType, value_type: DataType) -> None:
        self.key_type, self.value_type = key_type, value_type
        super().__init__(
            self._check,
            key=f"TypedPythonDict.{key_type.key}.{value_type.key}",
            typing_type=typing.Dict[key_type.typing_type, value_type.typing_type],  # type: ignore[name-defined]  # noqa: UP006
        )

    def _check(self, context: Any, value: object) -> TypeCheck:
        if not isinstance(value, dict):
            return TypeCheck(False, f"Value should be a dict, got a {type(value)}")
        for k, v in value.items():
            for outcome in (
                self.key_type.type_check(context, k),
                self.value_type.type_check(context, v),
            ):
                if not outcome.success:
                    return outcome
        return TypeCheck(True)

    @property
    def display_name(self) -> str:
        return f"Dict[{self.key_type.display_name},{self.value_type.display_name}]"

    @property
    def inner_types(self) -> Sequence[DataType]:
        return [self.key_type, self.value_type, *self.value_type.inner_types]

    @property
    def type_param_keys(self) -> Sequence[str]:
        return [self.key_type.key, self.value_type.key]


class TypedSetType(DataType):
    """``Set[T]``: a set whose items are of ``T``."""

    def __init__(self, item_type: DataType) -> None:
        self.item_type = item_type
        super().__init__(
            self._check,
            key=f"TypedPythonSet.{item_type.key}",
            typing_type=typing.Set[item_type.typing_type],  # type: ignore[name-defined]  # noqa: UP006
        )

    def _check(self, context: Any, value: object) -> TypeCheck:
        if not isinstance(value, set):
            return TypeCheck(False, f"Value should be a set, got a {type(value)}")
        return _check_items(context, value, self.item_type)

    @property
    def display_name(self) -> str:
        return f"Set[{self.item_type.display_name}]"

    @property
    def inner_types(self) -> Sequence[DataType]:
        return [self.item_type, *self.item_type.inner_types]

    @property
    def type_param_keys(self) -> Sequence[str]:
        return [self.item_type.key]


class TypedTupleType(DataType):
    """``Tuple[A, B, ...]``: a tuple of that length whose items are of those types."""

    def __init__(self, item_types: Sequence[DataType]) -> None:
        self.item_types = tuple(item_types)
        super().__init__(
            self._check,
            key="TypedPythonTuple" + ".".join(t.key for t in self.item_types),
            typing_type=typing.Tuple[tuple(t.typing_type for t in self.item_types)],  # noqa: UP006
        )

    def _check(self, context: Any, value: object) -> TypeCheck:
        if not isinstance(value, tuple):
            return TypeCheck(False, f"Value should be a tuple, got a {type(value)}")
        if len(value) != len(self.item_types):
            return TypeCheck(
                False,
                f"Tuple with key {self.key} requires {len(self.item_types)} entries, "
                f"received {len(value)} values",
            )
        for item, item_type in zip(value, self.item_types, strict=True):
            outcome = item_type.type_check(context, item)
            if not outcome.success:
                return outcome
        return TypeCheck(True)

    @property
    def display_name(self) -> str:
        return "Tuple[{}]".format(",".join(t.display_name for t in self.item_types))

    @property
    def inner_types(self) -> Sequence[DataType]:
        return list(self.item_types)

    @property
    def type_param_keys(self) -> Sequence[str]:
        return [t.key for t in self.item_types]
