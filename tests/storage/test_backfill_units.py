"""Where a backfill's units stand: what the daemon submits next and what automation
conditions count as still to be materialized (``pending``)."""

from __future__ import annotations

from dataclasses import replace

from headwater.storage import RunStatus
from headwater.storage.backfill_units import unit_states
from headwater.storage.backfills import BackfillRecord, BackfillUnit

FIRST = BackfillUnit("__unpartitioned_upstream__", selection=("root",))
UNITS = (
    FIRST,
    BackfillUnit("a", partition="a", after=(FIRST.key,)),
    BackfillUnit("b", partition="b", after=(FIRST.key,)),
)
RECORD = BackfillRecord("bf", "REQUESTED", 0.0, {}, "job", ("x",), UNITS)


def test_units_waiting_for_a_failed_unit_are_blocked_and_not_pending() -> None:
    states = unit_states(RECORD, {(0, FIRST.key): "r1"}, {"r1": RunStatus.FAILURE})
    assert states.blocked == {"a", "b"}
    assert states.pending == frozenset()
    assert states.ready == ()


def test_in_flight_and_still_to_run_units_are_pending_and_succeeded_ones_are_not() -> None:
    claims = {(0, FIRST.key): "r1", (0, "a"): "r2"}
    states = unit_states(RECORD, claims, {"r1": RunStatus.SUCCESS, "r2": RunStatus.STARTED})
    assert states.pending == {"a", "b"}
    assert [u.key for u in states.ready] == ["b"]
    done = unit_states(RECORD, claims, {"r1": RunStatus.SUCCESS, "r2": RunStatus.SUCCESS})
    assert done.pending == {"b"}


def test_a_resume_makes_the_failed_unit_and_those_waiting_for_it_pending_again() -> None:
    resumed = replace(RECORD, generation=1)
    states = unit_states(resumed, {(0, FIRST.key): "r1"}, {"r1": RunStatus.FAILURE})
    assert states.pending == {FIRST.key, "a", "b"}
    assert [u.key for u in states.ready] == [FIRST.key]


def test_a_claimed_run_that_was_deleted_counts_as_failed() -> None:
    states = unit_states(RECORD, {(0, FIRST.key): "gone"}, {})
    assert states.latest[FIRST.key] is RunStatus.FAILURE
    assert states.pending == frozenset()
