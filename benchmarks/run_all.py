"""`make bench`: run every benchmark script in this folder and print their figures.

It starts with how fast this host is today: the machine is shared and its speed changes from
one session to the next (a bare interpreter started in 12 to 15 ms on the days most figures
in the README were taken, and in 17 to 20 ms on slower days, when CPU-bound figures grow with
it). Absolute figures are read against that line; ratios to the reference measured in the
same run hold better.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def host_speed() -> str:
    """The bare interpreter's start-up and a fixed pure-Python loop, medians, in ms."""
    starts, loops = [], []
    for _ in range(11):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        starts.append(time.perf_counter() - started)
    for _ in range(11):
        started = time.process_time()
        total = 0
        for i in range(200_000):
            total += i % 7
        loops.append(time.process_time() - started)
    return (
        f"this host: bare interpreter start-up {statistics.median(starts) * 1000:.1f} ms, "
        f"a 200,000-step Python loop {statistics.median(loops) * 1000:.1f} ms (CPU)"
    )


def main() -> int:
    print(host_speed(), flush=True)
    print(flush=True)
    scripts = sorted(p for p in HERE.glob("*.py") if p.name not in {"run_all.py", "__init__.py"})
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        if (
            subprocess.run([sys.executable, str(script)], check=False, cwd=HERE.parent).returncode
            != 0
        ):
            failed.append(script.name)
        print(flush=True)
    if failed:
        print(f"benchmarks that failed: {failed}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
