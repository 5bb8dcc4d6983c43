"""``make demo-automation``: the daemon runs a schedule and a sensor; ``headwater run list``
shows their runs. Takes a few seconds, in a throwaway instance.

The schedule ticks every minute. So that the demo need not wait for a minute to pass, it
records the schedule as started three minutes ago, as if the daemon had been down since:
the missed ticks run at once (the schedule asks for catch-up).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFS = HERE / "definitions.py"


def _cli(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "headwater.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return done.stdout


def main() -> int:
    from headwater.daemon.store import InstigatorState, write_instigator
    from headwater.storage import Instance, RunStatus

    with tempfile.TemporaryDirectory() as scratch:
        home, inbox = Path(scratch) / "home", Path(scratch) / "inbox"
        inbox.mkdir()
        env = {**os.environ, "HEADWATER_HOME": str(home), "INBOX": str(inbox)}
        started = time.time()
        with Instance.from_config(home) as instance:
            write_instigator(
                instance,
                "schedule",
                DEFS.name,  # the code location: `-f defs.py` is named after its file
                "minutely_report_schedule",
                InstigatorState(since=started - 180, cron=("* * * * *",)),
            )
        for name, rows in (("orders.csv", 3), ("customers.csv", 2)):
            (inbox / name).write_text("\n".join(f"row {i}" for i in range(rows)))
        daemon = subprocess.Popen(
            [sys.executable, "-m", "headwater.cli", "daemon", "run", "-f", str(DEFS)],
            env=env,
            stderr=subprocess.DEVNULL,
        )
        try:
            runs: list[object] = []
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with Instance.from_config(home) as instance:
                    runs = instance.get_runs()
                    done = [r for r in runs if r.status is RunStatus.SUCCESS]
                if len(runs) >= 5 and len(done) == len(runs):
                    break
                time.sleep(0.2)
        finally:
            daemon.send_signal(signal.SIGINT)
            daemon.wait(timeout=30)
        print(f"the daemon ran {len(runs)} runs in {time.time() - started:.1f}s:\n")
        print(_cli("run", "list", env=env))
        print(_cli("schedule", "ticks", "minutely_report_schedule", "-f", str(DEFS), env=env))
        print(_cli("sensor", "ticks", "inbox_files", "-f", str(DEFS), env=env))
    return 0


if __name__ == "__main__":
    sys.exit(main())
