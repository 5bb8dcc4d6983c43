"""Event write throughput: batches of events appended to one run, SQLite and PostgreSQL.

Target (issue 3): at least 50,000 events/s sustained to SQLite in batches.

    .venv/bin/python benchmarks/storage_events.py [--events 200000] [--batch 500]

The PostgreSQL figure is printed when HEADWATER_TEST_POSTGRES_URL (or --postgres-url) names a
server; the benchmark works in a schema of its own and drops it afterwards.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from headwater.events import EventType, RunEvent
from headwater.storage import Instance
from headwater.storage.postgres import open_postgres_storage, postgres_url

_TYPES = (
    EventType.STEP_START,
    EventType.LOG_MESSAGE,
    EventType.STEP_OUTPUT,
    EventType.STEP_SUCCESS,
)


def make_batches(run_id: str, total: int, batch: int) -> list[list[RunEvent]]:
    """Realistic events: step keys, messages, a small data payload."""
    events = [
        RunEvent(
            event_type=_TYPES[i % len(_TYPES)],
            run_id=run_id,
            job_name="bench_job",
            timestamp=time.time(),
            message=f"step op_{i % 50} did something useful ({i})",
            step_key=f"op_{i % 50}",
            level=logging.INFO,
            data={"output_name": "result", "n": i},
        )
        for i in range(total)
    ]
    return [events[i : i + batch] for i in range(0, total, batch)]


def write_rate(instance: Instance, total: int, batch: int) -> float:
    """Events per second for ``total`` events in batches of ``batch`` (one transaction each)."""
    run = instance.create_run(job_name="bench_job")
    batches = make_batches(run.run_id, total, batch)
    start = time.perf_counter()
    for chunk in batches:
        instance.store_events(chunk)
    seconds = time.perf_counter() - start
    assert len(instance.get_event_records(run.run_id, limit=total + 1)) == total
    return total / seconds


@contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    """A fresh schema on the server; yields a URL that uses it, drops it afterwards."""
    schema = f"hw_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(postgres_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield str(
            postgres_url(url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--postgres-url", default=os.environ.get("HEADWATER_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    print(f"$ {Path(sys.executable).name} {' '.join(sys.argv)}")
    with tempfile.TemporaryDirectory() as home:
        with Instance.from_config(home) as instance:
            rate = write_rate(instance, args.events, args.batch)
        verdict = "ok" if rate >= 50_000 else "BELOW TARGET"
        print(
            f"sqlite     {rate:>10,.0f} events/s  ({args.events:,} events, batches of "
            f"{args.batch}; target >= 50,000: {verdict})"
        )
    if args.postgres_url:
        with (
            postgres_schema(args.postgres_url) as url,
            Instance(open_postgres_storage(url)) as instance,
        ):
            rate = write_rate(instance, args.events, args.batch)
        print(
            f"postgresql {rate:>10,.0f} events/s  ({args.events:,} events, batches of {args.batch})"
        )
    else:
        print("postgresql skipped: set HEADWATER_TEST_POSTGRES_URL or pass --postgres-url")


if __name__ == "__main__":
    main()
