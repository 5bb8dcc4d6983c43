"""The run's state is three parts written through their methods, not a bag of fields."""

from __future__ import annotations

import pytest

import headwater as dg
from headwater.execution.outcomes import StepOutcomes
from headwater.execution.outputs import RunOutputs


def test_a_step_failure_keeps_the_run_s_first_error() -> None:
    outcomes = StepOutcomes()
    first, second = ValueError("first"), KeyError("second")

    outcomes.fail("a", first)
    outcomes.fail("b", second)
    outcomes.fail("c")  # a step whose process died: no exception here

    assert outcomes.failed == {"a", "b", "c"}
    assert outcomes.first_error is first
    assert not outcomes.succeeded


def test_an_error_outside_steps_fails_the_run_without_failing_a_step() -> None:
    outcomes = StepOutcomes()
    outcomes.record_error(RuntimeError("resource"))
    assert outcomes.failed == set()
    assert not outcomes.succeeded


def test_only_a_silent_skip_leaves_the_step_untouched() -> None:
    outcomes = StepOutcomes()
    outcomes.skip("announced", announced=True)
    outcomes.skip("silent", announced=False)
    assert outcomes.skipped == {"announced", "silent"}
    assert outcomes.untouched == {"silent"}
    assert outcomes.succeeded  # skipping is not failing


def test_outputs_kept_stored_or_resolved_count_as_produced() -> None:
    outputs = RunOutputs()
    outputs.keep(("a", "result"), 1)
    outputs.stored(("b", "result"), "io_manager", object())
    outputs.mark_produced(("b", "result"))
    outputs.start_dynamic(("c", "pieces"), ["x", "y"])
    outputs.keep_piece(("c", "pieces"), "x", 10)
    outputs.keep_piece(("c", "pieces"), "y", 20)
    assert outputs.resolve(("d", "pieces"), ()) == []

    assert outputs.produced == {("a", "result"), ("b", "result"), ("c", "pieces"), ("d", "pieces")}
    assert outputs.kept == {("a", "result"): 1, ("c", "pieces"): {"x": 10, "y": 20}}
    assert outputs.mapping_keys == {("c", "pieces"): ["x", "y"], ("d", "pieces"): []}


def test_the_run_state_takes_no_fields_beyond_its_own() -> None:
    @dg.op
    def one() -> int:
        return 1

    @dg.job
    def job() -> None:
        one()

    result = job.execute_in_process()
    state = result._state
    assert state.outputs.kept[("one", "result")] == 1
    assert state.outcomes.succeeded
    # What a step writes goes through a part's methods; the old bag's fields are gone.
    with pytest.raises(AttributeError):
        state.failed = set()  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        state.outputs.blocked = {}  # type: ignore[attr-defined]
