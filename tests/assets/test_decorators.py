"""@asset and @multi_asset: keys, inputs, deps, specs and op wiring."""

from __future__ import annotations

import re
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError


@dg.asset
def orders() -> list[int]:
    """All orders."""
    return [1, 2, 3]


def test_bare_asset_is_named_after_its_function() -> None:
    assert isinstance(orders, dg.AssetsDefinition)
    assert orders.key == dg.AssetKey("orders")
    assert orders.keys == {dg.AssetKey("orders")}
    assert orders.node_name == "orders"
    assert orders.descriptions_by_key == {dg.AssetKey("orders"): "All orders."}
    assert orders.group_names_by_key == {dg.AssetKey("orders"): "default"}
    assert repr(orders) == "<AssetsDefinition orders>"


def test_asset_options_land_on_its_spec() -> None:
    @dg.asset(
        key_prefix=["warehouse"],
        name="clean",
        group_name="sales",
        description="cleaned",
        metadata={"owner": "me"},
        tags={"tier": "gold"},
        code_version="3",
        owners=["team:data"],
        kinds={"python", "sqlite"},
    )
    def anything() -> int:
        return 1

    spec = anything.spec_for_key(dg.AssetKey(["warehouse", "clean"]))
    assert spec.group_name == "sales"
    assert spec.description == "cleaned"
    assert spec.metadata == {"owner": "me"}
    assert spec.tags == {"tier": "gold", "dagster/kind/python": "", "dagster/kind/sqlite": ""}
    assert spec.code_version == "3"
    assert spec.owners == ("team:data",)
    assert spec.kinds == frozenset({"python", "sqlite"})
    assert anything.node_name == "warehouse__clean"
    assert anything.code_versions_by_key == {dg.AssetKey(["warehouse", "clean"]): "3"}


def test_compute_kind_tags_the_op_and_excludes_kinds() -> None:
    @dg.asset(compute_kind="sqlite")
    def tagged() -> int:
        return 1

    assert tagged.node_def.tags == {"dagster/compute_kind": "sqlite"}
    assert tagged.spec_for_key(dg.AssetKey("tagged")).kinds == frozenset()
    with pytest.raises(dg.DagsterInvalidDefinitionError, match="compute_kind and kinds"):
        dg.asset(compute_kind="sqlite", kinds={"python"})(lambda: 1)


def test_key_argument_gives_the_whole_key() -> None:
    @dg.asset(key=["raw", "events"])
    def events() -> int:
        return 1

    assert events.key == dg.AssetKey(["raw", "events"])


def test_parameters_are_upstream_assets_and_deps_pass_no_value() -> None:
    @dg.asset(deps=[orders, "raw/customers"])
    def report(orders: list[int]) -> int:
        return sum(orders)

    assert report.data_keys_by_input_name == {"orders": dg.AssetKey("orders")}
    # The reference lists the ordering-only dep inputs too.
    assert report.keys_by_input_name == {
        "orders": dg.AssetKey("orders"),
        "raw__customers": dg.AssetKey(["raw", "customers"]),
    }
    assert report.dependency_keys == {dg.AssetKey("orders"), dg.AssetKey(["raw", "customers"])}
    assert report.op is not None
    # a dep that is also a parameter is one input, not two
    assert set(report.op.input_defs) == {"orders", "raw__customers"}


def test_ins_map_a_parameter_to_another_key() -> None:
    @dg.asset(ins={"rows": dg.AssetIn(key=["raw", "orders"]), "c": dg.AssetIn(key_prefix="raw")})
    def summary(rows: list[int], c: int) -> int:
        return len(rows) + c

    assert summary.keys_by_input_name == {
        "rows": dg.AssetKey(["raw", "orders"]),
        "c": dg.AssetKey(["raw", "c"]),
    }


class Settings(dg.Config):
    limit: int = 5


class Db(dg.ConfigurableResource):
    url: str


def test_context_config_and_resource_parameters_are_not_upstream_assets() -> None:
    @dg.asset
    def limited(context: dg.AssetExecutionContext, config: Settings, db: Db, orders: list[int]):
        return orders[: config.limit]

    assert limited.keys_by_input_name == {"orders": dg.AssetKey("orders")}
    assert limited.required_resource_keys == frozenset({"db"})


