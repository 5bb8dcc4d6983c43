"""AssetSelection's str (the selection syntax, as Dagster prints it), repr and equality,
and the kinds added with them (tags, key prefixes without sources, '+a+' clauses)."""

from __future__ import annotations

import sys

import pytest

import headwater as dg

S = dg.AssetSelection
A = S.keys("a")
G = S.groups("g")


@pytest.mark.parametrize(
    ("selection", "text"),
    [
        (S.all(), "*"),
        (S.keys("a", ["p", "q"]), 'key:"a" or key:"p/q"'),
        (S.keys(), ""),
        (S.groups(), "group:<null>"),
        (S.groups("g", "h").downstream(1), '(group:"g" or group:"h")+1'),
        (A.upstream(), '+key:"a"'),
        (A.upstream(2, include_self=False), '2+key:"a" and not key:"a"'),
        (A.downstream(0), 'key:"a"'),
        (A | G | S.keys("c"), 'key:"a" or group:"g" or key:"c"'),
        (A | (G | S.keys("c")), 'key:"a" or group:"g" or key:"c"'),
        ((A | G) & S.keys("c"), '(key:"a" or group:"g") and key:"c"'),
        (A - (G - S.keys("c")), 'key:"a" and not (group:"g" and not key:"c")'),
        (S.all() - G, 'not group:"g"'),
        # As Dagster prints it: the right side of 'not' is not parenthesised.
        (S.all() - S.keys("a", "b"), 'not key:"a" or key:"b"'),
        (S.tag("team", "data"), 'tag:"team"="data"'),
        (S.tag_string("team"), 'tag:"team"'),
        (S.from_string("*a"), f'{sys.maxsize}+key:"a"'),
        (S.from_string("+a++"), '1+key:"a" or key:"a"+2'),
        ((A | G).roots(), 'roots(key:"a" or group:"g")'),
        (A.upstream().sinks(), 'sinks(+key:"a")'),
        (S.key_substring("b/c"), 'key_substring:"b/c"'),
    ],
)
def test_str_is_the_selection_syntax(selection: dg.AssetSelection, text: str) -> None:
    assert str(selection) == text


def test_materializable_has_no_syntax_either() -> None:
    selection = A.materializable()
    assert str(selection) == (
        "MaterializableAssetSelection(child=KeysAssetSelection(selected_keys=[AssetKey(['a'])]))"
    )


def test_a_kind_without_syntax_prints_its_repr_and_so_does_what_contains_it() -> None:
    prefixes = S.key_prefixes("a", ["b", "c"])
    record = (
        "KeyPrefixesAssetSelection(selected_key_prefixes=[['a'], ['b', 'c']], "
        "include_sources=False)"
    )
    assert str(prefixes) == repr(prefixes) == record
    union = prefixes | A
    keys = "KeysAssetSelection(selected_keys=[AssetKey(['a'])])"
    assert str(union) == repr(union) == f"OrAssetSelection(operands=[{record}, {keys}])"


def test_the_condition_embedding_a_selection_names_it_in_the_syntax() -> None:
    condition = dg.AutomationCondition.any_deps_match(dg.AutomationCondition.missing())
    assert condition.allow(G).name == 'ANY_DEPS_MATCH(allow_selection=group:"g")'
    assert condition.ignore(S.keys("x")).name == 'ANY_DEPS_MATCH(ignore_selection=key:"x")'


def test_selections_compare_by_kind_and_fields() -> None:
    assert (A | G) | S.keys("c") == A | (G | S.keys("c"))
    assert hash(S.groups("g", "h")) == hash(S.groups("g", "h"))
    assert A.upstream(1) != A.downstream(1)
    with pytest.warns(dg.BetaWarning, match="include_sources"):
        assert S.groups("g") != S.groups("g", include_sources=True)


@dg.asset(tags={"team": "data"})
def parent() -> int:
    return 1


@dg.asset(key_prefix="x")
def left(parent: int) -> int:
    return parent


@dg.asset(key_prefix="x", tags={"team": "web"})
def right(parent: int) -> int:
    return parent


ASSETS = [parent, left, right, dg.AssetSpec(["x", "ext"])]


def _names(selection: dg.AssetSelection | str) -> list[str]:
    resolved = S.from_coercible(selection).resolve(ASSETS)
    return sorted(k.to_user_string() for k in resolved)


def test_plus_on_both_sides_is_parents_or_children_not_siblings() -> None:
    assert _names("+x/left+") == ["parent", "x/left"]


def test_tags_select_by_key_and_value() -> None:
    assert _names(S.tag("team", "data")) == ["parent"]
    with pytest.warns(dg.BetaWarning, match="include_sources"):  # as Dagster's parser warns
        assert _names("tag:team=web") == ["x/right"]
    assert _names(S.tag_string("team")) == []  # no asset has an empty 'team' tag


def test_key_prefixes_leave_out_external_assets_unless_asked() -> None:
    assert _names(S.key_prefixes("x")) == ["x/left", "x/right"]
    with pytest.warns(dg.BetaWarning, match="include_sources"):
        wide = S.key_prefixes("x", include_sources=True)
    assert _names(wide) == ["x/ext", "x/left", "x/right"]


def test_sinks_and_roots_look_through_assets_outside_the_selection() -> None:
    # parent is upstream of x/right, so only x/right is a sink; neither x/ asset has an x/ parent
    assert _names((S.assets("parent") | S.assets(["x", "right"])).sinks()) == ["x/right"]
    assert _names(S.key_prefixes("x").roots()) == ["x/left", "x/right"]
    assert _names(S.all(include_sources=True).materializable()) == ["parent", "x/left", "x/right"]
    assert _names(S.key_substring("x/r")) == ["x/right"]


def test_group_and_tag_clauses_warn_as_dagsters_parser_does() -> None:
    # Dagster's parser passes include_sources explicitly for these, so its beta warning shows.
    with pytest.warns(dg.BetaWarning, match="AssetSelection.groups"):
        S.from_string("group:g")
    with pytest.warns(dg.BetaWarning, match="AssetSelection.tag"):
        S.from_string("tag:team")
