"""The cereal example project runs end to end with both resource sets."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import headwater as dg

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
sys.path.insert(0, str(EXAMPLES))

from cereal.pipeline import build_prod_job, cereal_test  # noqa: E402


def test_test_resources_run_the_graph_from_memory() -> None:
    result = cereal_test.execute_in_process()
    assert result.success
    assert result.output_for_node("load_cereals") == 2  # "Sugar Bombs" is over the limit
    assert result.output_for_node("top_cereals") == [("Test Oats", 80.5), ("Plain Flakes", 60.2)]


def test_prod_resources_fetch_the_csv_into_a_sqlite_file(tmp_path: Path) -> None:
    db = tmp_path / "cereal.db"
    job = build_prod_job(str(db))
    result = job.execute_in_process(
        run_config={"ops": {"clean_cereals": {"config": {"max_sugars": 8}}}}
    )
    assert result.success
    loaded = result.output_for_node("load_cereals")
    with sqlite3.connect(db) as conn:
        (count,) = conn.execute("SELECT count(*) FROM cereals").fetchone()
        (max_sugars,) = conn.execute("SELECT max(sugars) FROM cereals").fetchone()
    assert count == loaded > 0
    assert max_sugars <= 8


def test_one_graph_two_jobs_differ_only_in_resources() -> None:
    prod = build_prod_job(":memory:")
    assert prod.graph is cereal_test.graph
    assert set(prod.resource_defs) == set(cereal_test.resource_defs) == {"cereals", "warehouse"}


def test_bad_clean_config_is_reported_with_its_path() -> None:
    try:
        cereal_test.execute_in_process(
            run_config={"ops": {"clean_cereals": {"config": {"max_sugar": 3}}}}
        )
    except dg.InvalidConfigError as exc:
        assert [str(p) for p in exc.problems] == [
            'ops.clean_cereals.config: unknown field "max_sugar"; did you mean "max_sugars"?'
        ]
    else:
        raise AssertionError("expected InvalidConfigError")


def test_demo_script_prints_a_summary_and_succeeds() -> None:
    completed = subprocess.run(
        [sys.executable, str(EXAMPLES / "cereal" / "run_demo.py")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert "job 'cereal_prod'" in completed.stdout and "SUCCESS" in completed.stdout
    assert "best rated:" in completed.stdout
