"""Both distributions build wheels that install into a clean venv and work there."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest

import headwater

ROOT = Path(__file__).resolve().parents[1]
# The standard library reads TOML from Python 3.11 on.
tomllib = pytest.importorskip("tomllib")


def _project(path: Path) -> dict[str, object]:
    data: dict[str, object] = tomllib.loads(path.read_text())["project"]
    return data


def test_headwater_pipes_is_versioned_with_headwater() -> None:
    main = _project(ROOT / "pyproject.toml")
    pipes = _project(ROOT / "headwater-pipes" / "pyproject.toml")
    assert main["version"] == pipes["version"] == headwater.__version__
    # An exact pin: the unpublished name may resolve only to the copy built beside us.
    assert f"headwater-pipes=={main['version']}" in list(main["dependencies"])  # type: ignore[call-overload]


@pytest.mark.slow
def test_wheels_install_into_a_clean_venv_and_run_a_job(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(dist),
            str(ROOT / "headwater-pipes"),
            str(ROOT),
        ],
        check=True,
        cwd=tmp_path,
    )
    wheels = sorted(p.name for p in dist.glob("*.whl"))
    assert [re.sub(r"-py3.*", "", w) for w in wheels] == [
        f"headwater-{headwater.__version__}",
        f"headwater_pipes-{headwater.__version__}",
    ]
    # The clean venv sees nothing of this one: a PYTHONPATH naming src/ (where the build
    # leaves headwater.egg-info) would make its pip believe headwater is installed already.
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--find-links",
            str(dist),
            f"headwater=={headwater.__version__}",
        ],
        check=True,
        cwd=tmp_path,
        env=env,
    )
    job_file = tmp_path / "jobs.py"
    job_file.write_text(
        textwrap.dedent(
            """
            import headwater as dg

            @dg.op
            def one():
                return 1

            @dg.op
            def add(x):
                return x + 1

            @dg.job
            def smoke():
                add(one())
            """
        )
    )
    env["HEADWATER_HOME"] = str(tmp_path / "home")
    # Outside the checkout, so nothing can be imported from the source tree.
    out = subprocess.run(
        [str(env_dir / "bin" / "headwater"), "job", "execute", "-f", str(job_file), "-j", "smoke"],
        check=True,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert "SUCCESS" in out.stdout + out.stderr
    probe = subprocess.run(
        [
            str(python),
            "-c",
            "import headwater, headwater_pipes, importlib.resources as r; "
            "print(headwater.__file__); "
            "print(r.files('headwater_pipes').joinpath('schemas').is_dir())",
        ],
        check=True,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    location, has_schemas = probe.stdout.split()
    assert location.startswith(str(env_dir)) and has_schemas == "True"
