"""`make bench`: run every benchmark script in this folder and print their figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
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
