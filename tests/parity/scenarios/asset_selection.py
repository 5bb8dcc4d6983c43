"""Parity scenarios: AssetSelection as a value — its str (the selection syntax), its repr,
equality, and what the kinds select; and the condition names that embed a selection."""

from typing import Any

from _harness import dg, scenario

S = dg.AssetSelection
AC = dg.AutomationCondition


def _cases() -> dict[str, Any]:
    a, g = S.assets("a"), S.groups("g")
    return {
        "all": S.all(),
        "assets_one": a,
        "assets_two": S.assets("a", dg.AssetKey(["p", "q"])),
        "assets_none": S.assets(),
        "assets_path_string": S.assets("a/b"),
        "assets_odd_chars": S.assets('a"b c'),
        "groups_one": g,
        "groups_two": S.groups("g", "h"),
        "groups_none": S.groups(),
        "key_prefixes": S.key_prefixes("a", ["b", "c"]),
        "tag": S.tag("team", "data"),
        "tag_empty_value": S.tag("team", ""),
        "tag_string": S.tag_string("team=data"),
        "tag_string_key_only": S.tag_string("team"),
        "upstream": a.upstream(),
        "upstream_depth": a.upstream(1),
        "upstream_depth_zero": a.upstream(0),
        "upstream_without_self": a.upstream(include_self=False),
        "upstream_depth_without_self": a.upstream(2, include_self=False),
        "downstream": a.downstream(),
        "downstream_depth": a.downstream(2),
        "downstream_depth_zero": a.downstream(0),
        "downstream_without_self": a.downstream(include_self=False),
        "upstream_of_two_keys": S.assets("a", "b").upstream(),
        "downstream_of_two_groups": S.groups("g", "h").downstream(1),
        "upstream_of_downstream": a.downstream().upstream(),
        "upstream_of_upstream": a.upstream().upstream(1),
        "union": a | g,
        "union_chained": a | g | S.assets("c"),
        "union_nested_right": a | (g | S.assets("c")),
        "intersection": a & g,
        "intersection_chained": a & g & S.assets("c"),
        "intersection_of_union": (a | g) & S.assets("c"),
        "union_of_intersection": (a & g) | S.assets("c"),
        "difference": a - g,
        "all_minus": S.all() - g,
        "all_minus_two_keys": S.all() - S.assets("a", "b"),
        "all_minus_union": S.all() - (a | g),
        "difference_nested_left": (a - g) - S.assets("c"),
        "difference_nested_right": a - (g - S.assets("c")),
        "union_with_difference": a | (g - S.assets("c")),
        "upstream_of_union": (a | g).upstream(),
        "downstream_of_difference": (a - g).downstream(1),
        "union_with_upstream_without_self": a.upstream(include_self=False) | g,
        "tag_in_intersection": S.tag("k", "v") & g.downstream(),
        "key_prefixes_in_union": S.key_prefixes("a") | a,
        "upstream_of_key_prefixes": S.key_prefixes("a").upstream(),
        "all_minus_key_prefixes": S.all() - S.key_prefixes("a"),
        "key_substring": S.key_substring("b/c"),
        "sinks": a.sinks(),
        "roots_of_union": (a | g).roots(),
        "sinks_of_upstream": a.upstream().sinks(),
        "materializable": a.materializable(),
        "roots_in_union": g.roots() | a,
    }


@scenario
def str_of_each_kind(obs):
    for name, selection in _cases().items():
        obs.record(name, str(selection))


@scenario
def repr_of_each_kind(obs):
    for name, selection in _cases().items():
        obs.record(name, repr(selection))


@scenario
def str_of_string_clauses(obs):
    for text in ["a", "*a", "a*", "*a*", "++a", "a++", "+a", "+a+", "a/b", "*a/b", "group:g"]:
        obs.record(text, str(S.from_string(text)))
    obs.record("tag", str(S.from_string("tag:team=data")))
    obs.record("all", str(S.from_string("*")))


@scenario
def keys_is_assets(obs):
    obs.record("str", str(S.keys("a", ["b", "c"])))
    obs.record("equal", S.keys("a", ["b", "c"]) == S.assets("a", dg.AssetKey(["b", "c"])))


