"""UPathIOManager: one file per output or partition, written by the subclass."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import headwater as dg


class JsonIOManager(dg.UPathIOManager):
    extension = ".json"

    def dump_to_path(self, context: dg.OutputContext, obj: Any, path: Path) -> None:
        path.write_text(json.dumps(obj))

    def load_from_path(self, context: dg.InputContext, path: Path) -> Any:
        return json.loads(path.read_text())


def test_assets_round_trip_through_files_named_after_their_keys(tmp_path: Path) -> None:
    @dg.asset(key_prefix="wh")
    def a() -> dict[str, int]:
        return {"k": 1}

    @dg.asset(ins={"a": dg.AssetIn(key=["wh", "a"])})
    def b(a: dict[str, int]) -> int:
        return a["k"] + 1

    result = dg.materialize([a, b], resources={"io_manager": JsonIOManager(base_path=tmp_path)})
    assert result.output_for_node("b") == 2
    assert json.loads((tmp_path / "wh" / "a.json").read_text()) == {"k": 1}
    (mat,) = [
        e.materialization
        for e in result.all_events
        if e.event_type_value == "ASSET_MATERIALIZATION" and e.asset_key == dg.AssetKey(["wh", "a"])
    ]
    assert mat.metadata["path"].value == str(tmp_path / "wh" / "a.json")


def test_partitions_are_files_in_the_asset_folder_and_load_as_a_dict(tmp_path: Path) -> None:
    parts = dg.StaticPartitionsDefinition(["x", "y"])

    @dg.asset(partitions_def=parts)
    def p(context: dg.AssetExecutionContext) -> str:
        return context.partition_key

    @dg.asset
    def everything(p: dict[str, str]) -> list[str]:
        return sorted(p.values())

    io = JsonIOManager(base_path=tmp_path)
    for key in ("x", "y"):
        dg.materialize([p], partition_key=key, resources={"io_manager": io})
    assert sorted(f.name for f in (tmp_path / "p").iterdir()) == ["x.json", "y.json"]
    result = dg.materialize([p, everything], selection=[everything], resources={"io_manager": io})
    assert result.output_for_node("everything") == ["x", "y"]
