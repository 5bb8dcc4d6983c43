"""`headwater job execute` of a 3-op job as a whole process (target: at most 0.15 s).

Each sample is one process from start to exit: interpreter start, CLI start, loading
examples/three_ops.py, opening a SQLite instance in a temporary HEADWATER_HOME, running the
job with every event stored, printing its logs. The first run (which creates the database)
is reported apart and left out of the medians.

The machine is shared, so besides wall time each sample's CPU time (user + system of the
child, from ``getrusage``) is reported, and where the reference environment exists
(``.ref/dagster-1.13`` from the parity work) the same job written against ``dagster`` runs
under ``dagster job execute`` in the same round, interleaved, and the ratio is printed: a
ratio measured in one run holds on a noisy machine, an absolute figure does not.

``--against TREE`` also times another checkout of headwater (e.g. a worktree of main) in
the same round, alternating with this one, and prints the ratio: how a change is measured
on a shared machine. Both then run as ``python -m headwater.cli`` with their own ``src`` on
``PYTHONPATH`` (the installed ``headwater`` script would run the installed code).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

RUNS = 15
REFERENCE_RUNS = 3  # Dagster's default executor takes seconds per run
TARGET_S = 0.15
ROOT = Path(__file__).resolve().parents[1]
JOB_FILE = "examples/three_ops.py"
REFERENCE_BIN = ROOT / ".ref" / "dagster-1.13" / "bin"
MAIN_REFERENCE_BIN = Path("/work/main/.ref/dagster-1.13/bin")
# Dagster's default executor for a job is multiprocess; this config selects its in-process
# one, the fair comparison with headwater's default.
IN_PROCESS_CONFIG = "execution:\n  config:\n    in_process: {}\n"


@dataclass
class Samples:
    """Wall and CPU seconds of the runs of one command."""

    label: str
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.label}: wall {statistics.median(self.wall) * 1000:.0f} ms, "
            f"CPU {statistics.median(self.cpu) * 1000:.0f} ms (medians of {len(self.wall)})"
        )


def headwater_command(*, as_module: bool = False) -> list[str]:
    script = Path(sys.executable).with_name("headwater")
    use_script = script.exists() and not as_module
    head = [str(script)] if use_script else [sys.executable, "-m", "headwater.cli"]
    return [*head, "job", "execute", "-f", JOB_FILE, "-j", "three_ops"]


def prepare_other(cmd: list[str], tree: Path, home: Path) -> dict[str, str]:
    """Compile checkout ``tree`` (as ``main`` does this one), create its instance in
    ``home`` with a first run, and return the environment its runs use."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "src", "examples"],
        cwd=tree,
        check=True,
        capture_output=True,
    )
    env = tree_env(tree.resolve(), home)
    timed(cmd, env, tree)
    return env


def tree_env(tree: Path, home: Path) -> dict[str, str]:
    """The environment that runs the headwater of checkout ``tree`` on instance ``home``."""
    path = f"{tree / 'src'}{os.pathsep}{tree / 'headwater-pipes' / 'src'}"
    return {**os.environ, "HEADWATER_HOME": str(home), "PYTHONPATH": path}


