"""The in-process run: events in order, resources opened once and closed in reverse."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError, ResourceFunctionError
from headwater.events import EventType

ET = EventType


class Lifecycle:
    """Resources that record their init and teardown, optionally failing at either."""

    def __init__(self) -> None:
        self.log: list[tuple[str, str]] = []

    def resource(
        self,
        name: str,
        *,
        needs: tuple[str, ...] = (),
        fail_init: BaseException | None = None,
        fail_teardown: BaseException | None = None,
    ) -> dg.ResourceDefinition:
        log = self.log

        @dg.resource(required_resource_keys=set(needs))
        def make(context: dg.InitResourceContext) -> Iterator[str]:
            log.append(("init", name))
            if fail_init is not None:
                raise fail_init
            try:
                yield name
            finally:
                log.append(("teardown", name))
                if fail_teardown is not None:
                    raise fail_teardown

        return make


@dg.op(required_resource_keys={"b"})
def use_b(context: dg.OpExecutionContext) -> Any:
    return context.resources.b


@dg.op(required_resource_keys={"c"})
def use_c(context: dg.OpExecutionContext, upstream: Any) -> Any:
    return (upstream, context.resources.c)


def _types(result: dg.ExecuteInProcessResult) -> list[tuple[str, str | None]]:
    return [(e.event_type.value, e.step_key) for e in result.all_events]


def test_successful_run_emits_typed_events_in_order() -> None:
    @dg.op
    def hello(context: dg.OpExecutionContext) -> str:
        context.log.info("saying hello")
        return "hello"

    @dg.job(resource_defs={"unused": 1})
    def greet() -> None:
        hello()

    before = time.time()
    result = greet.execute_in_process()
    assert result.success
    assert _types(result) == [
        ("PIPELINE_START", None),
        ("ENGINE_EVENT", None),
        ("RESOURCE_INIT_STARTED", "hello"),
        ("RESOURCE_INIT_SUCCESS", "hello"),
        ("LOGS_CAPTURED", None),
        ("STEP_START", "hello"),
        ("STEP_OUTPUT", "hello"),
        ("HANDLED_OUTPUT", "hello"),
        ("STEP_SUCCESS", "hello"),
        ("ENGINE_EVENT", None),
        ("PIPELINE_SUCCESS", None),
    ]
    assert {e.run_id for e in result.all_events} == {result.run_id}
    assert {e.job_name for e in result.all_events} == {"greet"}
    stamps = [e.timestamp for e in result.all_events]
    assert stamps == sorted(stamps) and before <= stamps[0] <= time.time()
    assert result.all_events[0].message == 'Started execution of run for "greet".'
    assert result.all_events[-1].message == 'Finished execution of run for "greet".'


def test_resource_events_come_before_steps_and_carry_the_key() -> None:
    life = Lifecycle()

    @dg.job(resource_defs={"a": life.resource("a"), "b": life.resource("b", needs=("a",))})
    def job_b() -> None:
        use_b()

    result = job_b.execute_in_process()
    assert _types(result)[:5] == [
        ("PIPELINE_START", None),
        ("ENGINE_EVENT", None),
        ("RESOURCE_INIT_STARTED", "use_b"),
        ("RESOURCE_INIT_SUCCESS", "use_b"),
        ("LOGS_CAPTURED", None),
    ]
    # one pair of events for all of them (the default io_manager included), as the
    # reference records it; a one-step plan puts its step key on them
    assert (
        result.all_events[2].message == "Starting initialization of resources [a, b, io_manager]."
    )
    assert (
        result.all_events[3].message == "Finished initialization of resources [a, b, io_manager]."
    )
    assert life.log[:2] == [("init", "a"), ("init", "b")]


def test_steps_run_in_topological_order() -> None:
    order: list[str] = []

    def make(name: str) -> dg.OpDefinition:
        @dg.op(name=name)
        def step(xs: list[Any]) -> str:
            order.append(name)
            return name

        return step

    a, b, c, d = (make(n) for n in "abcd")

    @dg.op
    def root() -> int:
        order.append("root")
        return 0

    @dg.job
    def diamond() -> None:
        r = root()
        d([b([a([r])]), c([r])])

    assert diamond.execute_in_process().success
    assert order == ["root", "a", "c", "b", "d"]  # by levels, as the reference


def test_resources_are_initialized_once_per_run_for_fifty_ops() -> None:
    counts: dict[str, int] = {}

    def counted(key: str, needs: tuple[str, ...]) -> dg.ResourceDefinition:
        @dg.resource(required_resource_keys=set(needs))
        def make(context: dg.InitResourceContext) -> str:
            counts[key] = counts.get(key, 0) + 1
            return key + "".join(getattr(context.resources, n) for n in sorted(needs))

        return make

    defs = {
        "r1": counted("r1", ()),
        "r2": counted("r2", ("r1",)),
        "r3": counted("r3", ("r1", "r2")),
        "r4": counted("r4", ("r3",)),
        "r5": counted("r5", ("r2", "r4")),
    }

    @dg.op(required_resource_keys=set(defs))
    def worker(context: dg.OpExecutionContext) -> Any:
        return context.resources.r5

    @dg.job(resource_defs=defs)
    def many() -> None:
        for i in range(50):
            worker.alias(f"worker_{i}")()

    result = many.execute_in_process()
    assert result.success
    assert counts == {"r1": 1, "r2": 1, "r3": 1, "r4": 1, "r5": 1}
    assert result.output_for_node("worker_49") == "r5r2r1r4r3r1r2r1"
    assert len(result.get_step_success_events()) == 50


def test_only_resources_the_selected_steps_need_are_initialized() -> None:
    life = Lifecycle()

    @dg.job(
        resource_defs={
            "a": life.resource("a"),
            "b": life.resource("b", needs=("a",)),
            "c": life.resource("c"),
            "unused": life.resource("unused"),
        }
    )
    def both() -> None:
        use_c(use_b())

    result = both.execute_in_process(op_selection=["use_b"])
    assert result.success
    assert life.log == [("init", "a"), ("init", "b"), ("teardown", "b"), ("teardown", "a")]
    life.log.clear()
    both.execute_in_process()
    assert ("init", "unused") not in life.log
    assert ("init", "c") in life.log


def test_teardown_runs_in_reverse_after_all_steps() -> None:
    life = Lifecycle()
    seen: list[list[tuple[str, str]]] = []

    @dg.op(required_resource_keys={"c"})
    def snapshot(context: dg.OpExecutionContext, upstream: Any) -> None:
        seen.append(list(life.log))

    @dg.job(
        resource_defs={
            "a": life.resource("a"),
            "b": life.resource("b", needs=("a",)),
            "c": life.resource("c"),
        }
    )
    def ordered() -> None:
        snapshot(use_b())

    assert ordered.execute_in_process().success
    # Level by level, by name within a level (as the reference): a and c, then b.
    assert seen == [[("init", "a"), ("init", "c"), ("init", "b")]]  # nothing torn down yet
    assert life.log[3:] == [("teardown", "b"), ("teardown", "c"), ("teardown", "a")]


def test_teardown_runs_in_reverse_when_a_step_fails() -> None:
    life = Lifecycle()
    error = KeyError("missing row")

    @dg.op(required_resource_keys={"b"})
    def breaks(context: dg.OpExecutionContext) -> None:
        raise error

    @dg.job(resource_defs={"a": life.resource("a"), "b": life.resource("b", needs=("a",))})
    def failing() -> None:
        breaks()

    with pytest.raises(KeyError) as caught:
        failing.execute_in_process()
    assert caught.value is error
    assert life.log == [("init", "a"), ("init", "b"), ("teardown", "b"), ("teardown", "a")]


def test_later_resource_failure_tears_down_earlier_ones_and_raises_resource_error() -> None:
    life = Lifecycle()
    cause = ConnectionError("refused")

    @dg.job(
        resource_defs={
            "a": life.resource("a"),
            "b": life.resource("b", needs=("a",), fail_init=cause),
        }
    )
    def unreachable() -> None:
        use_b()

    msg = "error initializing resource 'b': ConnectionError: refused"
    with pytest.raises(ResourceFunctionError, match=re.escape(msg)) as caught:
        unreachable.execute_in_process()
    assert caught.value.__cause__ is cause
    assert caught.value.user_exception is cause
    assert isinstance(caught.value, dg.DagsterResourceFunctionError)
    assert life.log == [("init", "a"), ("init", "b"), ("teardown", "a")]


def test_resource_failure_without_raising_is_recorded_and_no_step_runs() -> None:
    life = Lifecycle()

    @dg.job(resource_defs={"b": life.resource("b", fail_init=ValueError("bad"))})
    def unreachable() -> None:
        use_b()

    result = unreachable.execute_in_process(raise_on_error=False)
    assert not result.success
    assert _types(result) == [
        ("PIPELINE_START", None),
        ("ENGINE_EVENT", None),
        ("RESOURCE_INIT_STARTED", "use_b"),
        ("RESOURCE_INIT_FAILURE", "use_b"),
        ("PIPELINE_FAILURE", None),
    ]
    failure = result.get_job_failure_event()
    assert failure.error is not None
    assert failure.error.message == "error initializing resource 'b': ValueError: bad"
    assert failure.error.cause is not None and failure.error.cause.cls_name == "ValueError"


def test_teardown_error_is_an_event_and_does_not_hide_the_step_failure() -> None:
    life = Lifecycle()
    error = ZeroDivisionError("step")

    @dg.op(required_resource_keys={"b"})
    def breaks(context: dg.OpExecutionContext) -> None:
        raise error

    @dg.job(
        resource_defs={
            "a": life.resource("a", fail_teardown=RuntimeError("close failed")),
            "b": life.resource("b", needs=("a",)),
        }
    )
    def failing() -> None:
        breaks()

    with pytest.raises(ZeroDivisionError) as caught:
        failing.execute_in_process()
    assert caught.value is error
    assert life.log[-2:] == [("teardown", "b"), ("teardown", "a")]

    result = failing.execute_in_process(raise_on_error=False)
    teardown = [e for e in result.all_events if (e.message or "").startswith("Teardown")]
    assert len(teardown) == 1
    assert teardown[0].event_type is ET.ENGINE_EVENT  # the reference has no kind of its own
    assert teardown[0].message == "Teardown of resources [a] failed."
    assert teardown[0].error is not None and teardown[0].error.message == "close failed"
    assert _types(result)[-4:] == [
        ("STEP_FAILURE", "breaks"),
        ("ENGINE_EVENT", "breaks"),
        ("ENGINE_EVENT", None),
        ("PIPELINE_FAILURE", None),
    ]


def test_teardown_error_after_a_successful_run_is_reported_as_an_event() -> None:
    life = Lifecycle()

    @dg.job(
        resource_defs={
            "a": life.resource("a", fail_teardown=RuntimeError("close failed")),
            "b": life.resource("b", needs=("a",)),
        }
    )
    def closes_badly() -> None:
        use_b()

    result = closes_badly.execute_in_process()
    assert result.output_for_node("use_b") == "b"
    teardown = [e for e in result.all_events if (e.message or "").startswith("Teardown")]
    assert [e.event_type for e in teardown] == [ET.ENGINE_EVENT]
    assert result.success
    assert life.log[-1] == ("teardown", "a")


def test_raise_on_error_reraises_the_op_exception_object_unchanged() -> None:
    class Custom(Exception):
        pass

    error = Custom("exactly this")

    @dg.op
    def breaks() -> None:
        raise error

    @dg.job
    def failing() -> None:
        breaks()

    with pytest.raises(Custom) as caught:
        failing.execute_in_process()
    assert caught.value is error


def test_raise_on_error_false_returns_a_result_saying_what_failed() -> None:
    @dg.op
    def breaks() -> None:
        raise ValueError("bad row 7")

    @dg.op
    def fine() -> int:
        return 1

    @dg.op
    def after(x: Any) -> None: ...

    @dg.job
    def failing() -> None:
        after(breaks())
        fine()

    result = failing.execute_in_process(raise_on_error=False)
    assert not result.success
    (failure,) = result.get_step_failure_events()
    assert failure.step_key == "breaks"
    assert failure.message == 'Execution of step "breaks" failed.'
    assert failure.error is not None
    # the reference's step error, caused by the op's exception
    assert failure.error.cls_name == "DagsterExecutionStepExecutionError"
    assert failure.error.message == 'Error occurred while executing op "breaks":'
    assert failure.error.cause is not None
    assert (failure.error.cause.cls_name, failure.error.cause.message) == (
        "ValueError",
        "bad row 7",
    )
    assert result.is_node_untouched("after")
    assert result.output_for_node("fine") == 1
    run_failure = result.get_job_failure_event()
    assert (
        run_failure.message == "Execution of run for \"failing\" failed. Steps failed: ['breaks']."
    )
    assert run_failure.data["failed_steps"] == ["breaks"]


def test_run_is_recorded_in_the_given_instance_with_tags_and_run_id() -> None:
    instance = dg.Instance.ephemeral()

    @dg.op
    def noop() -> None: ...

    @dg.job(tags={"team": "data"})
    def tagged() -> None:
        noop()

    result = tagged.execute_in_process(instance=instance, tags={"run": "1"}, run_id="my-run")
    assert result.run_id == "my-run"
    run = instance.get_run("my-run")
    assert run is not None
    assert run.tags == {"team": "data", "run": "1"}
    assert result.run.tags == {"team": "data", "run": "1"}


def test_each_run_gets_a_new_run_id() -> None:
    @dg.op
    def noop() -> None: ...

    @dg.job
    def twice() -> None:
        noop()

    assert twice.execute_in_process().run_id != twice.execute_in_process().run_id


def test_op_selection_naming_an_unknown_op_lists_the_ops() -> None:
    @dg.job(resource_defs={"b": 1})
    def small() -> None:
        use_b()

    msg = "op_selection names ['nope'], which are not ops of this job; ops are ['use_b']"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        small.execute_in_process(op_selection=["nope"])


def test_job_inputs_come_from_input_values() -> None:
    @dg.op
    def double(x: int) -> int:
        return x * 2

    @dg.graph
    def g(x: int) -> Any:
        return double(x)

    result = g.execute_in_process(input_values={"x": 21})
    assert result.output_for_node("double") == 42


def test_an_interrupted_run_is_recorded_as_canceled_and_the_interrupt_propagates() -> None:
    import headwater as dg

    @dg.op
    def stop() -> None:
        raise KeyboardInterrupt

    @dg.job
    def interrupted() -> None:
        stop()

    instance = dg.Instance.ephemeral()
    with pytest.raises(KeyboardInterrupt):
        interrupted.execute_in_process(instance=instance)
    (run,) = instance.get_runs()
    assert run.status is dg.RunStatus.CANCELED
    kinds = [e.event_type for e in instance.run_events(run.run_id)]
    assert kinds[-1] is dg.EventType.RUN_CANCELED
    assert dg.EventType.RUN_SUCCESS not in kinds
