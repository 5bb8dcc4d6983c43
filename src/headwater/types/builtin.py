"""The built-in types: the scalars (``Int``, ``String``, ``Float``, ``Bool``), ``Any``,
``Nothing``, and ``PythonObjectType``, whose check is ``isinstance``."""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

from headwater.types.check import TypeCheck, python_object_check, type_mismatch
from headwater.types.definition import DataType, DataTypeKind

__all__ = [
    "AnyType",
    "BoolType",
    "FloatType",
    "IntType",
    "NothingType",
    "PythonObjectType",
    "StringType",
]


def _isinstance_check(python_type: type, expected: str) -> Callable[[Any, Any], TypeCheck]:
    def check(_context: Any, value: object) -> TypeCheck:
        return TypeCheck(True) if isinstance(value, python_type) else type_mismatch(value, expected)

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

        super().__init__(
            python_object_check(python_type, name, type_str),
            key=key or name,
            name=name,
            typing_type=typing_type,
            **kwargs,
        )
        self._pass_instances_of(python_type)
