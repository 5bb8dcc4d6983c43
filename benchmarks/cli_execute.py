"""`headwater job execute` of a 3-op job as a whole process (target: under 0.5 s).

Each sample is one process from start to exit: interpreter start, CLI start, loading
examples/three_ops.py, opening a SQLite instance in a temporary HEADWATER_HOME, running the
job with every event stored, printing its logs. The first run (which creates the database)
is reported apart and left out of the median.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 15
TARGET_S = 0.5
ROOT = Path(__file__).resolve().parents[1]
JOB_FILE = "examples/three_ops.py"


def command() -> list[str]:
    script = Path(sys.executable).with_name("headwater")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "headwater.cli"]
    return [*head, "job", "execute", "-f", JOB_FILE, "-j", "three_ops"]


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    # An install compiles bytecode; this machine sets PYTHONDONTWRITEBYTECODE, so compile
    # here, or every run would measure compiling headwater's source instead of importing it.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "src", "examples"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    home = tempfile.mkdtemp(prefix="hw-bench-cli-")
    try:
        env = {**os.environ, "HEADWATER_HOME": home}
        cmd = command()
        first = timed(cmd, env)
        samples = [timed(cmd, env) for _ in range(RUNS)]
    finally:
        shutil.rmtree(home, ignore_errors=True)
    median = statistics.median(samples)
    verdict = "ok" if median < TARGET_S else "OVER TARGET"
    print(
        f"headwater job execute, 3-op job, whole process (median of {RUNS}): "
        f"{median * 1000:.0f} ms [target < {TARGET_S * 1000:.0f} ms: {verdict}]"
    )
    print(
        f"  min {min(samples) * 1000:.0f} ms, max {max(samples) * 1000:.0f} ms; "
        f"first run (creates the database) {first * 1000:.0f} ms"
    )
    print(f"  command: HEADWATER_HOME=<temp> {' '.join(cmd)}  (stdout to /dev/null)")


if __name__ == "__main__":
    main()
