"""Asset steps in a run: event order, materialization records, context and IO failures."""

from __future__ import annotations

import re
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvariantViolationError, StepExecutionError

EV = dg.EventType


def step_events(result: dg.ExecuteInProcessResult, step: str) -> list[dg.RunEvent]:
    return [e for e in result.all_node_events if e.step_key == step]


def materializations(result: dg.ExecuteInProcessResult) -> dict[str, Any]:
    return {e.data["asset_key"]: e.data for e in result.get_asset_materialization_events()}


@dg.asset(code_version="1")
def source() -> int:
    return 5


@dg.asset(code_version="1")
def derived(source: int) -> int:
    return source + 1


def test_output_is_yielded_then_stored_then_materialized() -> None:
    result = dg.materialize([source], resources={"io_manager": dg.mem_io_manager})
    types = [e.event_type for e in step_events(result, "source")]
    # the reference's order: the materialization is recorded before HANDLED_OUTPUT, and
    # carries what the manager logged while storing
    assert types == [
        EV.STEP_START,
        EV.STEP_OUTPUT,
        EV.ASSET_MATERIALIZATION,
        EV.HANDLED_OUTPUT,
        EV.STEP_SUCCESS,
    ]
    handled = next(e for e in result.all_events if e.event_type is EV.HANDLED_OUTPUT)
    assert handled.message == 'Handled output "result" using IO manager "io_manager"'
    mat = result.get_asset_materialization_events()[0]
    assert mat.message == "Materialized value source."


def test_downstream_step_loads_its_input_through_the_manager() -> None:
    result = dg.materialize([source, derived], resources={"io_manager": dg.mem_io_manager})
    types = [e.event_type for e in step_events(result, "derived")]
    assert types[:4] == [EV.STEP_START, EV.LOADED_INPUT, EV.STEP_INPUT, EV.STEP_OUTPUT]
    assert result.asset_value("derived") == 6


def test_materialization_data_holds_key_typed_metadata_and_versions() -> None:
    @dg.asset(code_version="v7")
    def described() -> dg.Output[int]:
        return dg.Output(
            3,
            metadata={
                "rows": 3,
                "ratio": 0.5,
                "owner": "ann",
                "schema": {"a": 1},
                "link": dg.MetadataValue.url("https://example.com"),
                "readme": dg.MetadataValue.md("# hi"),
                "file": dg.MetadataValue.path("/tmp/x"),
            },
        )

    result = dg.materialize_to_memory([described])
    data = materializations(result)["described"]
    assert data["asset_key"] == "described"
    assert data["partition"] is None
    assert data["code_version"] == "v7"
    assert data["metadata"] == {
        "rows": {"raw_value": 3, "type": "int"},
        "ratio": {"raw_value": 0.5, "type": "float"},
        "owner": {"raw_value": "ann", "type": "text"},
        "schema": {"raw_value": {"a": 1}, "type": "json"},
        "link": {"raw_value": "https://example.com", "type": "url"},
        "readme": {"raw_value": "# hi", "type": "md"},
        "file": {"raw_value": "/tmp/x", "type": "path"},
    }
    assert data["provenance"] == {
        "code_version": "v7",
        "input_data_versions": {},
        "is_user_provided": False,
    }


def test_derived_data_version_is_stable_for_the_same_code_and_inputs() -> None:
    instance = dg.Instance.ephemeral()
    first = materializations(dg.materialize_to_memory([source, derived], instance=instance))
    second = materializations(dg.materialize_to_memory([source, derived], instance=instance))
    assert first["source"]["data_version"] == second["source"]["data_version"]
    assert first["derived"]["data_version"] == second["derived"]["data_version"]
    assert first["derived"]["provenance"] == {
        "code_version": "1",
        "input_data_versions": {"source": first["source"]["data_version"]},
        "is_user_provided": False,
    }


