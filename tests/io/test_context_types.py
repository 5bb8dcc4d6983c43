"""An IO manager sees the declared or annotated type of what it stores and loads."""

from __future__ import annotations

import typing
from typing import Any

from headwater.assets import asset
from headwater.assets.job import materialize
from headwater.io import InputContext, IOManager, OutputContext


class _Recorder(IOManager):
    def __init__(self) -> None:
        self.seen: dict[str, tuple[Any, str]] = {}

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        key = "out " + context.asset_key.to_user_string()
        self.seen[key] = (context.dagster_type.typing_type, context.dagster_type.display_name)

    def load_input(self, context: InputContext) -> Any:
        key = f"in {context.name}@{context.op_def.name}"
        self.seen[key] = (context.dagster_type.typing_type, context.dagster_type.display_name)
        return {"a": 1}


@asset
def up() -> int:
    return 1


@asset
def typed(up: dict[str, int]) -> list[int]:
    return [len(up)]


@asset
def untyped(up):
    return 2


def test_contexts_carry_the_annotated_types() -> None:
    recorder = _Recorder()
    assert materialize([up, typed, untyped], resources={"io_manager": recorder}).success
    assert recorder.seen["out up"] == (int, "Int")
    assert recorder.seen["in up@typed"] == (typing.Dict[str, int], "Dict[String,Int]")  # noqa: UP006
    assert recorder.seen["out typed"] == (typing.List[int], "[Int]")  # noqa: UP006
    assert recorder.seen["in up@untyped"] == (typing.Any, "Any")
    assert recorder.seen["out untyped"] == (typing.Any, "Any")
