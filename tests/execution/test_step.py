"""One step: retries, deliberate failures, outputs, skips, Nothing and fan-in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError
from headwater.events import EventType

ET = EventType


def _run(*ops: dg.OpDefinition, raise_on_error: bool = False) -> dg.ExecuteInProcessResult:
    @dg.job
    def one_off() -> None:
        for op_def in ops:
            op_def()

    return one_off.execute_in_process(raise_on_error=raise_on_error)


def _step_types(result: dg.ExecuteInProcessResult, key: str) -> list[str]:
    return [e.event_type.value for e in result.events_for_node(key)]


# retries ------------------------------------------------------------------------------


def test_retry_policy_retries_until_success_with_events() -> None:
    attempts: list[int] = []

    @dg.op(retry_policy=dg.RetryPolicy(max_retries=2))
    def flaky(context: dg.OpExecutionContext) -> int:
        attempts.append(context.retry_number)
        if context.retry_number < 2:
            raise ConnectionError("try again")
        return 7

    result = _run(flaky)
    assert result.success
    assert attempts == [0, 1, 2]
    assert result.output_for_node("flaky") == 7
    assert _step_types(result, "flaky") == [
        "STEP_START",
        "STEP_UP_FOR_RETRY",
        "STEP_RESTARTED",
        "STEP_UP_FOR_RETRY",
        "STEP_RESTARTED",
        "STEP_OUTPUT",
        "HANDLED_OUTPUT",
        "STEP_SUCCESS",
    ]
    retry = result.events_for_node("flaky")[1]
    assert retry.message == 'Execution of step "flaky" failed and has requested a retry.'
    assert retry.data == {"retry_number": 1, "delay": 0.0}
    # as in the reference: a RetryRequestedFromPolicy caused by the attempt's error
    assert retry.error is not None and retry.error.cls_name == "RetryRequestedFromPolicy"
    assert retry.error.cause is not None and retry.error.cause.message == "try again"
    restarted = result.events_for_node("flaky")[2]
    assert restarted.message == 'Started re-execution (attempt # 2) of step "flaky".'


def test_retries_exhausted_fail_the_step_with_the_last_error() -> None:
    @dg.op(retry_policy=dg.RetryPolicy(max_retries=1))
    def always(context: dg.OpExecutionContext) -> None:
        raise ValueError(f"attempt {context.retry_number}")

    result = _run(always)
    assert not result.success
    assert _step_types(result, "always") == [
        "STEP_START",
        "STEP_UP_FOR_RETRY",
        "STEP_RESTARTED",
        "STEP_FAILURE",
    ]
    (failure,) = result.get_step_failure_events()
    assert failure.error is not None and failure.error.cause is not None
    assert failure.error.cause.message == "attempt 1"


def test_retry_waits_the_policy_delay() -> None:
    @dg.op(retry_policy=dg.RetryPolicy(max_retries=1, delay=0.002))
    def slow_flaky(context: dg.OpExecutionContext) -> int:
        if context.retry_number == 0:
            raise ValueError("once")
        return 1

    result = _run(slow_flaky)
    retry = result.events_for_node("slow_flaky")[1]
    assert retry.data["delay"] == 0.002
    assert retry.message == (
        'Execution of step "slow_flaky" failed and has requested a retry in 0.002 seconds.'
    )
    start, restarted = result.events_for_node("slow_flaky")[1:3]
    assert restarted.timestamp - start.timestamp >= 0.002


def test_retry_requested_retries_up_to_its_own_max() -> None:
    attempts: list[int] = []

    @dg.op
    def asks(context: dg.OpExecutionContext) -> int:
        attempts.append(context.retry_number)
        if context.retry_number < 2:
            raise dg.RetryRequested(max_retries=2, seconds_to_wait=0.001)
        return context.retry_number

    result = _run(asks)
    assert result.output_for_node("asks") == 2
    assert attempts == [0, 1, 2]
    retries = [e for e in result.events_for_node("asks") if e.event_type is ET.STEP_UP_FOR_RETRY]
    assert [e.data["delay"] for e in retries] == [0.001, 0.001]


def test_retry_requested_beyond_its_max_fails_the_step() -> None:
    @dg.op
    def keeps_asking() -> None:
        raise dg.RetryRequested(max_retries=1)

    result = _run(keeps_asking)
    assert _step_types(result, "keeps_asking")[-1] == "STEP_FAILURE"
    (failure,) = result.get_step_failure_events()
    assert failure.error is not None
    assert failure.error.message == "retry requested (max_retries=1)"


def test_failure_carries_description_and_metadata() -> None:
    @dg.op
    def empty_table() -> None:
        raise dg.Failure(description="table is empty", metadata={"rows": 0})

    result = _run(empty_table)
    (failure,) = result.get_step_failure_events()
    assert failure.message == 'Execution of step "empty_table" failed.'
    assert failure.error is not None and failure.error.cls_name == "Failure"
    user = failure.step_failure_data.user_failure_data
    assert user.description == "table is empty"
    assert user.metadata["rows"].value == 0


def test_failure_is_reraised_unchanged() -> None:
    failure = dg.Failure("stop")

    @dg.op
    def stops() -> None:
        raise failure

    with pytest.raises(dg.Failure) as caught:
        _run(stops, raise_on_error=True)
    assert caught.value is failure
    assert caught.value.description == "stop"


def test_failure_without_retries_is_not_retried_by_a_policy() -> None:
    attempts: list[int] = []

    @dg.op(retry_policy=dg.RetryPolicy(max_retries=3))
    def final(context: dg.OpExecutionContext) -> None:
        attempts.append(context.retry_number)
        raise dg.Failure("do not retry", allow_retries=False)

    result = _run(final)
    assert attempts == [0]
    assert _step_types(result, "final") == ["STEP_START", "STEP_FAILURE"]


def test_failure_allowing_retries_is_retried() -> None:
    attempts: list[int] = []

    @dg.op(retry_policy=dg.RetryPolicy(max_retries=1))
    def retried(context: dg.OpExecutionContext) -> None:
        attempts.append(context.retry_number)
        raise dg.Failure("transient")

    _run(retried)
    assert attempts == [0, 1]


def test_failed_attempt_keeps_what_it_yielded_and_the_retry_replaces_it() -> None:
    @dg.op(out={"a": dg.Out(), "b": dg.Out()}, retry_policy=dg.RetryPolicy(max_retries=1))
    def half(context: dg.OpExecutionContext) -> Iterator[dg.Output[int]]:
        yield dg.Output(context.retry_number, "a")
        if context.retry_number == 0:
            raise ValueError("after a")
        yield dg.Output(10, "b")

    result = _run(half)
    # The failed attempt's output is recorded as it was yielded; the retry's value wins.
    assert result.output_for_node("half", "a") == 1
    outputs = [e for e in result.events_for_node("half") if e.event_type is ET.STEP_OUTPUT]
    assert [e.data["output_name"] for e in outputs] == ["a", "a", "b"]


# outputs ------------------------------------------------------------------------------


def test_multiple_outputs_from_a_returned_tuple() -> None:
    @dg.op(out={"evens": dg.Out(), "odds": dg.Out()})
    def split() -> tuple[list[int], list[int]]:
        return [0, 2], [1, 3]

    result = _run(split)
    assert result.output_for_node("split", "evens") == [0, 2]
    assert result.output_for_node("split", "odds") == [1, 3]


def test_returned_tuple_may_hold_output_objects_in_order() -> None:
    @dg.op(out={"a": dg.Out(), "b": dg.Out()})
    def wrapped() -> tuple[Any, Any]:
        return dg.Output(1, "a"), dg.Output(2, "b", metadata={"n": 2})

    result = _run(wrapped)
    assert result.output_for_node("wrapped", "b") == 2
    outputs = [e for e in result.events_for_node("wrapped") if e.event_type is ET.STEP_OUTPUT]
    assert outputs[1].data == {"output_name": "b", "metadata": {"n": 2}}


def test_returned_output_out_of_order_is_an_error() -> None:
    @dg.op(out={"a": dg.Out(), "b": dg.Out()})
    def swapped() -> tuple[Any, Any]:
        return dg.Output(2, "b"), dg.Output(1, "a")

    msg = (
        "op 'swapped' returned Output(..., 'b') where output 'a' was expected; return "
        "outputs in the order of out= or yield them"
    )
    with pytest.raises(dg.DagsterInvariantViolationError, match=re.escape(msg)):
        _run(swapped, raise_on_error=True)


def test_wrong_return_for_several_outputs_is_an_error() -> None:
    @dg.op(out={"a": dg.Out(), "b": dg.Out()})
    def single() -> int:
        return 1

    msg = (
        "op 'single' has outputs ['a', 'b'] and must return a tuple of 2 values in that "
        "order (or yield Output objects); it returned int"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        _run(single, raise_on_error=True)


def test_output_metadata_is_recorded_on_the_output_event() -> None:
    @dg.op
    def counted(context: dg.OpExecutionContext) -> dg.Output[list[int]]:
        context.add_output_metadata({"source": "api"})
        return dg.Output([1, 2], metadata={"rows": 2})

    result = _run(counted)
    (output,) = [e for e in result.events_for_node("counted") if e.event_type is ET.STEP_OUTPUT]
    # The message names the annotated type, Output[list[int]]'s list[int], as the reference's.
    assert output.message == 'Yielded output "result" of type "[Int]". (Type check passed).'
    assert output.data == {"output_name": "result", "metadata": {"source": "api", "rows": 2}}


@pytest.mark.parametrize(
    ("body", "msg"),
    [
        (
            lambda: iter([5]),
            "op 'gen' yielded 5, which is not an Output or an event; "
            "yield Output(value, name) for each output",
        ),
        (
            lambda: iter([dg.Output(1, "other")]),
            "op 'gen' produced output 'other', which it does not declare; its outputs are "
            "['result']",
        ),
        (
            lambda: iter([dg.Output(1), dg.Output(2)]),
            "op 'gen' returned an output 'result' multiple times",
        ),
        (
            lambda: iter([]),
            'Core compute for op "gen" did not return an output for non-optional output '
            '"result"; return it, or declare it Out(is_required=False)',
        ),
    ],
)
def test_generator_op_mistakes_fail_the_step_with_a_message(body: Any, msg: str) -> None:
    @dg.op
    def gen() -> Iterator[Any]:
        yield from body()

    # the reference's classes: DagsterInvariantViolationError for a wrong output,
    # DagsterStepOutputNotFoundError for a missing one (both DagsterError)
    with pytest.raises(dg.DagsterError, match=re.escape(msg)):
        _run(gen, raise_on_error=True)


def test_optional_output_not_produced_skips_downstream() -> None:
    @dg.op(out={"found": dg.Out(is_required=False), "always": dg.Out()})
    def maybe() -> Iterator[dg.Output[int]]:
        yield dg.Output(1, "always")

    @dg.op
    def use_found(x: int) -> int:
        return x

    @dg.op
    def after_skip(x: int) -> int:
        return x

    @dg.op
    def use_always(x: int) -> int:
        return x + 1

    @dg.job
    def branching() -> None:
        found, always = maybe()
        after_skip(use_found(found))
        use_always(always)

    result = branching.execute_in_process()
    assert result.success
    assert result.is_node_skipped("use_found")
    assert result.is_node_skipped("after_skip")
    assert result.output_for_node("use_always") == 2
    (skip, _) = [e for e in result.all_events if e.event_type is ET.STEP_SKIPPED]
    assert skip.message == 'Skipped execution of step "use_found".'
    assert skip.data["reason"] == "optional output 'found' of step 'maybe' was not produced"
    msg = "No outputs found for output 'found' from node 'maybe'."
    with pytest.raises(dg.DagsterInvariantViolationError, match=re.escape(msg)):
        result.output_for_node("maybe", "found")


def test_all_optional_outputs_may_be_returned_as_none() -> None:
    @dg.op(out={"a": dg.Out(is_required=False), "b": dg.Out(is_required=False)})
    def nothing_today() -> None:
        return None

    result = _run(nothing_today)
    assert result.success
    assert _step_types(result, "nothing_today") == ["STEP_START", "STEP_SUCCESS"]


def test_downstream_of_a_failed_step_records_nothing() -> None:
    @dg.op
    def breaks() -> int:
        raise ValueError("no")

    @dg.op
    def downstream(x: int) -> int:
        return x

    @dg.job
    def chain() -> None:
        downstream(breaks())

    result = chain.execute_in_process(raise_on_error=False)
    # as in the reference: no STEP_SKIPPED, the step is left untouched
    assert result.events_for_node("downstream") == []
    assert result.is_node_untouched("downstream")
    assert not result.is_node_skipped("downstream")


# Nothing and fan-in --------------------------------------------------------------------


def test_nothing_dependency_orders_without_passing_a_value() -> None:
    order: list[str] = []

    @dg.op(out=dg.Out(dg.Nothing))
    def create_table() -> None:
        order.append("create")

    @dg.op(ins={"after": dg.In(dg.Nothing)})
    def fill_table() -> str:
        order.append("fill")
        return "filled"

    @dg.job
    def tables() -> None:
        fill_table(after=create_table())

    result = tables.execute_in_process()
    assert order == ["create", "fill"]
    assert result.output_for_node("fill_table") == "filled"


def test_nothing_input_may_wait_on_several_ops() -> None:
    @dg.op
    def a() -> int:
        return 1

    @dg.op(ins={"start": dg.In(dg.Nothing)})
    def last() -> str:
        return "done"

    @dg.job
    def waits() -> None:
        last(start=[a(), a(), a()])

    result = waits.execute_in_process()
    assert result.output_for_node("last") == "done"
    keys = [e.step_key for e in result.get_step_success_events()]
    assert keys == ["a", "a_2", "a_3", "last"]


def test_fan_in_passes_a_list_of_upstream_outputs_in_order() -> None:
    def make(value: int) -> dg.OpDefinition:
        @dg.op(name=f"emit_{value}")
        def emit() -> int:
            return value

        return emit

    @dg.op
    def collect(values: list[int]) -> list[int]:
        return values

    @dg.job
    def fan_in() -> None:
        collect([make(3)(), make(1)(), make(2)()])

    assert fan_in.execute_in_process().output_for_node("collect") == [3, 1, 2]


def test_fan_in_leaves_out_optional_outputs_not_produced() -> None:
    @dg.op(out=dg.Out(is_required=False))
    def maybe() -> Iterator[dg.Output[int]]:
        yield from ()

    @dg.op
    def sure() -> int:
        return 5

    @dg.op
    def collect(values: list[int]) -> list[int]:
        return values

    @dg.job
    def partial() -> None:
        collect([maybe(), sure()])

    assert partial.execute_in_process().output_for_node("collect") == [5]


def test_input_without_a_value_fails_with_where_to_give_it() -> None:
    @dg.op
    def needs(x: int) -> int:
        return x

    @dg.graph
    def inner(x: int) -> Any:
        return needs(x)

    @dg.job
    def outer() -> None:
        inner()

    msg = (
        "input 'x' of op 'inner.needs' has no value: nothing is connected to it and it has "
        "no default; give it under ops.inner.ops.needs.inputs.x in run config"
    )
    result = outer.execute_in_process(raise_on_error=False)
    (failure,) = result.get_step_failure_events()
    assert failure.error is not None
    assert failure.error.message == msg


def test_generator_that_raises_keeps_its_yielded_events_then_fails() -> None:
    @dg.op
    def partial(context: dg.OpExecutionContext) -> Iterator[Any]:
        context.log_event(dg.AssetObservation("seen"))
        yield dg.AssetMaterialization("made")
        raise ValueError("half way")

    @dg.job
    def job() -> None:
        partial()

    result = job.execute_in_process(raise_on_error=False)
    kinds = [e.event_type for e in result.events_for_node("partial")]
    assert kinds[-3:] == [ET.ASSET_OBSERVATION, ET.ASSET_MATERIALIZATION, ET.STEP_FAILURE]
    with pytest.raises(ValueError, match="half way"):
        job.execute_in_process()
