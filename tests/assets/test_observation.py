"""Observable source assets: the observation op, its events, and data versions downstream."""

from __future__ import annotations

import re
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidObservationError


class MemoryIO(dg.IOManager):
    """Keeps values by asset key; a key never stored loads as ``"external data"``."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, ...], Any] = {}

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        self.values[tuple(context.asset_key.path)] = obj

    def load_input(self, context: dg.InputContext) -> Any:
        return self.values.get(tuple(context.asset_key.path), "external data")


def source(version: str, name: str = "lake") -> dg.SourceAsset:
    def observe() -> dg.DataVersion:
        return dg.DataVersion(version)

    observe.__name__ = name
    made: dg.SourceAsset = dg.observable_source_asset(observe)
    return made


def observe_job(*assets: Any) -> dg.JobDefinition:
    job = dg.define_asset_job("observe", selection=[assets[0]])
    return dg.Definitions(assets=list(assets), jobs=[job]).resolve_job_def("observe")


def observations(result: Any) -> list[tuple[str, str | None, dict[str, str]]]:
    found = []
    for event in result.get_asset_observation_events():
        observed = event.asset_observation_data.asset_observation
        found.append((observed.asset_key.to_user_string(), observed.partition, dict(observed.tags)))
    return found


def test_observing_records_the_version_as_a_tag_before_the_nothing_output() -> None:
    result = observe_job(source("v1")).execute_in_process()
    assert observations(result) == [("lake", None, {"dagster/data_version": "v1"})]
    step_events = [e.event_type.value for e in result.all_events if e.step_key == "lake"]
    started = step_events.index("STEP_START")
    assert step_events[started:] == [
        "STEP_START",
        "ASSET_OBSERVATION",
        "STEP_OUTPUT",
        "STEP_SUCCESS",
    ]
    output = next(e for e in result.all_events if e.event_type.value == "STEP_OUTPUT")
    assert output.message == 'Yielded output "result" of type "Nothing". (Type check passed).'


def test_observe_result_carries_metadata_and_tags() -> None:
    @dg.observable_source_asset
    def lake() -> dg.ObserveResult:
        return dg.ObserveResult(
            data_version=dg.DataVersion("v2"), metadata={"rows": 3}, tags={"team": "data"}
        )

    result = observe_job(lake).execute_in_process()
    (observed,) = result.asset_observations_for_node("lake")
    assert observed.tags == {"dagster/data_version": "v2", "team": "data"}
    assert observed.metadata["rows"].value == 3


def test_downstream_loads_the_source_with_its_io_manager_and_reads_its_version() -> None:
    lake = source("v7")

    @dg.asset
    def report(lake: str) -> str:
        return f"report of {lake}"

    instance = dg.DagsterInstance.ephemeral()
    defs = dg.Definitions(assets=[lake, report], resources={"io_manager": MemoryIO()})
    result = defs.resolve_implicit_global_asset_job_def().execute_in_process(instance=instance)
    assert result.output_for_node("report") == "report of external data"
    event = instance.get_latest_materialization_event(dg.AssetKey("report"))
    assert event is not None
    assert event.asset_materialization.tags["dagster/input_data_version/lake"] == "v7"


def test_a_later_run_reads_the_version_last_observed() -> None:
    instance = dg.DagsterInstance.ephemeral()
    observe_job(source("v1")).execute_in_process(instance=instance)
    observe_job(source("v2")).execute_in_process(instance=instance)

    @dg.asset(deps=["lake"])
    def report() -> int:
        return 1

    dg.materialize([report], instance=instance)
    event = instance.get_latest_materialization_event(dg.AssetKey("report"))
    assert event is not None
    assert event.asset_materialization.tags["dagster/input_data_version/lake"] == "v2"


def test_materialize_leaves_sources_out_unless_selected() -> None:
    lake = source("v1")
    assert dg.materialize([lake]).get_asset_observation_events() == []
    selected = dg.materialize([lake], selection=[lake])
    assert observations(selected) == [("lake", None, {"dagster/data_version": "v1"})]


def test_selections_of_all_assets_leave_sources_out() -> None:
    lake = source("v1")

    @dg.asset
    def report(lake: str) -> str:
        return lake

    graph = dg.Definitions(assets=[lake, report]).resolve_asset_graph()
    names = lambda sel: sorted(k.to_user_string() for k in sel.resolve(graph))  # noqa: E731
    assert names(dg.AssetSelection.all()) == ["report"]
    assert names(dg.AssetSelection.all(include_sources=True)) == ["lake", "report"]
    assert names(dg.AssetSelection.assets(report).upstream()) == ["report"]


@pytest.mark.parametrize(
    ("returned", "message"),
    [
        (
            5,
            "Observe function for AssetKey(['lake']) must return a DataVersion or "
            "DataVersionsByPartition, but returned a value of type <class 'int'>",
        ),
        (dg.DataVersionsByPartition({"a": "1"}), "AssetKey(['lake']) is not partitioned"),
    ],
)
def test_a_function_returning_the_wrong_kind_fails_the_step(returned: Any, message: str) -> None:
    @dg.observable_source_asset
    def lake() -> Any:
        return returned

    with pytest.raises(InvalidObservationError, match=re.escape(message)):
        observe_job(lake).execute_in_process()


def test_a_result_for_another_asset_is_refused() -> None:
    @dg.observable_source_asset
    def lake() -> dg.ObserveResult:
        return dg.ObserveResult(asset_key="elsewhere")

    with pytest.raises(dg.InvariantViolationError, match="Asset key elsewhere not found"):
        observe_job(lake).execute_in_process()


def test_an_observation_function_cannot_take_inputs() -> None:
    def lake(upstream: int) -> dg.DataVersion:
        return dg.DataVersion(str(upstream))

    with pytest.raises(dg.InvalidDefinitionError, match=r"takes \['upstream'\]"):
        dg.Definitions(assets=[dg.SourceAsset("lake", observe_fn=lake)]).resolve_asset_graph()


def test_partitioned_source_reports_each_partition() -> None:
    @dg.observable_source_asset(partitions_def=dg.StaticPartitionsDefinition(["a", "b"]))
    def lake() -> dg.DataVersionsByPartition:
        return dg.DataVersionsByPartition({"a": "1", "b": dg.DataVersion("2")})

    result = observe_job(lake).execute_in_process(partition_key="a")
    assert observations(result) == [
        ("lake", "a", {"dagster/data_version": "1"}),
        ("lake", "b", {"dagster/data_version": "2"}),
    ]


def test_multi_observable_source_asset_observes_each_key() -> None:
    with pytest.warns(dg.BetaWarning, match="multi_observable_source_asset"):

        @dg.multi_observable_source_asset(specs=[dg.AssetSpec("left"), dg.AssetSpec("right")])
        def both() -> Any:
            yield dg.ObserveResult(asset_key="left", data_version=dg.DataVersion("l1"))
            yield dg.ObserveResult(asset_key="right", metadata={"n": 2})

    assert (both.is_observable, both.is_materializable, both.is_executable) == (True, False, True)
    result = observe_job(both).execute_in_process()
    assert observations(result) == [
        (
            "left",
            None,
            {"dagster/data_version": "l1", "dagster/data_version_is_user_provided": "true"},
        ),
        ("right", None, {}),
    ]


def test_instance_finds_the_latest_data_version_record() -> None:
    lake = source("v3")

    @dg.asset
    def report(lake: str) -> str:
        return lake

    instance = dg.DagsterInstance.ephemeral()
    defs = dg.Definitions(assets=[lake, report], resources={"io_manager": MemoryIO()})
    defs.resolve_implicit_global_asset_job_def().execute_in_process(instance=instance)

    def kind(key: str, **kwargs: Any) -> str | None:
        record = instance.get_latest_data_version_record(dg.AssetKey(key), **kwargs)
        return None if record is None else record.event.event_type.value

    assert kind("lake") == "ASSET_OBSERVATION"
    assert kind("lake", is_source=False) is None
    assert kind("report") == "ASSET_MATERIALIZATION"
    assert kind("report", is_source=True) is None
    records = instance.get_event_records(
        dg.EventRecordsFilter(dg.DagsterEventType.ASSET_OBSERVATION, asset_key=dg.AssetKey("lake"))
    )
    assert [r.asset_observation.tags["dagster/data_version"] for r in records] == ["v3"]


def test_observe_runs_every_observable_source_given() -> None:
    from headwater.assets.observe import observe

    result = observe([source("v1"), source("w1", name="well")])
    assert result.job_def.name == "in_process_observation_job"
    assert sorted(observations(result)) == [
        ("lake", None, {"dagster/data_version": "v1"}),
        ("well", None, {"dagster/data_version": "w1"}),
    ]
