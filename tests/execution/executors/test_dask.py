"""The Dask executor on a real ``LocalCluster`` with two process workers."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import executor_jobs as jobs  # type: ignore[import-not-found]  # on sys.path via conftest
import pytest

from headwater.events import EventType
from headwater.execution.launch import execute_job
from headwater.storage import Instance

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster_address() -> Iterator[str]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        yield cluster.scheduler_address


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    with Instance.local_temp(tmp_path / "home") as inst:
        yield inst


def test_steps_run_as_tasks_with_per_step_resources(
    instance: Instance, tmp_path: Path, cluster_address: str
) -> None:
    config: dict[str, Any] = {
        "resources": {"recorder": {"config": {"dir": str(tmp_path)}}},
        "execution": {"dask": {"config": {"address": cluster_address}}},
    }
    with execute_job(jobs.counting_job, instance, run_config=config) as result:
        assert result.success
        assert result.output_for_node("second") == 2
        assert result.output_for_node("third") == 3
    records = jobs.read_notes(tmp_path)
    assert os.getpid() not in {r["pid"] for r in records}
    assert Counter(r["event"] for r in records) == {"init": 3, "teardown": 3, "op": 3}
    for pid in {r["pid"] for r in records}:
        mine = [r["event"] for r in records if r["pid"] == pid]
        assert mine == ["init", "op", "teardown"] * (len(mine) // 3)
    stored = instance.run_events(result.run_id)
    assert [e.step_key for e in stored if e.event_type is EventType.STEP_START].count("first") == 1
    assert {e.step_key for e in stored if e.event_type is EventType.LOADED_INPUT} == {
        "second",
        "third",
    }


def test_retries_on_dask_show_retry_number(
    instance: Instance, tmp_path: Path, cluster_address: str
) -> None:
    config: dict[str, Any] = {
        "resources": {"recorder": {"config": {"dir": str(tmp_path)}}},
        "execution": {"dask": {"config": {"address": cluster_address}}},
    }
    result = execute_job(jobs.retry_job, instance, run_config=config)
    assert result.success
    attempts = [r["retry_number"] for r in jobs.read_notes(tmp_path) if r["event"] == "attempt"]
    assert attempts == [0, 1, 2]


def test_a_step_that_kills_its_worker_fails_alone(instance: Instance) -> None:
    config = {"execution": {"dask": {"config": {"n_workers": 2}}}}
    result = execute_job(jobs.crash_job, instance, run_config=config)
    assert not result.success
    failures = {e.step_key: e.message for e in result.get_step_failure_events()}
    assert failures == {
        "segfault": 'Step "segfault" failed: its process died (the Dask worker running it died).',
        "hard_exit": 'Step "hard_exit" failed: its process died (the Dask worker running it died).',
    }
    # Downstream of a failure the step never runs, silently (no STEP_SKIPPED), as in the
    # reference.
    assert result.is_node_untouched("after_segfault")
    assert result.output_for_node("after_steady") == 42
