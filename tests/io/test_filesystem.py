from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

from headwater.errors import InvariantViolationError, MissingValueError
from headwater.io import (
    PickledObjectFilesystemIOManager,
    build_input_context,
    build_output_context,
    fs_io_manager,
)
from headwater.metadata import MetadataValue
from headwater.partitions import MultiPartitionKey, PartitionKeyRange, StaticPartitionsDefinition
from headwater.resources import build_resources
from headwater.storage import Instance


def store(manager: PickledObjectFilesystemIOManager, obj: Any, **kwargs: Any) -> Any:
    context = build_output_context(**kwargs)
    manager.handle_output(context, obj)
    return context


def test_asset_layout_matches_dagster(tmp_path: Path) -> None:
    manager = PickledObjectFilesystemIOManager(tmp_path)
    context = store(manager, [1, 2], asset_key=["one", "two", "three"])
    assert (tmp_path / "one" / "two" / "three").is_file()
    assert context.consume_logged_metadata() == {
        "path": MetadataValue.path(str(tmp_path / "one" / "two" / "three"))
    }
    assert manager.load_input(build_input_context(asset_key=["one", "two", "three"])) == [1, 2]


def test_partition_layout(tmp_path: Path) -> None:
    manager = PickledObjectFilesystemIOManager(tmp_path)
    store(manager, "jan", asset_key="orders", partition_key="2024-01-01")
    assert (tmp_path / "orders" / "2024-01-01").is_file()
    loaded = manager.load_input(build_input_context(asset_key="orders", partition_key="2024-01-01"))
    assert loaded == "jan"


def test_multi_partition_key_is_its_dimension_values_in_name_order(tmp_path: Path) -> None:
    key = MultiPartitionKey({"region": "us", "date": "2024-01-01"})
    manager = PickledObjectFilesystemIOManager(tmp_path)
    store(manager, 1, asset_key="sales", partition_key=key)
    assert (tmp_path / "sales" / "2024-01-01" / "us").is_file()


def test_partition_keys_cannot_escape_the_asset_folder(tmp_path: Path) -> None:
    manager = PickledObjectFilesystemIOManager(tmp_path / "base")
    store(manager, 1, asset_key="a", partition_key="/etc")
    store(manager, 2, asset_key="a", partition_key="../x")
    assert (tmp_path / "base" / "a" / "%2Fetc").is_file()
    assert (tmp_path / "base" / "a" / "%2E%2E" / "x").is_file()


def test_op_output_layout_is_run_step_output(tmp_path: Path) -> None:
    manager = PickledObjectFilesystemIOManager(tmp_path)
    upstream = store(manager, {"a": 1}, step_key="clean", name="result", run_id="r1")
    assert (tmp_path / "r1" / "clean" / "result").is_file()
    context = build_input_context(name="rows", upstream_output=upstream)
    assert manager.load_input(context) == {"a": 1}


def test_no_temp_files_are_left_after_a_write(tmp_path: Path) -> None:
    manager = PickledObjectFilesystemIOManager(tmp_path)
    store(manager, 1, asset_key="a")
    store(manager, 2, asset_key="a")
    assert os.listdir(tmp_path) == ["a"]


def test_none_is_stored_without_path_metadata(tmp_path: Path) -> None:
    manager = PickledObjectFilesystemIOManager(tmp_path)
    context = store(manager, None, asset_key="a")
    assert context.consume_logged_metadata() == {}
    assert manager.load_input(build_input_context(asset_key="a")) is None


def test_missing_asset_partition_names_asset_partition_path_and_manager(tmp_path: Path) -> None:
    manager = PickledObjectFilesystemIOManager(tmp_path)
    path = tmp_path / "orders" / "2024-01-01"
    msg = (
        "fs_io_manager could not load asset 'orders' for partition '2024-01-01': no file at "
        f"{path}; materialize it first"
    )
    context = build_input_context(asset_key="orders", partition_key="2024-01-01")
    with pytest.raises(MissingValueError, match=f"^{re.escape(msg)}$") as info:
        manager.load_input(context)
    assert isinstance(info.value.__cause__, FileNotFoundError)


def test_missing_op_output_names_the_step_output(tmp_path: Path) -> None:
    manager = PickledObjectFilesystemIOManager(tmp_path)
    upstream = build_output_context(step_key="clean", name="result", run_id="r1")
    path = tmp_path / "r1" / "clean" / "result"
    msg = (
        f"fs_io_manager could not load output 'result' of step 'clean': no file at {path}; "
        "run the step that produces it first (or re-execute from it)"
    )
    with pytest.raises(MissingValueError, match=f"^{re.escape(msg)}$"):
        manager.load_input(build_input_context(name="rows", upstream_output=upstream))


