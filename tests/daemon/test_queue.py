"""The run queue's choice of runs to launch: priorities, limits, no head-of-line blocking."""

from __future__ import annotations

from headwater.daemon.queue import runs_to_launch
from headwater.storage import Run, RunStatus
from headwater.storage.config import RunQueueConfig, TagConcurrencyLimit


def _run(name: str, created: float, **tags: str) -> Run:
    return Run(run_id=name, job_name="j", status=RunStatus.QUEUED, tags=tags, create_time=created)


def _ids(runs: list[Run]) -> list[str]:
    return [r.run_id for r in runs]


def test_oldest_first_up_to_the_free_slots() -> None:
    queued = [_run("b", 2), _run("a", 1), _run("c", 3)]
    busy = [_run("x", 0)]
    assert _ids(runs_to_launch(queued, busy, RunQueueConfig(max_concurrent_runs=3))) == ["a", "b"]


def test_priority_tag_goes_first_and_bad_priorities_count_as_zero() -> None:
    queued = [_run("old", 1), _run("urgent", 5, **{"dagster/priority": "10"})]
    queued.append(_run("junk", 0, **{"dagster/priority": "high"}))
    chosen = runs_to_launch(queued, [], RunQueueConfig(max_concurrent_runs=2))
    assert _ids(chosen) == ["urgent", "junk"]


def test_no_free_slot_launches_nothing() -> None:
    busy = [_run("x", 0), _run("y", 0)]
    assert runs_to_launch([_run("a", 1)], busy, RunQueueConfig(max_concurrent_runs=2)) == []


def test_a_blocked_run_never_blocks_the_runs_behind_it() -> None:
    limit = TagConcurrencyLimit("database", "warehouse", 1)
    config = RunQueueConfig(max_concurrent_runs=10, tag_concurrency_limits=(limit,))
    busy = [_run("x", 0, database="warehouse")]
    queued = [_run("blocked", 1, database="warehouse"), _run("other", 2, database="lake")]
    assert _ids(runs_to_launch(queued, busy, config)) == ["other"]


def test_a_limit_counts_the_runs_chosen_in_the_same_pass() -> None:
    limit = TagConcurrencyLimit("team", None, 2)
    config = RunQueueConfig(tag_concurrency_limits=(limit,))
    queued = [_run(f"r{i}", i, team=f"t{i}") for i in range(4)]
    assert _ids(runs_to_launch(queued, [], config)) == ["r0", "r1"]


def test_a_per_unique_value_limit_counts_each_value_apart() -> None:
    limit = TagConcurrencyLimit("api", None, 1, per_unique_value=True)
    config = RunQueueConfig(tag_concurrency_limits=(limit,))
    queued = [_run("a1", 1, api="a"), _run("a2", 2, api="a"), _run("b1", 3, api="b")]
    assert _ids(runs_to_launch(queued, [], config)) == ["a1", "b1"]
