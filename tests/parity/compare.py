"""Comparing a recorded reference observation with headwater's, and running areas.

Shared by ``test_parity.py`` (``make test``) and ``record.py`` (``make parity``).
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCENARIOS = HERE / "scenarios"
RECORDED = HERE / "recorded"
RUNNER = HERE / "runner.py"

# Where `make parity` installed the references; overridable for other checkouts.
REFERENCE_PYTHONS = {
    "1.13": os.environ.get("PARITY_REF_113", str(ROOT / ".ref/dagster-1.13/bin/python")),
    "0.15": os.environ.get("PARITY_REF_015", str(ROOT / ".ref/dagster-0.15/bin/python")),
}

# Keys of a scenario's result that are for people reading a failure, never compared.
_DIAGNOSTIC = {"traceback"}


def areas() -> list[str]:
    """Every scenario file's area name, sorted."""
    return sorted(p.stem for p in SCENARIOS.glob("*.py") if not p.stem.startswith("_"))


def reference_of(area: str) -> str:
    """The reference version an area runs against: its ``REFERENCE = "..."`` or 1.13."""
    tree = ast.parse((SCENARIOS / f"{area}.py").read_text())
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "REFERENCE" for t in node.targets)
            and isinstance(node.value, ast.Constant)
        ):
            return str(node.value.value)
    return "1.13"


def run_area(area: str, impl: str, python: str, only: list[str] | None = None) -> dict[str, Any]:
    """Run ``area`` under ``impl`` in ``python`` and return its observations."""
    with tempfile.TemporaryDirectory(prefix="parity-run-") as tmp:
        out = Path(tmp) / "out.json"
        cmd = [python, str(RUNNER), "--impl", impl, "--area", area, "--out", str(out)]
        for name in only or []:
            cmd += ["--only", name]
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(HERE), *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])]
        )
        proc = subprocess.run(
            cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=1800, check=False
        )
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(
                f"parity runner failed for area {area!r} under {impl} ({python}):\n"
                f"{proc.stderr[-4000:]}"
            )
        data: dict[str, Any] = json.loads(out.read_text())
        return data


def strip(observed: dict[str, Any]) -> dict[str, Any]:
    """An observation without its diagnostic keys, as it is committed."""
    return {k: v for k, v in observed.items() if k not in _DIAGNOSTIC}


def recorded_path(area: str) -> Path:
    return RECORDED / f"{area}.json"


def load_recorded(area: str) -> dict[str, Any] | None:
    path = recorded_path(area)
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text())["scenarios"]
    return data


def inputs_digest(area: str) -> str:
    """A hash of everything an area's recording is a function of.

    The scenario file, the harness that runs it, the pinned requirements of its reference
    and, for areas that drive ``headwater_pipes`` under the reference, that package's
    source. Observations are deterministic (see README), so a recording whose inputs are
    unchanged would be re-recorded identically: ``record.py`` skips it.
    """
    scenario = SCENARIOS / f"{area}.py"
    files = [scenario, RUNNER, HERE / "_harness.py", HERE / "_accepts.py"]
    files += sorted(p for p in SCENARIOS.glob("_*.py"))
    files.append(HERE / f"requirements-{reference_of(area)}.txt")
    if "headwater-pipes" in scenario.read_text():
        files += sorted((ROOT / "headwater-pipes" / "src").rglob("*.py"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _scenarios_digest(scenarios: dict[str, Any]) -> str:
    text = json.dumps(scenarios, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def recording_is_current(area: str) -> bool:
    """Whether the committed recording was made from the area's present inputs and has
    not been edited since (its observations still match the digest written with them)."""
    path = recorded_path(area)
    if not path.exists():
        return False
    data = json.loads(path.read_text())
    return bool(
        data.get("inputs") == inputs_digest(area)
        and data.get("digest") == _scenarios_digest(data.get("scenarios", {}))
    )


def write_recorded(area: str, version: str, scenarios: dict[str, Any]) -> str:
    """Write an area's recording; return its text."""
    stripped = {k: strip(v) for k, v in sorted(scenarios.items())}
    text = (
        json.dumps(
            {
                "reference": version,
                "inputs": inputs_digest(area),
                "digest": _scenarios_digest(stripped),
                "scenarios": stripped,
            },
            indent=1,
            sort_keys=True,
        )
        + "\n"
    )
    RECORDED.mkdir(exist_ok=True)
    recorded_path(area).write_text(text)
    return text


def _is_error(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"class", "isa", "fragments"}


def _same(ref: Any, got: Any) -> bool:
    """Equality, except that an error matches when headwater's exception is an instance of
    the reference's public class (or a subclass of it) with the same message fragments."""
    if _is_error(ref) and _is_error(got):
        # "Exception": the reference's class is not public, so any exception's class does.
        matches = ref["class"] in {"Exception", got["class"], *got["isa"]}
        return bool(matches and ref["fragments"] == got["fragments"])
    if isinstance(ref, dict) and isinstance(got, dict):
        return ref.keys() == got.keys() and all(_same(ref[k], got[k]) for k in ref)
    if isinstance(ref, list) and isinstance(got, list):
        return len(ref) == len(got) and all(_same(a, b) for a, b in zip(ref, got, strict=True))
    if isinstance(ref, float) and isinstance(got, (int, float)):
        return abs(ref - got) <= 1e-9 * max(1.0, abs(ref))
    return bool(ref == got and type(ref) is type(got))


def differences(ref: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """What differs between a recorded and an observed scenario result, one line each."""
    lines: list[str] = []
    ref, got = strip(ref), strip(got)
    for key in sorted(set(ref) | set(got)):
        if key == "obs":
            continue
        if not _same(ref.get(key), got.get(key)):
            lines.append(f"{key}: reference {_show(ref.get(key))}, headwater {_show(got.get(key))}")
    ref_obs, got_obs = ref.get("obs", {}), got.get("obs", {})
    for key in list(ref_obs) + [k for k in got_obs if k not in ref_obs]:
        if key not in got_obs:
            lines.append(f"obs[{key!r}]: not recorded by headwater (it stopped earlier?)")
        elif key not in ref_obs:
            lines.append(f"obs[{key!r}]: recorded by headwater only")
        elif not _same(ref_obs[key], got_obs[key]):
            lines.append(
                f"obs[{key!r}]:\n    reference {_show(ref_obs[key])}\n"
                f"    headwater {_show(got_obs[key])}"
            )
    return lines


def _show(value: Any) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 1500 else text[:1500] + "..."


def headwater_python() -> str:
    return sys.executable
