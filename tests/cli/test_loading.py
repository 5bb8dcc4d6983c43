"""Code loading as plain functions: files, modules, attributes, Definitions, and errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from headwater.cli.loading import CodeTarget, get_job, get_pipeline_job, load_code
from headwater.errors import CodeLoadError

from .conftest import JOBS_SOURCE


def test_module_level_jobs_found_by_name(jobs_file: Path) -> None:
    code = load_code(CodeTarget(python_file=str(jobs_file)))
    assert list(code.jobs) == ["numbers_job", "dated_job"]
    assert get_job(code, "dated_job").name == "dated_job"


def test_unknown_job_lists_the_jobs_found(jobs_file: Path) -> None:
    code = load_code(CodeTarget(python_file=str(jobs_file)))
    message = f"no job named 'x' in {jobs_file}; found jobs: numbers_job, dated_job"
    with pytest.raises(CodeLoadError, match=re.escape(message) + "$"):
        get_job(code, "x")


def test_several_jobs_and_no_name_asks_for_one(jobs_file: Path) -> None:
    code = load_code(CodeTarget(python_file=str(jobs_file)))
    message = f"{jobs_file} has several jobs (numbers_job, dated_job); choose one with -j NAME"
    with pytest.raises(CodeLoadError, match=re.escape(message)):
        get_job(code, None)


def test_missing_file_is_named() -> None:
    with pytest.raises(
        CodeLoadError, match=re.escape("no such file: 'nope/jobs.py' (given with -f)")
    ):
        load_code(CodeTarget(python_file="nope/jobs.py"))


def test_neither_file_nor_module_is_an_error() -> None:
    with pytest.raises(CodeLoadError, match="no code to load: pass a Python file with -f"):
        load_code(CodeTarget())


def test_import_error_in_user_code_names_error_file_and_line(
    write: Callable[[str, str], Path],
) -> None:
    path = write("broken_code.py", "import headwater\n\nx = {}['missing']\n")
    with pytest.raises(CodeLoadError) as info:
        load_code(CodeTarget(python_file=str(path)))
    assert str(info.value) == (
        f"error while loading {path}: KeyError: 'missing' ({path}, line 3); "
        "rerun with --debug for the full traceback"
    )
    assert isinstance(info.value.__cause__, KeyError)


def test_syntax_error_in_user_code_names_line(write: Callable[[str, str], Path]) -> None:
    path = write("syntax_bad.py", "def f(:\n    pass\n")
    with pytest.raises(
        CodeLoadError, match=re.escape(f"SyntaxError: invalid syntax ({path}, line 1)")
    ):
        load_code(CodeTarget(python_file=str(path)))


def test_missing_import_inside_user_code_is_a_user_error(write: Callable[[str, str], Path]) -> None:
    path = write("imports_missing.py", "import not_installed_anywhere\n")
    with pytest.raises(
        CodeLoadError, match="ModuleNotFoundError: No module named 'not_installed_anywhere'"
    ):
        load_code(CodeTarget(python_file=str(path)))


def test_module_with_working_directory(write: Callable[[str, str], Path], tmp_path: Path) -> None:
    write("proj/mypkg/__init__.py", "")
    write("proj/mypkg/defs.py", "from cli_jobs_src import *\n")
    write("proj/cli_jobs_src.py", JOBS_SOURCE)
    code = load_code(CodeTarget(module_name="mypkg.defs", working_directory=str(tmp_path / "proj")))
    assert "numbers_job" in code.jobs


def test_missing_module_is_named() -> None:
    message = "no module named 'no_such_pkg.jobs' (given with -m); is its package installed"
    with pytest.raises(CodeLoadError, match=re.escape(message)):
        load_code(CodeTarget(module_name="no_such_pkg.jobs"))


def test_file_inside_a_package_keeps_relative_imports() -> None:
    code = load_code(CodeTarget(python_file="examples/cereal/jobs.py"))
    assert sorted(code.jobs) == ["cereal_prod", "cereal_test"]


def test_attribute_selects_one_job_and_calls_factories(write: Callable[[str, str], Path]) -> None:
    path = write(
        "factory_jobs.py",
        """
        import headwater as dg

        @dg.op
        def one():
            return 1

        @dg.job
        def first():
            one()

        def make_job():
            return first.graph.to_job(name="made")
        """,
    )
    assert list(load_code(CodeTarget(python_file=str(path), attribute="first")).jobs) == ["first"]
    assert list(load_code(CodeTarget(python_file=str(path), attribute="make_job")).jobs) == ["made"]
    with pytest.raises(
        CodeLoadError,
        match=r"has no attribute 'nope'; attributes headwater can load: first$",
    ):
        load_code(CodeTarget(python_file=str(path), attribute="nope"))


def test_definitions_like_object_is_used_instead_of_module_jobs(
    write: Callable[[str, str], Path],
) -> None:
    path = write(
        "defs_like.py",
        """
        import headwater as dg

        @dg.op
        def one():
            return 1

        @dg.job
        def listed():
            one()

        @dg.job
        def not_listed():
            one()

        class FakeDefinitions:
            def __init__(self, jobs):
                self.jobs = jobs
            def get_job_def(self, name):
                return {j.name: j for j in self.jobs}[name]

        defs = FakeDefinitions([listed])
        """,
    )
    assert list(load_code(CodeTarget(python_file=str(path))).jobs) == ["listed"]


def test_pipeline_modes(write: Callable[[str, str], Path]) -> None:
    path = write(
        "legacy_pipes.py",
        """
        from headwater.jobs.legacy import ModeDefinition, pipeline, solid

        @solid
        def hello():
            return "hi"

        @pipeline(mode_defs=[ModeDefinition("dev"), ModeDefinition("prod")])
        def greet():
            hello()
        """,
    )
    code = load_code(CodeTarget(python_file=str(path)))
    assert get_pipeline_job(code, "greet", "prod").name == "greet"
    with pytest.raises(
        CodeLoadError, match=re.escape("pipeline 'greet' has no mode 'x'; its modes: dev, prod")
    ):
        get_pipeline_job(code, "greet", "x")
    with pytest.raises(
        CodeLoadError, match=re.escape(f"no pipeline named 'y' in {path}; found pipelines: greet")
    ):
        get_pipeline_job(code, "y", None)
