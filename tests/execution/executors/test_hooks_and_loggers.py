"""Hooks and loggers under the multiprocess executor: they run in the step processes."""

from __future__ import annotations

import os
from pathlib import Path

import hook_jobs  # type: ignore[import-not-found]  # on sys.path via conftest

from headwater.execution.launch import execute_job
from headwater.execution.reconstruct import reconstructable
from headwater.storage import Instance


def test_hooks_and_loggers_run_in_each_step_process(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    run_config = {
        "resources": {"notes_dir": {"config": str(notes)}},
        "loggers": {"file": {"config": {"dir": str(notes)}}},
    }
    with (
        Instance.local_temp(tmp_path / "home") as instance,
        execute_job(
            reconstructable(hook_jobs.hooked_job), instance=instance, run_config=run_config
        ) as result,
    ):
        assert result.success
        hooks = sorted(
            (e.event_type.name, e.step_key)
            for e in result.all_events
            if e.event_type.name.startswith("HOOK_")
        )
    assert hooks == [("HOOK_COMPLETED", "first"), ("HOOK_COMPLETED", "second")]
    marks = {p.name: p.read_text() for p in notes.glob("hook-*")}
    assert set(marks) == {"hook-first", "hook-second"}
    assert str(os.getpid()) not in marks.values()
    logs = "".join(p.read_text() for p in notes.glob("log-*"))
    assert "first - first says hello" in logs
