"""The input hashes that let ``make parity`` skip areas whose recording is current."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent


def _load_compare() -> Any:
    # The harness folder is not a package; load its module by path, under its own name so
    # that monkeypatching here never touches the copy test_parity.py uses.
    spec = importlib.util.spec_from_file_location("parity_compare_cache", HERE / "compare.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


compare = _load_compare()


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A copy of the ``smoke`` area's recording in a scratch ``recorded/`` folder."""
    monkeypatch.setattr(compare, "RECORDED", tmp_path)
    recorded = json.loads((compare.HERE / "recorded" / "smoke.json").read_text())
    compare.write_recorded("smoke", recorded["reference"], recorded["scenarios"])
    return compare


def test_a_fresh_recording_is_current(sandbox: Any) -> None:
    assert sandbox.recording_is_current("smoke")


def test_an_edited_observation_is_not_current(sandbox: Any, tmp_path: Path) -> None:
    path = tmp_path / "smoke.json"
    data = json.loads(path.read_text())
    name = sorted(data["scenarios"])[0]
    data["scenarios"][name] = {"obs": {"edited": True}}
    path.write_text(json.dumps(data))
    assert not sandbox.recording_is_current("smoke")


def test_a_changed_scenario_file_is_not_current(
    sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenarios = tmp_path / "scenarios"
    shutil.copytree(compare.SCENARIOS, scenarios)
    monkeypatch.setattr(compare, "SCENARIOS", scenarios)
    # A copy changes no input: the digest is of the files' contents.
    assert compare.recording_is_current("smoke")
    with (scenarios / "smoke.py").open("a") as f:
        f.write("\n# a change\n")
    assert not compare.recording_is_current("smoke")


def test_a_recording_without_hashes_is_not_current(sandbox: Any, tmp_path: Path) -> None:
    path = tmp_path / "smoke.json"
    data = json.loads(path.read_text())
    del data["inputs"]
    path.write_text(json.dumps(data))
    assert not sandbox.recording_is_current("smoke")
