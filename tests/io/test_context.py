from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from headwater.asset_key import AssetKey
from headwater.assets.results import AssetMaterialization, AssetObservation, ExpectationResult
from headwater.errors import InvalidInvocationError, InvalidMetadataError, InvariantViolationError
from headwater.io import (
    InputContext,
    OutputContext,
    build_input_context,
    build_output_context,
)
from headwater.metadata import MetadataValue
from headwater.partitions import DailyPartitionsDefinition, PartitionKeyRange
from headwater.resources import resource


def test_op_output_identifier_is_run_step_name() -> None:
    context = OutputContext(step_key="clean", name="result", run_id="r1", job_name="j")
    assert context.get_identifier() == ["r1", "clean", "result"]
    assert context.get_output_identifier() == ["r1", "clean", "result"]
    assert not context.has_asset_key
    assert context.job_name == "j"


def test_mapped_and_versioned_identifiers() -> None:
    mapped = OutputContext(step_key="s", name="out", run_id="r", mapping_key="k1")
    assert mapped.get_identifier() == ["r", "s", "out", "k1"]
    versioned = OutputContext(step_key="s", name="out", run_id="r", version="v9")
    assert versioned.get_identifier() == ["versioned_outputs", "v9", "s", "out"]


def test_asset_identifier_with_and_without_partition() -> None:
    plain = build_output_context(asset_key=["sales", "orders"])
    assert plain.asset_key == AssetKey(["sales", "orders"])
    assert plain.get_asset_identifier() == ["sales", "orders"]
    assert not plain.has_asset_partitions
    part = build_output_context(asset_key="sales/orders", partition_key="2024-01-01")
    assert part.get_asset_identifier() == ["sales", "orders", "2024-01-01"]
    assert part.has_partition_key
    assert part.partition_key == part.asset_partition_key == "2024-01-01"
    assert part.asset_partition_keys == ["2024-01-01"]


def test_missing_step_key_says_how_to_fix() -> None:
    msg = (
        "this OutputContext has no step_key; pass step_key=... to build_output_context "
        "(the executor always sets it)"
    )
    with pytest.raises(InvariantViolationError, match=f"^{re.escape(msg)}$"):
        build_output_context(name="result", run_id="r1").get_identifier()


def test_asset_key_of_an_op_output_fails_clearly() -> None:
    msg = (
        "output 'result' of step 'clean' is not an asset, so it has no asset key; "
        "check context.has_asset_key first"
    )
    with pytest.raises(InvariantViolationError, match=f"^{re.escape(msg)}$"):
        _ = OutputContext(step_key="clean", name="result").asset_key


def test_partition_key_of_an_unpartitioned_run_fails_clearly() -> None:
    msg = (
        "input 'orders' has no partition key: the run is not partitioned "
        "(check context.has_partition_key first)"
    )
    with pytest.raises(InvariantViolationError, match=f"^{re.escape(msg)}$"):
        _ = InputContext(name="orders").partition_key


def test_several_partition_keys() -> None:
    context = InputContext(name="orders", asset_key="orders", asset_partition_keys=["a", "b", "c"])
    assert context.has_asset_partitions
    assert not context.has_partition_key
    assert context.asset_partition_key_range == PartitionKeyRange("a", "c")
    assert context.partition_key_range == PartitionKeyRange("a", "c")
    msg = (
        "input 'orders' needs exactly one partition key for asset_partition_key, found 3 "
        "('a' ... 'c'); use asset_partition_keys for a range"
    )
    with pytest.raises(InvariantViolationError, match=f"^{re.escape(msg)}$"):
        _ = context.asset_partition_key


def test_given_range_and_window_pass_through() -> None:
    rng, window = object(), object()
    context = OutputContext(
        asset_key="a",
        partition_key="p",
        asset_partition_key_range=rng,
        asset_partitions_time_window=window,
    )
    assert context.asset_partition_key_range is rng
    assert context.asset_partitions_time_window is window


@dataclass(frozen=True)
class Window:
    start: str
    end: str


class DailyLike:
    def time_window_for_partition_key(self, key: str) -> Window:
        return Window(f"{key}T00", f"{key}T24")


def test_time_window_spans_the_partitions_from_the_definition() -> None:
    context = InputContext(
        name="x",
        asset_key="a",
        asset_partition_keys=["d1", "d2"],
        asset_partitions_def=DailyLike(),
    )
    assert context.asset_partitions_time_window == Window("d1T00", "d2T24")


def test_time_window_without_time_partitions_fails_clearly() -> None:
    msg = (
        "output 'result' of step 's' has no partition time window: the asset is not "
        "partitioned by time in this run"
    )
    with pytest.raises(InvariantViolationError, match=f"^{re.escape(msg)}$"):
        _ = OutputContext(step_key="s", name="result").asset_partitions_time_window


