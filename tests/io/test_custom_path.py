"""``custom_path_fs_io_manager`` and ``ConfigurableLegacyIOManagerAdapter``."""

from __future__ import annotations

import pickle
import re
from pathlib import Path
from typing import Any

import pytest

import headwater as dg


def test_outputs_go_to_the_paths_their_definitions_name(tmp_path: Path) -> None:
    manager = dg.custom_path_fs_io_manager.configured({"base_dir": str(tmp_path)})

    @dg.op(out=dg.Out(metadata={"path": "sub/one.pkl"}))
    def one() -> int:
        return 1

    @dg.op(out=dg.Out(metadata={"path": "two.pkl"}))
    def plus(x: int) -> int:
        return x + 1

    @dg.job(resource_defs={"io_manager": manager})
    def chain() -> None:
        plus(one())

    result = chain.execute_in_process()
    assert result.output_for_node("plus") == 2
    assert pickle.loads((tmp_path / "sub" / "one.pkl").read_bytes()) == 1
    materialized = [
        (list(e.asset_key.path), e.materialization.metadata["path"].value)
        for e in result.all_events
        if e.event_type.value == "ASSET_MATERIALIZATION"
    ]
    assert materialized == [
        (["chain", "one", "result"], str(tmp_path / "sub" / "one.pkl")),
        (["chain", "plus", "result"], str(tmp_path / "two.pkl")),
    ]


def test_an_output_without_a_path_names_the_fix(tmp_path: Path) -> None:
    manager = dg.custom_path_fs_io_manager.configured({"base_dir": str(tmp_path)})

    @dg.op
    def one() -> int:
        return 1

    @dg.job(resource_defs={"io_manager": manager})
    def bare() -> None:
        one()

    with pytest.raises(
        dg.InvariantViolationError,
        match=re.escape("output 'result' of step 'one' has no 'path' in its definition metadata"),
    ):
        bare.execute_in_process()


def test_base_dir_is_required() -> None:
    @dg.op(out=dg.Out(metadata={"path": "x.pkl"}))
    def one() -> int:
        return 1

    @dg.job(resource_defs={"io_manager": dg.custom_path_fs_io_manager})
    def unconfigured() -> None:
        one()

    with pytest.raises(dg.InvalidConfigError, match="base_dir"):
        unconfigured.execute_in_process()


STORED: dict[str, tuple[str, Any]] = {}


class _Prefixed(dg.IOManager):
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        STORED[context.asset_key.path[-1]] = (self.prefix, obj)

    def load_input(self, context: dg.InputContext) -> Any:
        return STORED[context.asset_key.path[-1]][1]


@dg.io_manager(config_schema={"prefix": str})
def prefixed_io(context: dg.InitResourceContext) -> _Prefixed:
    return _Prefixed(context.resource_config["prefix"])


def test_the_adapter_gives_a_function_style_manager_its_fields() -> None:
    class Prefixed(dg.ConfigurableLegacyIOManagerAdapter):
        prefix: str

        @property
        def wrapped_io_manager(self) -> dg.IOManagerDefinition:
            return prefixed_io

    @dg.asset
    def a1() -> int:
        return 5

    @dg.asset
    def a2(a1: int) -> int:
        return a1 * 2

    result = dg.materialize([a1, a2], resources={"io_manager": Prefixed(prefix="pp")})
    assert result.output_for_node("a2") == 10
    assert STORED["a2"] == ("pp", 10)


def test_an_adapter_without_a_wrapped_manager_cannot_be_made() -> None:
    class Unwrapped(dg.ConfigurableLegacyIOManagerAdapter):
        x: int = 1

    with pytest.raises(TypeError, match="wrapped_io_manager"):
        Unwrapped()  # type: ignore[abstract]  # the point: it cannot be made
