"""Record the reference's observations, and report how headwater compares.

    python tests/parity/record.py [--area A ...] [--check] [--report]

Without flags, runs each area (default: all) under its reference and writes
``recorded/<area>.json``; an area whose recording was made from its present inputs (see
``compare.inputs_digest``) is skipped, unless ``--all`` or ``PARITY_ALL=1`` asks for every
one. ``--check`` fails when a written file differs from what was
committed (the recording was stale). ``--report`` then runs headwater on the same areas
and prints, per area, how many scenarios are identical, deliberate or different.
``make parity`` runs ``--check --report``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The harness folder is not a package: its modules are imported from its path.
import compare  # type: ignore[import-not-found]
import differences  # type: ignore[import-not-found]


def _version(python: str) -> str:
    import subprocess

    out = subprocess.run(
        [python, "-c", "import dagster; print(dagster.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def record(area: str, *, everything: bool = False) -> tuple[str, bool, bool]:
    """Record one area; return (area, whether its file changed, whether it ran)."""
    if not everything and compare.recording_is_current(area):
        return area, False, False
    python = compare.REFERENCE_PYTHONS[compare.reference_of(area)]
    if not Path(python).exists():
        raise SystemExit(f"reference interpreter {python} is missing; run `make parity`")
    before = compare.recorded_path(area).read_text() if compare.recorded_path(area).exists() else ""
    observed = compare.run_area(area, "dagster", python)
    for name, result in observed.items():
        if "traceback" in result:
            print(f"note: {area}::{name} raised under the reference:\n{result['traceback']}")
    after = compare.write_recorded(area, _version(python), observed)
    return area, before != after, True


def report(areas: list[str]) -> bool:
    """Print the comparison of headwater with the recordings; True when all pass."""
    total = same = deliberate = gaps = 0
    failing: list[str] = []
    for area in areas:
        recorded = compare.load_recorded(area) or {}
        observed = compare.run_area(area, "headwater", sys.executable)
        counts = [0, 0, 0, 0]
        for name, ref in recorded.items():
            key = f"{area}::{name}"
            got: Any = observed.get(name)
            equal = got is not None and not compare.differences(ref, got)
            if key in differences.DELIBERATE:
                counts[1] += 1
            elif equal:
                counts[0] += 1
            else:
                counts[2] += 1
                if key in differences.KNOWN_GAPS:
                    counts[3] += 1
                else:
                    failing.append(key)
        total += len(recorded)
        same += counts[0]
        deliberate += counts[1]
        gaps += counts[3]
        print(
            f"{area:24} {len(recorded):5} scenarios  {counts[0]:5} identical  "
            f"{counts[1]:3} deliberate  {counts[2]:4} different ({counts[3]} known gaps)"
        )
    compared = total - deliberate
    share = 100.0 * same / compared if compared else 100.0
    print(
        f"{'all':24} {total:5} scenarios  {same:5} identical  {deliberate:3} deliberate  "
        f"{compared - same:4} different: {share:.1f}% identical outside the deliberate list"
    )
    for key in failing:
        print(f"  differs and is not listed: {key}")
    return not failing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--area", action="append", default=[])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--report", action="store_true")
    parser.add_argument(
        "--all", action="store_true", help="re-record areas whose inputs did not change too"
    )
    args = parser.parse_args()
    everything = args.all or os.environ.get("PARITY_ALL") == "1"
    areas = args.area or compare.areas()
    unknown = sorted(set(areas) - set(compare.areas()))
    if unknown:
        raise SystemExit(f"unknown parity areas {unknown}; known: {compare.areas()}")
    # Two at a time: the machine has two cores and each area is one process.
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda area: record(area, everything=everything), areas))
    stale = [area for area, changed, _ in results if changed]
    skipped = [area for area, _, ran in results if not ran]
    if skipped:
        print(f"{len(skipped)} areas unchanged since recorded, not re-run (--all re-runs them)")
    for area in stale:
        print(f"recording changed: tests/parity/recorded/{area}.json")
    ok = True
    if args.check and stale:
        print("the committed recordings were stale; commit the files above")
        ok = False
    if args.report:
        ok = report(areas) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
