"""Hooks as values: the decorators, HookDefinition, and where hooks attach."""

from __future__ import annotations

import re
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError, InvalidInvocationError
from headwater.events import EventType
from headwater.execution.plan import build_plan


@dg.op
def one() -> int:
    return 1


def test_success_hook_skips_on_anything_but_step_success() -> None:
    @dg.success_hook
    def ok(context: Any) -> None:
        raise AssertionError("must not run")

    failed = dg.RunEvent(EventType.STEP_FAILURE, "r", "j", 0.0, "", "s")
    result = ok.hook_fn(None, [failed])
    assert result == dg.HookExecutionResult(hook_name="ok", is_skipped=True)


def test_failure_hook_runs_its_function_on_step_failure() -> None:
    calls: list[str] = []

    @dg.failure_hook(name="alert", required_resource_keys={"pager"})
    def bad(context: Any) -> None:
        calls.append(context)

    failed = dg.RunEvent(EventType.STEP_FAILURE, "r", "j", 0.0, "", "s")
    assert bad.hook_fn("ctx", [failed]) == dg.HookExecutionResult("alert", False)
    assert calls == ["ctx"]
    assert bad.name == "alert"
    assert bad.required_resource_keys == frozenset({"pager"})


def test_hook_function_must_take_one_context_parameter() -> None:
    def two(context: Any, extra: Any) -> None:
        pass

    with pytest.raises(InvalidDefinitionError, match=re.escape("success hook 'two' must take 1")):
        dg.success_hook(two)


def test_hook_execution_result_defaults_to_not_skipped() -> None:
    assert dg.HookExecutionResult("h").is_skipped is False


def test_hook_definition_without_decorated_fn_cannot_be_invoked() -> None:
    hook = dg.HookDefinition(name="raw", hook_fn=lambda context, events: None)
    with pytest.raises(InvalidInvocationError, match="was not built with a hook decorator"):
        hook(None)


def test_invocation_hooks_and_job_hooks_reach_the_plan() -> None:
    @dg.success_hook
    def on_job(context: Any) -> None:
        pass

    @dg.success_hook
    def on_node(context: Any) -> None:
        pass

    @dg.job(hooks={on_job})
    def j() -> None:
        one.with_hooks({on_node})()
        one.alias("plain")()

    hooks = {s.key: {h.name for h in s.hooks} for s in build_plan(j).steps}
    assert hooks == {"one": {"on_job", "on_node"}, "plain": {"on_job"}}


def test_hook_decorating_a_job_is_job_with_hooks() -> None:
    @dg.success_hook
    def ok(context: Any) -> None:
        pass

    @dg.job
    def j() -> None:
        one()

    hooked = ok(j)
    assert isinstance(hooked, dg.JobDefinition)
    assert hooked.hook_defs == frozenset({ok})
    assert j.hook_defs == frozenset()


def test_job_requires_the_resources_of_its_hooks() -> None:
    @dg.success_hook(required_resource_keys={"pager"})
    def ok(context: Any) -> None:
        pass

    msg = "hook 'ok' of job 'j' requires resource 'pager', which the job does not provide"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.job(hooks={ok}, resource_defs={"other": 1})
        def j() -> None:
            one()
