"""``asset_statuses``: never materialized, code version changed, upstream newer, or fresh."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import headwater as dg
from headwater.assets.staleness import AssetStatus, asset_statuses


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Any]:
    with dg.DagsterInstance.from_config(tmp_path / "home") as opened:
        yield opened


@dg.asset(code_version="1")
def raw() -> int:
    return 1


@dg.asset(code_version="1")
def clean(raw: int) -> int:
    return raw + 1


def statuses(instance: Any, *assets: Any) -> dict[str, AssetStatus]:
    graph = dg.Definitions(assets=list(assets)).resolve_asset_graph()
    return {s.key.to_user_string(): s for s in asset_statuses(graph, instance)}


def reasons(instance: Any, *assets: Any) -> dict[str, tuple[str, ...]]:
    return {k: s.stale_reasons for k, s in statuses(instance, *assets).items()}


def test_assets_never_materialized_are_stale_in_dependency_order(instance: Any) -> None:
    found = statuses(instance, clean, raw)
    assert list(found) == ["raw", "clean"]
    assert found["raw"] == AssetStatus(
        key=dg.AssetKey("raw"),
        last_materialized=None,
        last_run_id=None,
        last_partition=None,
        data_version=None,
        stale_reasons=("never materialized",),
    )
    assert found["clean"].is_stale


def test_assets_materialized_together_are_fresh_and_know_their_run(instance: Any) -> None:
    result = dg.materialize([raw, clean], instance=instance)
    found = statuses(instance, raw, clean)
    assert reasons(instance, raw, clean) == {"raw": (), "clean": ()}
    assert not found["clean"].is_stale
    assert found["clean"].last_run_id == result.run_id
    assert found["clean"].last_materialized is not None
    assert found["clean"].data_version is not None


def test_changed_code_version_makes_the_asset_stale(instance: Any) -> None:
    dg.materialize([raw, clean], instance=instance)

    @dg.asset(key="clean", code_version="2")
    def clean_v2(raw: int) -> int:
        return raw + 2

    assert reasons(instance, raw, clean_v2) == {
        "raw": (),
        "clean": ("code version changed (1 → 2)",),
    }


def test_code_version_added_after_a_materialization_without_one_is_a_change(
    instance: Any,
) -> None:
    @dg.asset(key="raw")
    def unversioned() -> int:
        return 1

    dg.materialize([unversioned], instance=instance)
    assert reasons(instance, raw) == {"raw": ("code version changed (none → 1)",)}


def test_asset_without_code_version_is_not_stale_for_its_code(instance: Any) -> None:
    @dg.asset(key="raw")
    def unversioned() -> int:
        return 1

    dg.materialize([unversioned], instance=instance)
    assert reasons(instance, unversioned) == {"raw": ()}


def test_upstream_materialized_since_makes_the_downstream_stale(instance: Any) -> None:
    dg.materialize([raw, clean], instance=instance)
    dg.materialize([raw], instance=instance)
    assert reasons(instance, raw, clean) == {
        "raw": (),
        "clean": ("upstream 'raw' materialized since",),
    }


def test_rematerializing_the_downstream_makes_it_fresh_again(instance: Any) -> None:
    dg.materialize([raw, clean], instance=instance)
    dg.materialize([raw], instance=instance)
    dg.materialize([raw, clean], instance=instance, selection=[clean])
    assert reasons(instance, raw, clean) == {"raw": (), "clean": ()}


def test_every_reason_is_given_at_once(instance: Any) -> None:
    @dg.asset(code_version="1")
    def other() -> int:
        return 2

    @dg.asset(key="clean", code_version="3")
    def joined(raw: int, other: int) -> int:
        return raw + other

    dg.materialize([raw, other, clean], instance=instance)
    dg.materialize([raw, other], instance=instance)
    assert reasons(instance, raw, other, joined)["clean"] == (
        "code version changed (1 → 3)",
        "upstream 'other' materialized since",
        "upstream 'raw' materialized since",
    )


def test_external_assets_are_never_stale(instance: Any) -> None:
    @dg.asset(deps=["landing"])
    def loaded() -> None:
        return None

    found = statuses(instance, dg.AssetSpec("landing"), loaded)
    assert found["landing"].stale_reasons == ()
    assert found["loaded"].stale_reasons == ("never materialized",)


def test_partitioned_asset_reports_the_partition_materialized_last(instance: Any) -> None:
    colors = dg.StaticPartitionsDefinition(["red", "blue"])

    @dg.asset(partitions_def=colors)
    def paint(context: dg.AssetExecutionContext) -> str:
        return context.partition_key

    dg.materialize([paint], instance=instance, partition_key="blue")
    dg.materialize([paint], instance=instance, partition_key="red")
    found = statuses(instance, paint)["paint"]
    assert (found.last_partition, found.is_stale) == ("red", False)


def test_statuses_can_be_asked_for_some_keys_only(instance: Any) -> None:
    graph = dg.Definitions(assets=[raw, clean]).resolve_asset_graph()
    [only] = asset_statuses(graph, instance, [dg.AssetKey("clean")])
    assert only.key == dg.AssetKey("clean")


def _lake(version: str) -> dg.SourceAsset:
    def lake() -> dg.DataVersion:
        return dg.DataVersion(version)

    source: dg.SourceAsset = dg.observable_source_asset(lake)
    return source


def _observe(instance: Any, version: str) -> None:
    source = _lake(version)
    dg.materialize([source], instance=instance, selection=[source])


@dg.asset(deps=["lake"], code_version="1")
def report() -> int:
    return 1


def test_a_new_observed_version_makes_downstream_stale(instance: Any) -> None:
    _observe(instance, "v1")
    dg.materialize([report], instance=instance)
    found = statuses(instance, _lake("v1"), report)
    assert found["lake"] == AssetStatus(
        key=dg.AssetKey("lake"),
        last_materialized=None,
        last_run_id=None,
        last_partition=None,
        data_version="v1",
        stale_reasons=(),
    )
    assert found["report"].stale_reasons == ()
    _observe(instance, "v2")
    assert reasons(instance, _lake("v2"), report)["report"] == (
        "upstream 'lake' observed with a new data version (v1 → v2)",
    )
    _observe(instance, "v1")  # back to what the report read: fresh again
    assert reasons(instance, _lake("v1"), report)["report"] == ()


def test_an_observable_source_never_observed_is_not_stale(instance: Any) -> None:
    found = statuses(instance, _lake("v1"), report)
    assert (found["lake"].data_version, found["lake"].stale_reasons) == (None, ())
    assert found["report"].stale_reasons == ("never materialized",)
