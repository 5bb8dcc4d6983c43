"""The multiprocess executor, run for real: per-step resources, crashes, retries, outputs."""

from __future__ import annotations

import itertools
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

import executor_jobs as jobs  # type: ignore[import-not-found]  # on sys.path via conftest
import pytest

import headwater as dg
from headwater.errors import (
    InvalidConfigError,
    InvalidDefinitionError,
    UnmetExecutorRequirementsError,
)
from headwater.events import EventType
from headwater.execution.launch import execute_job
from headwater.execution.reconstruct import ReconstructableJob, reconstructable
from headwater.location.code import CodePointer
from headwater.storage import Instance, RunStatus


@pytest.fixture
def instance(tmp_path: Path) -> Any:
    with Instance.local_temp(tmp_path / "home") as inst:
        yield inst


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    return folder


def _config(notes: Path, **execution: Any) -> dict[str, Any]:
    config: dict[str, Any] = {"resources": {"recorder": {"config": {"dir": str(notes)}}}}
    if execution:
        config["execution"] = {"config": execution}
    return config


def _types(result: Any, step: str) -> list[EventType]:
    return [e.event_type for e in result.all_events if e.step_key == step]


def test_in_process_initializes_each_resource_once_per_run(notes: Path) -> None:
    result = jobs.counting_job.execute_in_process(run_config=_config(notes))
    assert result.success
    records = jobs.read_notes(notes)
    kinds = [(r["event"], r["pid"]) for r in records if r["event"] in ("init", "teardown")]
    assert kinds == [("init", os.getpid()), ("teardown", os.getpid())]
    ops = [r for r in records if r["event"] == "op"]
    assert len(ops) == 3 and all(r["t"] < records[-1]["t"] for r in ops)


def test_multiprocess_initializes_resources_per_step_in_the_step_process(
    instance: Instance, notes: Path
) -> None:
    with execute_job(
        reconstructable(jobs.counting_job), instance, run_config=_config(notes, max_concurrent=2)
    ) as result:
        assert result.success
        assert result.output_for_node("second") == 2
        assert result.output_for_node("third") == 3
        assert result.output_for_node("untouched") == "no resources"
    records = jobs.read_notes(notes)
    assert os.getpid() not in {r["pid"] for r in records}
    # One init and one teardown per step that needs the resource, each in its own process,
    # bracketing that step's op: the seed contract for out-of-process executors.
    assert Counter(r["event"] for r in records) == {"init": 3, "teardown": 3, "op": 3}
    for op_record in (r for r in records if r["event"] == "op"):
        same = [r for r in records if r["pid"] == op_record["pid"]]
        before = [r for r in same if r["t"] <= op_record["t"] and r["event"] != "op"]
        after = [r for r in same if r["t"] >= op_record["t"] and r["event"] != "op"]
        assert before[-1]["event"] == "init" and after[0]["event"] == "teardown"
    inits = [e for e in result.all_events if e.event_type is EventType.RESOURCE_INIT_SUCCESS]
    assert {(e.step_key, e.data["resource_key"], e.data["scope"]) for e in inits} >= {
        ("first", "recorder", "step"),
        ("second", "recorder", "step"),
        ("third", "recorder", "step"),
    }
    assert not any(e.data["resource_key"] == "recorder" for e in inits if e.step_key == "untouched")
    assert instance.get_run(result.run_id).status is RunStatus.SUCCESS  # type: ignore[union-attr]


