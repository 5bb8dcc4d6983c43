"""Concurrency limits, measured: max_concurrent, tag limits, and pools shared by runs."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import executor_jobs as jobs  # type: ignore[import-not-found]  # on sys.path via conftest
import pytest

from headwater.execution.executors.limits import TagLimit
from headwater.execution.executors.pools import PoolSlots, get_pool_limit, set_pool_limit
from headwater.execution.launch import execute_job
from headwater.storage import Instance


@pytest.fixture
def instance(tmp_path: Path) -> Any:
    with Instance.local_temp(tmp_path / "home") as inst:
        yield inst


def _run_wide(instance: Instance, folder: Path, **execution: Any) -> list[dict[str, Any]]:
    folder.mkdir()
    config = {
        "resources": {"recorder": {"config": {"dir": str(folder)}}},
        "execution": {"config": execution},
    }
    result = execute_job(jobs.wide_job, instance, run_config=config)
    assert result.success
    records: list[dict[str, Any]] = jobs.read_notes(folder)
    return records


def test_max_concurrent_bounds_parallel_steps(instance: Instance, tmp_path: Path) -> None:
    records = _run_wide(instance, tmp_path / "n", max_concurrent=2)
    assert jobs.max_parallel(records) == 2


def test_tag_concurrency_limits_bound_tagged_steps(instance: Instance, tmp_path: Path) -> None:
    records = _run_wide(
        instance,
        tmp_path / "n",
        max_concurrent=6,
        tag_concurrency_limits=[{"key": "kind", "value": "db", "limit": 1}],
    )
    db_ops = {"w1", "w3", "w5"}
    assert jobs.max_parallel(records, db_ops) == 1
    assert jobs.max_parallel(records) >= 3  # the api steps were not held back


def test_tag_limit_per_unique_value() -> None:
    limit = TagLimit.from_config(
        {"key": "kind", "value": {"applyLimitPerUniqueValue": True}, "limit": 1}
    )
    assert limit.bucket({"kind": "db"}) == "db"
    assert limit.bucket({"kind": "api"}) == "api"
    assert limit.bucket({}) is None


def test_pool_slots_are_shared_by_concurrent_runs(instance: Instance, tmp_path: Path) -> None:
    set_pool_limit(instance, "warehouse", 2)
    assert get_pool_limit(instance, "warehouse") == 2
    folder = tmp_path / "n"
    folder.mkdir()
    config = {
        "resources": {"recorder": {"config": {"dir": str(folder)}}},
        "execution": {"config": {"max_concurrent": 3}},
    }
    outcomes: list[bool] = []

    def run() -> None:
        outcomes.append(execute_job(jobs.pooled_job, instance, run_config=config).success)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert outcomes == [True, True]
    records = jobs.read_notes(folder)
    assert len([r for r in records if r["event"] == "start"]) == 6
    # Six pooled steps from two runs, each run allowing three at once: the pool held
    # them to two at a time across both runs.
    assert jobs.max_parallel(records) == 2
    slots = PoolSlots(instance, "probe")
    assert slots.try_claim("warehouse", "x") and slots.try_claim("warehouse", "y")
    slots.release_all()


def test_slots_of_finished_runs_are_reclaimed(instance: Instance) -> None:
    set_pool_limit(instance, "tiny", 1)
    run = instance.create_run(job_name="ghost")
    assert PoolSlots(instance, run.run_id).try_claim("tiny", "step")  # never released
    other = PoolSlots(instance, "other-run")
    assert not other.try_claim("tiny", "a")  # the ghost run is not finished yet
    instance.report_run_failed(run.run_id, "gone")
    assert other.try_claim("tiny", "a")


def test_pool_without_a_limit_does_not_limit(instance: Instance) -> None:
    slots = PoolSlots(instance, "r")
    assert all(slots.try_claim("free-for-all", f"s{i}") for i in range(20))
