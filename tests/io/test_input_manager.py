"""Input managers: In(input_manager_key=), @input_manager, InputManager subclasses."""

from __future__ import annotations

from typing import Any

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
