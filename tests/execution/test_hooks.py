"""Running hooks: events after each step, the hook context, build_hook_context."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as dg
from headwater.errors import HeadwaterError


@dg.op
def make() -> int:
    return 2


@dg.op
def boom(x: int) -> int:
    raise ValueError("boom")


def _hook_events(result: dg.ExecuteInProcessResult) -> list[tuple[str, str | None]]:
    return [
        (e.event_type.name, e.step_key)
        for e in result.all_events
        if e.event_type.name.startswith("HOOK_")
    ]


def test_hooks_run_after_each_step_in_name_order() -> None:
    seen: list[tuple[str, str, Any]] = []

    @dg.success_hook
    def b_ok(context: Any) -> None:
        seen.append(("ok", context.op.name, context.op_output_values))

    @dg.failure_hook
    def a_bad(context: Any) -> None:
        seen.append(("bad", context.op.name, str(context.op_exception)))

    @dg.job(hooks={a_bad, b_ok})
    def j() -> None:
        boom(make())

    result = j.execute_in_process(raise_on_error=False)
    assert seen == [("ok", "make", {"result": 2}), ("bad", "boom", "boom")]
    assert _hook_events(result) == [
        ("HOOK_SKIPPED", "make"),
        ("HOOK_COMPLETED", "make"),
        ("HOOK_COMPLETED", "boom"),
        ("HOOK_SKIPPED", "boom"),
    ]


def test_a_hook_that_raises_is_recorded_and_the_run_goes_on() -> None:
    @dg.success_hook
    def broken(context: Any) -> None:
        raise RuntimeError("hook broke")

    @dg.job(hooks={broken})
    def j() -> None:
        make()

    result = j.execute_in_process()
    assert result.success
    errored = [e for e in result.all_events if e.event_type.name == "HOOK_ERRORED"]
    assert len(errored) == 1
    assert errored[0].error is not None
    assert "hook broke" in errored[0].error.message


def test_hook_receives_its_resources() -> None:
    seen: list[Any] = []

    @dg.success_hook(required_resource_keys={"pager"})
    def ok(context: Any) -> None:
        seen.append(context.resources.pager)

    @dg.job(hooks={ok}, resource_defs={"pager": dg.ResourceDefinition.hardcoded_resource("p")})
    def j() -> None:
        make()

    j.execute_in_process()
    assert seen == ["p"]


def test_build_hook_context_for_a_direct_call() -> None:
    @dg.failure_hook(required_resource_keys={"r"})
    def bad(context: Any) -> Any:
        return context.resources.r, context.op.name, str(context.op_exception)

    with dg.build_hook_context(resources={"r": 3}, op=make, op_exception=ValueError("v")) as ctx:
        assert bad(ctx) == (3, "make", "v")


def test_build_hook_context_without_op_says_so() -> None:
    with pytest.raises(HeadwaterError, match="Attribute 'op' was not provided"):
        _ = dg.build_hook_context().op
