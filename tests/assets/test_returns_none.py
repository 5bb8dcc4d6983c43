"""An asset annotated ``-> None`` stores nothing: no IO manager call, still materialized."""

from __future__ import annotations

from typing import Any

from headwater.assets import asset
from headwater.assets.job import materialize
from headwater.events import EventType
from headwater.io import InputContext, IOManager, OutputContext


class _Strict(IOManager):
    def __init__(self) -> None:
        self.stored: list[str] = []

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        if obj is None:
            raise AssertionError("asked to store None")
        self.stored.append(context.asset_key.to_user_string())

    def load_input(self, context: InputContext) -> Any:
        raise AssertionError("nothing to load")


@asset
def writes_itself() -> None:
    return None


@asset(deps=[writes_itself])
def after() -> int:
    return 1


def test_a_none_annotated_asset_skips_the_io_manager_and_materializes() -> None:
    manager = _Strict()
    result = materialize([writes_itself, after], resources={"io_manager": manager})
    assert result.success
    assert manager.stored == ["after"]
    events = [e.event_type for e in result.all_events if e.step_key == "writes_itself"]
    assert EventType.ASSET_MATERIALIZATION in events
    assert EventType.HANDLED_OUTPUT not in events
