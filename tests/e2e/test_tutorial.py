"""docs/tutorial.md, followed to the letter: its files written, its commands run in order."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "tutorial.md"
_BLOCK = re.compile(r"<!-- (file: (?P<name>\S+)|run) -->\n```\w*\n(?P<body>.*?)```", re.S)


def _steps() -> list[tuple[str | None, str]]:
    """(file name, content) for files and (None, commands) for runs, in page order."""
    return [(m.group("name"), m.group("body")) for m in _BLOCK.finditer(DOC.read_text())]


@pytest.mark.slow
def test_tutorial_runs_as_written(tmp_path: Path) -> None:
    script = ["set -e"]
    for name, body in _steps():
        if name is None:
            script.append(body)
        else:
            (tmp_path / name).write_text(body)
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    # The tutorial's `headwater` and `python` are those of the environment running the tests.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    done = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "1 job(s) checked in pipeline.py, 0 with errors" in out
    assert out.count("stale (never materialized)") == 2
    assert "materialized raw_sales" in out and "materialized revenue_by_day" in out
    assert "Asset check 'no_negative_amounts' on 'raw_sales' did not pass" in out
    assert (tmp_path / "revenue.json").read_text().count("2024-05-0") == 2
    # The page's example of a config mistake prints what the page shows.
    unset = {k: v for k, v in env.items() if k != "SALES_FILE"}
    unset["HEADWATER_HOME"] = str(tmp_path / ".headwater")
    refused = subprocess.run(
        ["headwater", "asset", "materialize", "-f", "pipeline.py", "--select", "*"],
        cwd=tmp_path,
        env=unset,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert refused.returncode == 1
    assert refused.stderr.strip() in DOC.read_text()


def test_every_block_the_tutorial_marks_is_found() -> None:
    names = [name for name, _ in _steps() if name is not None]
    assert names == ["sales.csv", "pipeline.py", "inspect_runs.py"]
    assert sum(1 for name, _ in _steps() if name is None) == 7
