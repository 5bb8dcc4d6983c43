"""From what users write (``int``, ``list[str]``, ``Optional[Foo]``, a ``DataType``) to types.

Python classes map onto types through one registry: the built-in scalars and containers,
classes registered with ``usable_as_dagster_type``, and otherwise an ``isinstance`` type
made on first sight (as the reference does for annotations).
"""

from __future__ import annotations

import collections.abc
import types as pytypes
import typing
from collections.abc import Callable
from typing import Any, TypeVar, overload

from headwater.config.types import ConfigType
from headwater.errors import Failure, InvalidDefinitionError, InvariantViolationError
from headwater.jobs.io import Nothing as NothingMarker, Output
from headwater.types.builtin import (
    AnyType,
    BoolType,
    FloatType,
    IntType,
    NothingType,
    PythonObjectType,
    StringType,
)
from headwater.types.check import TypeCheck, python_object_check
from headwater.types.containers import (
    ListType,
    OptionalType,
    TypedDictType,
    TypedSetType,
    TypedTupleType,
)
from headwater.types.definition import DataType
from headwater.types.loader import DataTypeLoader

__all__ = [
    "Dict",
    "List",
    "Optional",
    "Set",
    "Tuple",
    "check_type",
    "make_python_type_usable_as_type",
    "resolve_data_type",
    "usable_as_type",
]

T_Type = TypeVar("T_Type", bound=type)

PythonDict = PythonObjectType(dict, "PythonDict")
PythonSet = PythonObjectType(set, "PythonSet")
PythonTuple = PythonObjectType(tuple, "PythonTuple")


class _ListApi:
    """``List[T]`` (or ``List(T)``): the list type of ``T``."""

    def __getitem__(self, inner: Any) -> ListType:
        return ListType(resolve_data_type(inner))

    def __call__(self, inner: Any) -> ListType:
        return ListType(resolve_data_type(inner))


class _OptionalApi:
    """``Optional[T]``: ``None`` or a value of ``T``."""

    def __getitem__(self, inner: Any) -> OptionalType:
        return OptionalType(resolve_data_type(inner))


class _DictApi:
    """``Dict[K, V]``: a dict type with typed keys and values."""

    def __getitem__(self, params: Any) -> TypedDictType:  # checked: users write Dict[k]
        if not isinstance(params, tuple) or len(params) != 2:
            raise InvalidDefinitionError("Dict[...] takes two parameters: Dict[key, value]")
        return TypedDictType(resolve_data_type(params[0]), resolve_data_type(params[1]))


class _SetApi:
    """``Set[T]``: a set type with typed items."""

    def __getitem__(self, inner: Any) -> TypedSetType:
        return TypedSetType(resolve_data_type(inner))


class _TupleApi:
    """``Tuple[A, B, ...]``: a tuple type with one type per position."""

    def __getitem__(self, params: Any) -> TypedTupleType:
        items = params if isinstance(params, tuple) else (params,)
        return TypedTupleType([resolve_data_type(p) for p in items])


List = _ListApi()
Optional = _OptionalApi()
Dict = _DictApi()
Set = _SetApi()
Tuple = _TupleApi()

_BUILTINS: dict[Any, DataType] = {
    int: IntType,
    float: FloatType,
    bool: BoolType,
    str: StringType,
    type(None): NothingType,
    typing.Any: AnyType,
    dict: PythonDict,
    set: PythonSet,
    tuple: PythonTuple,
}

# Python class -> its type: registered by users, or made from an annotation on first sight.
_REGISTRY: dict[type, DataType] = {}
_INFERRED: set[type] = set()


