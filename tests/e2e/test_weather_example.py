"""The weather example through the real ``headwater`` command, as its docstring says.

A week's backfill makes 8 runs (7 days, then the weekly report) and leaves every asset
fresh; a station with implausible readings fails the blocking check and nothing
downstream of the readings runs.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "weather" / "definitions.py"
HEADWATER = Path(sys.executable).with_name("headwater")
DAYS = [f"2024-01-0{d}" for d in range(1, 8)]

pytestmark = pytest.mark.slow


def docstring_commands() -> list[list[str]]:
    """The shell commands of the example's docstring, continuation lines joined."""
    doc = ast.get_docstring(ast.parse(EXAMPLE.read_text(encoding="utf-8"))) or ""
    joined = doc.replace("\\\n", " ")
    return [
        shlex.split(line) for line in joined.splitlines() if line.strip().startswith("headwater ")
    ]


def headwater(
    home: Path, *args: str, pythonpath: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HEADWATER_HOME": str(home)}
    env.pop("HEADWATER_DEBUG", None)
    env.pop("DAGSTER_HOME", None)
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), env.get("PYTHONPATH")]))
    return subprocess.run(
        [str(HEADWATER), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_docstring_backfill_materializes_the_week_and_leaves_every_asset_fresh(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    backfill, listing = docstring_commands()
    assert backfill[:3] == ["headwater", "asset", "materialize"]
    assert listing[:3] == ["headwater", "asset", "list"]

    done = headwater(home, *backfill[1:])
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(
        r"backfill \S+ COMPLETED_SUCCESS: 8 of 8 runs succeeded", done.stdout.splitlines()[-1]
    ), done.stdout
    assert "warmest 2024-01-" in done.stdout

    listed = headwater(home, *listing[1:])
    assert listed.returncode == 0, listed.stderr
    assert [line.split()[0] for line in listed.stdout.splitlines()] == [
        "readings",
        "daily_summary",
        "weekly_report",
    ]
    assert all(line.endswith("fresh") for line in listed.stdout.splitlines())

    rows = {
        row["asset_key"]: row for row in json_lines(headwater(home, *listing[1:], "--json").stdout)
    }
    assert {key: (row["group"], row["stale"]) for key, row in rows.items()} == {
        "readings": ("weather", False),
        "daily_summary": ("weather", False),
        "weekly_report": ("reports", False),
    }
    assert rows["readings"]["last_partition"] == "2024-01-07"
    assert rows["weekly_report"]["last_partition"] is None

    runs = json_lines(headwater(home, "run", "list", "--json").stdout)
    assert len(runs) == 8
    assert {run["status"] for run in runs} == {"SUCCESS"}
    text = headwater(home, "run", "list").stdout.splitlines()
    assert len(text) == 1 + 8  # a header, then the runs

    logs = headwater(home, "run", "logs", runs[0]["run_id"], "--json")  # newest: the report
    assert logs.returncode == 0, logs.stderr
    [event] = [e for e in json_lines(logs.stdout) if e.get("event_type") == "ASSET_MATERIALIZATION"]
    metadata = event["data"]["metadata"]
    assert metadata["days"]["raw_value"] == 7
    assert metadata["warmest"]["raw_value"] in DAYS
    assert metadata["report"]["type"] == "md"


FAULTY_STATION = """
    import headwater as dg
    from weather import definitions as weather


    class FaultyStation(weather.WeatherStation):
        # A stuck sensor: every hour reads 99.9 degrees, which no plausible day has.
        def hourly_temperatures(self, day: str) -> list[float]:
            return [99.9] * 24


    defs = dg.Definitions(
        assets=[weather.readings, weather.daily_summary, weather.weekly_report],
        asset_checks=[weather.readings_complete, weather.summary_is_ordered],
        resources={"station": FaultyStation(name="stuck")},
    )
"""


def test_implausible_readings_fail_the_blocking_check_and_skip_downstream(tmp_path: Path) -> None:
    home = tmp_path / "home"
    faulty = tmp_path / "faulty_weather.py"
    faulty.write_text(textwrap.dedent(FAULTY_STATION), encoding="utf-8")
    done = headwater(
        home,
        "asset", "materialize", "-f", str(faulty), "--select", "readings+",
        "--partition", "2024-01-03", "--json",
        pythonpath=ROOT / "examples",
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    lines = json_lines(done.stdout)
    [check] = [e for e in lines if e.get("event_type") == "ASSET_CHECK_EVALUATION"]
    assert check["data"] == {
        "asset_key": "readings",
        "check_name": "readings_complete",
        "passed": False,
        "severity": "ERROR",
        "blocking": True,
        "metadata": {
            "count": {"type": "int", "raw_value": 24},
            "plausible": {"type": "bool", "raw_value": False},
        },
        "description": None,  # the result's description, as in the reference
    }
    # as in the reference, the failed blocking check fails the step that evaluated it, and
    # the steps downstream of it never start
    started = [e["step_key"] for e in lines if e.get("event_type") == "STEP_START"]
    assert "daily_summary" not in started
    summary = lines[-1]
    assert summary["status"] == "FAILURE"
    assert summary["steps"]["skipped"] == []

    rows = json_lines(
        headwater(
            home, "asset", "list", "-f", str(faulty), "--json", pythonpath=ROOT / "examples"
        ).stdout
    )
    stale = {row["asset_key"]: row["stale_reasons"] for row in rows}
    assert stale == {
        "readings": [],
        "daily_summary": ["never materialized"],
        "weekly_report": ["never materialized"],
    }
