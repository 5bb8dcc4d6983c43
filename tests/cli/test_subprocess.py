"""The ``headwater`` script as real processes: the end-to-end path of a fresh clone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _headwater(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HEADWATER_HOME": str(home)}
    env.pop("HEADWATER_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "headwater.cli", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


@pytest.mark.slow
def test_execute_then_run_list_then_run_logs(tmp_path: Path) -> None:
    home = tmp_path / "home"
    executed = _headwater(
        "job", "execute", "-f", "examples/three_ops.py", "-j", "three_ops", "--json", home=home
    )
    assert executed.returncode == 0, executed.stderr
    summary = json.loads(executed.stdout.splitlines()[-1])
    assert summary["status"] == "SUCCESS"
    run_id = summary["run_id"]

    listed = _headwater("run", "list", home=home)
    assert listed.returncode == 0
    assert listed.stdout.splitlines()[1].split()[:3] == [run_id, "three_ops", "SUCCESS"]

    logs = _headwater("run", "logs", run_id, home=home)
    assert logs.returncode == 0
    assert "LOG_MESSAGE            sum of squares: 385" in logs.stdout
    assert logs.stdout.splitlines()[-1].split()[3] == "PIPELINE_SUCCESS"


@pytest.mark.slow
def test_errors_exit_1_with_one_line_on_stderr(tmp_path: Path) -> None:
    home = tmp_path / "home"
    missing = _headwater("job", "execute", "-f", "nope.py", home=home)
    assert (missing.returncode, missing.stdout) == (1, "")
    assert missing.stderr == "Error: no such file: 'nope.py' (given with -f)\n"
    unknown = _headwater("run", "logs", "0000", home=home)
    assert unknown.returncode == 1
    assert unknown.stderr.count("\n") == 1 and "no run with id '0000'" in unknown.stderr


@pytest.mark.slow
def test_help_does_not_load_storage_or_rich() -> None:
    code = (
        "import sys\n"
        "from headwater.cli import cli\n"
        "try:\n"
        "    cli(['--help'], prog_name='headwater')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('sqlalchemy', 'rich', 'yaml', 'pydantic') if m in sys.modules]\n"
        "print(heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stderr == "[]\n"
    assert "Commands:" in result.stdout


@pytest.mark.slow
def test_job_execute_loads_only_its_command_group_and_no_sqlalchemy(tmp_path: Path) -> None:
    # The instance's database is created first (that runs the migrations, with SQLAlchemy).
    job = str(ROOT / "examples" / "three_ops.py")
    assert _headwater("job", "execute", "-f", job, home=tmp_path).returncode == 0
    code = (
        "import sys\n"
        "from headwater.cli import cli\n"
        "try:\n"
        f"    cli(['job', 'execute', '-f', {job!r}], prog_name='headwater')\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "groups = sorted(m for m in sys.modules if m.startswith('headwater.cli.'))\n"
        "heavy = ('sqlalchemy', 'alembic', 'rich', 'yaml', 'pydantic')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "print(groups, heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "HEADWATER_HOME": str(tmp_path)},
    )
    loaded = (
        "['headwater.cli.execute', 'headwater.cli.instance', "
        "'headwater.cli.job', "
        "'headwater.cli.loading', 'headwater.cli.output', 'headwater.cli.root', "
        "'headwater.cli.run_config'] []\n"
    )
    assert result.stderr == loaded


# What a run of plain ops (no assets, metadata, partitions or re-execution) must not import:
# each is a measurable part of `headwater job execute` (benchmarks/cli_execute.py), loaded
# only by the runs and commands that use it.
_NOT_FOR_PLAIN_OPS = (
    "asyncio",  # named by build_resources' signature only
    "socket",  # the host tag reads the kernel's node name
    "tempfile",  # the instance's folder check opens an unnamed file itself
    "headwater.assets.results",  # asset events are told apart by jobs.io.OpEvent
    "headwater.metadata.values",
    "headwater.partitions.definition",
    "headwater.execution.invocation",  # build_op_context, for tests calling ops directly
    "headwater.execution.reexecute",
    "headwater.execution.reconstruct",  # a code pointer only for steps in other processes
    "headwater.alias",
    "headwater.storage.queries",
    "logging",  # for runs whose config selects a logger (and context.log when it is loaded)
    "traceback",  # for errors; logging loaded it too
    "shlex",  # reads a recorded code origin, for re-execution
    "headwater.loggers.python_logging",
    "headwater.jobs.legacy",  # only code that uses @pipeline has pipelines
    "headwater.jobs.hooks",
    "headwater.execution.hooks",
    "headwater._unsupported",  # a Dagster name headwater lacks: a module is not a Definitions
    "headwater.execution.dynamic",  # plans of jobs with dynamic outputs
    "headwater.storage.memory",  # ephemeral instances
    "headwater.resources.testing",  # build_resources, for code outside runs
    "headwater.config.json_schema",  # schemas shown by `headwater config` and the UI
    "headwater.cli.control",  # `job reexecute`, imported when asked for
)


@pytest.mark.slow
def test_job_execute_of_plain_ops_imports_only_what_the_run_uses(tmp_path: Path) -> None:
    job = str(ROOT / "examples" / "three_ops.py")
    assert _headwater("job", "execute", "-f", job, home=tmp_path).returncode == 0  # creates it
    code = (
        "import sys\n"
        "from headwater.cli import cli\n"
        "try:\n"
        f"    cli(['job', 'execute', '-f', {job!r}], prog_name='headwater')\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        f"print([m for m in {_NOT_FOR_PLAIN_OPS!r} if m in sys.modules], file=sys.stderr)\n"
    )
    env = {**os.environ, "HEADWATER_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert result.stderr == "[]\n"
    assert "sum of squares: 385" in result.stdout


@pytest.mark.slow
def test_the_script_freezes_what_it_imported_and_user_code_stays_collectable(
    tmp_path: Path,
) -> None:
    # headwater's and click's objects live as long as the process: frozen, the collector
    # stops walking them. The user's module is loaded after and is not frozen.
    job = tmp_path / "frozen.py"
    job.write_text(
        "import gc\n"
        "import headwater as dg\n\n"
        "@dg.op\n"
        "def probe() -> None:\n"
        "    frozen = gc.get_freeze_count()\n"
        "    assert frozen > 10_000, frozen\n"
        "    # gc.get_objects() lists the collectable objects, not the frozen ones.\n"
        "    assert any(o is _probe for o in gc.get_objects()), 'user code was frozen'\n\n"
        "def _probe() -> None:\n"
        "    pass\n\n"
        "@dg.job\n"
        "def frozen_job() -> None:\n"
        "    probe()\n"
    )
    done = _headwater("job", "execute", "-f", str(job), "-j", "frozen_job", home=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_context_log_reaches_python_logging_configured_after_the_run_began(
    tmp_path: Path,
) -> None:
    # The script loads no logging for plain ops: context.log looks for the 'headwater.run'
    # logger until something has loaded it, so a line logged before still leaves none out.
    job = tmp_path / "late.py"
    job.write_text(
        "import sys\n"
        "import headwater as dg\n\n"
        "@dg.op\n"
        "def late(context: dg.OpExecutionContext) -> None:\n"
        "    assert 'logging' not in sys.modules\n"
        "    context.log.info('before logging')\n"
        "    import logging\n"
        "    logging.basicConfig(stream=sys.stdout, format='PY %(name)s %(message)s')\n"
        "    logging.getLogger('headwater.run').setLevel(logging.INFO)\n"
        "    context.log.info('after logging')\n\n"
        "@dg.job\n"
        "def late_job() -> None:\n"
        "    late()\n"
    )
    three_ops = str(ROOT / "examples" / "three_ops.py")
    assert (
        _headwater("job", "execute", "-f", three_ops, home=tmp_path).returncode == 0
    )  # creates it
    done = _headwater("job", "execute", "-f", str(job), "-j", "late_job", home=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PY headwater.run [late_job:late] after logging" in done.stdout
    assert "PY headwater.run [late_job:late] before logging" not in done.stdout
