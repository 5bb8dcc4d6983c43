"""Eight processes appending to one run and reading it at once: nothing locked, nothing lost."""

from __future__ import annotations

import multiprocessing
import os
from collections import defaultdict

import pytest

from ._writer import write_and_tail
from .conftest import open_instance

WRITERS = 8
SECONDS = 5.0 if os.environ.get("CI") == "true" else 3.0


@pytest.mark.slow
def test_eight_writers_lose_nothing_and_keep_order(backend: str, storage_target: str) -> None:
    with open_instance(backend, storage_target) as instance:
        run_id = instance.create_run(job_name="job").run_id
    # fork: the suite imports test modules by path (importlib mode), which a spawned child
    # could not repeat. Each writer still opens the instance itself, with its own
    # connections, as the multiprocess executor, the daemon and the web server do.
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(WRITERS) as pool:
        jobs = [
            pool.apply_async(write_and_tail, (backend, storage_target, run_id, w, SECONDS))
            for w in range(WRITERS)
        ]
        written = [job.get(timeout=SECONDS + 60) for job in jobs]  # re-raises worker errors
    with open_instance(backend, storage_target) as instance:
        events = instance.run_events(run_id)
    assert sum(written) >= WRITERS * 20 * 5  # every writer got many batches in
    assert len(events) == sum(written)
    per_writer: dict[int, list[int]] = defaultdict(list)
    for event in events:
        per_writer[event.data["w"]].append(event.data["n"])
    for w in range(WRITERS):
        assert per_writer[w] == list(range(written[w])), f"writer {w} out of order"
