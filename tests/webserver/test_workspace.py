"""Workspace files, and the command's refusals of bad options."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from headwater.errors import HeadwaterError
from headwater.webserver import Workspace, read_workspace_file


def test_a_workspace_file_lists_locations_and_a_broken_one_keeps_its_error(
    code_dir: Path,
) -> None:
    (code_dir / "broken.py").write_text("raise RuntimeError('boom')\n")
    (code_dir / "workspace.yaml").write_text(
        "load_from:\n"
        "  - python_file: defs.py\n"
        "  - python_file: {relative_path: broken.py, location_name: broken}\n"
    )
    pointers = read_workspace_file(code_dir / "workspace.yaml")
    assert [name for name, _ in pointers] == ["defs", "broken"]
    workspace = Workspace.of(pointers)
    assert "my_job" in workspace.locations["defs"].jobs
    broken = workspace.locations["broken"]
    assert broken.code is None and "boom" in (broken.error or "")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("load_from: []\n", "expected 'load_from:' with a list"),
        ("load_from:\n  - python_package: x\n", "unknown entry 'python_package'"),
        ("load_from:\n  - python_file: {attribute: x}\n", "'relative_path' is required"),
    ],
)
def test_a_bad_workspace_file_says_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "workspace.yaml").write_text(text)
    with pytest.raises(HeadwaterError, match=message):
        read_workspace_file(tmp_path / "workspace.yaml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "say which code to serve"),
        (("-f", "defs.py", "-w", "workspace.yaml"), "either -w/--workspace or -f/-m"),
        (("-f", "defs.py", "--path-prefix", "x"), "must start with '/'"),
    ],
)
def test_the_command_refuses_bad_options(
    code_dir: Path, args: tuple[str, ...], message: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "headwater.cli", "webserver", *args],
        capture_output=True,
        text=True,
        cwd=code_dir,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert message in done.stderr