def make_python_type_usable_as_type(python_type: type, dagster_type: DataType) -> None:
    """Let ``python_type`` stand for ``dagster_type`` in annotations and ``In``/``Out``.

    Raises:
        InvalidDefinitionError: another type is already registered for ``python_type``.
    """
    known = _REGISTRY.get(python_type)
    if known is None:
        _REGISTRY[python_type] = dagster_type
    elif known is not dagster_type:
        how = (
            "it was made from an annotation before this call; register it before any op "
            "uses the class"
            if python_type in _INFERRED
            else "a Python type can be registered only once"
        )
        raise InvalidDefinitionError(
            f"A Dagster type has already been registered for the Python type {python_type}: {how}"
        )


@overload
def usable_as_type(name: T_Type) -> T_Type: ...


@overload
def usable_as_type(
    name: str | None = None,
    description: str | None = None,
    loader: DataTypeLoader | None = None,
) -> Callable[[T_Type], T_Type]: ...


def usable_as_type(
    name: Any = None,
    description: str | None = None,
    loader: DataTypeLoader | None = None,
) -> Any:
    """Make a class usable as a type whose check is ``isinstance`` (``@usable_as_dagster_type``).

    Args:
        name: the type's name (defaults to the class's).
        description: shown in tools.
        loader: builds values from run config.

    Returns:
        The class itself, registered.

    Example:
        ``@usable_as_dagster_type``
        ``class Report: ...``
    """

    def register(cls: T_Type, type_name: str | None = None) -> T_Type:
        dagster_type = PythonObjectType(
            cls, name=type_name or cls.__name__, description=description, loader=loader
        )
        make_python_type_usable_as_type(cls, dagster_type)
        return cls

    if isinstance(name, type):
        return register(name)
    return lambda cls: register(cls, name)


class _InferredType(DataType):
    """The ``isinstance`` type made for a class first seen in an annotation."""

    def __init__(self, cls: type) -> None:
        qualified = f"{cls.__module__}.{cls.__name__}"
        self.python_type = cls

        super().__init__(
            python_object_check(cls, cls.__name__, qualified),
            key=f"_TypeHintInferred[{qualified}]",
            description=f"DagsterType created from a type hint for the Python type {qualified}",
            typing_type=cls,
        )
        self._pass_instances_of(cls)

    @property
    def display_name(self) -> str:
        return self.python_type.__name__


def _from_python_class(cls: type) -> DataType:
    known = _REGISTRY.get(cls)
    if known is None:
        known = _InferredType(cls)
        _REGISTRY[cls] = known
        _INFERRED.add(cls)
    return known


def _union(args: tuple[Any, ...]) -> DataType:
    rest = [a for a in args if a is not type(None)]
    if len(rest) == 1 and len(args) == 2:
        return OptionalType(resolve_data_type(rest[0]))
    return AnyType  # a union of several types: not checked


def _generic(origin: Any, args: tuple[Any, ...]) -> DataType | None:
    """The container type of a closed generic (``list[int]``, ``dict[str, X]``, ...)."""
    if origin in (list, collections.abc.Sequence) and len(args) == 1:
        return ListType(resolve_data_type(args[0]))
    if origin in (dict, collections.abc.Mapping) and len(args) == 2:
        return TypedDictType(resolve_data_type(args[0]), resolve_data_type(args[1]))
    if origin is set and len(args) == 1:
        return TypedSetType(resolve_data_type(args[0]))
    if origin is tuple and args and Ellipsis not in args:
        return TypedTupleType([resolve_data_type(a) for a in args])
    return None


def _from_typing(hint: Any) -> DataType | None:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is None:
        return None
    if origin in (typing.Union, pytypes.UnionType):
        return _union(args)
    if origin is Output:  # Output[T] types the value T
        return resolve_data_type(args[0]) if len(args) == 1 else AnyType
    found = _generic(origin, args)
    if found is None and isinstance(origin, type):
        found = resolve_data_type(origin)
    return found or AnyType  # Literal, Annotated, Callable, ...: not checked


