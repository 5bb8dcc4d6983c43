"""load_assets_from_modules: prefixes that keep loaded assets connected, and overrides."""

from __future__ import annotations

import types

import pytest

import headwater as dg


def _module() -> types.ModuleType:
    module = types.ModuleType("loaded_for_test")
    module.raw = dg.SourceAsset("raw")  # type: ignore[attr-defined]

    @dg.asset(automation_condition=dg.AutomationCondition.eager())
    def a(raw: int) -> int:
        return raw

    @dg.asset(deps=["elsewhere"])
    def b(a: int) -> int:
        return a

    module.a = a  # type: ignore[attr-defined]
    module.b = b  # type: ignore[attr-defined]
    return module


def test_key_prefix_renames_loaded_assets_and_their_links() -> None:
    loaded = dg.load_assets_from_modules([_module()], key_prefix="pp", source_key_prefix="ss")
    by_key = {item.key: item for item in loaded}
    b = by_key[dg.AssetKey(["pp", "b"])]
    assert b.asset_deps[b.key] == {dg.AssetKey(["pp", "a"]), dg.AssetKey("elsewhere")}
    a = by_key[dg.AssetKey(["pp", "a"])]
    assert a.keys_by_input_name == {"raw": dg.AssetKey(["ss", "raw"])}
    assert isinstance(by_key[dg.AssetKey(["ss", "raw"])], dg.SourceAsset)


def test_overrides_replace_every_assets_own() -> None:
    condition = dg.AutomationCondition.on_cron("@daily")
    policy = dg.BackfillPolicy.single_run()
    loaded = dg.load_assets_from_modules(
        [_module()], automation_condition=condition, backfill_policy=policy
    )
    assets = [item for item in loaded if isinstance(item, dg.AssetsDefinition)]
    assert {d.automation_conditions_by_key[d.key].get_label() for d in assets} == {
        condition.get_label()
    }
    assert {d.backfill_policy for d in assets} == {policy}


def test_unknown_keyword_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="'bogus'"):
        dg.load_assets_from_modules([_module()], bogus=1)
