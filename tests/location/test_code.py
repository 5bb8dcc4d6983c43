"""The one code loader: pointers to files, modules and packages, attributes, errors, reload."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from headwater.errors import CodeLoadError
from headwater.execution.reconstruct import ReconstructableJob, reconstructable
from headwater.location.code import (
    CodePointer,
    find_job,
    import_code,
    load_code,
    reload_code,
)

JOBS = """
import headwater as dg

@dg.op
def one():
    return 1

@dg.job
def {name}():
    one()
"""

Write = Callable[[str, str], Path]


@pytest.fixture(autouse=True)
def _isolated_imports(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test's sys.path changes and user modules are undone after it."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        if not name.startswith("headwater"):
            del sys.modules[name]


@pytest.fixture
def write(tmp_path: Path) -> Write:
    def write_file(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write_file


# kinds of code --------------------------------------------------------------------------


def test_file_is_imported_by_its_name_with_its_folder_first_on_sys_path(write: Write) -> None:
    path = write("loader_plain.py", JOBS.format(name="plain"))
    code = load_code(CodePointer(python_file=str(path)))
    assert list(code.jobs) == ["plain"]
    assert code.module is sys.modules["loader_plain"]
    assert sys.path[0] == str(path.parent)


def test_relative_file_is_read_from_the_working_directory(write: Write, tmp_path: Path) -> None:
    write("proj/jobs/loader_rel.py", JOBS.format(name="relative"))
    pointer = CodePointer(
        python_file="jobs/loader_rel.py", working_directory=str(tmp_path / "proj")
    )
    assert list(load_code(pointer).jobs) == ["relative"]
    assert str(tmp_path / "proj") in sys.path


def test_working_directory_goes_first_so_a_module_can_be_found(
    write: Write, tmp_path: Path
) -> None:
    write("proj/loader_mod.py", JOBS.format(name="from_module"))
    with pytest.raises(CodeLoadError, match="no module named 'loader_mod'"):
        load_code(CodePointer(module_name="loader_mod"))
    code = load_code(
        CodePointer(module_name="loader_mod", working_directory=str(tmp_path / "proj"))
    )
    assert list(code.jobs) == ["from_module"]
    assert sys.path[0] == str(tmp_path / "proj")


def test_package_module_and_a_file_inside_it_load_as_part_of_the_package(
    write: Write, tmp_path: Path
) -> None:
    write("proj/loader_pkg/__init__.py", "from .jobs import *\n")
    jobs = write("proj/loader_pkg/jobs.py", "from ._ops import one\n" + JOBS.format(name="pkg"))
    write("proj/loader_pkg/_ops.py", "import headwater as dg\n@dg.op\ndef one():\n    return 1\n")
    as_package = load_code(
        CodePointer(module_name="loader_pkg", working_directory=str(tmp_path / "proj"))
    )
    assert list(as_package.jobs) == ["pkg"]
    as_file = load_code(CodePointer(python_file=str(jobs)))  # relative import works
    assert as_file.module is sys.modules["loader_pkg.jobs"]
    assert as_file.jobs["pkg"] is as_package.jobs["pkg"]  # imported once, not twice
    assert sys.path[0] == str(tmp_path / "proj")


def test_cached_module_of_the_same_name_from_another_file_is_replaced(write: Write) -> None:
    first = write("a/loader_same.py", JOBS.format(name="first"))
    second = write("b/loader_same.py", JOBS.format(name="second"))
    assert list(load_code(CodePointer(python_file=str(first))).jobs) == ["first"]
    assert list(load_code(CodePointer(python_file=str(second))).jobs) == ["second"]


# attributes -----------------------------------------------------------------------------


ATTRIBUTES = """
import headwater as dg
from headwater.jobs.legacy import pipeline, solid

@dg.op
def one():
    return 1

@dg.job
def first():
    one()

@dg.job
def second():
    one()

@solid
def hello():
    return "hi"

@pipeline
def legacy():
    hello()

defs = dg.Definitions(jobs=[second], resources={"greeting": "hi"})

