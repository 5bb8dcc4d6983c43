"""``dataclass``: the standard library's decorator, defining a class with one compile, not six.

``dataclasses.dataclass`` writes every method it adds (``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, and a frozen class's ``__setattr__`` and ``__delattr__``) as
source text and compiles it when the class is defined: about 4 M instructions for a frozen
class of five fields. ``headwater job execute`` defines some forty such classes before its
first step, a fifth of the whole process. This decorator takes the same arguments and makes
the same class, but lets the standard library only collect the fields (and make the slots),
compiles ``__init__`` alone (the method whose speed counts per instance, and whose
signature users see), when it is first used, and gives the other methods as closures over
the field names, built without compiling anything.

The class it makes is what the standard library's would be: the same fields for
``dataclasses.fields``/``replace``/``asdict``, ``__dataclass_params__``, ``__match_args__``,
slots, the same ``repr``, equality, hash, frozen-ness (``FrozenInstanceError``), pickling of
frozen classes with slots, ``__init__`` signature and docstring. The rarely used cases it
leaves to the standard library whole: ``order``, ``unsafe_hash`` and ``InitVar`` fields.

Import ``dataclass`` from here (ruff's TID251 refuses the standard library's in ``src``),
``field``/``fields``/``replace`` from ``dataclasses``. Type checkers see the standard
library's decorator (``TYPE_CHECKING`` below).
"""

from __future__ import annotations

import abc
import dataclasses
import inspect
import reprlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import MISSING, Field, FrozenInstanceError
from operator import attrgetter
from typing import TYPE_CHECKING, Any

__all__ = ["dataclass"]


class _Factory:
    """Default of an ``__init__`` parameter whose field has a ``default_factory``."""

    def __repr__(self) -> str:
        return "<factory>"  # as the standard library's signature shows it


_FACTORY = _Factory()


def _define(
    cls: type,
    *,
    init: bool = True,
    repr: bool = True,
    eq: bool = True,
    order: bool = False,
    unsafe_hash: bool = False,
    frozen: bool = False,
    **options: Any,
) -> type:
    if order or unsafe_hash or not _plain(cls) or _has_frozen_base(cls):
        return dataclasses.dataclass(
            cls,
            init=init,
            repr=repr,
            eq=eq,
            order=order,
            unsafe_hash=unsafe_hash,
            frozen=frozen,
            **options,
        )
    own = cls.__dict__
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    needs_doc = not cls.__doc__
    if needs_doc:
        # Written below from the real __init__; the standard library would compute it (with
        # inspect.signature) from the one inherited from object.
        cls.__doc__ = cls.__name__
    if frozen and _dataclass_bases(cls):
        # Told frozen=False below, the standard library would not make this check itself.
        raise TypeError("cannot inherit frozen dataclass from a non-frozen one")
    # Fields, slots and __match_args__ only: no method is compiled. (Told frozen=False, the
    # standard library refuses a frozen base itself, with its own message.)
    cls = dataclasses.dataclass(cls, init=False, repr=False, eq=False, **options)
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    params.init, params.repr, params.eq, params.frozen = init, repr, eq, frozen
    fields = dataclasses.fields(cls)
    if init:
        _check_defaults_order(fields)
    if init and "__init__" not in cls.__dict__:
        cls.__init__ = _LazyInit(cls, fields, frozen)  # type: ignore[misc]
    if repr:
        _add(cls, "__repr__", _repr([f.name for f in fields if f.repr]))
    if eq:
        _add(cls, "__eq__", _eq(_values([f.name for f in fields if f.compare])))
        if not explicit_hash:
            hashed = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]
            cls.__hash__ = _hash(cls, _values(hashed)) if frozen else None  # type: ignore[assignment]
    if frozen:
        _freeze(cls, [f.name for f in fields])
    if needs_doc:
        try:
            text = str(inspect.signature(cls)).replace(" -> None", "")
        except (TypeError, ValueError):
            text = ""
        cls.__doc__ = cls.__name__ + text
    abc.update_abstractmethods(cls)
    return cls


def _check_defaults_order(fields: Sequence[Field[Any]]) -> None:
    """Refuse a positional parameter without default after one with, when the class is
    defined: the standard library's check (its error), which the deferred compile of
    ``__init__`` would otherwise make a ``SyntaxError`` at first use (or, when the class
    writes its own ``__init__``, never)."""
    seen_default = False
    for f in fields:
        if not f.init or f.kw_only:
            continue
        if f.default is not MISSING or f.default_factory is not MISSING:
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")


def _freeze(cls: type, names: Sequence[str]) -> None:
    """A frozen class's ``__setattr__``/``__delattr__`` (and pickling, with slots)."""
    for method in (_setattr(cls, frozenset(names)), _delattr(cls, frozenset(names))):
        if _add(cls, method.__name__, method):
            raise TypeError(f"Cannot overwrite attribute {method.__name__} in class {cls.__name__}")
    if "__slots__" in cls.__dict__:
        # Slots have no __dict__ to restore, and restoring them would call the frozen
        # __setattr__: as the standard library does for a frozen class with slots.
        if "__getstate__" not in cls.__dict__:
            cls.__getstate__ = _getstate  # type: ignore[attr-defined]
        if "__setstate__" not in cls.__dict__:
            cls.__setstate__ = _setstate  # type: ignore[attr-defined]


def _dataclass_bases(cls: type) -> list[Any]:
    """The ``__dataclass_params__`` of the class's dataclass bases."""
    return [p for base in cls.__mro__[1:] if (p := base.__dict__.get("__dataclass_params__"))]


def _has_frozen_base(cls: type) -> bool:
    """Whether a dataclass base is frozen. Such a class is left to the standard library
    whole: it writes a frozen subclass's methods only when told the truth, and told
    ``frozen=False`` it refuses the frozen base."""
    return any(p.frozen for p in _dataclass_bases(cls))


