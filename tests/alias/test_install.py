"""The alias is opt-in, refuses to shadow a real dagster, and resolves to headwater."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.alias.conftest import run_json, run_python


def test_dagster_is_not_importable_without_the_alias() -> None:
    done = run_python("import headwater, dagster")
    assert done.returncode == 1
    assert "No module named 'dagster'" in done.stderr


def test_root_names_are_headwaters_objects() -> None:
    result = run_json(
        """
        import json, headwater, headwater.compat
        headwater.compat.install_alias()
        import dagster, dagster as dg
        print(json.dumps({
            "asset": dg.asset is headwater.asset,
            "error": dg.DagsterInvariantViolationError is headwater.InvariantViolationError,
            "all": set(dg.__all__) == set(headwater.__all__) - {"__version__"},
            "version": dagster.__version__,
        }))
        """
    )
    assert result == {"asset": True, "error": True, "all": True, "version": "1.13.29"}


def test_a_job_written_for_dagster_runs_on_headwater() -> None:
    result = run_json(
        """
        import json, headwater, headwater.compat
        headwater.compat.install_alias()
        import dagster as dg

        @dg.op
        def one() -> int:
            return 1

        @dg.job
        def j():
            one()

        r = j.execute_in_process()
        print(json.dumps([r.success, r.output_for_node("one"), type(j).__module__]))
        """
    )
    assert result == [True, 1, "headwater.jobs.job"]


def test_install_sets_the_environment_for_child_processes_and_uninstall_clears_it() -> None:
    result = run_json(
        """
        import json, os, sys
        from headwater.alias import install_alias, uninstall_alias, is_alias_installed
        install_alias()
        install_alias()  # idempotent
        import dagster._core.errors
        during = [os.environ.get("HEADWATER_DAGSTER_ALIAS"), is_alias_installed()]
        uninstall_alias()
        after = [os.environ.get("HEADWATER_DAGSTER_ALIAS"), is_alias_installed(),
                 [m for m in sys.modules if m.split(".")[0] == "dagster"]]
        print(json.dumps([during, after]))
        """
    )
    assert result == [["1", True], [None, False, []]]


def test_install_from_env_only_when_the_variable_is_one() -> None:
    result = run_json(
        """
        import json, os
        from headwater.alias import install_alias_from_env
        before = install_alias_from_env()
        os.environ["HEADWATER_DAGSTER_ALIAS"] = "1"
        print(json.dumps([before, install_alias_from_env()]))
        """
    )
    assert result == [False, True]


def test_refuses_when_the_real_dagster_is_installed(fake_dagster: Path) -> None:
    done = run_python(
        """
        import headwater.compat
        from headwater.errors import AliasConflictError
        try:
            headwater.compat.install_alias()
        except AliasConflictError as exc:
            import dagster
            print(isinstance(exc, ImportError), dagster.REAL)
            print(exc)
        """,
        extra_path=[str(fake_dagster)],
    )
    lines = done.stdout.splitlines()
    assert lines[0] == "True True"
    assert lines[1] == (
        f"the real 'dagster' package is installed ({fake_dagster / 'dagster' / '__init__.py'}),"
        " so headwater's Dagster alias is not installed: it would shadow it. Run this code "
        "with real Dagster, or uninstall it (pip uninstall dagster) to run it on headwater "
        "through the alias."
    )


def test_launcher_refuses_when_the_real_dagster_is_installed(fake_dagster: Path) -> None:
    done = run_python(
        "", extra_path=[str(fake_dagster)], args=["-m", "headwater.alias", "-c", "pass"]
    )
    assert done.returncode == 1
    assert done.stderr.startswith("headwater.alias: the real 'dagster' package is installed")


def test_launcher_runs_a_script_with_its_arguments(tmp_path: Path) -> None:
    script = tmp_path / "script.py"
    script.write_text(
        "import sys, dagster\n"
        "from dagster._utils.backoff import backoff\n"
        "print(sys.argv[1:], backoff(lambda: dagster.__version__, retry_on=(ValueError,)))\n"
    )
    done = run_python("", args=["-m", "headwater.alias", str(script), "--flag", "x"])
    assert done.returncode == 0, done.stderr
    assert done.stdout == "['--flag', 'x'] 1.13.29\n"


def test_launcher_runs_a_module() -> None:
    done = run_python("", args=["-m", "headwater.alias", "-m", "json.tool", "--help"])
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout


def test_launcher_without_a_target_prints_usage() -> None:
    done = run_python("", args=["-m", "headwater.alias"])
    assert done.returncode == 2
    assert done.stderr == (
        "usage: python -m headwater.alias (-m MODULE | -c CODE | SCRIPT) [ARGS...]\n"
    )


def test_launcher_runs_code_given_with_c() -> None:
    done = run_python(
        "",
        args=[
            "-m",
            "headwater.alias",
            "-c",
            "import sys, dagster; print(sys.argv, dagster.op)",
            "x",
        ],
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("['-c', 'x'] <function op at ")


@pytest.mark.slow
def test_step_processes_of_a_multiprocess_run_alias_dagster_too(tmp_path: Path) -> None:
    script = tmp_path / "mp_job.py"
    script.write_text(
        "import dagster as dg\n"
        "@dg.op\n"
        "def one():\n"
        "    return 1\n"
        "@dg.job(executor_def=dg.multiprocess_executor)\n"
        "def mp():\n"
        "    one()\n"
        "if __name__ == '__main__':\n"
        "    instance = dg.DagsterInstance.local_temp()\n"
        "    result = dg.execute_job(dg.reconstructable(mp), instance=instance)\n"
        "    print(result.success, result.output_for_node('one'))\n"
    )
    done = run_python("", args=["-m", "headwater.alias", str(script)])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "True 1"