def test_worker_scoped_resource_is_built_once_per_reused_worker(
    instance: Instance, notes: Path
) -> None:
    config = {
        "resources": {
            "recorder": {"config": {"dir": str(notes)}},
            "pool_client": {"config": {"dir": str(notes)}},
        },
        "execution": {"config": {"max_concurrent": 1, "reuse_workers": True}},
    }
    result = execute_job(reconstructable(jobs.scoped_job), instance, run_config=config)
    assert result.success
    records = jobs.read_notes(notes)
    by_resource = Counter((r["resource"], r["event"]) for r in records if "resource" in r)
    # One worker ran both steps: the worker-scoped client was built once and torn down
    # when the worker stopped; the step-scoped recorder once per step.
    assert by_resource == {
        ("pool_client", "init"): 1,
        ("pool_client", "teardown"): 1,
        ("recorder", "init"): 2,
        ("recorder", "teardown"): 2,
    }
    engine = [e for e in result.all_events if e.event_type is EventType.ENGINE_EVENT]
    assert {e.step_key for e in engine if e.data.get("resources") == {"pool_client": "worker"}} == {
        "scoped_a",
        "scoped_b",
    }


def test_crashing_steps_fail_alone_and_the_run_goes_on(instance: Instance) -> None:
    result = execute_job(
        reconstructable(jobs.crash_job),
        instance,
        run_config={"execution": {"config": {"max_concurrent": 2}}},
    )
    assert not result.success
    failures = {e.step_key: e for e in result.get_step_failure_events()}
    assert set(failures) == {"segfault", "hard_exit"}
    assert re.fullmatch(
        r'Step "segfault" failed: its process died \(process \d+ killed by SIGSEGV\)\.',
        failures["segfault"].message or "",
    )
    assert re.fullmatch(
        r'Step "hard_exit" failed: its process died \(process \d+ exited with code 3\)\.',
        failures["hard_exit"].message or "",
    )
    assert failures["segfault"].data["crashed"] is True
    # Downstream of a failure the step never runs, silently (no STEP_SKIPPED), as in the
    # reference.
    assert result.is_node_untouched("after_segfault")
    assert result.is_node_success("after_steady")
    assert result.output_for_node("after_steady") == 42
    run = instance.get_run(result.run_id)
    assert run is not None and run.status is RunStatus.FAILURE
    assert result.get_job_failure_event().data["failed_steps"] == ["hard_exit", "segfault"]


def test_events_a_step_emitted_before_its_process_died_are_kept(instance: Instance) -> None:
    result = execute_job(reconstructable(jobs.last_words_job), instance)
    assert not result.success
    stored = instance.run_events(result.run_id)  # all_events leaves logged messages out
    logs = [e for e in stored if e.event_type is EventType.LOG_MESSAGE]
    assert [(e.step_key, e.message) for e in logs] == [("log_then_exit", jobs.LAST_WORDS)]
    (failure,) = result.get_step_failure_events()
    assert (failure.message or "").endswith("exited with code 4).")


def test_what_a_step_recorded_survives_its_process_dying_at_once(instance: Instance) -> None:
    # The start, and a warning logged right before os._exit, are written before the step
    # goes on: an abrupt death loses neither (only DEBUG/INFO chatter is batched).
    result = execute_job(reconstructable(jobs.warning_then_death_job), instance)
    assert not result.success
    step_events = [
        (e.event_type, e.message)
        for e in instance.run_events(result.run_id)
        if e.step_key == "warn_then_exit" and e.event_type is not EventType.STEP_FAILURE
    ]
    assert (EventType.LOG_MESSAGE, jobs.WARNING_WORDS) in step_events
    assert EventType.STEP_START in [kind for kind, _ in step_events]
    (failure,) = result.get_step_failure_events()
    assert (failure.message or "").endswith("exited with code 5).")


