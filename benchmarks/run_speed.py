"""The in-process run path's speed (issue 10 §2), side by side with Dagster 1.13.

Four workloads, written against the public API only, so that the same code runs under
headwater and under the reference environment (``.ref/dagster-1.13``, built by
``make parity``):

- a 500-op chain run in process on an in-memory instance (target ≤ 0.03 ms/op);
- the same chain on a SQLite instance, ``DagsterInstance.local_temp()`` (≤ 0.1 ms/op);
- ``materialize`` of 1,000 chained assets with the default IO manager (≤ 0.3 ms/asset);
- ``materialize`` of 1,000 independent assets (≤ 0.3 ms/asset).

Figures are CPU time of this process (``time.process_time``): the machine is shared, and
wall time would measure the neighbours.

The two ``materialize`` workloads store every value as a new file in a new temporary folder
(``materialize`` without an instance uses a temporary storage folder, under both projects).
Where ``/tmp`` is not RAM-backed, creating a file can cost the kernel more than the framework
spends on the asset: on an ext4 without a journal (this project's CI machines) the kernel
skips every inode freed in the last ~30 s on each creation, so a run's cost depends on what
any process deleted just before (``perf`` shows ``recently_deleted`` in ``__ext4_new_inode``).
So these workloads keep their temporary files on a tmpfs (``/dev/shm``) when there is one,
for both projects, and print the figure on the default temporary folder beside it;
``--disk`` judges the target on the default folder instead.

Where the reference environment exists, each workload also runs once under it, in the same
invocation, and the ratio is printed: a ratio measured in one run holds on a noisy machine,
an absolute figure does not.

    .venv/bin/python benchmarks/run_speed.py [--no-reference] [--only NAME] [--disk]
    HEADWATER_REF_DAGSTER=/path/to/.ref/dagster-1.13 .venv/bin/python benchmarks/run_speed.py
    .venv/bin/python benchmarks/run_speed.py --worker headwater chain_memory   # one figure
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# `make` exports HEADWATER_REF_DAGSTER (the reference environment `make parity` builds).
REFERENCE = Path(os.environ.get("HEADWATER_REF_DAGSTER", ROOT / ".ref" / "dagster-1.13"))

# name → (units per run, unit, target in ms per unit)
WORKLOADS: dict[str, tuple[int, str, float]] = {
    "chain_memory": (500, "op", 0.03),
    "chain_sqlite": (500, "op", 0.1),
    "assets_chained": (1000, "asset", 0.3),
    "assets_independent": (1000, "asset", 0.3),
}
# Workloads whose figure includes creating one file per unit (see the module docstring).
FILE_WORKLOADS = ("assets_chained", "assets_independent")
LABELS = {
    "chain_memory": "500-op chain in process, in-memory instance",
    "chain_sqlite": "500-op chain in process, SQLite instance",
    "assets_chained": "materialize 1,000 chained assets, default IO manager",
    "assets_independent": "materialize 1,000 independent assets, default IO manager",
}


# The workloads: public API only (`dg` is `dagster` or `headwater`) ---------------------


def chain_job(dg: Any, n: int) -> Any:
    @dg.op
    def first() -> int:
        return 0

    @dg.op
    def step(x: int) -> int:
        return x + 1

    @dg.job(name=f"chain_{n}")
    def chain() -> None:
        value = first()
        for _ in range(n - 1):
            value = step(value)

    return chain


def chained_assets(dg: Any, n: int) -> list[Any]:
    def make(i: int) -> Any:
        if i == 0:

            @dg.asset(name="a0")
            def first() -> int:
                return 0

            return first

        @dg.asset(name=f"a{i}", ins={"prev": dg.AssetIn(f"a{i - 1}")})
        def nxt(prev: int) -> int:
            return prev + 1

        return nxt

    return [make(i) for i in range(n)]


def independent_assets(dg: Any, n: int) -> list[Any]:
    def make(i: int) -> Any:
        @dg.asset(name=f"a{i}")
        def one() -> int:
            return i

        return one

    return [make(i) for i in range(n)]


def run_once(dg: Any, name: str, built: Any, tmp: str) -> None:
    """One run of workload ``name`` (``built`` is what ``build`` returned)."""
    if name == "chain_memory":
        assert built.execute_in_process().success
    elif name == "chain_sqlite":
        job, instance = built
        assert job.execute_in_process(instance=instance).success
    else:
        assert dg.materialize(built).success


def build(dg: Any, name: str, tmp: str) -> Any:
    units = WORKLOADS[name][0]
    if name == "chain_memory":
        return chain_job(dg, units)
    if name == "chain_sqlite":
        return chain_job(dg, units), dg.DagsterInstance.local_temp(tmp)
    if name == "assets_chained":
        return chained_assets(dg, units)
    return independent_assets(dg, units)


def worker(module: str, name: str, repeats: int) -> dict[str, float]:
    """Run workload ``name`` with ``module`` (one warm-up run, then ``repeats``)."""
    # Dagster builds a job's graph recursively, one frame per asset of the 1,000 chained.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    dg = importlib.import_module(module)
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # the default IO manager writes under the working folder's storage
        built = build(dg, name, tmp)
        run_once(dg, name, built, tmp)  # warm: plans and config schemas are built once
        samples, walls = [], []
        for _ in range(repeats):
            started, wall = time.process_time(), time.perf_counter()
            run_once(dg, name, built, tmp)
            samples.append(time.process_time() - started)
            walls.append(time.perf_counter() - wall)
    units = WORKLOADS[name][0]
    return {
        "ms_per_unit": statistics.median(samples) / units * 1000,
        "wall_ms_per_unit": statistics.median(walls) / units * 1000,
    }


# The driver ------------------------------------------------------------------------------


def ram_tmpdir() -> str | None:
    """A tmpfs folder for temporary files (``/dev/shm``), or ``None`` where there is none."""
    shm = "/dev/shm"
    if fs_type(shm) == "tmpfs" and os.access(shm, os.W_OK):
        return shm
    return None


def fs_type(path: str) -> str:
    """The type of the file system holding ``path`` (``/proc/self/mounts``), or ``"?"``."""
    best, kind = "", "?"
    try:
        with open("/proc/self/mounts") as mounts:
            for line in mounts:
                fields = line.split()
                point = fields[1]
                inside = path == point or path.startswith(point.rstrip("/") + "/")
                if inside and len(point) > len(best):
                    best, kind = point, fields[2]
    except OSError:
        pass
    return kind


def measure(
    python: str, module: str, name: str, repeats: int, tmpdir: str | None = None
) -> dict[str, float] | None:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    if tmpdir is not None:
        env["TMPDIR"] = tmpdir
    if module == "dagster":
        # The reference must not see headwater on its path (its `dagster` alias included).
        env.pop("PYTHONPATH", None)
    command = [python, str(Path(__file__).resolve()), "--worker", module, name]
    command += ["--repeats", str(repeats)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        print(f"  {module} {name} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
        return None
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", nargs=2, metavar=("MODULE", "WORKLOAD"))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--only", choices=sorted(WORKLOADS))
    parser.add_argument(
        "--disk",
        action="store_true",
        help="judge the materialize workloads with temporary files where tempfile puts them",
    )
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker[0], args.worker[1], args.repeats)))
        return 0
    reference = REFERENCE / "bin" / "python"
    use_reference = not args.no_reference and reference.exists()
    missed = []
    ram = None if args.disk else ram_tmpdir()
    default_tmp = tempfile.gettempdir()
    for name in [args.only] if args.only else list(WORKLOADS):
        _, unit, target = WORKLOADS[name]
        tmpdir = ram if name in FILE_WORKLOADS else None
        measured = measure(sys.executable, "headwater", name, args.repeats, tmpdir)
        if measured is None:
            missed.append(name)
            continue
        ours = measured["ms_per_unit"]
        line = (
            f"{LABELS[name]}: {ours:.4f} ms/{unit} CPU [target ≤ {target} ms/{unit}] "
            f"(wall {measured['wall_ms_per_unit']:.4f})"
        )
        if ours > target:
            missed.append(name)
            line += "  MISSED"
        if use_reference:
            # The reference is slow (seconds per run): one measured run after the warm-up.
            reference_figures = measure(str(reference), "dagster", name, 1, tmpdir)
            if reference_figures is not None:
                theirs = reference_figures["ms_per_unit"]
                line += f"; Dagster 1.13 {theirs:.2f} ms/{unit}, {theirs / ours:.0f}x ours"
        if tmpdir is not None:
            on_disk = measure(sys.executable, "headwater", name, args.repeats)
            line += f"\n  temporary files on {tmpdir} (tmpfs)"
            if on_disk is not None:
                line += (
                    f"; on {default_tmp} ({fs_type(default_tmp)}): "
                    f"{on_disk['ms_per_unit']:.4f} ms/{unit} CPU"
                )
        print(line, flush=True)
    if not use_reference and not args.no_reference:
        print(f"  (no reference environment at {REFERENCE}: ratios not measured)")
    print(f"  command: {sys.executable} benchmarks/run_speed.py")
    if missed:
        print(f"  targets missed: {missed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
