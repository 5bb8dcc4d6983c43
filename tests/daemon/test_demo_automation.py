"""``make demo-automation`` runs: the schedule's and the sensor's runs all succeed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "examples" / "automation" / "run_demo.py"


def test_the_automation_demo_shows_the_schedule_and_sensor_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(DEMO)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if "SUCCESS" in line]
    assert sum("load_inbox_file" in line for line in lines) == 2
    assert sum("minutely_report" in line for line in lines) >= 3
