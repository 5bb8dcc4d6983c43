"""Loading a module with 10,000 assets and building its Definitions, every job resolved.

Target: under 1 s on this machine. The module is generated into a temp folder and imported
in a fresh process, so the figure includes decorating every asset.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

N = 10_000
RUNS = 5

MODULE_HEAD = """
import headwater as dg

"""

PROBE = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {folder!r})
    started = time.perf_counter()
    import many_assets
    defs = many_assets.defs
    for job in defs.get_all_job_defs():
        job.check_resources()
    plan_started = time.perf_counter()
    from headwater.execution.run import plan_for
    plan = plan_for(defs.get_implicit_global_asset_job_def())
    done = time.perf_counter()
    print(plan_started - started, done - plan_started, len(plan.steps))
    """
)


def write_module(folder: Path) -> None:
    lines = [MODULE_HEAD]
    for i in range(N):
        # A layered graph: each asset depends on up to two earlier ones.
        deps = [f"a{j}" for j in (i - 1, i // 2) if 0 <= j < i]
        params = ", ".join(dict.fromkeys(deps))
        lines.append(f"@dg.asset(group_name='g{i % 10}')\ndef a{i}({params}):\n    return {i}\n")
    names = ", ".join(f"a{i}" for i in range(N))
    lines.append(
        f"defs = dg.Definitions(assets=[{names}], "
        "jobs=[dg.define_asset_job('g0_job', selection='group:g0')])\n"
    )
    (folder / "many_assets.py").write_text("\n".join(lines))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_module(folder)
        code = PROBE.format(folder=str(folder))
        # A user's module is compiled once and its bytecode cached; this machine sets
        # PYTHONDONTWRITEBYTECODE, so let the warm-up run write it.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, env=env)
        loads, plans = [], []
        for _ in range(RUNS):
            out = subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True
            ).stdout.split()
            loads.append(float(out[0]))
            plans.append(float(out[1]))
            steps = int(out[2])
    print(
        f"import a module of {N:,} assets + build Definitions with every job resolved: "
        f"{statistics.median(loads):.3f} s median of {RUNS} [target < 1 s]"
    )
    print(f"planning the {steps:,}-step global asset job: {statistics.median(plans):.3f} s")
    print(f"  command: {sys.executable} benchmarks/definitions_10k.py")


if __name__ == "__main__":
    main()
