"""The container types: ``Optional[T]``, ``List[T]``, ``Dict[K, V]``, ``Set[T]`` and
``Tuple[A, B, ...]``, each checking its items against the types it is built from."""

from __future__ import annotations

import typing
from collections.abc import Sequence
from typing import Any

from headwater.errors import InvalidDefinitionError
from headwater.types.check import TypeCheck, type_mismatch
from headwater.types.definition import DataType, DataTypeKind

__all__ = ["ListType", "OptionalType", "TypedDictType", "TypedSetType", "TypedTupleType"]


class _OfOneType(DataType):
    """A type built from one other type (``Optional``, ``List``, ``Set``): it names that type
    and the types that one is built from in turn."""

    inner_type: DataType
    # Whether Nothing may be the inner type: Optional and List refuse it, Set takes it.
    _wraps_nothing = True

    def __init__(
        self,
        inner_type: DataType,
        key: str,
        typing_type: Any,
        kind: DataTypeKind = DataTypeKind.REGULAR,
    ) -> None:
        if inner_type.is_nothing and not self._wraps_nothing:
            raise InvalidDefinitionError("Type Nothing can not be wrapped in List or Optional")
        self.inner_type = inner_type
        super().__init__(self._check, key=key, kind=kind, typing_type=typing_type)

    def _check(self, context: Any, value: object) -> TypeCheck:
        raise NotImplementedError

    @property
    def inner_types(self) -> Sequence[DataType]:
        return [self.inner_type, *self.inner_type.inner_types]

    @property
    def type_param_keys(self) -> Sequence[str]:
        return [self.inner_type.key]


class OptionalType(_OfOneType):
    """``Optional[T]``: ``None`` or a value of ``T``."""

    _wraps_nothing = False

    def __init__(self, inner_type: DataType) -> None:
        super().__init__(
            inner_type,
            key=f"Optional.{inner_type.key}",
            kind=DataTypeKind.NULLABLE,
            typing_type=typing.Optional[inner_type.typing_type],  # noqa: UP045 - runtime value
        )

    def _check(self, context: Any, value: object) -> TypeCheck:
        return TypeCheck(True) if value is None else self.inner_type.type_check(context, value)

    @property
    def display_name(self) -> str:
        return f"{self.inner_type.display_name}?"


def _check_items(context: Any, items: Any, item_type: DataType) -> TypeCheck:
    for item in items:
        outcome = item_type.type_check(context, item)
        if not outcome.success:
            return outcome
    return TypeCheck(True)


class ListType(_OfOneType):
    """``List[T]``: a list whose items are of ``T``."""

    _wraps_nothing = False

    def __init__(self, inner_type: DataType) -> None:
        super().__init__(
            inner_type,
            key=f"List.{inner_type.key}",
            kind=DataTypeKind.LIST,
            # The typing alias, so an IO manager reading ``typing_type`` sees ``List[T]``.
            typing_type=typing.List[inner_type.typing_type],  # type: ignore[name-defined]  # noqa: UP006
        )

    def _check(self, context: Any, value: object) -> TypeCheck:
        if not isinstance(value, list):
            return type_mismatch(value, "list")
        return _check_items(context, value, self.inner_type)

    @property
    def display_name(self) -> str:
        return f"[{self.inner_type.display_name}]"

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


class TypedSetType(_OfOneType):
    """``Set[T]``: a set whose items are of ``T``."""

    def __init__(self, inner_type: DataType) -> None:
        super().__init__(
            inner_type,
            key=f"TypedPythonSet.{inner_type.key}",
            typing_type=typing.Set[inner_type.typing_type],  # type: ignore[name-defined]  # noqa: UP006
        )

    def _check(self, context: Any, value: object) -> TypeCheck:
        if not isinstance(value, set):
            return TypeCheck(False, f"Value should be a set, got a {type(value)}")
        return _check_items(context, value, self.inner_type)

    @property
    def display_name(self) -> str:
        return f"Set[{self.inner_type.display_name}]"


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