def test_definition_metadata_and_older_name() -> None:
    context = OutputContext(metadata={"owner": "ada"})
    assert context.definition_metadata == {"owner": "ada"}
    assert context.metadata == {"owner": "ada"}
    newer = OutputContext(metadata={"a": 1}, definition_metadata={"b": 2})
    assert newer.definition_metadata == {"b": 2}


def test_added_output_metadata_is_normalized_and_consumed_once() -> None:
    context = build_output_context(step_key="s", name="result")
    context.add_output_metadata({"rows": 3})
    context.add_output_metadata({"preview": MetadataValue.md("| a |")})
    assert context.get_logged_metadata() == {
        "rows": MetadataValue.int(3),
        "preview": MetadataValue.md("| a |"),
    }
    assert context.consume_logged_metadata()["rows"] == MetadataValue.int(3)
    assert context.consume_logged_metadata() == {}


def test_bad_output_metadata_fails_when_added() -> None:
    context = build_output_context(step_key="s", name="result")
    with pytest.raises(InvalidMetadataError, match=r"^metadata 'client': a value of type 'object'"):
        context.add_output_metadata({"client": object()})


def test_input_metadata_and_events() -> None:
    context = build_input_context(name="orders")
    context.add_input_metadata({"loaded_rows": 10})
    assert context.consume_logged_metadata() == {"loaded_rows": MetadataValue.int(10)}
    out = build_output_context(step_key="s", name="result")
    materialization = AssetMaterialization("orders")
    out.log_event(materialization)
    assert out.consume_events() == [materialization]
    assert out.consume_events() == []


def test_output_logged_events_outlive_consume_events() -> None:
    out = build_output_context(step_key="s", name="result")
    materialization = AssetMaterialization("orders")
    out.log_event(materialization)
    assert out.consume_events() == [materialization]
    observation = AssetObservation("orders")
    out.log_event(observation)
    assert out.get_logged_events() == [materialization, observation]


def test_output_log_event_rejects_other_kinds() -> None:
    out = build_output_context(step_key="s", name="result")
    msg = (
        "OutputContext.log_event takes an AssetMaterialization or an AssetObservation, "
        "got ExpectationResult"
    )
    with pytest.raises(InvalidInvocationError, match=f"^{re.escape(msg)}$"):
        out.log_event(ExpectationResult(True, label="rows"))
    assert out.consume_events() == []


def test_input_identifier_is_the_upstream_output() -> None:
    upstream = build_output_context(step_key="clean", name="result", run_id="r1")
    context = build_input_context(name="rows", upstream_output=upstream)
    assert context.upstream_output is upstream
    assert context.get_identifier() == ["r1", "clean", "result"]
    assert context.has_input_name


def test_input_without_upstream_output_fails_clearly() -> None:
    msg = (
        "input 'rows' has no upstream output to identify; pass "
        "upstream_output=build_output_context(...) to build_input_context"
    )
    with pytest.raises(InvariantViolationError, match=f"^{re.escape(msg)}$"):
        build_input_context(name="rows").get_identifier()


def test_input_without_name() -> None:
    context = build_input_context()
    assert not context.has_input_name
    with pytest.raises(InvariantViolationError, match=r"^this InputContext has no name"):
        _ = context.name


def test_builders_initialize_resources_and_tear_them_down() -> None:
    events: list[str] = []

    @resource
    def conn(_: Any) -> Any:
        events.append("up")
        yield "connection"
        events.append("down")

    with build_output_context(resources={"conn": conn, "plain": 3}) as context:
        assert context.resources.conn == "connection"
        assert context.resources.plain == 3
        assert events == ["up"]
    assert events == ["up", "down"]
    with build_input_context(resources={"conn": conn}) as in_context:
        assert in_context.resources.conn == "connection"
    assert events == ["up", "down", "up", "down"]


def test_default_log_and_plain_resources() -> None:
    context = OutputContext(resources={"x": 1})
    assert context.resources.x == 1
    assert context.log.name == "headwater.io"
    assert repr(context) == "OutputContext(output '?')"


def test_time_window_from_a_real_daily_definition() -> None:
    daily = DailyPartitionsDefinition(start_date="2024-01-01")
    context = InputContext(
        name="x",
        asset_key="a",
        asset_partition_keys=["2024-01-02", "2024-01-03"],
        asset_partitions_def=daily,
    )
    window = context.asset_partitions_time_window
    assert (window.start.isoformat(), window.end.isoformat()) == (
        "2024-01-02T00:00:00+00:00",
        "2024-01-04T00:00:00+00:00",
    )
