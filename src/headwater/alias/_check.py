"""What ``dagster._check`` (alias ``dagster_shared.check``) offers integration code.

Libraries written for Dagster validate their own arguments with these helpers
(``check.inst_param(x, "x", Foo)``, ``check.invariant(...)``). headwater itself validates
once at the boundary (STYLE.md 4); this module exists only so that such libraries import
and behave the same under the alias: each helper returns the value it was given (or the
documented default) and raises ``CheckError`` on a mismatch.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from typing import Any, NoReturn, TypeVar, cast

from headwater.errors import HeadwaterError

T = TypeVar("T")
_Type = type | tuple[type, ...]


class CheckError(HeadwaterError):
    """A value failed one of the ``dagster._check`` helpers."""


class ParameterCheckError(CheckError):
    """A parameter had the wrong type."""


class ElementCheckError(CheckError):
    """An element of a mapping had the wrong type."""


class NotImplementedCheckError(CheckError):
    """``not_implemented`` was reached."""


def _names(ttype: _Type) -> str:
    if isinstance(ttype, tuple):
        return f"one of {sorted(t.__name__ for t in ttype)}"
    return f"a {ttype.__name__}"


def _mismatch(obj: object, ttype: _Type, name: str, message: str | None) -> ParameterCheckError:
    extra = f" {message}" if message else ""
    return ParameterCheckError(
        f'Param "{name}" is not {_names(ttype)}. Got {obj!r} which is type {type(obj)}.{extra}'
    )


def _of_type(items: Iterable[object], of_type: _Type | None, name: str) -> None:
    if of_type is None:
        return
    for item in items:
        if not isinstance(item, of_type):
            raise CheckError(
                f'Member of iterable param "{name}" is not {_names(of_type)}: got {item!r}'
            )


def _mapping_types(
    obj: Mapping[Any, Any], key_type: _Type | None, value_type: _Type | None, name: str
) -> None:
    _of_type(obj.keys(), key_type, name)
    _of_type(obj.values(), value_type, name)


def inst_param(obj: T, param_name: str, ttype: _Type, additional_message: str | None = None) -> T:
    if not isinstance(obj, ttype):
        raise _mismatch(obj, ttype, param_name, additional_message)
    return obj


def opt_inst_param(
    obj: T | None,
    param_name: str,
    ttype: _Type,
    default: T | None = None,
    additional_message: str | None = None,
) -> T | None:
    if obj is None:
        return default
    return inst_param(obj, param_name, ttype, additional_message)


def _scalar(ttype: _Type) -> tuple[Callable[..., Any], Callable[..., Any]]:
    def required(obj: Any, param_name: str, additional_message: str | None = None) -> Any:
        # A bool passes as an int (it is one), as in the reference.
        return inst_param(obj, param_name, ttype, additional_message)

    def optional(
        obj: Any, param_name: str, default: Any = None, additional_message: str | None = None
    ) -> Any:
        return default if obj is None else required(obj, param_name, additional_message)

    return required, optional


str_param, opt_str_param = _scalar(str)
int_param, opt_int_param = _scalar(int)
float_param, opt_float_param = _scalar(float)
numeric_param, opt_numeric_param = _scalar((int, float))
bool_param, opt_bool_param = _scalar(bool)


def callable_param(obj: T, param_name: str, additional_message: str | None = None) -> T:
    if not callable(obj):
        extra = f" {additional_message}" if additional_message else ""
        raise ParameterCheckError(
            f'Param "{param_name}" is not callable. Got {obj!r} with type {type(obj)}.{extra}'
        )
    return obj


def opt_callable_param(obj: Any, param_name: str, default: Any = None) -> Any:
    return default if obj is None else callable_param(obj, param_name)


def _collection(
    ttype: _Type, empty: Callable[[], Any]
) -> tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]]:
    def required(obj: Any, param_name: str, of_type: _Type | None = None, **_: Any) -> Any:
        if not isinstance(obj, ttype) or isinstance(obj, str):
            raise _mismatch(obj, ttype, param_name, None)
        _of_type(cast("Iterable[object]", obj), of_type, param_name)
        return obj

    def optional(obj: Any, param_name: str, of_type: _Type | None = None, **_: Any) -> Any:
        return empty() if obj is None else required(obj, param_name, of_type)

    def nullable(obj: Any, param_name: str, of_type: _Type | None = None, **_: Any) -> Any:
        return None if obj is None else required(obj, param_name, of_type)

    return required, optional, nullable


list_param, opt_list_param, opt_nullable_list_param = _collection(list, list)
sequence_param, opt_sequence_param, opt_nullable_sequence_param = _collection(Sequence, list)
set_param, opt_set_param, opt_nullable_set_param = _collection((set, frozenset), set)
tuple_param, opt_tuple_param, opt_nullable_tuple_param = _collection(tuple, tuple)
iterable_param, opt_iterable_param, _ = _collection(Iterable, list)


def _mapping(
    ttype: type,
) -> tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]]:
    def required(
        obj: Any,
        param_name: str,
        key_type: _Type | None = None,
        value_type: _Type | None = None,
        **_: Any,
    ) -> Any:
        if not isinstance(obj, ttype):
            raise _mismatch(obj, ttype, param_name, None)
        _mapping_types(cast("Mapping[Any, Any]", obj), key_type, value_type, param_name)
        return obj

    def optional(
        obj: Any, param_name: str, key_type: Any = None, value_type: Any = None, **_: Any
    ) -> Any:
        return {} if obj is None else required(obj, param_name, key_type, value_type)

    def nullable(
        obj: Any, param_name: str, key_type: Any = None, value_type: Any = None, **_: Any
    ) -> Any:
        return None if obj is None else required(obj, param_name, key_type, value_type)

    return required, optional, nullable


dict_param, opt_dict_param, opt_nullable_dict_param = _mapping(dict)
mapping_param, opt_mapping_param, opt_nullable_mapping_param = _mapping(Mapping)


def class_param(obj: Any, param_name: str, superclass: type | None = None) -> Any:
    if not isinstance(obj, type):
        raise ParameterCheckError(f'Param "{param_name}" is not a class. Got {obj!r}.')
    if superclass is not None and not issubclass(obj, superclass):
        raise ParameterCheckError(
            f'Param "{param_name}" is a class, but not a subclass of {superclass.__name__}. '
            f"Got {obj!r}."
        )
    return obj


def opt_class_param(obj: Any, param_name: str, default: Any = None, superclass: Any = None) -> Any:
    return default if obj is None else class_param(obj, param_name, superclass)


def generator_param(obj: Any, param_name: str) -> Any:
    return inst_param(obj, param_name, Generator)


def opt_generator_param(obj: Any, param_name: str) -> Any:
    return None if obj is None else generator_param(obj, param_name)


def inst(obj: T, ttype: _Type, additional_message: str | None = None) -> T:
    if not isinstance(obj, ttype):
        extra = f" {additional_message}" if additional_message else ""
        raise CheckError(f"Object {obj!r} is not {_names(ttype)}. Got type {type(obj)}.{extra}")
    return obj


def opt_inst(obj: Any, ttype: _Type, additional_message: str | None = None) -> Any:
    return None if obj is None else inst(obj, ttype, additional_message)


def is_list(obj: Any, of_type: _Type | None = None, additional_message: str | None = None) -> Any:
    inst(obj, list, additional_message)
    _of_type(obj, of_type, "list")
    return obj


def is_dict(obj: Any, key_type: Any = None, value_type: Any = None, **_: Any) -> Any:
    inst(obj, dict)
    _mapping_types(obj, key_type, value_type, "dict")
    return obj


def is_tuple(obj: Any, of_type: _Type | None = None, **_: Any) -> Any:
    inst(obj, tuple)
    _of_type(obj, of_type, "tuple")
    return obj


def is_callable(obj: T, additional_message: str | None = None) -> T:
    if not callable(obj):
        raise CheckError(f"Must be callable. Got {obj!r}. {additional_message or ''}".rstrip())
    return obj


def _elem(ttype: _Type | None) -> tuple[Callable[..., Any], Callable[..., Any]]:
    def required(ddict: Mapping[str, Any], key: str, *_: Any, **__: Any) -> Any:
        if key not in ddict:
            raise ElementCheckError(f"Key {key!r} not found in dict {ddict!r}")
        value = ddict[key]
        if ttype is not None and not isinstance(value, ttype):
            raise ElementCheckError(
                f"Value {value!r} from key {key} is not {_names(ttype)}. Dict: {ddict!r}."
            )
        return value

    def optional(ddict: Mapping[str, Any], key: str, *_: Any, **__: Any) -> Any:
        if ddict.get(key) is None:
            return {} if ttype is dict else [] if ttype is list else None
        return required(ddict, key)

    return required, optional


str_elem, opt_str_elem = _elem(str)
int_elem, opt_int_elem = _elem(int)
bool_elem, opt_bool_elem = _elem(bool)
float_elem, opt_float_elem = _elem(float)
dict_elem, opt_dict_elem = _elem(dict)
list_elem, opt_list_elem = _elem(list)


def opt_nullable_dict_elem(ddict: Mapping[str, Any], key: str, *_: Any, **__: Any) -> Any:
    value = ddict.get(key)
    return None if value is None else dict_elem(ddict, key)


def not_none(value: T | None, additional_message: str | None = None) -> T:
    if value is None:
        raise CheckError(f"Expected non-None value: {additional_message}")
    return value


def not_none_param(obj: T | None, param_name: str, additional_message: str | None = None) -> T:
    if obj is None:
        extra = f" {additional_message}" if additional_message else ""
        raise ParameterCheckError(f'Param "{param_name}" cannot be none.{extra}')
    return obj


def invariant(condition: object, desc: str | None = None) -> bool:
    if not condition:
        raise CheckError(f"Invariant failed. Description: {desc}" if desc else "Invariant failed.")
    return True


def param_invariant(condition: object, param_name: str, desc: str | None = None) -> None:
    if not condition:
        extra = f" Description: {desc}" if desc else ""
        raise ParameterCheckError(f'Invariant violation for parameter "{param_name}".{extra}')


def failed(desc: str) -> NoReturn:
    raise CheckError(f"Failure condition: {desc}")


def not_implemented(desc: str) -> NoReturn:
    raise NotImplementedCheckError(f"Not implemented: {desc}")


def assert_never(value: object) -> NoReturn:
    failed(f"Unhandled value: {value} ({type(value).__name__})")