def _plain(cls: type) -> bool:
    """Whether the class is one this module makes: no ``InitVar`` field."""
    annotations = inspect.get_annotations(cls)
    return (
        not any(
            "InitVar" in a if isinstance(a, str) else isinstance(a, dataclasses.InitVar)
            for a in annotations.values()
        )
        and dataclasses.InitVar not in annotations.values()
    )


def _add(cls: type, name: str, function: Callable[..., Any]) -> bool:
    """Set a method unless the class body defines it; True when it does (as the standard
    library's ``_set_new_attribute``)."""
    if name in cls.__dict__:
        return True
    function.__qualname__ = f"{cls.__qualname__}.{function.__name__}"
    setattr(cls, name, function)
    return False


class _LazyInit:
    """A class's ``__init__`` until something first reads it (making an instance,
    ``inspect.signature``, ``cls.__init__``): compiled then, and put in its place.

    Half the classes a process defines are never instantiated in it (results of commands
    not run, configs of backends not used); they cost no compile.
    """

    __slots__ = ("_cls", "_fields", "_frozen")

    def __init__(self, cls: type, fields: Sequence[Field[Any]], frozen: bool) -> None:
        self._cls, self._fields, self._frozen = cls, fields, frozen

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        function = _init(self._cls, self._fields, self._frozen)
        function.__qualname__ = f"{self._cls.__qualname__}.__init__"
        if self._cls.__dict__.get("__init__") is self:
            self._cls.__init__ = function
        return function if instance is None else function.__get__(instance, owner)


def _init(cls: type, fields: Sequence[Field[Any]], frozen: bool) -> Callable[..., None]:
    """Compile ``__init__``: the standard library's body, written with fewer words (the
    annotations are set on the function, not parsed)."""
    self_name = "__dataclass_self__" if any(f.name == "self" for f in fields) else "self"
    refs: dict[str, Any] = {"__dataclass_set__": object.__setattr__, "__dataclass_F__": _FACTORY}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for i, f in enumerate(fields):
        value: str | None = f.name
        if f.default_factory is not MISSING:
            refs[f"__dataclass_f{i}__"] = f.default_factory
            value = (
                f"__dataclass_f{i}__() if {f.name} is __dataclass_F__ else {f.name}"
                if f.init
                else f"__dataclass_f{i}__()"
            )
            default = "=__dataclass_F__"
        elif f.default is not MISSING:
            refs[f"__dataclass_d{i}__"] = f.default
            default = f"=__dataclass_d{i}__"
            if not f.init:
                slots = "__slots__" in cls.__dict__
                value = f"__dataclass_d{i}__" if slots else None
        else:
            default = ""
            if not f.init:
                value = None
        if f.init:
            (keyword if f.kw_only else positional).append(f"{f.name}{default}")
        if value is not None:
            body.append(
                f"__dataclass_set__({self_name},{f.name!r},{value})"
                if frozen
                else f"{self_name}.{f.name}={value}"
            )
    if hasattr(cls, "__post_init__"):
        body.append(f"{self_name}.__post_init__()")
    parameters = ",".join([self_name, *positional, *(["*", *keyword] if keyword else [])])
    lines = "\n  ".join(body or ["pass"])
    source = (
        f"def __create_fn__({','.join(refs)}):\n"
        f" def __init__({parameters}):\n  {lines}\n"
        " return __init__"
    )
    module = sys.modules.get(cls.__module__)
    namespace: dict[str, Any] = {}
    exec(source, module.__dict__ if module is not None else {}, namespace)
    function: Callable[..., None] = namespace["__create_fn__"](**refs)
    # In the parameters' order (keyword-only last), as the standard library's.
    ordered = sorted((f for f in fields if f.init), key=lambda f: bool(f.kw_only))
    function.__annotations__ = {f.name: f.type for f in ordered} | {"return": None}
    return function


def _values(names: Sequence[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of the named attributes' values, as ``(self.a, self.b)`` builds it."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _repr(names: Sequence[str]) -> Callable[[Any], str]:
    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:  # noqa: N807 - the method's own name
        shown = ", ".join([f"{name}={getattr(self, name)!r}" for name in names])
        return f"{self.__class__.__qualname__}({shown})"

    return __repr__


def _eq(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def __eq__(  # noqa: N807 - the method's own name
        self: Any, other: Any
    ) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


def _hash(cls: type, values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(  # noqa: N807 - the method's own name
        self: Any,
    ) -> int:
        return hash(values(self))

    __hash__.__qualname__ = f"{cls.__qualname__}.__hash__"
    return __hash__


def _setattr(cls: type, names: frozenset[str]) -> Callable[[Any, str, Any], None]:
    def __setattr__(  # noqa: N807 - the method's own name
        self: Any, name: str, value: Any
    ) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)  # type: ignore[arg-type]

    return __setattr__


def _delattr(cls: type, names: frozenset[str]) -> Callable[[Any, str], None]:
    def __delattr__(  # noqa: N807 - the method's own name
        self: Any, name: str
    ) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)  # type: ignore[arg-type]

    return __delattr__


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, f.name) for f in dataclasses.fields(self)]


def _setstate(self: Any, state: Sequence[Any]) -> None:
    for f, value in zip(dataclasses.fields(self), state, strict=False):
        object.__setattr__(self, f.name, value)  # bypasses the frozen __setattr__


if TYPE_CHECKING:
    from dataclasses import dataclass
else:

    def dataclass(cls=None, /, **options):
        """``@dataclass`` or ``@dataclass(frozen=True, slots=True, ...)``, as the standard
        library's."""
        if cls is None:
            return lambda cls: _define(cls, **options)
        return _define(cls, **options)