def make_defs():
    return dg.Definitions(jobs=[first.graph.to_job(name="made")])

count = 3
"""


@pytest.mark.parametrize(
    ("attribute", "jobs", "pipelines"),
    [
        ("first", ["first"], []),
        ("legacy", [], ["legacy"]),
        ("defs", ["second"], []),
        ("make_defs", ["made"], []),
    ],
)
def test_attribute_kinds(
    write: Write, attribute: str, jobs: list[str], pipelines: list[str]
) -> None:
    path = write("loader_attrs.py", ATTRIBUTES)
    code = load_code(CodePointer(python_file=str(path), attribute=attribute))
    assert (list(code.jobs), list(code.pipelines)) == (jobs, pipelines)


def test_attribute_of_the_wrong_kind_or_missing_says_what_was_found(write: Write) -> None:
    path = write("loader_attrs.py", ATTRIBUTES)
    with pytest.raises(
        CodeLoadError,
        match=re.escape(
            f"{path} (attribute 'count'): expected a job, a pipeline, a Definitions object or "
            "a function returning one, got int"
        ),
    ):
        load_code(CodePointer(python_file=str(path), attribute="count"))
    with pytest.raises(
        CodeLoadError,
        match=re.escape(
            "the module has no attribute 'nope'; attributes headwater can load: defs, first, "
            "legacy, second"
        ),
    ):
        import_code(CodePointer(python_file=str(path), attribute="nope"))


def test_find_job_prefers_definitions_and_lists_jobs_when_missing(write: Write) -> None:
    path = write("loader_attrs.py", ATTRIBUTES)
    pointer = CodePointer(python_file=str(path))
    assert "greeting" in find_job(pointer, "second").resource_defs  # bound by defs
    assert find_job(pointer, "first").name == "first"  # module level
    with pytest.raises(
        CodeLoadError, match=re.escape(f"no job named 'x' in {path}; found jobs: first, second")
    ):
        find_job(pointer, "x")


# errors at the user's file and line -----------------------------------------------------


def test_error_raised_by_user_code_points_at_its_file_and_line(write: Write) -> None:
    path = write("loader_broken.py", "import headwater\n\nx = {}['missing']\n")
    with pytest.raises(CodeLoadError) as info:
        load_code(CodePointer(python_file=str(path)))
    assert f"KeyError: 'missing' ({path}, line 3)" in str(info.value)
    assert isinstance(info.value.__cause__, KeyError)


def test_definition_refused_by_headwater_points_at_the_users_line_not_ours(write: Write) -> None:
    path = write(
        "loader_bad_def.py",
        """
        import headwater as dg


        @dg.op(config_schema={"x": object()})
        def bad():
            pass
        """,
    )
    with pytest.raises(CodeLoadError) as info:
        load_code(CodePointer(python_file=str(path)))
    message = str(info.value)
    assert message.startswith(f"error while loading {path}: InvalidConfigDefinitionError: ")
    assert f"({path}, line 5);" in message
    assert "headwater/" not in message.replace(str(path), "")


def test_error_in_a_module_the_code_imports_points_at_that_module(
    write: Write, tmp_path: Path
) -> None:
    write("loader_helper.py", "VALUE = 1\nraise RuntimeError('helper is broken')\n")
    path = write("loader_uses_helper.py", "import loader_helper\n")
    with pytest.raises(
        CodeLoadError,
        match=re.escape(
            f"RuntimeError: helper is broken ({tmp_path / 'loader_helper.py'}, line 2)"
        ),
    ):
        load_code(CodePointer(python_file=str(path)))


def test_error_raised_by_a_factory_points_at_the_factory(write: Write) -> None:
    path = write("loader_factory.py", "def make():\n    raise ValueError('no jobs today')\n")
    with pytest.raises(
        CodeLoadError, match=re.escape(f"ValueError: no jobs today ({path}, line 2)")
    ):
        import_code(CodePointer(python_file=str(path), attribute="make"))


def test_missing_working_directory_and_file_are_named(tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere")
    with pytest.raises(CodeLoadError, match=re.escape(f"working directory {missing!r}")):
        load_code(CodePointer(module_name="x", working_directory=missing))
    with pytest.raises(CodeLoadError, match=re.escape("no such file: 'nope.py'")):
        load_code(CodePointer(python_file="nope.py", working_directory=str(tmp_path)))


# reload ---------------------------------------------------------------------------------


def test_reload_reads_a_changed_file_and_its_changed_helper(
    write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Bytecode caches are written, and the files change within the same second keeping their
    # sizes: a stale cache would pass for fresh.
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    write("loader_reload_ops.py", "import headwater as dg\nNAME = 'aaaa'\n")
    path = write(
        "loader_reload.py",
        """
        import headwater as dg
        from loader_reload_ops import NAME

        @dg.op
        def one():
            return 1

        @dg.job(name=NAME)
        def job_a():
            one()
        """,
    )
    pointer = CodePointer(python_file=str(path), working_directory=str(tmp_path))
    first = load_code(pointer)
    assert list(first.jobs) == ["aaaa"]
    write("loader_reload_ops.py", "import headwater as dg\nNAME = 'bbbb'\n")
    path.write_text(path.read_text().replace("def job_a", "def job_b"))
    assert list(load_code(pointer).jobs) == ["aaaa"]  # loading again uses what is imported
    second = reload_code(pointer)
    assert list(second.jobs) == ["bbbb"]
    assert second.module is not first.module
    assert hasattr(second.module, "job_b") and not hasattr(second.module, "job_a")
    assert "headwater" in sys.modules and sys.modules["headwater"].__name__ == "headwater"


def test_reload_reports_the_new_error_and_recovers_when_fixed(write: Write, tmp_path: Path) -> None:
    path = write("loader_flaky.py", JOBS.format(name="fine"))
    pointer = CodePointer(python_file=str(path), working_directory=str(tmp_path))
    assert list(load_code(pointer).jobs) == ["fine"]
    path.write_text(path.read_text() + "\nraise ValueError('half-saved')\n")
    with pytest.raises(CodeLoadError, match="ValueError: half-saved"):
        reload_code(pointer)
    path.write_text(JOBS.format(name="fixed"))
    assert list(reload_code(pointer).jobs) == ["fixed"]


# the pointer as a value ----------------------------------------------------------------


def test_pointer_travels_as_pickle_and_json(tmp_path: Path) -> None:
    pointer = CodePointer(python_file="jobs.py", attribute="defs").absolute()
    assert pointer.python_file == str(Path("jobs.py").absolute())
    assert pointer.working_directory == str(Path.cwd())
    assert pickle.loads(pickle.dumps(pointer)) == pointer
    assert CodePointer.from_dict(json.loads(json.dumps(pointer.to_dict()))) == pointer
    assert CodePointer(module_name="m").to_dict() == {"module_name": "m"}
    with pytest.raises(CodeLoadError, match=r"unknown keys \['file'\]"):
        CodePointer.from_dict({"file": "x.py"})


def test_reconstructable_job_is_a_job_name_and_a_code_pointer(write: Write) -> None:
    path = write("loader_recon.py", JOBS.format(name="recon"))
    module = load_code(CodePointer(python_file=str(path))).module
    pointer = reconstructable(module.recon)  # type: ignore[union-attr]
    assert pointer == ReconstructableJob(
        "recon",
        CodePointer(
            module_name="loader_recon", attribute="recon", working_directory=str(path.parent)
        ),
    )
    assert pickle.loads(pickle.dumps(pointer)).get_definition() is module.recon  # type: ignore[union-attr]


def test_loading_code_does_not_import_storage_or_assets(write: Write) -> None:
    path = write("loader_light.py", "from headwater.jobs import job, op\n" + JOBS.format(name="x"))
    script = (
        "import sys\n"
        "from headwater.location.code import CodePointer, load_code\n"
        f"load_code(CodePointer(python_file={str(path)!r}))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('headwater.storage', "
        "'headwater.assets', 'headwater.location.definitions'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
