"""AssetSelection: constructors, graph relations, algebra and the string syntax."""

from __future__ import annotations

import re

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError


@dg.asset(group_name="raw")
def a() -> int:
    return 1


@dg.asset(group_name="raw")
def b(a: int) -> int:
    return a


@dg.asset(group_name="mart")
def c(b: int) -> int:
    return b


@dg.asset(group_name="mart", key_prefix="reports")
def d(c: int) -> int:
    return c


@dg.asset(group_name="mart", deps=["ext"])
def e() -> None:
    return None


ASSETS = [a, b, c, d, e, dg.AssetSpec("ext", group_name="raw")]


def names(selection: dg.AssetSelection | str) -> list[str]:
    sel = dg.AssetSelection.from_coercible(selection)
    return sorted(k.to_user_string() for k in sel.resolve(ASSETS))


def test_all_leaves_out_external_assets_unless_asked() -> None:
    assert names(dg.AssetSelection.all()) == ["a", "b", "c", "e", "reports/d"]
    assert "ext" in names(dg.AssetSelection.all(include_sources=True))


def test_keys_assets_groups_and_prefixes() -> None:
    assert names(dg.AssetSelection.keys("a", ["reports", "d"])) == ["a", "reports/d"]
    assert names(dg.AssetSelection.assets(b, dg.AssetSpec("ext"))) == ["b", "ext"]
    assert names(dg.AssetSelection.groups("raw")) == ["a", "b"]
    assert names(dg.AssetSelection.key_prefixes("reports")) == ["reports/d"]


def test_upstream_and_downstream_with_depth_and_self() -> None:
    assert names(dg.AssetSelection.keys("c").upstream()) == ["a", "b", "c"]
    assert names(dg.AssetSelection.keys("c").upstream(depth=1)) == ["b", "c"]
    assert names(dg.AssetSelection.keys("c").upstream(include_self=False)) == ["a", "b"]
    assert names(dg.AssetSelection.keys("b").downstream()) == ["b", "c", "reports/d"]
    assert names(dg.AssetSelection.keys("b").downstream(1, include_self=False)) == ["c"]


def test_union_intersection_and_difference() -> None:
    sel = dg.AssetSelection
    assert names(sel.keys("a") | sel.keys("e")) == ["a", "e"]
    assert names(sel.groups("mart") & sel.keys("b").downstream()) == ["c", "reports/d"]
    assert names(sel.all() - sel.groups("mart")) == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("c", ["c"]),
        ("*c", ["a", "b", "c"]),
        ("+c", ["b", "c"]),
        ("++c", ["a", "b", "c"]),
        ("b*", ["b", "c", "reports/d"]),
        ("b+", ["b", "c"]),
        ("+b+", ["a", "b", "c"]),
        ("group:raw", ["a", "b"]),
        ("key:reports/d", ["reports/d"]),
        ("reports/d", ["reports/d"]),
        ("a, e", ["a", "e"]),
        ("a e", ["a", "e"]),
        ("group:mart c+", ["c", "e", "reports/d"]),
    ],
)
def test_string_syntax(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_a_list_of_strings_is_a_union_of_clauses() -> None:
    assert names(["*b", "e"]) == ["a", "b", "e"]  # type: ignore[arg-type]
    assert names([a, e]) == ["a", "e"]  # type: ignore[arg-type]


def test_str_and_repr_show_the_selection() -> None:
    sel = dg.AssetSelection.keys("a").downstream() | dg.AssetSelection.groups("mart")
    assert str(sel) == 'key:"a"+ or group:"mart"'
    assert (
        repr(dg.AssetSelection.keys("a")) == "KeysAssetSelection(selected_keys=[AssetKey(['a'])])"
    )


def test_unknown_key_suggests_close_names() -> None:
    msg = "asset selection names unknown assets: 'bb' (did you mean 'b'?), 'zzz'"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.AssetSelection.keys("bb", "zzz").resolve(ASSETS)


def test_unknown_key_in_a_string_is_reported_too() -> None:
    msg = "asset selection names unknown assets: 'c2' (did you mean 'c'?)"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        names("*c2")


@pytest.mark.parametrize("text", ["**c", "c*+", "+*c"])
def test_unparsable_clause_shows_examples(text: str) -> None:
    msg = (
        f"cannot parse asset selection {text!r}; write e.g. '*orders', 'orders+', "
        "'group:sales', 'key:raw/orders' or 'tag:team=data'"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.AssetSelection.from_string(text)


def test_empty_string_selects_nothing_and_says_so() -> None:
    with pytest.raises(
        InvalidDefinitionError, match="an empty asset selection string selects nothing"
    ):
        dg.AssetSelection.from_string(" , ")
