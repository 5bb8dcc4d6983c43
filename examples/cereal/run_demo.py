"""``make demo``: run the cereal project's production job end to end and summarize it."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import headwater as dg
from cereal.pipeline import build_prod_job

RUN_CONFIG = {"ops": {"clean_cereals": {"config": {"max_sugars": 8}}}}


def main() -> int:
    out_dir = Path(__file__).parent / ".headwater"
    out_dir.mkdir(exist_ok=True)
    db_path = out_dir / "cereal.db"
    job = build_prod_job(str(db_path))
    started = time.perf_counter()
    result = job.execute_in_process(run_config=RUN_CONFIG, raise_on_error=False)
    elapsed = time.perf_counter() - started
    print(
        f"job '{job.name}'  run {result.run_id}  {'SUCCESS' if result.success else 'FAILURE'}"
        f"  in {elapsed * 1000:.1f} ms"
    )
    print()
    for event in result.all_events:
        if event.event_type in (
            dg.EventType.STEP_SUCCESS,
            dg.EventType.STEP_FAILURE,
            dg.EventType.RESOURCE_INIT_SUCCESS,
            dg.EventType.LOG_MESSAGE,
        ):
            where = event.step_key or "run"
            print(f"  {event.event_type.value:<22} {where:<14} {event.message}")
    if not result.success:
        for event in result.get_step_failure_events():
            detail = event.error.to_string() if event.error else ""
            print(f"\nstep {event.step_key} failed:\n{detail}")
        return 1
    print(f"\nloaded {result.output_for_node('load_cereals')} cereals into {db_path}")
    print("best rated:")
    for name, rating in result.output_for_node("top_cereals"):
        print(f"  {rating:6.2f}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
