"""Pipes' speed (issue 10 §2), side by side with Dagster 1.13 + dagster-pipes.

Three workloads, written against the public API only, so that the same code runs under
headwater (``headwater``, ``headwater_pipes``) and under the reference environment
(``.ref/dagster-1.13``, built by ``make parity``: ``dagster``, ``dagster_pipes``):

- ``import headwater_pipes`` as a whole process, which every external process pays
  (target ≤ 25 ms; the bare interpreter is printed beside it);
- a Pipes step that sends no messages: ``materialize`` of one asset whose body runs
  ``PipesSubprocessClient().run(...)`` on a script that opens Pipes and exits (≤ 40 ms);
- 10,000 Pipes log messages through such an asset step (≥ 80,000 msg/s).

Figures are wall time (the external process is part of the work), medians of several runs
after a warm-up, in an ephemeral instance, with the CPU time of both processes beside them.
The machine is shared: wall time measures the neighbours too; the CPU figures and the ratio to
the reference, measured in the same invocation, are the ones that hold.

    .venv/bin/python benchmarks/pipes_speed.py [--no-reference] [--only NAME]
    .venv/bin/python benchmarks/pipes_speed.py --worker headwater logs_10k   # one figure
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = Path(os.environ.get("HEADWATER_REF_DAGSTER", ROOT / ".ref" / "dagster-1.13"))
if not (REFERENCE / "bin" / "python").exists():  # a worktree: the main checkout's
    REFERENCE = Path("/work/main/.ref/dagster-1.13")
N_LOGS = 10_000
IMPORT_RUNS = 20
STEP_RUNS = 15
LOG_RUNS = 5

# The external script; {pipes} is headwater_pipes or dagster_pipes.
SCRIPT = """
import sys
from {pipes} import open_dagster_pipes

n_logs = int(sys.argv[1])
with open_dagster_pipes() as pipes:
    log = pipes.log
    for i in range(n_logs):
        log.info("message %d", i)
"""

PIPES_MODULE = {"headwater": "headwater_pipes", "dagster": "dagster_pipes"}


def _process_ms(python: str, code: str, env: dict[str, str]) -> float:
    samples = []
    for _ in range(IMPORT_RUNS):
        started = time.perf_counter()
        subprocess.run([python, "-c", code], check=True, env=env)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def _cpu() -> float:
    """CPU seconds of this process and of its ended children (the external processes)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _step_seconds(dg: Any, script: Path, n_logs: int, runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of one materialization, the external process's included."""

    @dg.asset(name="external")
    def external(context):  # type: ignore[no-untyped-def]  # the reference rejects Any here
        return (
            dg.PipesSubprocessClient()
            .run(command=[sys.executable, str(script), str(n_logs)], context=context)
            .get_materialize_result()
        )

    assert dg.materialize([external]).success  # warm: plans, schemas, first fork
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), _cpu()
        result = dg.materialize([external])
        walls.append(time.perf_counter() - started)
        cpus.append(_cpu() - cpu)
        assert result.success
    return statistics.median(walls), statistics.median(cpus)


def worker(module: str, name: str) -> dict[str, float]:
    """Measure workload ``name`` in this process, with ``module`` as the orchestrator."""
    pipes = PIPES_MODULE[module]
    if name == "import":
        env = dict(os.environ)
        bare = _process_ms(sys.executable, "pass", env)
        return {"ms": _process_ms(sys.executable, f"import {pipes}", env), "bare_ms": bare}
    dg = importlib.import_module(module)
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "external.py"
        script.write_text(SCRIPT.format(pipes=pipes))
        if name == "empty_step":
            started = time.perf_counter()
            for _ in range(STEP_RUNS):
                subprocess.run([sys.executable, "-c", "pass"], check=True)
            plain = (time.perf_counter() - started) / STEP_RUNS
            wall, cpu = _step_seconds(dg, script, 0, STEP_RUNS)
            return {"ms": wall * 1000, "cpu_ms": cpu * 1000, "plain_ms": plain * 1000}
        wall, cpu = _step_seconds(dg, script, N_LOGS, LOG_RUNS)
        return {"rate": N_LOGS / wall, "cpu_rate": N_LOGS / cpu}


def measure(python: str, module: str, name: str) -> dict[str, float] | None:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    if module == "dagster":
        # The reference must not see headwater on its path (its `dagster` alias included).
        env.pop("PYTHONPATH", None)
    command = [python, str(Path(__file__).resolve()), "--worker", module, name]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        print(f"  {module} {name} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
        return None
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _line(name: str, ours: dict[str, float], theirs: dict[str, float] | None) -> tuple[str, bool]:
    if name == "import":
        met = ours["ms"] <= 25
        line = (
            f"import headwater_pipes, whole process: {ours['ms']:.1f} ms [target ≤ 25 ms]; "
            f"bare interpreter {ours['bare_ms']:.1f} ms"
        )
        if theirs:
            line += (
                f"; import dagster_pipes {theirs['ms']:.1f} ms, {theirs['ms'] / ours['ms']:.1f}x"
            )
    elif name == "empty_step":
        met = ours["ms"] <= 40
        line = (
            f"a Pipes step that sends no messages: {ours['ms']:.1f} ms [target ≤ 40 ms] "
            f"(CPU {ours['cpu_ms']:.1f} ms); bare interpreter {ours['plain_ms']:.1f} ms"
        )
        if theirs:
            line += (
                f"; Dagster 1.13 {theirs['ms']:.0f} ms (CPU {theirs['cpu_ms']:.0f} ms), "
                f"{theirs['ms'] / ours['ms']:.1f}x ours"
            )
    else:
        met = ours["rate"] >= 80_000
        line = (
            f"{N_LOGS:,} Pipes logs through an asset step: {ours['rate']:,.0f} msg/s "
            f"[≥ 80,000] ({ours['cpu_rate']:,.0f} per CPU second)"
        )
        if theirs:
            line += (
                f"; Dagster 1.13 {theirs['rate']:,.0f} msg/s "
                f"({theirs['cpu_rate']:,.0f} per CPU second), {ours['rate'] / theirs['rate']:.0f}x"
            )
    return line + ("" if met else "  MISSED"), met


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", nargs=2, metavar=("MODULE", "WORKLOAD"))
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--only", choices=["import", "empty_step", "logs_10k"])
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker[0], args.worker[1])))
        return 0
    # An install compiles bytecode; this machine sets PYTHONDONTWRITEBYTECODE, so compile
    # here, or every run would measure compiling the source instead of importing it.
    for folder in ("src", "headwater-pipes/src"):
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(ROOT / folder)],
            check=True,
            capture_output=True,
        )
    reference = REFERENCE / "bin" / "python"
    use_reference = not args.no_reference and reference.exists()
    missed = []
    for name in [args.only] if args.only else ["import", "empty_step", "logs_10k"]:
        ours = measure(sys.executable, "headwater", name)
        if ours is None:
            missed.append(name)
            continue
        theirs = measure(str(reference), "dagster", name) if use_reference else None
        line, met = _line(name, ours, theirs)
        if not met:
            missed.append(name)
        print(line, flush=True)
    if not use_reference:
        print(f"  (no reference environment at {REFERENCE}: ratios not measured)")
    print(f"  command: {sys.executable} benchmarks/pipes_speed.py")
    if missed:
        print(f"  targets missed: {missed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