def test_retries_honour_delay_and_backoff_with_retry_number(
    instance: Instance, notes: Path
) -> None:
    result = execute_job(reconstructable(jobs.retry_job), instance, run_config=_config(notes))
    assert result.success
    assert result.output_for_node("flaky") == 2
    assert result.output_for_node("asks_for_retry") == 1
    attempts = [r for r in jobs.read_notes(notes) if r["event"] == "attempt"]
    assert [r["retry_number"] for r in attempts] == [0, 1, 2]
    # Each attempt runs in a process of its own, as in the reference.
    assert len({r["pid"] for r in attempts}) == 3
    # delay 0.2 s, exponential backoff: 0.2 s then 0.6 s between the attempts.
    gaps = [b["t"] - a["t"] for a, b in itertools.pairwise(attempts)]
    assert gaps[0] >= 0.2 and gaps[1] >= 0.6
    retry_events = [
        e.data for e in result.all_events if e.event_type is EventType.STEP_UP_FOR_RETRY
    ]
    assert {"retry_number": 1, "delay": 0.1} in retry_events
    assert _types(result, "flaky").count(EventType.STEP_RESTARTED) == 2


def test_reused_workers_retry_in_place(instance: Instance, notes: Path) -> None:
    config = _config(notes, reuse_workers=True, max_concurrent=1)
    result = execute_job(reconstructable(jobs.retry_job), instance, run_config=config)
    assert result.success
    attempts = [r for r in jobs.read_notes(notes) if r["event"] == "attempt"]
    assert [r["retry_number"] for r in attempts] == [0, 1, 2]
    assert len({r["pid"] for r in attempts}) == 1


def test_retries_can_be_disabled_in_executor_config(instance: Instance, notes: Path) -> None:
    config = _config(notes)
    config["execution"] = {"config": {"retries": {"disabled": {}}}}
    result = execute_job(reconstructable(jobs.retry_job), instance, run_config=config)
    assert not result.success
    assert {e.step_key for e in result.get_step_failure_events()} == {"flaky", "asks_for_retry"}


def test_legacy_selector_form_selects_the_executor(instance: Instance, notes: Path) -> None:
    config: dict[str, Any] = _config(notes)
    config["execution"] = {"multiprocess": {"config": {"max_concurrent": 1}}}
    result = execute_job(reconstructable(jobs.counting_job), instance, run_config=config)
    assert result.success
    pids = {r["pid"] for r in jobs.read_notes(notes)}
    assert len(pids) == 3 and os.getpid() not in pids  # a process per step


def test_in_process_executor_through_execute_job_reads_outputs_from_io_managers(
    instance: Instance, notes: Path
) -> None:
    config: dict[str, Any] = _config(notes)
    config["execution"] = {"in_process": {}}
    with execute_job(jobs.counting_job, instance, run_config=config) as result:
        assert result.success
        assert result.output_for_node("second") == 2
    assert {r["pid"] for r in jobs.read_notes(notes)} == {os.getpid()}


def test_executor_config_errors_name_the_path(instance: Instance) -> None:
    with pytest.raises(InvalidConfigError) as raised:
        execute_job(
            jobs.crash_job, instance, run_config={"execution": {"config": {"max_concurent": 2}}}
        )
    assert str(raised.value) == (
        "1 problem(s) in execution config of the multiprocess executor:\n"
        '  execution.config: unknown field "max_concurent"; did you mean "max_concurrent"?'
    )


def test_out_of_process_executor_needs_a_persistent_instance() -> None:
    message = (
        "the multiprocess executor runs steps in other processes, which must reach the same "
        "instance; use a persistent one (Instance.get(), Instance.local_temp()) instead of an "
        "ephemeral instance"
    )
    with pytest.raises(UnmetExecutorRequirementsError, match=re.escape(message)):
        execute_job(jobs.crash_job, Instance.ephemeral())


def test_reconstructable_points_at_the_defining_module() -> None:
    pointer = reconstructable(jobs.counting_job)
    assert pointer.module_name == "executor_jobs"
    assert pointer.attribute == "counting_job"
    assert pointer.get_definition() is jobs.counting_job


def test_reconstructable_refuses_jobs_defined_in_functions() -> None:
    @dg.job
    def local_job() -> None:
        jobs.untouched()

    with pytest.raises(InvalidDefinitionError, match="cannot find job 'local_job' at the top"):
        reconstructable(local_job)


