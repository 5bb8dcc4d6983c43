"""``OpExecutionContext.get()`` / ``AssetExecutionContext.get()``: the running step's context."""

from __future__ import annotations

from typing import Any

import pytest

from headwater.assets import asset
from headwater.assets.job import materialize
from headwater.errors import InvariantViolationError
from headwater.execution.asset_context import AssetExecutionContext
from headwater.execution.context import OpExecutionContext
from headwater.jobs import job, op


def test_an_asset_reads_its_context_with_or_without_a_context_parameter() -> None:
    seen: dict[str, Any] = {}

    @asset
    def takes(context: AssetExecutionContext) -> int:
        seen["same"] = AssetExecutionContext.get() is context
        return 1

    @asset
    def bare() -> int:
        current = AssetExecutionContext.get()
        seen["key"] = current.asset_key.to_user_string()
        seen["kept"] = AssetExecutionContext.get() is current  # built once per step
        return 1

    assert materialize([takes, bare]).success
    assert seen == {"same": True, "key": "bare", "kept": True}
    with pytest.raises(InvariantViolationError, match="No current AssetExecutionContext"):
        AssetExecutionContext.get()  # the run is over


def test_an_op_reads_its_context() -> None:
    seen: dict[str, Any] = {}

    @op
    def plain() -> None:
        seen["step"] = OpExecutionContext.get().step_key

    @job
    def one() -> None:
        plain()

    assert one.execute_in_process().success
    assert seen == {"step": "plain"}
    with pytest.raises(InvariantViolationError, match="No current OpExecutionContext in scope"):
        OpExecutionContext.get()
