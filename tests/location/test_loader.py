"""``AssetValueLoader``: stored asset values read through their IO managers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import headwater as dg


class Recording(dg.IOManager):
    def __init__(self) -> None:
        self.loads: list[dict[str, Any]] = []

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        pass

    def load_input(self, context: dg.InputContext) -> Any:
        upstream = context.upstream_output
        self.loads.append(
            {
                "key": context.asset_key.to_user_string(),
                "partition": context.partition_key if context.has_partition_key else None,
                "type": context.dagster_type.typing_type if context.dagster_type else None,
                "metadata": dict(context.definition_metadata or {}),
                "upstream_metadata": dict(upstream.definition_metadata) if upstream else None,
            }
        )
        return "loaded"


@dg.asset(partitions_def=dg.StaticPartitionsDefinition(["a"]), metadata={"owner": "me"})
def parted() -> int:
    return 1


def test_load_asset_value_passes_partition_type_and_metadata() -> None:
    io = Recording()
    defs = dg.Definitions(assets=[parted], resources={"io_manager": io})
    value = defs.load_asset_value("parted", python_type=int, partition_key="a", metadata={"c": 2})
    assert value == "loaded"
    assert io.loads == [
        {
            "key": "parted",
            "partition": "a",
            "type": int,
            "metadata": {"c": 2},
            "upstream_metadata": {"owner": "me"},
        }
    ]


def test_the_loader_opens_each_manager_once_and_closes_it_on_exit() -> None:
    opened: list[str] = []
    closed: list[str] = []

    @dg.io_manager
    def counted(_: dg.InitResourceContext) -> Any:
        opened.append("io")
        try:
            yield Recording()
        finally:
            closed.append("io")

    defs = dg.Definitions(assets=[parted], resources={"io_manager": counted})
    with defs.get_asset_value_loader() as loader:
        assert isinstance(loader, dg.AssetValueLoader)
        loader.load_asset_value("parted", partition_key="a")
        loader.load_asset_value(dg.AssetKey("parted"), partition_key="a")
        assert (opened, closed) == (["io"], [])
    assert closed == ["io"]


def test_an_unknown_key_names_the_known_ones() -> None:
    defs = dg.Definitions(assets=[parted], resources={"io_manager": Recording()})
    with pytest.raises(
        dg.InvalidInvocationError,
        match=re.escape("Asset key nope not found; the loader knows ['parted']"),
    ):
        defs.load_asset_value("nope")


def test_a_loader_built_from_definitions_by_key_uses_the_filesystem(tmp_path: Path) -> None:
    @dg.asset
    def stored() -> dict[str, int]:
        return {"x": 1}

    with dg.DagsterInstance.from_config(tmp_path / "home") as instance:
        dg.materialize([stored], instance=instance)
        with dg.AssetValueLoader({stored.key: stored}, instance=instance) as loader:
            assert loader.load_asset_value("stored") == {"x": 1}


def test_resource_config_configures_the_manager_opened(tmp_path: Path) -> None:
    @dg.asset
    def stored() -> int:
        return 7

    dg.materialize(
        [stored], resources={"io_manager": dg.FilesystemIOManager(base_dir=str(tmp_path))}
    )
    loader = dg.AssetValueLoader({stored.key: stored})
    with loader:
        value = loader.load_asset_value(
            "stored", resource_config={"io_manager": {"base_dir": str(tmp_path)}}
        )
    assert value == 7
