"""`import headwater` as a whole process (target: under 150 ms)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 20


def median_process_seconds(code: str) -> float:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    # An install compiles bytecode; this machine sets PYTHONDONTWRITEBYTECODE, so compile
    # here, or every run would measure compiling headwater's source instead of importing it.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "src"], check=True, capture_output=True
    )
    bare = median_process_seconds("pass")
    whole = median_process_seconds("import headwater")
    used = median_process_seconds("import headwater as dg; dg.op; dg.job; dg.resource; dg.graph")
    print(
        f"import headwater (whole process, median of {RUNS}): {whole * 1000:.1f} ms "
        f"[target < 150 ms]; bare interpreter {bare * 1000:.1f} ms"
    )
    print(f"import headwater + op/job/graph/resource resolved: {used * 1000:.1f} ms")
    print(f"  command: {sys.executable} benchmarks/import_time.py")


if __name__ == "__main__":
    main()