@scenario
def equality_by_kind_and_fields(obs):
    a, g, c = S.assets("a"), S.groups("g"), S.assets("c")
    obs.record("union_regrouped", (a | g) | c == a | (g | c))
    obs.record("union_order", a | g == g | a)
    obs.record("groups", S.groups("g", "h") == S.groups("g", "h"))
    obs.record("depths", a.upstream(1) == a.upstream(2))
    obs.record("clause_vs_method", S.from_string("a+") == a.downstream(1))
    obs.record("difference", a - g == a - g)


@scenario
def different_kinds_with_the_same_fields_differ(obs):
    a, g = S.assets("a"), S.groups("g")
    obs.record("upstream_vs_downstream", a.upstream(1) == a.downstream(1))
    obs.record("union_vs_intersection", (a | g) == (a & g))


@scenario
def condition_names_embed_the_selection(obs):
    deps = AC.any_deps_match(AC.missing())
    for name, selection in [
        ("groups", S.groups("g")),
        ("two_keys", S.assets("a", "b")),
        ("upstream", S.assets("a").upstream(1)),
        ("union", S.assets("a") | S.groups("g")),
        ("all_minus", S.all() - S.groups("g")),
        ("tag", S.tag("k", "v")),
    ]:
        obs.record(f"allow_{name}", deps.allow(selection).name)
        obs.record(f"ignore_{name}", deps.ignore(selection).name)
    both = AC.all_deps_match(AC.missing()).allow(S.groups("g")).ignore(S.assets("x"))
    obs.record("all_deps_both", both.name)
    obs.record("all_deps_both_label", both.get_label())


def _graph() -> list[Any]:
    @dg.asset(tags={"team": "data"}, group_name="g")
    def parent() -> int:
        return 1

    @dg.asset(key_prefix="x", group_name="g")
    def left(parent: int) -> int:
        return parent

    @dg.asset(key_prefix="x", tags={"team": "web"})
    def right(parent: int) -> int:
        return parent

    @dg.asset(key_prefix="x", deps=[left])
    def leaf() -> None:
        return None

    return [parent, left, right, leaf, dg.SourceAsset(["x", "ext"], group_name="g")]


def _names(selection: Any) -> list[str]:
    return sorted(k.to_user_string() for k in selection.resolve(_graph()))


@scenario
def plus_on_both_sides_is_parents_or_children(obs):
    obs.record("plus_both", _names(S.from_string("+x/left+")))
    obs.record("star_both", _names(S.from_string("*x/left*")))


@scenario
def tag_selection_resolves(obs):
    obs.record("data", _names(S.tag("team", "data")))
    obs.record("web_string", _names(S.tag_string("team=web")))
    obs.record("no_value", _names(S.tag_string("team")))
    obs.record("clause", _names(S.from_string("tag:team=web")))


@scenario
def key_prefixes_leave_out_external_assets(obs):
    obs.record("default", _names(S.key_prefixes("x")))
    obs.record("with_sources", _names(S.key_prefixes("x", include_sources=True)))
    obs.record("groups_default", _names(S.groups("g")))
    obs.record("groups_with_sources", _names(S.groups("g", include_sources=True)))


@scenario
def sinks_roots_and_materializable_resolve(obs):
    every = S.all(include_sources=True)
    obs.record("sinks", _names(every.sinks()))
    obs.record("roots", _names(S.all().roots()))
    obs.record("roots_with_sources", _names(every.roots()))
    obs.record("roots_of_group", _names(S.groups("g").roots()))
    obs.record("sinks_of_group", _names(S.groups("g").sinks()))
    # parent reaches x/leaf through x/left, outside the selection: parent is no sink.
    obs.record("sinks_apart", _names((S.assets("parent") | S.assets(["x", "leaf"])).sinks()))
    obs.record("materializable", _names(every.materializable()))
    obs.record("key_substring", _names(S.key_substring("x/l")))
    obs.record("key_substring_sources", _names(S.key_substring("x/", include_sources=True)))
