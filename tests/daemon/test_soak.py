"""A soak of the daemon's duties on SQLite and PostgreSQL: many sensor ticks requesting keyed
runs (each key asked for twice), the run queue launching them and another connection
finishing them, while the backfill, retention and monitor duties pass too. Zero duty errors
(no lock errors), every run key makes exactly one run, every run finishes, and memory stays
flat.

The default size runs in a few seconds; ``HEADWATER_TEST_SOAK_TICKS=10000`` runs the full soak
(10,000 sensor ticks, 1,000 runs). ``HEADWATER_TEST_SOAK_REPORT=1`` prints the figures.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.storage.conftest import pg_url  # noqa: F401  (the PostgreSQL schema fixture)

from headwater.daemon.backfills import BackfillDuty
from headwater.daemon.code import load_automation
from headwater.daemon.duties import RunMonitorDuty, RunQueueDuty
from headwater.daemon.retention import RetentionDuty
from headwater.daemon.runner import Duty
from headwater.daemon.sensors import SensorDuty
from headwater.daemon.store import read_instigators
from headwater.events import EventType, RunEvent
from headwater.location.code import CodePointer
from headwater.storage import Instance, Run, RunStatus

SENSORS = 10
TICKS = int(os.environ.get("HEADWATER_TEST_SOAK_TICKS", "200"))
RUN_EVERY = 10  # a sensor requests a new run key every 10th tick: TICKS / 10 runs

DEFS = f"""
import headwater as dg

@dg.op
def tiny():
    return 1

@dg.job
def trivial():
    tiny()

def _make(i):
    @dg.sensor(
        name=f"s{{i}}", job=trivial, minimum_interval_seconds=1,
        default_status=dg.DefaultSensorStatus.RUNNING,
    )
    def _sensor(context):
        tick = int(context.cursor or 0)
        context.update_cursor(str(tick + 1))
        if tick % {RUN_EVERY}:
            return dg.SkipReason("not this tick")
        key = tick // {RUN_EVERY}
        # The previous key again: de-duplicated, it makes no second run.
        keys = [f"s{{i}}-{{key}}"] + ([f"s{{i}}-{{key - 1}}"] if key else [])
        return [dg.RunRequest(run_key=k) for k in keys]
    return _sensor

defs = dg.Definitions(jobs=[trivial], sensors=[_make(i) for i in range({SENSORS})])
"""


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


class _ThreadLauncher:
    """Runs each launched run on another connection: started, then succeeded (the run's
    process, without the process)."""

    def __init__(self, finisher: Instance) -> None:
        self._finisher = finisher
        self._lock = threading.Lock()
        self.errors: list[str] = []

    def launch(self, instance: Instance, run: Run) -> int:
        now = time.time()
        events = [
            RunEvent(EventType.RUN_START, run.run_id, run.job_name, now, "started"),
            RunEvent(EventType.RUN_SUCCESS, run.run_id, run.job_name, now, "done"),
        ]
        try:
            with self._lock:
                self._finisher.store_events(events)
        except Exception as exc:
            self.errors.append(f"{type(exc).__name__}: {exc}")
        return os.getpid()

    def reap(self) -> None:
        pass


@pytest.fixture(params=["sqlite", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "postgres":
        if not os.environ.get("HEADWATER_TEST_POSTGRES_URL", "").strip():
            pytest.skip("PostgreSQL half skipped: set HEADWATER_TEST_POSTGRES_URL")
        yield str(request.getfixturevalue("pg_url"))
        return
    yield str(tmp_path / "home")


def _open(target: str) -> Instance:
    if target.startswith("postgresql"):
        from headwater.storage.postgres import open_postgres_storage

        return Instance(open_postgres_storage(target))
    return Instance.from_config(target)


def test_soak(target: str, tmp_path: Path) -> None:
    (tmp_path / "defs.py").write_text(DEFS)
    code = load_automation(CodePointer.for_file(str(tmp_path / "defs.py")))
    with _open(target) as instance, _open(target) as finisher:
        launcher = _ThreadLauncher(finisher)
        queue = RunQueueDuty(instance, launcher)  # type: ignore[arg-type]
        sensors = SensorDuty(instance, code, timeout=30.0)
        duties: list[Duty] = [queue, BackfillDuty(instance), RetentionDuty(instance)]
        duties.append(RunMonitorDuty(instance))
        errors: list[str] = []
        stop = threading.Event()

        def keep_passing() -> None:  # the queue and the other duties, as the daemon runs them
            while not stop.is_set():
                for duty in duties:
                    errors.extend(f"{duty.name}: {e}" for e in duty.run_once(time.time()))
                time.sleep(0.005)

        worker = threading.Thread(target=keep_passing)
        worker.start()
        passes = TICKS // SENSORS
        clock = time.time()
        rss: list[float] = []
        started = time.monotonic()
        try:
            for i in range(passes):
                clock += 2.0  # every sensor is due at every pass
                errors.extend(f"sensors: {e}" for e in sensors.run_once(clock))
                if i % max(passes // 10, 1) == 0:
                    rss.append(_rss_mb())
            deadline = time.monotonic() + 60
            expected = SENSORS * ((passes - 1) // RUN_EVERY + 1)
            while time.monotonic() < deadline:
                runs = instance.get_runs()
                if len(runs) >= expected and all(r.is_finished for r in runs):
                    break
                time.sleep(0.05)
        finally:
            stop.set()
            worker.join()
        elapsed = time.monotonic() - started
        runs = instance.get_runs()
        cursors = read_instigators(instance, "sensor", "defs.py", [f"s{i}" for i in range(SENSORS)])

    assert errors == [] and launcher.errors == []
    keys = Counter(r.tags["dagster/run_key"] for r in runs)
    assert len(keys) == expected and set(keys.values()) == {1}  # none lost, none twice
    assert {r.status for r in runs} == {RunStatus.SUCCESS}
    assert {c.cursor for c in cursors.values()} == {str(passes)}
    # Flat memory: what the first tenth of the soak reached, give or take.
    growth = rss[-1] - rss[1] if len(rss) > 2 else 0.0
    assert growth < 40, f"memory grew {growth:.1f} MB over the soak: {rss}"
    if os.environ.get("HEADWATER_TEST_SOAK_REPORT"):
        backend = "postgres" if target.startswith("postgresql") else "sqlite"
        samples = [round(r) for r in rss]
        print(
            f"\nsoak {backend}: {passes * SENSORS} ticks, {len(runs)} runs in {elapsed:.1f}s; "
            f"rss {rss[0]:.1f} -> {rss[-1]:.1f} MB (samples {samples})",
            file=sys.stderr,
        )