def _from_marker(declared: Any) -> DataType | None:
    """Types named by headwater values: ``None``, ``Nothing``, config scalars, the APIs."""
    if declared is None:
        return AnyType
    if declared is NothingMarker:
        return NothingType
    if isinstance(declared, ConfigType):  # the config scalars double as runtime types
        return _CONFIG_SCALARS.get(getattr(declared, "type_name", ""), AnyType)
    if isinstance(declared, _ListApi) or declared is list:
        return ListType(AnyType)
    return {id(Dict): PythonDict, id(Set): PythonSet, id(Tuple): PythonTuple}.get(id(declared))


def _from_builtin(declared: Any) -> DataType | None:
    try:
        return _BUILTINS.get(declared)
    except TypeError:  # unhashable: an instance passed where a type was meant
        return None


def _from_class(declared: Any) -> DataType | None:
    if isinstance(declared, (str, typing.ForwardRef, TypeVar)):
        return AnyType  # an unresolved annotation: nothing to check against
    if not isinstance(declared, type):
        return None
    if declared.__name__ in ("MaterializeResult", "ObserveResult"):
        return AnyType  # an asset's result object, not a value
    return _from_python_class(declared)


_RESOLVERS = (_from_marker, _from_builtin, _from_typing, _from_class)


def resolve_data_type(declared: Any) -> DataType:
    """The type that an ``In``/``Out`` type or a parameter annotation stands for.

    ``None`` (nothing declared) is ``Any``; ``Nothing`` is the no-value type.

    Raises:
        InvalidDefinitionError: ``declared`` names no type (an instance, say).
    """
    if isinstance(declared, DataType):
        return declared
    for resolver in _RESOLVERS:
        found = resolver(declared)
        if found is not None:
            return found
    raise InvalidDefinitionError(
        "Invalid type: dagster_type must be an instance of DagsterType or a Python type: "
        f"got {declared!r}; pass a class (int, MyRecord) or a DagsterType"
    )


_CONFIG_SCALARS: dict[str, DataType] = {
    "int": IntType,
    "str": StringType,
    "float": FloatType,
    "bool": BoolType,
}


def check_type(dagster_type: Any, value: Any) -> TypeCheck:
    """Check ``value`` against a type outside any run (Dagster's ``check_dagster_type``).

    Args:
        dagster_type: a type, or anything that resolves to one (``int``, ``list[str]``).
        value: the value to check.

    Returns:
        The ``TypeCheck``.
    """
    if _is_typing_generic(dagster_type):
        raise InvariantViolationError(
            f"Must pass in a type from dagster module. You passed {dagster_type} which is part "
            "of python's typing module; use dg.List[...], dg.Dict[...], dg.Optional[...] instead"
        )
    resolved = resolve_data_type(dagster_type)
    try:
        return resolved.type_check(_StandaloneContext(), value)
    except Failure as failure:
        # As in a run's check: a Failure raised by the check is a failed check. Its metadata
        # is kept (the reference drops it).
        return TypeCheck(False, failure.description, failure.metadata)


_BARE_GENERICS = (
    typing.Tuple,  # noqa: UP006
    typing.Set,  # noqa: UP006
    typing.Dict,  # noqa: UP006
    typing.List,  # noqa: UP006
    typing.Mapping,
    typing.Sequence,
)


def _is_typing_generic(hint: Any) -> bool:
    if any(hint is bare for bare in _BARE_GENERICS):
        return True
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if not args:
        return False
    if origin in (typing.Union, pytypes.UnionType):
        return type(None) in args and len(args) == 2
    return origin in (list, dict, set, tuple, collections.abc.Mapping, collections.abc.Sequence)


class _StandaloneContext:
    """What a type check function receives outside a run."""

    run_id = "EPHEMERAL"

    @property
    def resources(self) -> Any:
        """No resources: reading one raises ``UnknownResourceError`` naming it, as in a
        run whose type does not declare it in ``required_resource_keys``."""
        from headwater.resources.context import Resources  # deferred: rarely read

        return Resources()

    @property
    def log(self) -> Any:
        import logging  # stdlib: only a check function that logs needs it

        return logging.getLogger("headwater")
