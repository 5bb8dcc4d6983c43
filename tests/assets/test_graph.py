"""AssetGraph: keys by definition, neighbours, order, and the wiring errors it reports."""

from __future__ import annotations

import re

import pytest

import headwater as dg
from headwater.assets.graph import AssetGraph, coerce_assets
from headwater.errors import InvalidDefinitionError


@dg.asset
def raw() -> int:
    return 1


@dg.asset
def clean(raw: int) -> int:
    return raw


@dg.asset(deps=[clean])
def report() -> None:
    return None


def graph_of(*items: object) -> AssetGraph:
    return AssetGraph(coerce_assets(items))


def test_neighbours_and_topological_order() -> None:
    graph = graph_of(report, clean, raw)
    k = dg.AssetKey
    assert graph.upstream[k("clean")] == {k("raw")}
    assert graph.downstream[k("raw")] == {k("clean")}
    assert graph.toposorted_keys == [k("raw"), k("clean"), k("report")]
    assert graph.upstream_closure([k("report")]) == {k("raw"), k("clean"), k("report")}
    assert graph.upstream_closure([k("report")], depth=1) == {k("clean"), k("report")}
    assert graph.downstream_closure([k("raw")], depth=0) == {k("raw")}
    assert graph.group_of(k("raw")) == "default"


def test_external_spec_is_a_node_but_not_executable() -> None:
    @dg.asset
    def uses(ext: int) -> int:
        return ext

    graph = graph_of(dg.AssetSpec("ext"), uses)
    assert graph.all_keys == {dg.AssetKey("ext"), dg.AssetKey("uses")}
    assert graph.executable_keys == {dg.AssetKey("uses")}


def test_executable_definition_replaces_an_external_spec_of_the_same_key() -> None:
    graph = graph_of(dg.AssetSpec("raw"), raw, dg.AssetSpec("raw"))
    assert graph.def_by_key[dg.AssetKey("raw")] is raw


def test_duplicate_key_names_both_functions() -> None:
    @dg.asset(name="raw")
    def raw_again() -> int:
        return 2

    msg = (
        f"asset 'raw' is defined twice: by function 'raw' ({__name__}) and by function "
        f"'raw_again' ({__name__}); asset keys must be unique"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        graph_of(raw, raw_again)


def test_unknown_dependency_becomes_an_external_asset() -> None:
    @dg.asset(deps=["warehouse/missing"])
    def needs() -> None:
        return None

    graph = graph_of(needs)
    missing = dg.AssetKey(["warehouse", "missing"])
    assert graph.external_asset_keys == {missing}
    assert graph.materializable_asset_keys == {dg.AssetKey("needs")}
    assert graph.downstream[missing] == {dg.AssetKey("needs")}


def test_cycle_is_printed_in_order() -> None:
    @dg.asset(deps=["c"])
    def a() -> None:
        return None

    @dg.asset(deps=[a])
    def b() -> None:
        return None

    @dg.asset(deps=[b])
    def c() -> None:
        return None

    msg = "assets depend on each other in a cycle: a → c → b → a; remove one of these dependencies"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        graph_of(a, b, c)


def test_a_deep_chain_sorts_without_recursion_limits() -> None:
    defs = [dg.AssetSpec("n0")]
    defs += [dg.AssetSpec(f"n{i}", deps=[f"n{i - 1}"]) for i in range(1, 3000)]
    graph = graph_of(*defs)
    assert graph.toposorted_keys[0] == dg.AssetKey("n0")
    assert graph.toposorted_keys[-1] == dg.AssetKey("n2999")


def test_non_asset_items_are_rejected() -> None:
    msg = (
        "42 is not an asset; pass @asset / @multi_asset definitions, AssetSpec or "
        "@asset_check definitions"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        coerce_assets([42])


def test_executable_keys_are_a_fresh_set_each_time() -> None:
    @dg.asset
    def made() -> int:
        return 1

    graph = dg.Definitions(assets=[dg.AssetSpec("outside"), made]).asset_graph
    keys = graph.executable_keys
    keys.add(dg.AssetKey("outside"))  # the caller's own copy: the graph's keys stay
    assert graph.executable_keys == {dg.AssetKey("made")}
    assert graph.executable_keys is not graph.executable_keys


def test_group_of_reads_the_spec_group() -> None:
    @dg.asset(group_name="sales")
    def grouped() -> int:
        return 1

    graph = dg.Definitions(assets=[dg.AssetSpec("plain"), grouped]).asset_graph
    assert graph.group_of(dg.AssetKey("grouped")) == "sales"
    assert graph.group_of(dg.AssetKey("plain")) == "default"
