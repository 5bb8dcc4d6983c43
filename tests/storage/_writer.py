"""A process of the concurrency test: appends numbered batches to one run and tails it."""

from __future__ import annotations

import time

from headwater.events import EventType, RunEvent
from headwater.storage import Instance
from headwater.storage.postgres import open_postgres_storage


def write_and_tail(backend: str, target: str, run_id: str, writer: int, seconds: float) -> int:
    """Append batches of 20 events for ``seconds`` while tailing; return how many were written.

    Raises AssertionError if the tail ever goes backwards or sees this writer's events out of
    order or with a gap (a partial batch, or a lost or reordered event).
    """
    instance = (
        Instance(open_postgres_storage(target))
        if backend == "postgres"
        else Instance.from_config(target)
    )
    cursor, expected, seq = 0, 0, 0
    deadline = time.monotonic() + seconds
    with instance:
        while time.monotonic() < deadline:
            batch = [
                RunEvent(
                    EventType.LOG_MESSAGE,
                    run_id,
                    "job",
                    time.time(),
                    data={"w": writer, "n": seq + i},
                )
                for i in range(20)
            ]
            instance.store_events(batch)
            seq += 20
            for record in instance.get_event_records(run_id, after=cursor, limit=1000):
                assert record.storage_id > cursor, "cursor went backwards"
                cursor = record.storage_id
                if record.event.data["w"] == writer:
                    assert record.event.data["n"] == expected, f"writer {writer}: gap at {expected}"
                    expected += 1
    return seq