def timed(cmd: list[str], env: dict[str, str], cwd: Path, into: Samples | None = None) -> float:
    """Run ``cmd`` to completion; record its wall and CPU seconds in ``into``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if into is not None:
        into.wall.append(wall)
        into.cpu.append(cpu)
    return wall


def reference_bin() -> Path | None:
    for candidate in (REFERENCE_BIN, MAIN_REFERENCE_BIN):
        if (candidate / "dagster").exists():
            return candidate
    return None


def reference_job(folder: Path) -> Path:
    """examples/three_ops.py written against ``dagster``: the same code, the other import."""
    source = (ROOT / JOB_FILE).read_text()
    swapped = source.replace("import headwater as dg", "import dagster as dg")
    assert swapped != source, f"{JOB_FILE} no longer imports headwater as dg"
    # Dagster rejects a `context` annotation it sees as the string "dg.OpExecutionContext",
    # as postponed annotations make it: evaluate them.
    swapped = swapped.replace("from __future__ import annotations\n", "")
    path = folder / "three_ops_dagster.py"
    path.write_text(swapped)
    return path


def print_against(ours: Samples, other: Samples, against: Path) -> None:
    print(f"  {other.line()}")
    print(
        f"    this / {against}: "
        f"{statistics.median(ours.wall) / statistics.median(other.wall):.2f}x wall, "
        f"{statistics.median(ours.cpu) / statistics.median(other.cpu):.2f}x CPU"
    )


def against_tree() -> Path | None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--against", type=Path, metavar="TREE", help="another checkout to time")
    tree: Path | None = parser.parse_args().against
    return tree


def main() -> None:
    against = against_tree()
    # An install compiles bytecode; this machine sets PYTHONDONTWRITEBYTECODE, so compile
    # here, or every run would measure compiling headwater's source instead of importing it.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "src", "examples"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    scratch = Path(tempfile.mkdtemp(prefix="hw-bench-cli-"))
    ref_bin = reference_bin()
    ours = Samples("headwater job execute")
    other = Samples(f"headwater job execute of {against}")
    theirs = Samples("dagster job execute, default (multiprocess) executor")
    theirs_in_process = Samples("dagster job execute, in-process executor")
    try:
        home = scratch / "headwater-home"
        env = {**os.environ, "HEADWATER_HOME": str(home)}
        cmd = headwater_command(as_module=against is not None)
        if against is not None:
            env = tree_env(ROOT, home)
            other_env = prepare_other(cmd, against, scratch / "other-home")
        first = timed(cmd, env, ROOT)
        ref_cmd: list[str] = []
        if ref_bin is not None:
            dagster_home = scratch / "dagster-home"
            dagster_home.mkdir()
            job = reference_job(scratch)
            config = scratch / "in_process.yaml"
            config.write_text(IN_PROCESS_CONFIG)
            ref_env = {
                k: v for k, v in os.environ.items() if not k.startswith(("HEADWATER_", "PYTHON"))
            }
            ref_env["DAGSTER_HOME"] = str(dagster_home)
            ref_cmd = [
                str(ref_bin / "dagster"),
                "job",
                "execute",
                "-f",
                str(job),
                "-j",
                "three_ops",
            ]
            timed(ref_cmd, ref_env, scratch)  # creates its instance's files
        # Interleaved, so that both see the same load.
        for i in range(RUNS):
            timed(cmd, env, ROOT, ours)
            if against is not None:
                timed(cmd, other_env, against, other)
            if ref_cmd and i < REFERENCE_RUNS:
                timed(ref_cmd, ref_env, scratch, theirs)
                timed([*ref_cmd, "-c", str(config)], ref_env, scratch, theirs_in_process)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    median = statistics.median(ours.wall)
    verdict = "ok" if median <= TARGET_S else "OVER TARGET"
    print(
        f"headwater job execute, 3-op job, whole process (median of {RUNS}): "
        f"{median * 1000:.0f} ms [target <= {TARGET_S * 1000:.0f} ms: {verdict}]"
    )
    print(
        f"  min {min(ours.wall) * 1000:.0f} ms, max {max(ours.wall) * 1000:.0f} ms; "
        f"first run (creates the database) {first * 1000:.0f} ms"
    )
    print(f"  {ours.line()}")
    if against is not None:
        print_against(ours, other, against)
    print(f"  command: HEADWATER_HOME=<temp> {' '.join(cmd)}  (output to /dev/null)")
    if not ref_cmd:
        print("  (no reference environment at .ref/dagster-1.13: Dagster not measured)")
        return
    for other in (theirs_in_process, theirs):
        print(f"  {other.line()}")
        print(
            f"    Dagster / headwater: {statistics.median(other.wall) / median:.1f}x wall, "
            f"{statistics.median(other.cpu) / statistics.median(ours.cpu):.1f}x CPU"
        )
    print(
        f"  reference command: DAGSTER_HOME=<temp> {' '.join(ref_cmd)}"
        f"  (job file: {JOB_FILE} importing dagster; in-process: -c <yaml selecting in_process>)"
    )


if __name__ == "__main__":
    main()
