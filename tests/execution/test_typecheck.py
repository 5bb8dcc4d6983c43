"""Type checks of step inputs and outputs during runs and direct invocation."""

from __future__ import annotations

import re

import pytest

import headwater as dg
from headwater.errors import TypeCheckFailedError


def test_output_of_the_wrong_type_fails_the_step_naming_type_and_value() -> None:
    @dg.op
    def f() -> str:
        return 1  # type: ignore[return-value]

    @dg.job
    def j() -> None:
        f()

    msg = (
        'Type check failed for step output "result" - expected type "String". '
        'Description: Value "1" of python type "int" must be a string.'
    )
    with pytest.raises(TypeCheckFailedError, match=re.escape(msg)):
        j.execute_in_process()
    result = j.execute_in_process(raise_on_error=False)
    assert not result.success
    assert [e.event_type_value for e in result.all_events if e.step_key == "f"][-1] == (
        "STEP_FAILURE"
    )


def test_input_of_the_wrong_type_fails_the_consuming_step() -> None:
    @dg.op
    def g() -> int:
        return 1

    @dg.op
    def h(x: str) -> str:
        return x

    @dg.job
    def j() -> None:
        h(g())

    with pytest.raises(TypeCheckFailedError, match=re.escape('step input "x"')):
        j.execute_in_process()


def test_type_check_reads_the_resources_it_declares() -> None:
    seen: list[int] = []

    def under_limit(context: object, value: int) -> bool:
        limit: int = getattr(context, "resources").limit  # noqa: B009 - a dynamic resource
        seen.append(limit)
        return value < limit

    limited = dg.DagsterType(under_limit, name="Limited", required_resource_keys={"limit"})

    @dg.op(out=dg.Out(limited))
    def f() -> int:
        return 3

    @dg.job(resource_defs={"limit": dg.ResourceDefinition.hardcoded_resource(10)})
    def j() -> None:
        f()

    assert j.execute_in_process().success
    assert seen == [10]


def test_direct_invocation_checks_the_returned_value() -> None:
    @dg.op
    def f() -> str:
        return 1  # type: ignore[return-value]

    with pytest.raises(TypeCheckFailedError, match='expected type "String"'):
        f()


def test_type_failures_are_not_retried() -> None:
    calls: list[int] = []

    @dg.op(retry_policy=dg.RetryPolicy(max_retries=2))
    def f() -> str:
        calls.append(1)
        return 1  # type: ignore[return-value]

    @dg.job
    def j() -> None:
        f()

    assert not j.execute_in_process(raise_on_error=False).success
    assert calls == [1]


def test_an_explicit_none_type_is_any_and_the_annotation_is_not_checked() -> None:
    @dg.op
    def text() -> str:
        return "x"

    @dg.op(ins={"a": dg.In(dagster_type=None)}, out=dg.Out(dagster_type=None))
    def untyped(a: int) -> int:
        return "not an int"  # type: ignore[return-value]

    @dg.op
    def typed(a: int) -> int:
        return 1

    @dg.job
    def loose() -> None:
        untyped(text())

    @dg.job
    def strict() -> None:
        typed(text())

    assert loose.execute_in_process().success
    assert not strict.execute_in_process(raise_on_error=False).success


def test_asset_dagster_type_none_still_reads_the_annotation() -> None:
    @dg.asset(dagster_type=None)
    def counted() -> int:
        return "not an int"  # type: ignore[return-value]

    assert not dg.materialize([counted], raise_on_error=False).success
