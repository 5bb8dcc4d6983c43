from __future__ import annotations

import re

import pytest

from headwater.errors import MissingValueError
from headwater.io import (
    InMemoryIOManager,
    build_input_context,
    build_output_context,
    mem_io_manager,
)
from headwater.partitions import PartitionKeyRange, StaticPartitionsDefinition
from headwater.resources import build_resources


def test_assets_and_partitions_round_trip() -> None:
    manager = InMemoryIOManager()
    manager.handle_output(build_output_context(asset_key=["s", "orders"]), [1])
    manager.handle_output(build_output_context(asset_key="daily", partition_key="d1"), "one")
    manager.handle_output(build_output_context(asset_key="daily", partition_key="d2"), "two")
    assert manager.values[("s", "orders")] == [1]
    assert manager.load_input(build_input_context(asset_key=["s", "orders"])) == [1]
    both = build_input_context(
        asset_key="daily",
        asset_partition_key_range=PartitionKeyRange("d1", "d2"),
        asset_partitions_def=StaticPartitionsDefinition(["d1", "d2"]),
    )
    assert manager.load_input(both) == {"d1": "one", "d2": "two"}


def test_op_outputs_are_keyed_by_run_step_output() -> None:
    manager = InMemoryIOManager()
    upstream = build_output_context(step_key="clean", name="result", run_id="r1")
    manager.handle_output(upstream, 5)
    assert manager.values == {("r1", "clean", "result"): 5}
    assert manager.load_input(build_input_context(name="x", upstream_output=upstream)) == 5


def test_missing_value_says_why_and_what_to_do() -> None:
    msg = (
        "mem_io_manager could not load asset 'daily' for partition 'd9': nothing stored "
        "under ['daily', 'd9']; it keeps values only while the run's process lives, so "
        "produce the value in the same run (or bind fs_io_manager to keep values between runs)"
    )
    context = build_input_context(asset_key="daily", partition_key="d9")
    with pytest.raises(MissingValueError, match=f"^{re.escape(msg)}$"):
        InMemoryIOManager().load_input(context)


def test_missing_op_output() -> None:
    upstream = build_output_context(step_key="clean", name="result", run_id="r1")
    context = build_input_context(name="x", upstream_output=upstream)
    with pytest.raises(
        MissingValueError, match=r"^mem_io_manager could not load output 'result' of step 'clean'"
    ):
        InMemoryIOManager().load_input(context)


def test_missing_value_is_a_key_error_with_a_readable_message() -> None:
    # The reference's in-memory manager lets a KeyError out: code catching it still does.
    upstream = build_output_context(step_key="clean", name="result", run_id="r1")
    context = build_input_context(name="x", upstream_output=upstream)
    with pytest.raises(KeyError) as raised:
        InMemoryIOManager().load_input(context)
    assert isinstance(raised.value, MissingValueError)
    assert isinstance(raised.value, FileNotFoundError)  # as the filesystem managers' is
    # KeyError's own str() would quote the message as a repr.
    assert str(raised.value).startswith("mem_io_manager could not load output 'result'")


def test_mem_io_manager_builds_a_fresh_manager_per_init() -> None:
    with build_resources({"io_manager": mem_io_manager}) as first:
        a = first.io_manager
    with build_resources({"io_manager": mem_io_manager}) as second:
        b = second.io_manager
    assert isinstance(a, InMemoryIOManager)
    assert a is not b
