"""The retention duty: ``retention.days`` applied on the daemon's clock, once an hour."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from headwater.daemon.retention import RetentionDuty
from headwater.events import EventType, RunEvent
from headwater.storage import Instance

DAY = 86_400.0


def _old_run_with_chatter(instance: Instance) -> str:
    run_id = instance.create_run(job_name="job").run_id
    instance.store_events(
        [
            RunEvent(EventType.RUN_START, run_id, "job", 1.0, "start"),
            RunEvent(EventType.LOG_MESSAGE, run_id, "job", 1.5, "chatter", level=logging.INFO),
            RunEvent(EventType.RUN_SUCCESS, run_id, "job", 2.0, "done"),
        ]
    )
    return run_id


def test_the_duty_vacuums_on_its_clock_and_not_again_within_the_hour(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "headwater.yaml").write_text("retention:\n  days: 30\n")
    with Instance.from_config(home) as instance:
        run_id = _old_run_with_chatter(instance)
        now = 40 * DAY
        duty = RetentionDuty(instance, every=3600.0)
        assert duty.run_once(now) == []
        assert [e.message for e in instance.run_events(run_id)] == ["start", "done"]
        last = json.loads(instance.kv_get(["daemon/retention/last"])["daemon/retention/last"])
        assert last["events_deleted"] == 1 and last["timestamp"] == now
        second = _old_run_with_chatter(instance)
        # A new duty (a restarted daemon) within the hour does not vacuum again...
        RetentionDuty(instance, every=3600.0).run_once(now + 60)
        assert len(instance.run_events(second)) == 3
        # ...and does an hour later.
        RetentionDuty(instance, every=3600.0).run_once(now + 3601)
        assert len(instance.run_events(second)) == 2


def test_without_retention_the_duty_deletes_nothing(tmp_path: Path) -> None:
    with Instance.from_config(tmp_path / "home") as instance:
        run_id = _old_run_with_chatter(instance)
        assert RetentionDuty(instance).run_once(400 * DAY) == []
        assert len(instance.run_events(run_id)) == 3
