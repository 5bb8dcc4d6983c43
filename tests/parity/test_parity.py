"""headwater against the reference's recorded observations, scenario by scenario.

The reference is not needed here: its observations are committed in ``recorded/``
(``make parity`` refreshes them). Each area runs once, in one headwater process.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"parity_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


compare = _load("compare")
diffs = _load("differences")


def _cases() -> list[Any]:
    cases = []
    for area in compare.areas():
        recorded = compare.load_recorded(area)
        for name in sorted(recorded or {}):
            key = f"{area}::{name}"
            marks = []
            if key in diffs.KNOWN_GAPS:
                marks.append(pytest.mark.xfail(reason=diffs.KNOWN_GAPS[key], strict=True))
            cases.append(pytest.param(area, name, id=key, marks=marks))
    return cases


@functools.cache
def _observed(area: str) -> dict[str, Any]:
    data: dict[str, Any] = compare.run_area(area, "headwater", compare.headwater_python())
    return data


@pytest.mark.parametrize(("area", "name"), _cases())
def test_scenario_matches_reference(area: str, name: str) -> None:
    key = f"{area}::{name}"
    if key in diffs.DELIBERATE:
        pytest.skip(f"deliberate difference: {diffs.DELIBERATE[key]}")
    recorded = compare.load_recorded(area)
    observed = _observed(area)
    assert name in observed, f"{key} is recorded but no longer defined; run `make parity`"
    lines = compare.differences(recorded[name], observed[name])
    if lines and observed[name].get("traceback"):
        lines.append("headwater raised:\n" + observed[name]["traceback"])
    assert not lines, f"{key} differs from the reference:\n" + "\n".join(lines)


@pytest.mark.parametrize("area", compare.areas())
def test_every_scenario_is_recorded(area: str) -> None:
    recorded = compare.load_recorded(area)
    assert recorded is not None, f"area {area!r} has no recording; run `make parity`"
    missing = sorted(set(_observed(area)) - set(recorded))
    assert not missing, f"area {area!r}: not recorded yet, run `make parity`: {missing}"


def test_difference_lists_name_real_scenarios() -> None:
    known = {
        f"{area}::{name}"
        for area in compare.areas()
        for name in (compare.load_recorded(area) or {})
    }
    stale = sorted((set(diffs.DELIBERATE) | set(diffs.KNOWN_GAPS)) - known)
    assert not stale, f"differences.py names scenarios that do not exist: {stale}"
    both = sorted(set(diffs.DELIBERATE) & set(diffs.KNOWN_GAPS))
    assert not both, f"a scenario is both deliberate and a known gap: {both}"


def test_recordings_are_json_objects() -> None:
    for path in compare.RECORDED.glob("*.json"):
        data = json.loads(path.read_text())
        assert set(data) == {"reference", "inputs", "digest", "scenarios"}, path
