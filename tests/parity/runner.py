"""Run one area's parity scenarios under one implementation and write their observations.

    python tests/parity/runner.py --impl dagster|headwater --area NAME [--only S] --out FILE

Runs in whichever interpreter invokes it (the reference's venv or headwater's), imports
nothing but the standard library and the implementation, and writes one JSON object:
``{scenario: observation}``, where an observation is ``{"obs": {...}}`` plus, when the
scenario raised, ``"raised": {class, isa, fragments}``, and ``"warnings"`` when it warned.
Each scenario runs in a fresh temporary working directory, with a time limit.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import signal
import sys
import tempfile
import traceback
import warnings
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SCENARIOS = HERE / "scenarios"
TIME_LIMIT_S = 120


def _load_area(area: str) -> dict[str, Any]:
    import _harness  # type: ignore[import-not-found]  # on sys.path from main()

    _harness._REGISTRY.clear()
    path = SCENARIOS / f"{area}.py"
    spec = importlib.util.spec_from_file_location(f"parity_scenarios_{area}", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"no parity area {area!r} (expected {path})")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return dict(_harness._REGISTRY)


def _warning_names(caught: list[warnings.WarningMessage]) -> list[str]:
    """Warning classes the public API exports (BetaWarning, ...), sorted and unique.

    Warnings from third-party libraries (pydantic, SQLAlchemy) are not the API's behaviour
    and would only add noise, so only exported classes count.
    """
    import _harness

    names = {_harness.public_name(w.category) for w in caught}
    return sorted(n for n in names if hasattr(_harness.dg, n))


def _alarm(signum: int, frame: Any) -> None:
    raise TimeoutError(f"scenario exceeded {TIME_LIMIT_S} s")


def run_scenario(fn: Any) -> dict[str, Any]:
    import _harness

    result: dict[str, Any] = {}
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="parity-") as tmp:
        obs = _harness.Obs(tmp)
        os.chdir(tmp)
        signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(TIME_LIMIT_S)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    returned = fn(obs)
                    if returned is not None:
                        obs.record("return", returned)
                except _harness.ScenarioError:
                    raise
                except Exception as exc:
                    result["raised"] = _harness.error_observation(exc)
                    result["traceback"] = traceback.format_exc(limit=-8)
        finally:
            signal.alarm(0)
            os.chdir(cwd)
        names = _warning_names(caught)
        if names:
            result["warnings"] = names
        result["obs"] = obs.data
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--impl", choices=["dagster", "headwater"], required=True)
    parser.add_argument("--area", required=True)
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    os.environ["PARITY_IMPL"] = args.impl
    sys.path.insert(0, str(HERE))
    # Dagster asks for DAGSTER_HOME only where a scenario opens the default instance;
    # neither implementation may see the developer's real instance.
    for var in ("DAGSTER_HOME", "HEADWATER_HOME", "HEADWATER_POSTGRES_URL"):
        os.environ.pop(var, None)
    scenarios = _load_area(args.area)
    observed: dict[str, Any] = {}
    for name, fn in scenarios.items():
        if args.only and name not in args.only:
            continue
        with contextlib.redirect_stdout(sys.stderr):
            observed[name] = run_scenario(fn)
    Path(args.out).write_text(json.dumps(observed, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