def test_without_code_version_each_run_gets_a_new_data_version() -> None:
    @dg.asset
    def unversioned() -> int:
        return 1

    one = materializations(dg.materialize_to_memory([unversioned]))["unversioned"]
    two = materializations(dg.materialize_to_memory([unversioned]))["unversioned"]
    assert one["data_version"] != two["data_version"]


def test_given_data_version_is_recorded_and_feeds_downstream_provenance() -> None:
    @dg.asset(code_version="1")
    def versioned() -> dg.MaterializeResult:
        return dg.MaterializeResult(data_version=dg.DataVersion("abc"))

    @dg.asset(code_version="2", deps=[versioned])
    def follower() -> None:
        return None

    found = materializations(dg.materialize_to_memory([versioned, follower]))
    assert found["versioned"]["data_version"] == "abc"
    assert found["versioned"]["provenance"]["is_user_provided"] is True
    assert found["follower"]["provenance"] == {
        "code_version": "2",
        "input_data_versions": {"versioned": "abc"},
        "is_user_provided": False,
    }


def test_provenance_reads_upstream_versions_from_earlier_runs(tmp_path: Any) -> None:
    instance = dg.Instance.local_temp(tmp_path)
    resources = {"io_manager": dg.FilesystemIOManager(base_dir=str(tmp_path / "io"))}
    first = dg.materialize([source, derived], instance=instance, resources=resources)
    upstream_version = materializations(first)["source"]["data_version"]
    second = dg.materialize(
        [source, derived], instance=instance, resources=resources, selection="derived"
    )
    provenance = materializations(second)["derived"]["provenance"]
    assert provenance["input_data_versions"] == {"source": upstream_version}
    latest = instance.get_latest_materialization_event("derived")
    assert latest is not None and latest.run_id == second.run_id


def test_context_knows_its_asset_and_collects_output_metadata() -> None:
    seen: dict[str, Any] = {}

    @dg.asset
    def inspected(context: dg.AssetExecutionContext) -> int:
        seen["key"] = context.asset_key
        seen["selected"] = context.selected_asset_keys
        seen["for_output"] = context.asset_key_for_output()
        context.add_output_metadata({"seen": True})
        context.log.info("inside")
        return 1

    result = dg.materialize_to_memory([inspected])
    assert seen == {
        "key": dg.AssetKey("inspected"),
        "selected": frozenset({dg.AssetKey("inspected")}),
        "for_output": dg.AssetKey("inspected"),
    }
    output = next(e for e in result.all_events if e.event_type is EV.STEP_OUTPUT)
    assert output.data["metadata"] == {"seen": True}
    wire = materializations(result)["inspected"]["metadata"]
    assert wire == {"seen": {"raw_value": True, "type": "bool"}}


def test_context_asset_key_is_ambiguous_in_a_multi_asset() -> None:
    @dg.multi_asset(specs=[dg.AssetSpec("m1"), dg.AssetSpec("m2")])
    def both(context: dg.AssetExecutionContext):
        return context.asset_key

    msg = (
        "context.asset_key is ambiguous in 'both', which materializes ['m1', 'm2']; use "
        "context.asset_key_for_output(name) or context.selected_asset_keys"
    )
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        dg.materialize_to_memory([both])


def test_logged_observations_and_materializations_are_recorded() -> None:
    @dg.asset
    def noisy(context: dg.AssetExecutionContext):
        yield dg.AssetObservation("noisy", metadata={"peek": 1}, description="looked")
        yield dg.AssetMaterialization("elsewhere", metadata={"copied": 2})
        yield dg.Output(0)

    result = dg.materialize_to_memory([noisy])
    [obs] = result.get_asset_observation_events()
    assert obs.data == {
        "asset_key": "noisy",
        "metadata": {"peek": {"raw_value": 1, "type": "int"}},
        "partition": None,
        "description": "looked",
        "tags": {},
        "observation": True,
    }
    assert sorted(materializations(result)) == ["elsewhere", "noisy"]