def test_pointer_for_file_loads_a_job_from_definitions(tmp_path: Path) -> None:
    code = tmp_path / "defs_module.py"
    code.write_text(
        "import headwater as dg\n"
        "@dg.op(required_resource_keys={'greeting'})\n"
        "def hello(context):\n    return context.resources.greeting\n"
        "@dg.job\ndef greet():\n    hello()\n"
        "defs = dg.Definitions(jobs=[greet], resources={'greeting': 'hi'})\n"
    )
    pointer = ReconstructableJob.for_file(str(code), "defs", job_name="greet")
    assert pointer.get_definition().resource_defs["greeting"] is not None
    nameless = ReconstructableJob("greet", CodePointer(python_file=str(code)))
    assert "greeting" in nameless.get_definition().resource_defs


def test_definitions_executor_applies_to_jobs_naming_none(
    tmp_path: Path, instance: Instance
) -> None:
    code = tmp_path / "located.py"
    code.write_text(
        "import os\nimport headwater as dg\n"
        "from headwater.execution.executors import multiprocess_executor\n"
        "@dg.op\ndef where():\n    return os.getpid()\n"
        "@dg.job\ndef plain():\n    where()\n"
        "defs = dg.Definitions(jobs=[plain], executor=multiprocess_executor)\n"
    )
    pointer = ReconstructableJob.for_file(str(code), "defs", job_name="plain")
    assert pointer.get_definition().executor_def is not None
    with execute_job(pointer, instance) as result:
        assert result.success
        assert result.output_for_node("where") != os.getpid()


def test_run_scoped_resource_lives_until_the_run_ends_in_reused_workers(
    instance: Instance, notes: Path
) -> None:
    config = {
        "resources": {
            "recorder": {"config": {"dir": str(notes)}},
            "pool_client": {"config": {"dir": str(notes)}},
        },
        "execution": {"config": {"max_concurrent": 2, "reuse_workers": True}},
    }
    result = execute_job(jobs.run_scoped_job, instance, run_config=config)
    assert result.success
    records = [r for r in jobs.read_notes(notes) if r.get("resource") == "pool_client"]
    per_process = Counter((r["pid"], r["event"]) for r in records)
    # At most once per worker process, torn down once there, after the run's last step.
    assert all(count == 1 for count in per_process.values())
    assert {e for _, e in per_process} == {"init", "teardown"}
    last_recorder = max(r["t"] for r in jobs.read_notes(notes) if r.get("resource") == "recorder")
    assert all(r["t"] > last_recorder for r in records if r["event"] == "teardown")
    inits = [e for e in result.all_events if e.event_type is EventType.RESOURCE_INIT_SUCCESS]
    scopes = {e.data["scope"] for e in inits if e.data["resource_key"] == "pool_client"}
    assert scopes == {"run"}


def test_unknown_resource_scope_is_refused() -> None:
    from headwater.execution.executors.scopes import with_resource_scope

    message = (
        "resource scope 'process' is not one of ['step', 'run', 'worker']; use 'step' (each "
        "step builds it), 'run' (once per run and worker) or 'worker' (once per warm worker)"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(message)):
        with_resource_scope(jobs.pool_client, "process")  # type: ignore[arg-type]


@pytest.mark.parametrize("execution", [{"in_process": {}}, {"multiprocess": {}}])
def test_execute_job_asset_selection_runs_only_the_selected_assets(
    instance: Instance, execution: dict[str, Any]
) -> None:
    with execute_job(
        reconstructable(jobs.asset_pair_job),
        instance,
        run_config={"execution": {"config": execution}},
        asset_selection=[dg.AssetKey("upstream_asset")],
    ) as result:
        assert result.success
        done = {e.step_key for e in result.all_events if e.event_type_value == "STEP_SUCCESS"}
        assert done == {"upstream_asset"}
        assert [m.asset_key for m in result.get_asset_materialization_events()] == [
            dg.AssetKey("upstream_asset")
        ]
