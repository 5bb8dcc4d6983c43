"""Reading the last 100 events of a run that has 1,000,000 events, on SQLite.

Target (issue 3): under 10 ms. Builds the database once in a temporary folder (its build
time is printed too), then times ``get_event_records(run_id, limit=100, ascending=False)``.

    .venv/bin/python benchmarks/storage_tail.py [--events 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from storage_events import make_batches

from headwater.storage import Instance


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--keep", help="build in (or reuse) this folder instead of a temp one")
    args = parser.parse_args()
    print(f"$ {Path(sys.executable).name} {' '.join(sys.argv)}")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(args.keep or tmp)
        with Instance.from_config(home) as instance:
            runs = instance.get_runs(job_name="bench_job", limit=1)
            if runs:
                run_id = runs[0].run_id
                print(f"reusing {home} (run {run_id})")
            else:
                run_id = instance.create_run(job_name="bench_job").run_id
                start = time.perf_counter()
                for chunk in make_batches(run_id, args.events, 2_000):
                    instance.store_events(chunk)
                print(f"built {args.events:,} events in {time.perf_counter() - start:.1f} s")
        # A fresh instance, as a CLI `headwater run logs --tail 100` would open it.
        with Instance.from_config(home) as instance:
            start = time.perf_counter()
            first = instance.get_event_records(run_id, limit=100, ascending=False)
            cold = (time.perf_counter() - start) * 1000
            timings = []
            for _ in range(50):
                start = time.perf_counter()
                records = instance.get_event_records(run_id, limit=100, ascending=False)
                timings.append((time.perf_counter() - start) * 1000)
            assert len(first) == len(records) == 100
        median = statistics.median(timings)
        verdict = "ok" if max(cold, median) < 10 else "ABOVE TARGET"
        print(
            f"last 100 of {args.events:,} events: first read {cold:.2f} ms, median "
            f"{median:.2f} ms, max {max(timings):.2f} ms (target < 10 ms: {verdict})"
        )


if __name__ == "__main__":
    main()
