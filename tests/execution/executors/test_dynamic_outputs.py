"""Dynamic outputs on the multiprocess executor: each mapped copy in a step process of its
own, the plan grown by the orchestrating loop, values read back through the IO manager."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dynamic_jobs as jobs  # type: ignore[import-not-found]  # on sys.path via conftest
import pytest

from headwater.execution.launch import execute_job
from headwater.execution.reconstruct import reconstructable
from headwater.execution.reexecute import ReexecutionOptions
from headwater.storage import Instance


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    with Instance.local_temp(tmp_path / "home") as inst:
        yield inst


def _steps(result: Any, kind: str) -> list[str]:
    return sorted(e.step_key for e in result.all_events if e.event_type_value == kind)


def test_mapped_copies_run_in_step_processes_and_collect(instance: Instance) -> None:
    with execute_job(reconstructable(jobs.mapped), instance) as result:
        assert result.success
        assert _steps(result, "STEP_SUCCESS") == [
            "add[k0]",
            "add[k1]",
            "add[k2]",
            "emit",
            "offset",
            "totals",
            "values",
        ]
        added = result.output_for_node("add")
        assert {k: v[:2] for k, v in added.items()} == {
            "k0": ["k0", 10],
            "k1": ["k1", 11],
            "k2": ["k2", 12],
        }
        assert os.getpid() not in {v[2] for v in added.values()}
        assert result.output_for_node("totals") == [10, 11, 12]
        assert result.output_for_node("values") == [0, 1, 2]
        assert result.output_for_node("emit") == {"k0": 0, "k1": 1, "k2": 2}


def test_a_failing_copy_fails_the_run_and_leaves_the_collector_unrun(
    instance: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DYNAMIC_JOBS_FAIL", "1")
    result = execute_job(reconstructable(jobs.mapped), instance)
    assert not result.success
    assert _steps(result, "STEP_FAILURE") == ["add[k1]"]
    assert "totals" not in _steps(result, "STEP_START")
    assert "values" in _steps(result, "STEP_SUCCESS")


def test_an_optional_dynamic_output_with_no_values_skips_the_collector(
    instance: Instance,
) -> None:
    result = execute_job(reconstructable(jobs.skipped), instance)
    assert result.success
    assert _steps(result, "STEP_SKIPPED") == ["values"]


def test_reused_workers_resolve_the_plan_too(instance: Instance) -> None:
    config = {
        "execution": {"config": {"multiprocess": {"reuse_workers": True, "max_concurrent": 2}}}
    }
    with execute_job(reconstructable(jobs.mapped), instance, run_config=config) as result:
        assert result.success
        assert result.output_for_node("totals") == [10, 11, 12]


def test_reexecution_from_failure_reruns_the_failed_copy_and_its_collector(
    instance: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DYNAMIC_JOBS_FAIL", "1")
    first = execute_job(reconstructable(jobs.mapped), instance)
    assert not first.success
    monkeypatch.setenv("DYNAMIC_JOBS_FAIL", "0")
    options = ReexecutionOptions.from_failure(first.run_id, instance)
    with execute_job(reconstructable(jobs.mapped), instance, reexecution_options=options) as second:
        assert second.success
        assert _steps(second, "STEP_START") == ["add[k1]", "totals"]
        assert second.output_for_node("totals") == [10, 11, 12]
        assert set(second.output_for_node("add")) == {"k0", "k1", "k2"}
