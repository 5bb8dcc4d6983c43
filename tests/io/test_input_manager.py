"""Input managers: In/AssetIn(input_manager_key=), @input_manager, InputManager subclasses."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as dg


def test_unconnected_input_is_loaded_by_its_input_manager() -> None:
    @dg.input_manager
    def loader(context: dg.InputContext) -> Any:
        return f"loaded {context.name}"

    @dg.op(ins={"x": dg.In(input_manager_key="loader")})
    def use(x: str) -> str:
        return x

    @dg.job(resource_defs={"loader": loader})
    def j() -> None:
        use()

    assert j.execute_in_process().output_for_node("use") == "loaded x"


def test_input_manager_replaces_the_upstream_io_manager_and_sees_the_upstream() -> None:
    class Loader(dg.InputManager):
        def load_input(self, context: dg.InputContext) -> Any:
            assert context.upstream_output is not None
            return ["from", context.upstream_output.name, dict(context.definition_metadata)]

    @dg.op
    def produce() -> str:
        return "real"

    @dg.op(ins={"x": dg.In(input_manager_key="loader", metadata={"m": 1})})
    def use(x: list[Any]) -> list[Any]:
        return x

    @dg.job(resource_defs={"loader": dg.ResourceDefinition.hardcoded_resource(Loader())})
    def j() -> None:
        use(produce())

    assert j.execute_in_process().output_for_node("use") == ["from", "result", {"m": 1}]


def test_in_asset_key_names_the_asset_for_the_input_manager() -> None:
    @dg.input_manager
    def loader(context: dg.InputContext) -> Any:
        return context.asset_key.to_user_string()

    @dg.op(ins={"x": dg.In(asset_key=dg.AssetKey(["wh", "t"]), input_manager_key="loader")})
    def use(x: str) -> str:
        return x

    @dg.job(resource_defs={"loader": loader})
    def j() -> None:
        use()

    assert j.execute_in_process().output_for_node("use") == "wh/t"


def test_every_io_manager_is_an_input_manager() -> None:
    assert issubclass(dg.IOManager, dg.InputManager)


def test_asset_in_input_manager_loads_the_input_instead_of_the_upstream_io_manager() -> None:
    @dg.input_manager
    def loader(context: dg.InputContext) -> Any:
        return ["loaded", context.asset_key.to_user_string(), dict(context.definition_metadata)]

    @dg.asset
    def up() -> str:
        return "stored"

    @dg.asset(ins={"up": dg.AssetIn(input_manager_key="loader", metadata={"m": 1})})
    def down(up: Any) -> Any:
        return up

    result = dg.materialize([up, down], resources={"loader": loader})
    assert result.output_for_node("down") == ["loaded", "up", {"m": 1}]
    loaded = [e for e in result.all_events if e.event_type_value == "LOADED_INPUT"]
    assert [e.message for e in loaded] == [
        'Loaded input "up" using input manager "loader", from output "result" of step "up"'
    ]


def test_an_upstream_asset_outside_the_run_is_described_in_upstream_output() -> None:
    seen: list[Any] = []

    @dg.input_manager
    def loader(context: dg.InputContext) -> int:
        up = context.upstream_output
        assert up is not None
        seen.append([up.name, up.step_key, up.asset_key, dict(up.definition_metadata)])
        return 1

    @dg.asset(metadata={"owner": "me"})
    def up() -> int:
        return 0

    @dg.asset(ins={"up": dg.AssetIn(input_manager_key="loader")})
    def down(up: int) -> int:
        return up + 1

    dg.materialize([up, down], selection=[down.key], resources={"loader": loader})
    assert seen == [
        ["up", "none", dg.AssetKey("up"), {"owner": "me", "dagster/io_manager_key": "io_manager"}]
    ]


def test_a_missing_input_manager_is_refused_when_the_job_gets_its_resources() -> None:
    @dg.asset
    def up() -> int:
        return 0

    @dg.asset(ins={"up": dg.AssetIn(input_manager_key="loader")})
    def down(up: int) -> int:
        return up

    expected = (
        "input manager with key 'loader' required by input 'up' of op 'down' was not provided"
    )
    with pytest.raises(dg.DagsterInvalidDefinitionError, match=expected):
        dg.materialize([up, down])
    defs = dg.Definitions(assets=[up, down], jobs=[dg.define_asset_job("all")])
    with pytest.raises(dg.DagsterInvalidDefinitionError, match=expected):
        defs.get_job_def("all")


def test_a_resource_that_cannot_load_is_refused_as_input_manager() -> None:
    @dg.resource
    def plain(_: Any) -> int:
        return 5

    @dg.asset
    def up() -> int:
        return 0

    @dg.asset(ins={"up": dg.AssetIn(input_manager_key="loader")})
    def down(up: int) -> int:
        return up

    with pytest.raises(dg.DagsterInvalidDefinitionError, match="which has no load_input"):
        dg.materialize([up, down], resources={"loader": plain})
    result = dg.materialize([up, down], resources={"loader": plain}, raise_on_error=False)
    assert [e.step_key for e in result.all_events if e.event_type_value == "STEP_FAILURE"] == [
        "down"
    ]
