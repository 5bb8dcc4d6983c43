"""StepExecutionContext, partition ranges of op contexts, check contexts built for tests."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

import headwater as dg
from headwater.errors import HeadwaterError, InvalidInvocationError, InvariantViolationError


def test_step_context_of_an_op_in_a_partitioned_run() -> None:
    seen: dict[str, Any] = {}

    @dg.op(config_schema={"n": int})
    def look(context: dg.OpExecutionContext) -> None:
        step = context.get_step_execution_context()
        seen.update(
            kind=type(step).__name__,
            key=step.step.key,
            same_run=step.run_id == context.run_id,
            job=step.job_name,
            config=step.op_config,
            key_range=step.partition_key_range,
            has_range=step.has_partition_key_range,
        )

    @dg.job(partitions_def=dg.StaticPartitionsDefinition(["a", "b"]))
    def j() -> None:
        look()

    j.execute_in_process(partition_key="b", run_config={"ops": {"look": {"config": {"n": 1}}}})
    assert seen == {
        "kind": "StepExecutionContext",
        "key": "look",
        "same_run": True,
        "job": "j",
        "config": {"n": 1},
        "key_range": dg.PartitionKeyRange("b", "b"),
        "has_range": False,
    }


def test_built_op_context_with_a_range() -> None:
    context = dg.build_op_context(partition_key_range=dg.PartitionKeyRange("a", "c"))
    assert context.has_partition_key_range and not context.has_partition_key
    assert context.partition_key_range == dg.PartitionKeyRange("a", "c")


def test_built_op_context_without_partitions_has_no_range() -> None:
    context = dg.build_op_context()
    assert not context.has_partition_key_range
    with pytest.raises(InvariantViolationError, match="has no partition"):
        _ = context.partition_key_range


def test_key_and_range_together_are_refused() -> None:
    with pytest.raises(InvalidInvocationError, match="partition_key or partition_key_range"):
        dg.build_op_context(partition_key="a", partition_key_range=dg.PartitionKeyRange("a", "b"))


LOG: list[Any] = []


class Pool(dg.ConfigurableResource):
    name: str = "pool"

    @contextlib.asynccontextmanager
    async def yield_for_execution(self, context: Any) -> AsyncIterator[str]:  # type: ignore[override]
        LOG.append(("enter", context.event_loop is not None))
        yield self.name + "!"
        LOG.append("exit")


def test_async_resource_runs_on_the_given_loop() -> None:
    LOG.clear()
    loop = asyncio.new_event_loop()
    with dg.build_op_context(resources={"r": Pool(name="p")}, event_loop=loop) as context:
        assert context.resources.r == "p!"
        assert LOG == [("enter", True)]
    assert LOG == [("enter", True), "exit"]
    loop.close()


def test_async_resource_in_a_run_gets_a_loop_of_its_own() -> None:
    LOG.clear()

    @dg.op
    def use(r: dg.ResourceParam[str]) -> str:
        return r

    @dg.job(resource_defs={"r": Pool()})
    def j() -> None:
        use()

    assert j.execute_in_process().output_for_node("use") == "pool!"
    assert LOG == [("enter", True), "exit"]


def test_async_resource_outside_a_run_needs_a_loop() -> None:
    with pytest.raises(HeadwaterError, match="needs an event loop; pass event_loop="):
        dg.build_op_context(resources={"r": Pool()})


def test_check_context_built_for_a_test_is_passed_to_the_check() -> None:
    @dg.asset_check(asset="orders", required_resource_keys={"r"})
    def non_empty(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=context.resources.r == 5)

    with dg.build_asset_check_context(resources={"r": 5}) as context:
        assert isinstance(context, dg.AssetCheckExecutionContext)
        assert not isinstance(context, dg.OpExecutionContext)
        assert non_empty(context).passed
