"""headwater._dataclass.dataclass makes the class the standard library's decorator makes."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
import sys
import threading
from dataclasses import MISSING, FrozenInstanceError, field
from typing import Any

import pytest

from headwater._dataclass import dataclass

OPTIONS = [
    {"frozen": True, "slots": True},
    {"frozen": True},
    {"slots": True},
    {},
    {"frozen": True, "slots": True, "kw_only": True},
]


def _both(options: dict[str, Any]) -> tuple[Any, Any]:
    """The same class body, decorated by the standard library's decorator and by ours."""

    def make(decorate: Any) -> Any:
        @decorate(**options)
        class Record:
            a: int
            b: str = "x"
            c: tuple[int, ...] = field(default_factory=tuple)
            d: int = field(default=3, repr=False, compare=False)
            e: tuple[int, ...] = field(default=(), init=False)

        return Record

    return make(dataclasses.dataclass), make(dataclass)


@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_the_class_is_the_standard_librarys(options: dict[str, Any]) -> None:
    stdlib, ours = _both(options)
    theirs, mine = stdlib(a=1, b="y"), ours(a=1, b="y")
    assert repr(mine) == repr(theirs)
    assert str(inspect.signature(ours)) == str(inspect.signature(stdlib))
    assert ours.__doc__ == stdlib.__doc__
    assert ours.__init__.__annotations__ == stdlib.__init__.__annotations__
    assert ours.__init__.__qualname__ == stdlib.__init__.__qualname__
    assert ours.__match_args__ == stdlib.__match_args__
    assert ("__slots__" in ours.__dict__) == ("__slots__" in stdlib.__dict__)
    assert [f.name for f in dataclasses.fields(ours)] == ["a", "b", "c", "d", "e"]
    assert dataclasses.asdict(mine) == dataclasses.asdict(theirs)
    assert dataclasses.replace(mine, a=5).a == 5
    assert ours.__dataclass_params__.frozen == stdlib.__dataclass_params__.frozen
    assert mine == ours(a=1, b="y", d=9)  # d is not compared
    assert mine != ours(a=2) and mine != theirs
    assert (ours.__hash__ is None) == (stdlib.__hash__ is None)
    if ours.__hash__ is not None:
        assert hash(mine) == hash(theirs)
    assert copy.deepcopy(mine) == mine


def test_frozen_fields_cannot_be_assigned_or_deleted() -> None:
    _, ours = _both({"frozen": True, "slots": True})
    record = ours(1)
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'a'"):
        record.a = 2
    with pytest.raises(FrozenInstanceError, match="cannot delete field 'a'"):
        del record.a


@dataclass(frozen=True, slots=True)
class Picklable:
    name: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PicklableChild(Picklable):
    extra: int = 0


@pytest.mark.parametrize("record", [Picklable("x", ("t",)), PicklableChild("y", extra=2)])
def test_frozen_slotted_records_pickle(record: Picklable) -> None:
    assert pickle.loads(pickle.dumps(record)) == record


def test_subclasses_keep_frozen_checks_and_own_fields() -> None:
    child = PicklableChild("y", extra=2)
    assert repr(child) == "PicklableChild(name='y', tags=(), extra=2)"
    with pytest.raises(FrozenInstanceError):
        child.extra = 3  # type: ignore[misc]
    with pytest.raises(TypeError, match="non-frozen"):

        @dataclass
        class Thawed(Picklable):  # type: ignore[misc]
            more: int = 0


def test_post_init_explicit_methods_and_recursion() -> None:
    @dataclass(frozen=True)
    class Doubled:  # noqa: PLW1641 - the decorator adds __hash__, as stdlib's
        """Own doc."""

        x: int

        def __post_init__(self) -> None:
            object.__setattr__(self, "y", self.x * 2)

        def __eq__(self, other: object) -> bool:
            return True

    assert Doubled(2).y == 4  # type: ignore[attr-defined]
    assert Doubled(1) == Doubled(2) and Doubled.__doc__ == "Own doc."
    assert Doubled.__hash__ is not None  # frozen and eq: hashed on the fields, as stdlib's

    @dataclass
    class Node:
        next: Node | None = None

    node = Node()
    node.next = node
    assert repr(node).endswith(".Node(next=...)")
    assert Node.__hash__ is None


