"""AssetSpec, AssetDep, AssetIn and AssetOut: declarations turned into keys and specs."""

from __future__ import annotations

import dataclasses

import pytest

import headwater as dg
from headwater.assets.spec import coerce_dep_key


def test_spec_coerces_key_and_deps() -> None:
    spec = dg.AssetSpec(
        "warehouse/orders",
        deps=["raw/orders", dg.AssetDep("customers"), dg.AssetSpec("products")],
        tags={"team": "sales"},
        kinds=["python", "sqlite"],
        owners=["team:data"],
    )
    assert spec.key == dg.AssetKey(["warehouse", "orders"])
    assert spec.dep_keys == (
        dg.AssetKey(["raw", "orders"]),
        dg.AssetKey("customers"),
        dg.AssetKey("products"),
    )
    assert spec.tags == {"team": "sales", "dagster/kind/python": "", "dagster/kind/sqlite": ""}
    assert spec.kinds == frozenset({"python", "sqlite"})
    assert spec.owners == ("team:data",)
    assert spec.group_name is None
    assert spec.metadata == {}


def test_spec_is_frozen_and_replace_attributes_copies() -> None:
    spec = dg.AssetSpec("orders", description="all orders")
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.description = "x"  # type: ignore[misc]
    changed = spec.replace_attributes(group_name="sales")
    assert changed.group_name == "sales"
    assert changed.description == "all orders"
    assert spec.group_name is None


def test_dep_key_comes_from_keys_strings_specs_deps_and_definitions() -> None:
    @dg.asset
    def orders() -> int:
        return 1

    assert coerce_dep_key(orders) == dg.AssetKey("orders")
    assert coerce_dep_key(dg.AssetSpec("a/b")) == dg.AssetKey(["a", "b"])
    assert coerce_dep_key(dg.AssetDep("x")) == dg.AssetKey("x")
    assert coerce_dep_key(["p", "q"]) == dg.AssetKey(["p", "q"])
    assert dg.AssetDep(orders).asset_key == dg.AssetKey("orders")


def test_asset_in_resolves_key_or_prefixed_parameter_name() -> None:
    assert dg.AssetIn("raw/orders").resolve_key("orders") == dg.AssetKey(["raw", "orders"])
    assert dg.AssetIn(key_prefix="raw").resolve_key("orders") == dg.AssetKey(["raw", "orders"])
    assert dg.AssetIn(key_prefix=["a", "b"]).resolve_key("c") == dg.AssetKey(["a", "b", "c"])
    assert dg.AssetIn().resolve_key("orders") == dg.AssetKey("orders")


def test_asset_out_makes_a_spec_named_after_the_output() -> None:
    out = dg.AssetOut(key_prefix="raw", description="d", is_required=False, code_version="2")
    spec = out.to_spec("orders", group_name="sales")
    assert spec.key == dg.AssetKey(["raw", "orders"])
    assert spec.group_name == "sales"
    assert spec.skippable
    assert spec.code_version == "2"
    assert dg.AssetOut(key="x/y", group_name="own").to_spec("o", group_name="g").group_name == "own"
    assert dg.AssetOut(key="x/y").to_spec("o", group_name=None).key == dg.AssetKey(["x", "y"])