def test_several_partitions_load_as_a_dict(tmp_path: Path) -> None:
    manager = PickledObjectFilesystemIOManager(tmp_path)
    for day in ("d1", "d2"):
        store(manager, day.upper(), asset_key="orders", partition_key=day)
    days = StaticPartitionsDefinition(["d1", "d2", "d3"])
    context = build_input_context(
        asset_key="orders",
        asset_partition_key_range=PartitionKeyRange("d1", "d2"),
        asset_partitions_def=days,
    )
    assert manager.load_input(context) == {"d1": "D1", "d2": "D2"}
    missing = build_input_context(
        asset_key="orders",
        asset_partition_key_range=PartitionKeyRange("d1", "d3"),
        asset_partitions_def=days,
    )
    with pytest.raises(MissingValueError, match="for partition 'd3'"):
        manager.load_input(missing)
    allowed = build_input_context(
        asset_key="orders",
        asset_partition_key_range=PartitionKeyRange("d1", "d3"),
        asset_partitions_def=StaticPartitionsDefinition(["d1", "d3"]),
        definition_metadata={"allow_missing_partitions": True},
    )
    assert manager.load_input(allowed) == {"d1": "D1"}


def test_one_output_for_several_partitions_is_refused(tmp_path: Path) -> None:
    manager = PickledObjectFilesystemIOManager(tmp_path)
    msg = (
        "fs_io_manager cannot store output 'result' of step 's' (asset 'orders', 2 partitions "
        "'d1' to 'd2') as one value: it writes one file per partition; launch one run per "
        "partition (backfill_policy single-run is not supported by this IO manager)"
    )
    with pytest.raises(InvariantViolationError, match=f"^{re.escape(msg)}$"):
        store(
            manager, 1, step_key="s", name="result", asset_key="orders",
            asset_partition_key_range=PartitionKeyRange("d1", "d2"),
            asset_partitions_def=StaticPartitionsDefinition(["d1", "d2"]),
        )  # fmt: skip


def test_unpicklable_value_fails_and_keeps_the_old_one(tmp_path: Path) -> None:
    manager = PickledObjectFilesystemIOManager(tmp_path)
    store(manager, "old", step_key="s", name="result", asset_key="a")
    msg = (
        "fs_io_manager cannot store output 'result' of step 's': a lock cannot be pickled "
        "(TypeError: cannot pickle '_thread.lock' object); return a picklable value, or bind "
        "an IO manager that can store it (mem_io_manager keeps values in memory with the "
        "in-process executor)"
    )
    with pytest.raises(InvariantViolationError, match=f"^{re.escape(msg)}$"):
        store(manager, threading.Lock(), step_key="s", name="result", asset_key="a")
    assert manager.load_input(build_input_context(asset_key="a")) == "old"
    assert os.listdir(tmp_path) == ["a"]


def test_switching_to_partitions_replaces_the_old_file(tmp_path: Path) -> None:
    manager = PickledObjectFilesystemIOManager(tmp_path)
    store(manager, "whole", asset_key="a")
    store(manager, "part", asset_key="a", partition_key="p1")
    assert (tmp_path / "a" / "p1").is_file()


def test_default_base_dir_is_the_instance_storage_folder(tmp_path: Path) -> None:
    with (
        Instance.local_temp(tmp_path) as instance,
        build_resources({"io_manager": fs_io_manager}, instance=instance) as resources,
    ):
        assert resources.io_manager.base_dir == str(tmp_path / "storage")


def test_base_dir_from_config(tmp_path: Path) -> None:
    config = {"io_manager": {"config": {"base_dir": str(tmp_path)}}}
    with build_resources({"io_manager": fs_io_manager}, resource_config=config) as resources:
        assert resources.io_manager.base_dir == str(tmp_path)


def test_without_instance_a_temp_folder_is_used() -> None:
    with build_resources({"io_manager": fs_io_manager}) as resources:
        assert Path(resources.io_manager.base_dir).is_dir()


CHILD = textwrap.dedent(
    """
    import sys
    from headwater.io import PickledObjectFilesystemIOManager, build_output_context

    class Blocker:
        def __reduce__(self):
            # Half the value is already in the file when pickling reaches this object.
            sys.stdout.write("writing\\n")
            sys.stdout.flush()
            sys.stdin.readline()  # blocks until the parent kills this process
            return (int, ())

    manager = PickledObjectFilesystemIOManager(sys.argv[1])
    value = [b"x" * 1_000_000, Blocker()]
    manager.handle_output(build_output_context(asset_key="orders"), value)
    """
)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_run_killed_mid_write_leaves_the_previous_value(tmp_path: Path) -> None:
    manager = PickledObjectFilesystemIOManager(tmp_path)
    store(manager, "previous", asset_key="orders")
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "writing\n"
        partial = [p for p in tmp_path.iterdir() if p.name.startswith(".orders.")]
        assert len(partial) == 1
        assert partial[0].stat().st_size >= 1_000_000  # the new value was half written
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate(timeout=10)
    assert manager.load_input(build_input_context(asset_key="orders")) == "previous"


@pytest.mark.parametrize("base", ["/", "//", "/tmp", "/tmp/store", "store", "store/sub", "."])
@pytest.mark.parametrize(
    "parts", [(), ("a",), ("a", "b"), ("",), (".",), ("a", "."), ("a/b",), ("..",), ("a", "..")]
)
def test_a_path_is_joined_as_pathlib_joins_it(base: str, parts: tuple[str, ...]) -> None:
    # The manager joins its file names by hand (no Path per stored value): whatever road a
    # join takes, it must name the file pathlib would.
    from headwater.io.filesystem import _join

    assert _join(base, parts) == str(Path(base, *parts))