def test_required_resource_keys_and_io_manager_key() -> None:
    @dg.asset(required_resource_keys={"warehouse"}, io_manager_key="parquet")
    def stored() -> int:
        return 1

    assert stored.required_resource_keys == frozenset({"warehouse"})
    assert stored.io_manager_key_for(dg.AssetKey("stored")) == "parquet"
    assert orders.io_manager_key_for(dg.AssetKey("orders")) == "io_manager"


def test_asset_is_callable_directly_for_tests() -> None:
    @dg.asset
    def doubled(orders: list[int]) -> list[int]:
        return [o * 2 for o in orders]

    assert doubled([1, 2]) == [2, 4]
    assert orders() == [1, 2, 3]


def test_key_and_key_prefix_together_are_rejected() -> None:
    msg = "asset 'both' has both key= and key_prefix=; put the prefix in the key"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.asset(key="x", key_prefix="p")
        def both() -> int:
            return 1


def test_ins_for_an_unknown_parameter_name_it_and_the_real_ones() -> None:
    msg = (
        "asset 'needs' declares ins for ['missing'], which are not parameters of its "
        "function; its data parameters are ['upstream']"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.asset(ins={"missing": dg.AssetIn("x")})
        def needs(upstream: int) -> int:
            return upstream


def test_multi_asset_with_outs_makes_one_key_per_output() -> None:
    @dg.multi_asset(
        outs={"a": dg.AssetOut(), "b": dg.AssetOut(key=["pre", "b"], io_manager_key="other")},
        group_name="g",
        code_version="7",
    )
    def both(orders: list[int]):
        return 1, 2

    assert both.keys == {dg.AssetKey("a"), dg.AssetKey(["pre", "b"])}
    assert both.output_name_for_key(dg.AssetKey(["pre", "b"])) == "b"
    assert both.node_name == "both"
    assert both.io_manager_key_for(dg.AssetKey(["pre", "b"])) == "other"
    assert set(both.group_names_by_key.values()) == {"g"}
    assert set(both.code_versions_by_key.values()) == {"7"}
    assert both.asset_deps == {
        dg.AssetKey("a"): {dg.AssetKey("orders")},
        dg.AssetKey(["pre", "b"]): {dg.AssetKey("orders")},
    }


def test_multi_asset_with_specs_keeps_their_deps_and_group() -> None:
    @dg.multi_asset(
        specs=[dg.AssetSpec("s1", deps=["raw"]), dg.AssetSpec("s2", group_name="own")],
        group_name="shared",
        can_subset=True,
    )
    def pair():
        yield dg.MaterializeResult(asset_key="s1")
        yield dg.MaterializeResult(asset_key="s2")

    assert pair.can_subset
    assert pair.group_names_by_key == {dg.AssetKey("s1"): "shared", dg.AssetKey("s2"): "own"}
    assert pair.asset_deps[dg.AssetKey("s1")] == {dg.AssetKey("raw")}
    assert pair.asset_deps[dg.AssetKey("s2")] == set()


def test_multi_asset_key_property_is_ambiguous() -> None:
    @dg.multi_asset(specs=[dg.AssetSpec("m"), dg.AssetSpec("n")])
    def two():
        return None

    msg = "this definition produces 2 assets (['m', 'n']); use .keys"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        _ = two.key


@pytest.mark.parametrize(
    "kwargs", [{}, {"outs": {"a": dg.AssetOut()}, "specs": [dg.AssetSpec("a")]}]
)
def test_multi_asset_needs_exactly_one_of_outs_and_specs(kwargs: dict[str, object]) -> None:
    msg = "multi_asset 'either' needs outs={...} or specs=[...], and not both"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.multi_asset(**kwargs)  # type: ignore[arg-type]
        def either():
            return None


def test_multi_asset_naming_one_key_twice_is_rejected() -> None:
    msg = "one definition names an asset key twice: ['x', 'x']"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.multi_asset(outs={"o1": dg.AssetOut(key="x"), "o2": dg.AssetOut(key="x")})
        def twice():
            return 1, 2


def test_external_asset_cannot_be_called() -> None:
    external = dg.AssetsDefinition.external(dg.AssetSpec("ext"))
    assert external.is_external and not external.is_executable
    msg = "asset ext is external; it has no function to call"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        external()


def _deps(assets_def: dg.AssetsDefinition) -> dict[str, list[str]]:
    return {
        k.to_user_string(): sorted(d.to_user_string() for d in v)
        for k, v in assets_def.asset_deps.items()
    }


def test_multi_asset_internal_asset_deps_narrow_each_assets_deps() -> None:
    @dg.multi_asset(
        outs={"a": dg.AssetOut(), "b": dg.AssetOut(), "c": dg.AssetOut()},
        deps=["x", "y"],
        internal_asset_deps={"a": {dg.AssetKey("x")}, "b": {dg.AssetKey("a"), dg.AssetKey("y")}},
    )
    def m() -> Any:
        yield dg.Output(1, "a")
        yield dg.Output(2, "b")
        yield dg.Output(3, "c")

    assert _deps(m) == {"a": ["x"], "b": ["a", "y"], "c": ["x", "y"]}


def test_multi_asset_hidden_kwargs() -> None:
    @dg.multi_asset(outs={"a": dg.AssetOut()}, non_argument_deps={"z"}, compute_kind="python")
    def n() -> int:
        return 1

    assert _deps(n) == {"a": ["z"]}
    assert n.op is not None
    assert n.op.tags == {"dagster/compute_kind": "python"}
    with pytest.raises(TypeError, match="unexpected keyword argument 'foo'"):
        dg.multi_asset(outs={"a": dg.AssetOut()}, foo=1)


def _tracked_objects_per_asset(count: int) -> float:
    """GC-tracked objects that ``count`` decorated assets keep alive, per asset."""
    import gc

    source = "import headwater as dg\n" + "".join(
        f"@dg.asset(group_name='g')\ndef cost_{i}({'cost_' + str(i - 1) if i else ''}):\n"
        f"    return {i}\n"
        for i in range(count)
    )
    code = compile(source, "<assets>", "exec")
    exec(code, {})  # warm: the first decoration imports what assets need
    gc.collect()
    before = len(gc.get_objects())
    kept: dict[str, Any] = {}
    exec(code, kept)
    gc.collect()
    return (len(gc.get_objects()) - before) / count


def test_an_asset_keeps_few_objects_for_the_garbage_collector() -> None:
    # A module of thousands of assets: each object an asset keeps is walked by every full
    # collection while the module loads. Empty frozensets (kinds, hooks, resource keys) are
    # shared, and a key named in code is one object however many parameters name it.
    assert _tracked_objects_per_asset(300) <= 17  # 20 before the sharing


def test_a_parameter_shares_the_key_of_the_asset_it_names() -> None:
    @dg.asset
    def shared_upstream() -> int:
        return 1

    @dg.asset
    def shared_downstream(shared_upstream: int) -> int:
        return shared_upstream

    (dep,) = shared_downstream.specs_by_output["result"].deps
    assert dep.asset_key == shared_upstream.key
    assert dep.asset_key is shared_upstream.key
    assert dep == dg.AssetDep(dg.AssetKey("shared_upstream"))
    assert shared_downstream.keys_by_input_name == {"shared_upstream": shared_upstream.key}
    # The empty sets are shared, not merely equal (frozenset() is a new object each call).
    up_spec, down_spec = (
        shared_upstream.specs_by_output["result"],
        shared_downstream.specs_by_output["result"],
    )
    assert up_spec.kinds == frozenset() and up_spec.kinds is down_spec.kinds
    assert shared_upstream.hook_defs == frozenset()
    assert shared_upstream.hook_defs is shared_downstream.hook_defs
    assert shared_upstream.op.required_resource_keys == frozenset()
    assert shared_upstream.op.required_resource_keys is shared_downstream.op.required_resource_keys


def test_the_shared_keys_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    # A long-lived process that keeps making new names must not keep every key forever.
    from headwater.assets import decorators

    monkeypatch.setattr(decorators, "_KEYS_KEPT", 3)
    monkeypatch.setattr(decorators, "_KEY_BY_NAME", {})
    keys = [decorators._named_key(f"bounded_{i}") for i in range(10)]
    assert len(decorators._KEY_BY_NAME) <= 3
    assert keys[-1] is decorators._named_key("bounded_9")
    assert keys[0] == dg.AssetKey("bounded_0")