@pytest.mark.parametrize(
    ("returned", "error", "msg"),
    [
        (
            dg.MaterializeResult(asset_key="other"),
            StepExecutionError,
            "'wrong' returned a MaterializeResult for 'other', which it does not compute; "
            "it computes ['wrong']",
        ),
        (
            "not-an-output",
            dg.DagsterInvariantViolationError,
            "op 'wrong' yielded 'not-an-output', which is not an Output or an event; yield "
            "Output(value, name) for each output",
        ),
    ],
)
def test_wrong_results_fail_the_step_with_what_was_wrong(
    returned: Any, error: type[Exception], msg: str
) -> None:
    @dg.asset
    def wrong():
        yield returned

    with pytest.raises(error, match=re.escape(msg)):
        dg.materialize_to_memory([wrong])


def test_multi_asset_result_without_key_asks_for_one() -> None:
    @dg.multi_asset(specs=[dg.AssetSpec("k1"), dg.AssetSpec("k2")])
    def keyless():
        yield dg.MaterializeResult()

    msg = "'keyless' materializes several assets; give each MaterializeResult its asset_key=..."
    with pytest.raises(StepExecutionError, match=re.escape(msg)):
        dg.materialize_to_memory([keyless])


class FailingLoad(dg.IOManager):
    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        return None

    def load_input(self, context: dg.InputContext) -> Any:
        raise OSError("disk gone")


class FailingStore(dg.IOManager):
    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        raise ValueError("no space left")

    def load_input(self, context: dg.InputContext) -> Any:
        return 0


@dg.asset(code_version="1")
def tail(derived: int) -> int:
    return derived


def test_manager_failing_to_load_fails_the_step_and_nothing_downstream_runs() -> None:
    result = dg.materialize(
        [source, derived, tail], resources={"io_manager": FailingLoad()}, raise_on_error=False
    )
    assert not result.success
    [failure] = result.get_step_failure_events()
    assert failure.step_key == "derived"
    assert failure.error is not None
    assert failure.error.message == (
        "IO manager 'io_manager' (FailingLoad) failed to load input 'source' of step "
        "'derived' (asset 'source'): OSError: disk gone"
    )
    assert failure.error.cause is not None and failure.error.cause.cls_name == "OSError"
    assert result.is_node_untouched("tail")
    assert sorted(materializations(result)) == ["source"]
    run_failure = result.get_run_failure_event()
    assert (
        run_failure.message == 'Execution of run for "__ephemeral_asset_job__" failed. Steps '
        "failed: ['derived']."
    )


def test_manager_failing_to_load_raises_its_own_error_and_names_it_in_the_failure() -> None:
    with pytest.raises(OSError, match="disk gone"):
        dg.materialize([source, derived], resources={"io_manager": FailingLoad()})
    result = dg.materialize(
        [source, derived], resources={"io_manager": FailingLoad()}, raise_on_error=False
    )
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    msg = (
        "IO manager 'io_manager' (FailingLoad) failed to load input 'source' of step "
        "'derived' (asset 'source'): OSError: disk gone"
    )
    assert failure.error is not None and msg in failure.error.message


def test_manager_failing_to_store_fails_the_step_without_a_materialization() -> None:
    result = dg.materialize(
        [source, derived], resources={"io_manager": FailingStore()}, raise_on_error=False
    )
    [failure] = result.get_step_failure_events()
    assert failure.step_key == "source"
    assert failure.error is not None
    assert failure.error.message == (
        "IO manager 'io_manager' (FailingStore) failed to store output 'result' of step "
        "'source' (asset 'source'): ValueError: no space left"
    )
    assert materializations(result) == {}
    assert result.is_node_untouched("derived")


def test_asset_named_io_manager_key_is_the_one_called() -> None:
    @dg.asset(io_manager_key="special")
    def routed() -> int:
        return 1

    result = dg.materialize(
        [routed],
        resources={"special": FailingStore(), "io_manager": dg.mem_io_manager},
        raise_on_error=False,
    )
    [failure] = result.get_step_failure_events()
    assert failure.error is not None
    assert failure.error.message.startswith("IO manager 'special' (FailingStore) failed to store")