def test_a_field_named_self() -> None:
    @dataclass(frozen=True, slots=True)
    class Odd:
        self: int

    assert Odd(3).self == 3 and hash(Odd(3)) == hash((3,))


def test_init_is_compiled_when_first_read_and_then_is_a_plain_function() -> None:
    @dataclass(frozen=True, slots=True)
    class Late:
        """Doc."""

        a: int
        b: str = "x"

    assert not inspect.isfunction(Late.__dict__["__init__"])  # not compiled yet
    assert str(inspect.signature(Late)) == "(a: 'int', b: 'str' = 'x') -> None"
    assert inspect.isfunction(Late.__dict__["__init__"])  # reading it compiled it

    @dataclass
    class Made:
        a: int

    assert Made(1).a == 1 and inspect.isfunction(Made.__dict__["__init__"])

    @dataclass(frozen=True)
    class Child(Late):
        c: int = 0

    assert Child(1, c=2) == Child(1, "x", 2)


@pytest.mark.parametrize("decorate", [dataclasses.dataclass, dataclass], ids=["stdlib", "ours"])
def test_a_field_without_default_after_one_with_is_refused_when_defined(decorate: Any) -> None:
    # The standard library refuses it at the decorator, with a TypeError naming the field;
    # the check must not wait for __init__'s deferred compile (a SyntaxError at first use).
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):

        @decorate
        class Documented:
            """Has a doc, so nothing reads __init__ while defining it."""

            a: int = 1
            b: int

    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):

        @decorate
        class OwnInit:  # the standard library checks even when the class writes __init__
            a: int = 1
            b: int

            def __init__(self) -> None:
                pass

    @decorate(init=False)
    class NoInit:  # no __init__ made: nothing to check
        a: int = 1
        b: int

    @decorate
    class KeywordOnly:  # keyword-only fields may come in any order
        a: int = 1
        b: int = field(kw_only=True)

    keyword_only: Any = KeywordOnly
    no_init: Any = NoInit
    assert keyword_only(b=2).b == 2 and dataclasses.fields(no_init)[1].default is MISSING


def test_init_annotations_follow_the_parameters_order() -> None:
    def make(decorate: Any) -> Any:
        @decorate
        class Mixed:
            a: int = 0
            b: str = field(default="", kw_only=True)
            c: float = 0.0

        return Mixed

    stdlib, ours = make(dataclasses.dataclass), make(dataclass)
    assert list(ours.__init__.__annotations__.items()) == list(
        stdlib.__init__.__annotations__.items()
    )


@pytest.mark.parametrize(
    "base_decorator", [dataclass, dataclasses.dataclass], ids=["ours", "stdlib"]
)
def test_frozen_and_not_frozen_mix_as_in_the_standard_library(base_decorator: Any) -> None:
    def definitions(decorate: Any) -> list[Any]:
        @base_decorator(frozen=True)
        class Frozen:
            a: int = 0

        @base_decorator
        class Thawed:
            a: int = 0

        outcomes: list[Any] = []
        for base, frozen in ((Frozen, True), (Frozen, False), (Thawed, True), (Thawed, False)):
            try:
                made = decorate(frozen=frozen)(
                    type("Sub", (base,), {"__annotations__": {"b": int}, "b": 1})
                )
                outcomes.append(("made", made.__dataclass_params__.frozen, repr(made(2, 3))))
            except TypeError as exc:
                outcomes.append(("refused", str(exc)))
        return outcomes

    ours = definitions(dataclass)
    assert ours == definitions(dataclasses.dataclass)
    assert [o[0] for o in ours] == ["made", "refused", "refused", "made"]


def test_other_threads_see_a_frozen_base_frozen_while_subclasses_are_defined() -> None:
    # Defining subclasses of a frozen base must never show another thread a thawed base.
    @dataclass(frozen=True)
    class Base:
        a: int = 0

    errors: list[str] = []

    def define(decorate: Any) -> None:
        for _ in range(300):
            try:
                decorate(frozen=True)(type("Sub", (Base,), {"__annotations__": {"b": int}, "b": 0}))
            except TypeError as exc:
                errors.append(str(exc))

    threads = [
        threading.Thread(target=define, args=(d,)) for d in (dataclass, dataclasses.dataclass)
    ]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads interleave inside each definition
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []
